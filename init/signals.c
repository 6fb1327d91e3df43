/* init/signals.c — which signals PID 1 takes over, and blocking them early. */
#include "init/init.h"

#include <signal.h>

void init_signal_set(sigset_t *set)
{
        sigemptyset(set);
        for (int sig = 1; sig < 32; sig++)
                if (sig != SIGKILL && sig != SIGSTOP)
                        sigaddset(set, sig);
        /* 32 and 33 belong to glibc (thread cancellation, setxid). */
        for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
                sigaddset(set, sig);
}

void init_block_signals(void)
{
        sigset_t set;

        /* Blocked signals still reach a namespace's init even with SIG_DFL,
         * and wait in the pending set until the signalfd reads them. */
        init_signal_set(&set);
        sigprocmask(SIG_BLOCK, &set, NULL);
}
