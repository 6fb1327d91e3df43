/* common/sigconf.h — the signal mask and ignored set supd inherited.
 *
 * Captured once at the very start of main(), before libev or anything else
 * touches signals, and restored in every child before execve (tini's rule:
 * `nohup supd -- cmd` must leave cmd ignoring SIGHUP). */
#ifndef SUP_COMMON_SIGCONF_H
#define SUP_COMMON_SIGCONF_H

#include <signal.h>

struct sigconf {
        sigset_t mask;          /* blocked signals at startup */
        sigset_t ignored;       /* signals whose disposition was SIG_IGN */
};

void sigconf_capture(struct sigconf *out);

/* Async-signal-safe: reset every handler to SIG_DFL except the inherited
 * ignores, then restore the mask. For use in a child after fork/clone. */
int sigconf_restore(const struct sigconf *conf);

/* The configuration captured by the running program (set by main). */
extern struct sigconf sigconf_inherited;

#endif
