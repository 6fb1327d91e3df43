/* pid1/signals.c — which signals PID 1 takes over, blocking them early,
 * and which of those read back are supd's own. */
#include "pid1/pid1.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

void pid1_signal_set(sigset_t *set)
{
        sigemptyset(set);
        for (int sig = 1; sig < 32; sig++)
                if (sig != SIGKILL && sig != SIGSTOP)
                        sigaddset(set, sig);
        /* 32 and 33 belong to glibc (thread cancellation, setxid). */
        for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
                sigaddset(set, sig);
}

void pid1_block_signals(void)
{
        sigset_t set;

        /* Blocked signals still reach a namespace's init even with SIG_DFL,
         * and wait in the pending set until the signalfd reads them. */
        pid1_signal_set(&set);
        sigprocmask(SIG_BLOCK, &set, NULL);
}

bool pid1_signal_is_own(const struct signalfd_siginfo *si)
{
        /* The kernel's SIGPIPE for our own write comes from our pid as
         * SI_USER; a raise() would be SI_TKILL. getpid() is the pid the
         * sender was given in our namespace (1 as a namespace's init). */
        if (si->ssi_signo != SIGPIPE || (pid_t)si->ssi_pid != getpid())
                return false;
        /* Not logged: the message would most likely go to the very pipe
         * that raised it, and raise another SIGPIPE, for ever. */
        return si->ssi_code == SI_USER || si->ssi_code == SI_TKILL;
}
