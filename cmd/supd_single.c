/* cmd/supd_single.c — one command under a PID 1 of ours: `supd -- COMMAND`,
 * and tini's and dumb-init's command lines (cmd/compat_*.c), which fill the
 * same plan their own way. */
#include "cmd/supd_int.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "common/exitcode.h"
#include "common/log.h"
#include "runtime/runtime.h"

void zero_codes_add(struct zero_codes *z, unsigned code)
{
        code &= 255;
        z->bits[code / 32] |= 1u << (code % 32);
}

int zero_codes_apply(const struct zero_codes *z, int code)
{
        unsigned c = (unsigned)code & 255;

        return z->bits[c / 32] & (1u << (c % 32)) ? 0 : code;
}

static int supd_exec_failed(const char *cmd, int errnum, const char *msg)
{
        log_error("%s", msg);
        return exitcode_of_exec_errno(errnum);
}

/* Let the terminal go, so the child's new session can take it. When we led
 * our session, the kernel sent our foreground group HUP and CONT for it: they
 * are pending (blocked) and not for the child, so drop them here. */
static void detach_tty(void)
{
        sigset_t hupcont;
        struct timespec now = { 0 };

        if (ioctl(STDIN_FILENO, TIOCNOTTY) < 0) {
                log_debug("cannot detach from the controlling terminal: %m");
                return;
        }
        if (getsid(0) != getpid())
                return;
        sigemptyset(&hupcont);
        sigaddset(&hupcont, SIGHUP);
        sigaddset(&hupcont, SIGCONT);
        while (sigtimedwait(&hupcont, NULL, &now) > 0)
                ;
}

/* From here on PID 1 is the tiny init (runtime/tiny/): the same loop as
 * pid1_run_child() in a few pages instead of our image. Returns when it
 * could not be exec'd (an architecture without it, no memfd exec): then we
 * stay PID 1 ourselves. */
static void hand_over(const struct single_plan *p, pid_t child)
{
        struct pid1_plan plan = { .child = child, .opts = p->pid1, .verbosity = log_verbosity };
        struct sup_err err;

        if (p->pid1.watch_pidfd > 2)
                return;         /* suprun's watch: not the tiny init's business */

        _Static_assert(sizeof(plan.zero_codes) == sizeof(p->zero.bits), "zero codes");
        memcpy(plan.zero_codes, p->zero.bits, sizeof(plan.zero_codes));
        plan.opts.autoreap = plan.opts.autoreap && pid1_kernel_keeps_exit_status();
        for (int lvl = LOG_ERROR; lvl <= LOG_DEBUG; lvl++)
                if (log_prefix((enum log_level)lvl, plan.prefix[lvl], PID1_PREFIX_LEN) == 0)
                        plan.prefix[lvl][0] = '\0';    /* as log_msg: none rather than a part */
        rt_exec_tiny_init(&plan, program_invocation_name, p->command, &err);
        log_debug("%s: staying PID 1 ourselves", err.msg);
}

static void set_parent_death_signal(int sig)
{
        if (sig && prctl(PR_SET_PDEATHSIG, sig) < 0)
                log_warn("prctl(PR_SET_PDEATHSIG, %d): %m", sig);
}

int single_run(struct single_plan *p)
{
        struct sup_err err;
        pid_t child = 0;

        if (p->subreaper && pid1_become_reaper(&err) < 0)
                log_warn("%s: orphans of the command will not be reaped", err.msg);
        pid1_block_signals();
        /* Blocked first: the signal then waits to be forwarded like any. */
        set_parent_death_signal(p->pdeath_sig);
        if (p->detach_tty)
                detach_tty();
        if (pid1_spawn(p->command, p->group, &child, &p->pid1.tty, &err) < 0) {
                if (child <= 0)
                        return log_error("%s", err.msg), 1;
                return zero_codes_apply(&p->zero, (p->exec_failed ? p->exec_failed : supd_exec_failed)(
                                           p->command[0], err.errnum, err.msg));
        }
        /* The child has what we inherited; we keep none of it, nor the
         * directory (a busy cwd can block an unmount, catatonit #28). */
        pid1_close_inherited_fds();
        if (chdir("/") < 0)
                log_debug("chdir /: %m");
        /* Orphans are the kernel's to reap unless the plan needs each one. */
        p->pid1.autoreap = true;
        hand_over(p, child);
        return zero_codes_apply(&p->zero, pid1_run_child(child, &p->pid1));
}

int supd_single_main(const struct supd_args *a)
{
        struct single_plan p = {
                .command = a->command,
                .group = PID1_CHILD_PGRP,
                .subreaper = true,
                .pdeath_sig = a->pdeath_sig,
                .zero = a->zero,
                .pid1 = { .to_group = a->to_group, .grace_ms = a->grace_ms,
                          .leftovers = a->leftovers < 0 ? PID1_LEFTOVERS_SWEEP
                                                        : (enum pid1_leftovers)a->leftovers,
                          .stop_with_child = a->job_control },
        };

        memcpy(p.pid1.rewrite, a->rewrite, sizeof(p.pid1.rewrite));
        return single_run(&p);
}
