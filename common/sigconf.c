#include "common/sigconf.h"

#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct sigconf sigconf_inherited;

/* The kernel's own rt_sigaction: glibc refuses signals 32 and 33 (its
 * internal ones), but a caller may have left them ignored, and that must be
 * seen and restored like any other signal. Only SIG_IGN/SIG_DFL are set, so
 * no restorer is needed. */
struct ksigaction {
        void (*handler)(int);
        unsigned long flags;
        void (*restorer)(void);
        uint64_t mask;
};

static int k_sigaction(int sig, const struct ksigaction *act, struct ksigaction *old)
{
        return (int)syscall(SYS_rt_sigaction, sig, act, old, sizeof(uint64_t));
}

void sigconf_capture(struct sigconf *out)
{
        struct ksigaction old;

        sigemptyset(&out->mask);
        sigemptyset(&out->ignored);
        sigprocmask(SIG_SETMASK, NULL, &out->mask);
        for (int sig = 1; sig < NSIG; sig++) {
                if (sig == SIGKILL || sig == SIGSTOP)
                        continue;
                if (k_sigaction(sig, NULL, &old) == 0 && old.handler == SIG_IGN)
                        sigaddset(&out->ignored, sig);
        }
}

int sigconf_restore(const struct sigconf *conf)
{
        struct ksigaction act;

        memset(&act, 0, sizeof(act));
        for (int sig = 1; sig < NSIG; sig++) {
                if (sig == SIGKILL || sig == SIGSTOP)
                        continue;
                act.handler = sigismember(&conf->ignored, sig) ? SIG_IGN : SIG_DFL;
                k_sigaction(sig, &act, NULL);
        }
        return sigprocmask(SIG_SETMASK, &conf->mask, NULL);
}
