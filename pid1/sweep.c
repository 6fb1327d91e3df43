/* pid1/sweep.c — TERM, grace, KILL, wait until no process is left. */
#include "pid1/sweep.h"

#include <signal.h>
#include <time.h>

#include "common/log.h"
#include "pid1/pid1.h"

#define KILL_RECHECK_MS 1000    /* re-KILL late forks while waiting */
#define KILL_ROUNDS_MAX 10      /* then give up: stuck in D state */

long long pid1_now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sweep_finish(struct pid1_sweep *sw)
{
        if (sw->finished)
                return;
        sw->finished = true;
        pid1_sweep_stop(sw);
        sw->done(sw);
}

void pid1_sweep_tick(struct pid1_sweep *sw)
{
        int n;

        if (!sw->deadline_ms || pid1_now_ms() < sw->deadline_ms)
                return;
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
        sw->deadline_ms = pid1_now_ms() + KILL_RECHECK_MS;
}

int pid1_sweep_timeout_ms(const struct pid1_sweep *sw)
{
        long long left;

        if (!sw->deadline_ms)
                return -1;
        left = sw->deadline_ms - pid1_now_ms();
        return left <= 0 ? 0 : left > 1000000 ? 1000000 : (int)left;
}

void pid1_sweep_start(struct pid1_sweep *sw, unsigned grace_ms, void (*done)(struct pid1_sweep *sw))
{
        int n;

        *sw = (struct pid1_sweep){ .grace_ms = grace_ms, .done = done, .active = true };
        n = pid1_signal_all(SIGTERM);
        if (n > 0) {
                /* A stopped process would hold the TERM until the grace ends. */
                pid1_signal_all(SIGCONT);
                log_debug("%d process%s left: sent SIGTERM, SIGKILL in %ums", n,
                          n == 1 ? "" : "es", grace_ms);
        }
        if (!pid1_has_children())
                return sweep_finish(sw);
        sw->deadline_ms = pid1_now_ms() + grace_ms;
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
        sw->deadline_ms = 0;
}
