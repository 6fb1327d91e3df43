/* pid1/sweep.h — the end of a run: TERM everyone left, KILL after a grace.
 *
 * Started once the main child (single-command) or the supervisor (config
 * mode) is done. The owner calls pid1_sweep_reaped() after each batch of reaped
 * pids and pid1_sweep_signal() for a signal that reaches supd meanwhile; the
 * sweep calls done() once no process is left (or KILL could not end them).
 * It keeps no timer of its own: the owner sleeps at most
 * pid1_sweep_timeout_ms() and then calls pid1_sweep_tick(), so the same code
 * serves a plain poll(2) loop and an event loop. */
#ifndef SUP_PID1_SWEEP_H
#define SUP_PID1_SWEEP_H

#include <stdbool.h>

struct pid1_sweep {
        long long deadline_ms;          /* CLOCK_MONOTONIC; 0 = nothing to wait for */
        unsigned grace_ms;
        unsigned kill_rounds;
        bool killing;
        bool active;
        bool finished;
        void (*done)(struct pid1_sweep *sw);
};

void pid1_sweep_start(struct pid1_sweep *sw, unsigned grace_ms, void (*done)(struct pid1_sweep *sw));
void pid1_sweep_reaped(struct pid1_sweep *sw);
void pid1_sweep_signal(struct pid1_sweep *sw, int sig);
/* Milliseconds until the sweep wants pid1_sweep_tick(), or -1: never. */
int pid1_sweep_timeout_ms(const struct pid1_sweep *sw);
/* Call when pid1_sweep_timeout_ms() has passed; early calls do nothing. */
void pid1_sweep_tick(struct pid1_sweep *sw);
void pid1_sweep_stop(struct pid1_sweep *sw);

/* CLOCK_MONOTONIC in milliseconds. */
long long pid1_now_ms(void);

#endif
