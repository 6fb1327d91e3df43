/* init/init.h — PID-1 duties, shared by supd's modes and the runtime.
 *
 * init_run_child() is the single-command loop: it forwards every catchable
 * signal to one child, reaps every zombie, and when the child exits gives
 * every remaining descendant TERM, then KILL after the grace period, and
 * returns the child's exit code (128+N for signal N). The runtime runs the
 * same code as PID 1 of a service's own PID namespace. */
#ifndef SUP_INIT_INIT_H
#define SUP_INIT_INIT_H

#include <stdbool.h>
#include <sys/types.h>

struct init_opts {
        bool to_group;                  /* -g: signal the child's process group */
        unsigned grace_ms;              /* -t: TERM → KILL for stragglers */
        bool tty;                       /* child was given the foreground of our tty */
};

/* Usable in a freshly forked/cloned child too: it resets any loop state
 * inherited from the parent before it builds its own. */
int init_run_child(pid_t child, const struct init_opts *opts);

/* Exit status → shell exit code: the code, or 128+N for signal N. */
int init_exit_code(int wait_status);

/* Send sig to every process we are responsible for except ourselves: all of
 * the PID namespace when we are its init, else our (sub-reaped) children.
 * Returns how many were signalled. */
int init_signal_all(int sig);

#endif
