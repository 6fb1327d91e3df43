/* pid1/sweep.c — TERM, grace, KILL, wait until no process is left. */
#include "pid1/sweep.h"

#include <signal.h>

#include "common/log.h"
#include "pid1/pid1.h"

#define KILL_RECHECK 1.0        /* s: re-KILL late forks while waiting */
#define KILL_ROUNDS_MAX 10      /* then give up: stuck in D state */

static void sweep_finish(struct pid1_sweep *sw)
{
        if (sw->finished)
                return;
        sw->finished = true;
        pid1_sweep_stop(sw);
        sw->done(sw);
}

static void on_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
        struct pid1_sweep *sw = w->data;
        int n;

        if (!pid1_has_children())
                return sweep_finish(sw);
        if (!sw->killing) {
                sw->killing = true;
                n = pid1_signal_all(SIGKILL);
                log_warn("%d process%s still running %ums after SIGTERM: sent SIGKILL",
                         n, n == 1 ? "" : "es", sw->grace_ms);
        } else if (++sw->kill_rounds >= KILL_ROUNDS_MAX) {
                log_error("processes survive SIGKILL (uninterruptible sleep?); exiting anyway");
                return sweep_finish(sw);
        } else {
                pid1_signal_all(SIGKILL);
        }
        ev_timer_set(w, KILL_RECHECK, 0.);
        ev_timer_start(loop, w);
}

void pid1_sweep_start(struct pid1_sweep *sw, struct ev_loop *loop, unsigned grace_ms,
                 void (*done)(struct pid1_sweep *sw))
{
        int n;

        *sw = (struct pid1_sweep){ .loop = loop, .grace_ms = grace_ms, .done = done,
                                   .active = true };
        n = pid1_signal_all(SIGTERM);
        if (n > 0) {
                /* A stopped process would hold the TERM until the grace ends. */
                pid1_signal_all(SIGCONT);
                log_debug("%d process%s left: sent SIGTERM, SIGKILL in %ums", n,
                          n == 1 ? "" : "es", grace_ms);
        }
        if (!pid1_has_children())
                return sweep_finish(sw);
        ev_timer_init(&sw->timer, on_timer, grace_ms / 1000.0, 0.);
        sw->timer.data = sw;
        ev_timer_start(loop, &sw->timer);
}

void pid1_sweep_reaped(struct pid1_sweep *sw)
{
        if (sw->active && !sw->finished && !pid1_has_children())
                sweep_finish(sw);
}

void pid1_sweep_signal(struct pid1_sweep *sw, int sig)
{
        /* The command is gone; whoever signals supd now means what is left. */
        if (sw->active && !sw->finished)
                pid1_signal_all(sig);
}

void pid1_sweep_stop(struct pid1_sweep *sw)
{
        if (sw->loop && ev_is_active(&sw->timer))
                ev_timer_stop(sw->loop, &sw->timer);
}
