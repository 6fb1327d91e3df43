#include "common/sigconf.h"

#include <string.h>

struct sigconf sigconf_inherited;

void sigconf_capture(struct sigconf *out)
{
        struct sigaction sa;

        sigemptyset(&out->mask);
        sigemptyset(&out->ignored);
        sigprocmask(SIG_SETMASK, NULL, &out->mask);
        for (int sig = 1; sig < NSIG; sig++) {
                if (sig == SIGKILL || sig == SIGSTOP)
                        continue;
                if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
                        sigaddset(&out->ignored, sig);
        }
}

int sigconf_restore(const struct sigconf *conf)
{
        struct sigaction sa;

        memset(&sa, 0, sizeof(sa));
        sigemptyset(&sa.sa_mask);
        for (int sig = 1; sig < NSIG; sig++) {
                if (sig == SIGKILL || sig == SIGSTOP)
                        continue;
                sa.sa_handler = sigismember(&conf->ignored, sig) ? SIG_IGN : SIG_DFL;
                sigaction(sig, &sa, NULL);      /* EINVAL for glibc-reserved RT signals */
        }
        return sigprocmask(SIG_SETMASK, &conf->mask, NULL);
}
