/* common/exitcode.c — wait statuses and exec errors as shell exit codes. */
#include "pid1/pid1.h"

#include <errno.h>
#include <sys/wait.h>

int init_exit_code(int wait_status)
{
        if (WIFEXITED(wait_status))
                return WEXITSTATUS(wait_status);
        if (WIFSIGNALED(wait_status))
                return 128 + WTERMSIG(wait_status);
        return 1;       /* stopped/continued are never final; be safe */
}

int init_exec_exit_code(int errnum)
{
        /* bash: 127 "command not found", 126 "cannot execute". */
        return errnum == ENOENT || errnum == ENOTDIR ? 127 : 126;
}
