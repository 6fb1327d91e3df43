/* pid1/pid1.h — PID-1 duties, shared by supd's modes and the runtime.
 *
 * pid1_run_child() is the single-command loop: it forwards every catchable
 * signal to one child, reaps every zombie, and when the child exits gives
 * every remaining descendant TERM, then KILL after the grace period, and
 * returns the child's exit code (128+N for signal N). The runtime runs the
 * same code as PID 1 of a service's own PID namespace. */
#ifndef SUP_PID1_PID1_H
#define SUP_PID1_PID1_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "common/err.h"

/* What happens to the processes left when the child exits. */
enum pid1_leftovers {
        PID1_LEFTOVERS_SWEEP,           /* TERM, the grace, KILL; return once none is left */
        PID1_LEFTOVERS_LEAVE,           /* return at once, leave them be (tini) */
        PID1_LEFTOVERS_TERM,            /* forward one SIGTERM as if received, return (dumb-init) */
};

#define PID1_SIG_MAX 64                 /* highest signal number (SIGRTMAX on Linux) */
#define PID1_SIG_DROP 255               /* a rewrite to this drops the signal */

struct pid1_opts {
        bool to_group;                  /* -g: signal the child's process group */
        unsigned grace_ms;              /* -t: TERM → KILL for stragglers */
        bool tty;                       /* child was given the foreground of our tty */
        /* A pidfd of the process our child exists for (suprun: the service
         * under the reaper), or -1. When it ends, the child has
         * watch_deadline_ms to end too; a child that does not (stopped or
         * traced) is killed, and pid1_run_child() returns 1 after saying so. */
        int watch_pidfd;                /* > 2 (0..2 are stdio), else none */
        unsigned watch_deadline_ms;
        enum pid1_leftovers leftovers;
        /* A received signal N is forwarded as rewrite[N]; 0 keeps N,
         * PID1_SIG_DROP forwards nothing. The sweep's own TERM and KILL are
         * not rewritten. */
        unsigned char rewrite[PID1_SIG_MAX + 1];
        /* dumb-init's job control: TSTP, TTIN and TTOU are forwarded (else
         * TTIN and TTOU are dropped), then we stop ourselves with SIGSTOP. */
        bool stop_on_tty_signals;
        /* Job control for a child that holds the terminal: when the child
         * stops, we take the terminal back and stop too, so the shell that
         * started us sees its job stopped; on SIGCONT the child gets the
         * terminal back (if we hold it) and the CONT. */
        bool stop_with_child;
        bool warn_reaped;               /* tini -w: a warning per reaped orphan */
        /* Let the kernel reap the orphans: SIGCHLD is ignored while the
         * child runs, so an orphan is released by its own exit and never
         * wakes us; the child's end comes from its pidfd, its status from
         * the pidfd's exit information (Linux 6.15). Not taken with
         * warn_reaped or stop_with_child (they need each exit, each stop),
         * nor on an older kernel: then every zombie is waited for here. PID 1
         * of a service's PID namespace takes it too. */
        bool autoreap;
};

#define PID1_GRACE_MS_DEFAULT 5000u

/* Whether the kernel keeps a reaped process's exit status for its pidfds
 * (Linux 6.15), which opts.autoreap needs. */
bool pid1_kernel_keeps_exit_status(void);

/* Runs on no event loop, only its own signalfd (SIGCHLD included) and
 * poll(2): nothing but a signal, an exit or a deadline wakes it, in any
 * program that calls it (supd, suprun, the fallback reaper). The caller
 * must, before calling: close the fds it does not want PID 1 to keep, and
 * keep the signals of pid1_block_signals() blocked from the spawn on. */
int pid1_run_child(pid_t child, const struct pid1_opts *opts);

/* supd's single-command mode hands its child to the tiny init
 * (runtime/tiny/init.c) once the child runs, so that PID 1 holds a few pages
 * for the container's life instead of supd's image: what pid1_run_child()
 * would have been called with, and how its messages and exit code look.
 * Written whole into a pipe and read whole by the image, which is built
 * from this same header. */
#define PID1_PLAN_MAGIC 0x73757031u     /* "sup1" */
#define PID1_PLAN_ARG "--pid1-plan="    /* argv[1] of the tiny init: this and the fd */
#define PID1_PREFIX_LEN 48

struct pid1_plan {
        unsigned magic;                 /* PID1_PLAN_MAGIC */
        unsigned size;                  /* sizeof(struct pid1_plan) */
        int child;
        struct pid1_opts opts;
        unsigned zero_codes[8];         /* bit N: exit code N is reported as 0 */
        int verbosity;                  /* messages of a level <= this (common/log.h) */
        char prefix[4][PID1_PREFIX_LEN]; /* each level's line prefix (log_prefix) */
};

/* argv[0] of the reaper mode: the runtime execs its reaper under this name
 * as PID 1 of a service's PID namespace — the tiny runtime/tiny/reaper.c,
 * or where that is not built the program itself, whose constructor
 * (pid1/reaper.c) runs pid1_run_child() before main(). */
extern const char pid1_reaper_name[];
#define PID1_REAPER_NAME "sup-reaper"   /* the same, for runtime/tiny/reaper.c */
/* argv[0] of the relay mode: { "sup-relay", CHILD_PID }: wait for that
 * child (a health check in a service's PID namespace) and exit with its
 * code, holding nothing of the program that exec'd it. */
extern const char pid1_relay_name[];
#define PID1_RELAY_NAME "sup-relay"

/* Send sig to every process we are responsible for except ourselves: all of
 * the PID namespace when we are its init, else our (sub-reaped) children.
 * Returns how many were signalled. */
int pid1_signal_all(int sig);

/* True while we still have a child (running or zombie). */
bool pid1_has_children(void);

/* Become the reaper of orphans when not PID 1 (PR_SET_CHILD_SUBREAPER). */
int pid1_become_reaper(struct sup_err *err);

/* Block every signal supd forwards or handles (and SIGCHLD), so that none
 * acts or is lost between startup and the loop reading it. Call before the
 * child is spawned; the child gets sigconf_inherited back. */
void pid1_block_signals(void);

/* The set pid1_block_signals() blocks: 1..31 except KILL and STOP, and
 * SIGRTMIN..SIGRTMAX. */
void pid1_signal_set(sigset_t *set);

/* A SIGPIPE that supd raised against itself: one of its own writes (to its
 * stderr, a console or a log reader that went away) hit a pipe with no
 * reader. It is supd's business, not a signal to forward; a SIGPIPE sent
 * from outside is forwarded like any other. True for those; both signal
 * loops, single-command and config mode, ask. */
struct signalfd_siginfo;
bool pid1_signal_is_own(const struct signalfd_siginfo *si);

/* Where the single command lives, for signals and the terminal. */
enum pid1_child_group {
        /* Its own process group, given the terminal's foreground when supd
         * holds it (supd, tini). */
        PID1_CHILD_PGRP,
        /* Its own session (setsid), which takes stdin as its controlling
         * terminal when no other session holds it (dumb-init). */
        PID1_CHILD_SESSION,
        /* Ours: the terminal's ^C reaches it directly too (dumb-init -c). */
        PID1_CHILD_SAME,
};

/* Single-command spawn: fork; in the child take the group (above); fix
 * LISTEN_PID; restore sigconf_inherited; execvp. On success *pid and
 * *got_tty (the child was given the terminal's foreground) are set. On exec
 * failure the child is reaped, *pid is its (former) pid, err says "exec CMD:
 * why" with errnum = the exec errno, and -1 is returned; when fork itself
 * failed *pid is 0. */
int pid1_spawn(char *const argv[], enum pid1_child_group group, pid_t *pid, bool *got_tty,
               struct sup_err *err);

/* After the child got them: close every inherited fd >= 3 that is not
 * close-on-exec (supd's own all are), so supd pins no socket or pipe. */
void pid1_close_inherited_fds(void);

#endif
