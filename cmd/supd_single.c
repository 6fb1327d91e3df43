/* cmd/supd_single.c — `supd -- COMMAND`: spawn, then be its PID 1. */
#include "cmd/supd_int.h"

#include <unistd.h>

#include "common/exitcode.h"
#include "common/log.h"
#include "pid1/pid1.h"

int supd_single_main(const struct supd_args *a)
{
        struct pid1_opts opts = { .to_group = a->to_group, .grace_ms = a->grace_ms };
        struct sup_err err;
        pid_t child = 0;

        if (pid1_become_reaper(&err) < 0)
                log_warn("%s: orphans of the command will not be reaped", err.msg);
        pid1_block_signals();
        if (pid1_spawn(a->command, true, &child, &opts.tty, &err) < 0) {
                log_error("%s", err.msg);
                return child > 0 ? exitcode_of_exec_errno(err.errnum) : 1;
        }
        /* The child has what we inherited; we keep none of it, nor the
         * directory (a busy cwd can block an unmount, catatonit #28). */
        pid1_close_inherited_fds();
        if (chdir("/") < 0)
                log_debug("chdir /: %m");
        return pid1_run_child(child, &opts);
}
