/* supervisor/sup.c — what init and the control server call: start the
 * run, operator requests, signal forwarding. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "supervisor/control.h"
#include "supervisor/logroute.h"
#include "supervisor/run_int.h"

static sup_done_fn caller_done;

/* What the state table reports, and the end of every event from the loop,
 * go to the scheduler. */
static const struct spawn_hooks to_scheduler = {
        .changed = sched_changed,
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

int sup_start(struct ev_loop *loop, struct sup_config *cfg, const char *cfg_path,
              sup_done_fn done, struct sup_err *err)
{
        if (run_start(loop, cfg, cfg_path, run_over, err) < 0)
                return -1;
        caller_done = done;
        spawn_init(loop, &to_scheduler);
        /* without its control socket supd still supervises: say so, carry on */
        if (control_start(loop, cfg, &control_cmd_handlers, err) < 0)
                log_error("control socket: %s", err->msg);
        sched_kick();
        return 0;
}

bool sup_child_exited(pid_t pid, int wait_status)
{
        struct svc *s = run_state.started ? run_find_pid(pid) : NULL;

        rt_release_pending();   /* a reaped straggler may have emptied a cgroup */
        if (!s)
                return false;
        spawn_exited(s, wait_status);
        sched_kick();
        return true;
}

void sup_shutdown(void)
{
        run_end(-1);
        sched_kick();
}

static int check_request(struct svc *s, struct sup_err *err)
{
        if (!s || !run_state.started)
                return sup_fail(err, ENOENT, "no such service");
        if (run_state.shutting)
                return sup_fail(err, ESHUTDOWN, "%s: supd is shutting down", s->spec->name);
        return 0;
}

static void forgive(struct svc *s)
{
        s->failures = 0;
        s->priv->quick = 0;
}

int svc_request_start(struct svc *s, struct sup_err *err)
{
        if (check_request(s, err) < 0)
                return -1;
        forgive(s);
        switch (s->state) {
        case ST_STARTING:
        case ST_RUNNING:
                return 0;
        case ST_BACKOFF:                /* the operator is waiting: no delay */
                svc_event(s, SE_START);
                break;
        case ST_STOPPING:
                s->priv->goal = GOAL_DOWN;
                s->priv->restart_after_stop = true;
                break;
        default:
                s->priv->goal = GOAL_UP;
                break;
        }
        sched_kick();
        return 0;
}

int svc_request_stop(struct svc *s, struct sup_err *err)
{
        if (check_request(s, err) < 0)
                return -1;
        s->priv->goal = svc_alive(s) ? GOAL_DOWN : GOAL_NONE;
        s->priv->restart_after_stop = false;
        sched_kick();
        return 0;
}

int svc_request_restart(struct svc *s, struct sup_err *err)
{
        if (check_request(s, err) < 0)
                return -1;
        if (!svc_alive(s))
                return svc_request_start(s, err);
        forgive(s);
        s->priv->goal = GOAL_DOWN;
        s->priv->restart_after_stop = true;
        sched_kick();
        return 0;
}

int svc_signal(struct svc *s, int sig, struct sup_err *err)
{
        if (!s || !run_state.started)
                return sup_fail(err, ENOENT, "no such service");
        if (!s->priv->have_proc)
                return sup_fail(err, ESRCH, "%s: not running", s->spec->name);
        if (rt_signal(&s->priv->proc, sig, err) < 0)
                return sup_wrap(err, "%s", s->spec->name);
        return 0;
}

void sup_forward_signal(int sig)
{
        size_t n, i;
        struct svc **list = table_list(&n);

        if (!run_state.started)
                return;
        for (i = 0; i < n; i++)
                if (list[i]->spec->main) {
                        if (list[i]->pid > 0)
                                kill(list[i]->pid, sig);
                        return;
                }
        for (i = 0; i < n; i++)
                if (list[i]->priv->have_proc)
                        kill(list[i]->pid, sig);
}
