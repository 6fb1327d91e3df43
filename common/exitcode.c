/* common/exitcode.c — wait statuses and exec errors as shell exit codes. */
#include "common/exitcode.h"

#include <errno.h>
#include <sys/wait.h>

int exitcode_of_status(int wait_status)
{
        if (WIFEXITED(wait_status))
                return WEXITSTATUS(wait_status);
        if (WIFSIGNALED(wait_status))
                return 128 + WTERMSIG(wait_status);
        return 1;       /* stopped/continued are never final; be safe */
}

int exitcode_of_exec_errno(int errnum)
{
        /* bash: 127 "command not found" (a missing directory on the way
         * too), 126 "cannot execute". */
        return errnum == ENOENT || errnum == ENOTDIR ? 127 : 126;
}
