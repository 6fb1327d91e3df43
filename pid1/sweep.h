/* pid1/sweep.h — the end of a run: TERM everyone left, KILL after a grace.
 *
 * Started once the main child (single-command) or the supervisor (config
 * mode) is done. The owner calls pid1_sweep_reaped() after each batch of reaped
 * pids and pid1_sweep_signal() for a signal that reaches supd meanwhile; the
 * sweep calls done() once no process is left (or KILL could not end them).
 * Its one timer exists only while stragglers do. */
#ifndef SUP_PID1_SWEEP_H
#define SUP_PID1_SWEEP_H

#include <stdbool.h>

#include <ev.h>

struct pid1_sweep {
        struct ev_loop *loop;
        ev_timer timer;
        unsigned grace_ms;
        unsigned kill_rounds;
        bool killing;
        bool active;
        bool finished;
        void (*done)(struct pid1_sweep *sw);
};

void pid1_sweep_start(struct pid1_sweep *sw, struct ev_loop *loop, unsigned grace_ms,
                 void (*done)(struct pid1_sweep *sw));
void pid1_sweep_reaped(struct pid1_sweep *sw);
void pid1_sweep_signal(struct pid1_sweep *sw, int sig);
void pid1_sweep_stop(struct pid1_sweep *sw);

#endif
