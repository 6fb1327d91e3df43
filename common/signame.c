/* common/signame.c — see signame.h. */
#include "common/signame.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

const char *sig_name(int sig, char buf[SIG_NAME_LEN])
{
        const char *abbrev = sig > 0 && sig < SIGRTMIN ? sigabbrev_np(sig) : NULL;

        if (abbrev)
                snprintf(buf, SIG_NAME_LEN, "SIG%s", abbrev);
        else if (sig >= SIGRTMIN && sig <= SIGRTMAX)
                snprintf(buf, SIG_NAME_LEN, "SIGRTMIN+%d", sig - SIGRTMIN);
        else
                snprintf(buf, SIG_NAME_LEN, "signal %d", sig);
        return buf;
}
