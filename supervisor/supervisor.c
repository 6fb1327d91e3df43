/* supervisor/supervisor.c — the supervisor's face to cmd/: start the run
 * with its control socket, take the reaped pids, flush the logs at exit.
 *
 * The one file that ties the parts together: the run (run.c), the process
 * side (process.c) wired to the scheduler (sched.c), and the control server
 * (control.c) with its verbs (control_cmd.c). Only through the callbacks it
 * hands out is it called back: the end of the run (run_over) and the hooks
 * that wire process.c to the scheduler. */
#include <errno.h>

#include "common/log.h"
#include "supervisor/control.h"
#include "supervisor/control_int.h"
#include "supervisor/events.h"
#include "supervisor/health.h"
#include "supervisor/logroute.h"
#include "supervisor/run_int.h"

static supervisor_done_fn caller_done;

/* What the state table reports, and the end of every event from the loop,
 * go to the scheduler. */
static void changed(struct svc *s, enum svc_state from)
{
        health_changed(s, from);
        sched_changed(s, from);
}

static const struct process_hooks to_scheduler = {
        .changed = changed,
        .after_event = sched_kick,
};

/* The run is over: close the control socket before the caller hears of it
 * (its clients get their last words while supd still runs). */
static void run_over(int exit_code)
{
        control_stop();
        if (caller_done)
                caller_done(exit_code);
}

/* The socket first, before any service starts: when another supd answers
 * on it, or something that is not a socket sits at its path, a second set
 * of the same services must not run (supervisord refuses the same way).
 * Any other failure (a directory we cannot make...) still lets supd
 * supervise: say so, carry on. */
static int claim_socket(struct ev_loop *loop, struct sup_config *cfg, struct sup_err *err)
{
        if (control_start(loop, cfg, &control_cmd_handlers, err) == 0)
                return 0;
        if (err->errnum == EADDRINUSE || err->errnum == EEXIST)
                return sup_wrap(err, "refusing to start");
        log_error("control socket: %s", err->msg);
        return 0;
}

int supervisor_start(struct ev_loop *loop, struct sup_config *cfg, const char *cfg_path,
                     supervisor_done_fn done, struct sup_err *err)
{
        if (claim_socket(loop, cfg, err) < 0)
                return -1;
        if (run_start(loop, cfg, cfg_path, run_over, err) < 0) {
                control_stop();
                return -1;
        }
        caller_done = done;
        process_init(loop, &to_scheduler);
        health_init(loop, sched_kick);
        events_start(loop, cfg->identifier);
        sched_kick();
        return 0;
}

bool supervisor_child_exited(pid_t pid, int wait_status)
{
        struct svc *s = run_state.started ? run_find_pid(pid) : NULL;

        rt_release_pending();   /* a reaped straggler may have emptied a cgroup */
        if (!s)
                return run_state.started && health_reaped(pid, wait_status);
        process_exited(s, wait_status);
        sched_kick();
        return true;
}

void supervisor_flush_logs(double deadline)
{
        logroute_flush(deadline);
}
