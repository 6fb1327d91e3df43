/* supervisor/run.c — the run as a whole: its state and its end.
 *
 * A requested shutdown (SIGTERM/SIGINT/supctl shutdown) or a critical
 * service that stopped for good sets every goal to DOWN; sched.c stops them
 * in reverse dependency order, each with its stop_signal then SIGKILL after
 * its stop_timeout. [supd] shutdown_timeout bounds the whole: when it
 * passes, whatever is left gets SIGKILL. Exit code (SPEC): the critical
 * service's code; else 0 when everything stopped within its timeout; 1 when
 * something had to be killed. */
#include <signal.h>

#include "common/log.h"
#include "supervisor/control.h"
#include "supervisor/run_int.h"

/* After the final SIGKILL, how long to wait for the exits before giving up
 * on a process stuck in the kernel (D state). */
#define KILL_GRACE_S 2.0

struct run_state run_state;

static void call_done(void)
{
        size_t n;
        struct svc **list = table_list(&n);
        bool killed = run_state.forced;
        int code;

        for (size_t i = 0; i < n; i++)
                killed |= list[i]->priv->killed;
        code = run_state.critical_ended ? run_state.exit_code : killed ? 1 : 0;
        ev_timer_stop(run_state.loop, &run_state.shutdown_timer);
        run_state.finished = true;
        log_info("all services stopped; exit code %d", code);
        control_stop();
        if (run_state.done)
                run_state.done(code);
}

static bool any_alive(void)
{
        size_t n, i;
        struct svc **list = table_list(&n);

        for (i = 0; i < n; i++)
                if (svc_alive(list[i]))
                        return true;
        list = reload_dying(&n);
        for (i = 0; i < n; i++)
                if (svc_alive(list[i]))
                        return true;
        return false;
}

void shutdown_check_done(void)
{
        if (run_state.shutting && !run_state.finished && !any_alive())
                call_done();
}

static void kill_all(struct svc **list, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                struct svc *s = list[i];
                struct sup_err err = { 0 };
                if (!s->priv->have_proc)
                        continue;
                log_warn("%s: still running at shutdown_timeout, sending SIGKILL", s->spec->name);
                s->priv->killed = true;
                rt_signal(&s->priv->proc, SIGKILL, &err);
        }
}

static void deadline_cb(struct ev_loop *l, ev_timer *w, int revents)
{
        size_t n;
        struct svc **list;

        (void)revents;
        if (run_state.forced) {
                log_error("services did not exit %.0fs after SIGKILL; giving up on them", KILL_GRACE_S);
                call_done();
                return;
        }
        run_state.forced = true;
        list = table_list(&n);
        kill_all(list, n);
        list = reload_dying(&n);
        kill_all(list, n);
        ev_timer_set(w, KILL_GRACE_S, 0.);
        ev_timer_start(l, w);
}

void sched_end_run(int critical_code)
{
        size_t n;
        struct svc **list;

        if (run_state.shutting || !run_state.started)
                return;
        run_state.shutting = true;
        if (critical_code >= 0) {
                run_state.critical_ended = true;
                run_state.exit_code = critical_code;
        }
        log_info("shutting down");
        list = table_list(&n);
        for (size_t i = 0; i < n; i++) {
                list[i]->priv->goal = GOAL_DOWN;
                list[i]->priv->restart_after_stop = false;
                list[i]->priv->killed = false;
        }
        ev_timer_init(&run_state.shutdown_timer, deadline_cb,
                      (double)run_state.cfg->shutdown_timeout / 1000.0, 0.);
        ev_timer_start(run_state.loop, &run_state.shutdown_timer);
        sched_kick();
}

void sup_shutdown(void)
{
        sched_end_run(-1);
}
