/* cmd/supd_single.c — `supd -- COMMAND`: spawn, then be its PID 1. */
#include "cmd/supd.h"

#include <unistd.h>

#include "common/log.h"
#include "pid1/pid1.h"

int single_main(const struct supd_args *a)
{
        struct init_opts opts = { .to_group = a->to_group, .grace_ms = a->grace_ms };
        struct sup_err err;
        pid_t child = 0;

        if (init_become_reaper(&err) < 0)
                log_warn("%s: orphans of the command will not be reaped", err.msg);
        init_block_signals();
        if (init_spawn(a->command, true, &child, &opts.tty, &err) < 0) {
                log_error("%s", err.msg);
                return child > 0 ? init_exec_exit_code(err.errnum) : 1;
        }
        /* The child has what we inherited; we keep none of it, nor the
         * directory (a busy cwd can block an unmount, catatonit #28). */
        init_close_inherited_fds();
        if (chdir("/") < 0)
                log_debug("chdir /: %m");
        return init_run_child(child, &opts);
}
