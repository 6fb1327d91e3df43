/* runtime/tiny/reaper.c — the tiny init's entry and its three modes.
 *
 * The tiny init (runtime/tiny/tiny.h) is exec'd from a sealed memfd of its
 * bytes, embedded in ours (runtime/tiny/image.S), by:
 * - the runtime (runtime/reaper.c), as PID 1 of each service's PID
 *   namespace: argv = { "sup-reaper", SERVICE_PID, GATE_FD }; or for a
 *   health check's relay { "sup-relay", CHECK_PID };
 * - supd in single-command mode once the command runs
 *   (runtime/tiny_exec.c): argv = { supd's argv[0], "--pid1-plan=FD", "--",
 *   COMMAND... }, the struct pid1_plan readable on FD.
 * Being small is the point: the exec of supd's own program cost a glibc and
 * ld.so start-up per sandboxed spawn, and supd's image holds ~130 kB for
 * a container's life; this runs from its first instruction, reads nothing
 * from the filesystem before its loop, and holds a few pages.
 *
 * Every signal arrives blocked (the mask survives the exec): none is lost
 * before the signalfd reads it. */
#include "runtime/tiny/tiny.h"

#define PR_SET_DUMPABLE 4
#define PR_SET_NAME     15

static int streq(const char *a, const char *b)
{
        while (*a && *a == *b)
                a++, b++;
        return *a == *b;
}

static const char *after_prefix(const char *s, const char *prefix)
{
        while (*prefix && *s == *prefix)
                s++, prefix++;
        return *prefix ? 0 : s;
}

/* A pid or an fd number; -1 when it is none. */
static long parse_num(const char *s)
{
        long v = 0;

        if (!s || !*s)
                return -1;
        for (; *s; s++) {
                if (*s < '0' || *s > '9' || v > 0x3fffffff / 10)
                        return -1;
                v = v * 10 + (*s - '0');
        }
        return v;
}

/* The kernel keeps a reaped process's exit status for its pidfds from
 * 6.15 on (as pid1/run.c asks). */
static int kernel_keeps_exit_status(void)
{
        char u[6 * 65];
        const char *r = u + 2 * 65;     /* release */
        long major = 0, minor = 0;

        if (sys1(NR_uname, u) < 0)
                return 0;
        while (*r >= '0' && *r <= '9')
                major = major * 10 + (*r++ - '0');
        if (*r++ != '.')
                return 0;
        while (*r >= '0' && *r <= '9')
                minor = minor * 10 + (*r++ - '0');
        return major > 6 || (major == 6 && minor >= 15);
}

static __attribute__((noreturn)) void reaper_mode(const char *pid, const char *gate)
{
        struct pid1_plan plan = {
                .opts = { .grace_ms = PID1_GRACE_MS_DEFAULT },
                .verbosity = LOG_WARN,
                .prefix = { "sup-reaper: error: ", "sup-reaper: warning: " },
        };
        long gate_fd = parse_num(gate);

        plan.child = (int)parse_num(pid);
        tiny_no_files = 1;
        /* Only the runtime starts us, as PID 1 with the service as our child. */
        if (plan.child <= 0 || gate_fd < 3 || sys0(NR_getpid) != 1)
                leave(127);
        /* Non-dumpable and with our real uid back: the service's process,
         * waiting on this gate when the exec could not make us
         * non-dumpable, may go on. */
        sys1(NR_close, gate_fd);
        sys3(NR_close_range, 3, ~0U, 0);
        /* The service's orphans are the kernel's to reap, as in supd --. */
        plan.opts.autoreap = kernel_keeps_exit_status();
        say_setup(plan.verbosity, plan.prefix);
        leave(init_run(&plan));
}

/* supd's single-command mode: its plan on fd, read whole. */
static __attribute__((noreturn)) void single_mode(const char *fd_arg)
{
        struct pid1_plan plan;
        long fd = parse_num(fd_arg);
        long n = fd < 3 ? -1 : sys3(NR_read, fd, &plan, sizeof(plan));

        if (fd >= 3)
                sys1(NR_close, fd);
        sys3(NR_close_range, 3, ~0U, 0);
        /* Both sides are built from pid1/pid1.h: only a program that is not
         * supd's own could get here. */
        if (n != (long)sizeof(plan) || plan.magic != PID1_PLAN_MAGIC || plan.size != sizeof(plan) ||
            plan.child <= 0) {
                say(LOG_ERROR, "supd: error: no plan for the init on fd %s", fd_arg);
                leave(127);
        }
        say_setup(plan.verbosity, plan.prefix);
        leave(init_run(&plan));
}

/* A health check's relay (runtime/join.c): the check is our child already;
 * wait for it with every signal still blocked, as before the exec. */
static __attribute__((noreturn)) void relay_mode(const char *pid)
{
        long child = parse_num(pid), n;
        int st = 0;

        if (child <= 0)
                leave(127);
        sys3(NR_close_range, 3, ~0U, 0);
        while ((n = sys4(NR_wait4, child, &st, WALL, 0)) == -EINTR)
                ;
        leave(n == child ? exitcode_of(st) : 127);
}

static const char *base_name(const char *path)
{
        const char *b = path;

        for (; *path; path++)
                if (*path == '/')
                        b = path + 1;
        return b;
}

/* Called by _start with the initial stack: argc, then argv. */
__attribute__((noreturn, used)) void tiny_main(long *sp)
{
        long argc = sp[0];
        char **argv = (char **)(sp + 1);
        const char *plan_fd = argc >= 2 ? after_prefix(argv[1], PID1_PLAN_ARG) : 0;

        if (argc < 1)
                leave(127);
        /* Named by supd's argv[0] or by our mode, not by the memfd we were
         * exec'd from: ps shows what PID 1 is. */
        if (plan_fd) {
                sys2(NR_prctl, PR_SET_NAME, base_name(argv[0]));
                single_mode(plan_fd);
        }
        /* Non-dumpable first thing (a process of the same uid must not read
         * our memory nor ptrace us); the runtime exec'd us with another real
         * uid to make the exec itself so (runtime/reaper.c): back. */
        sys2(NR_prctl, PR_SET_DUMPABLE, 0);
        if (sys0(NR_getuid) != sys0(NR_geteuid))
                sys4(NR_setresuid, sys0(NR_geteuid), -1, -1, 0);
        sys2(NR_prctl, PR_SET_NAME, argv[0]);
        if (argc == 3 && streq(argv[0], PID1_REAPER_NAME))
                reaper_mode(argv[1], argv[2]);
        if (argc == 2 && streq(argv[0], PID1_RELAY_NAME))
                relay_mode(argv[1]);
        leave(127);
}

#if defined(__x86_64__)
__asm__(".text\n.global _start\n_start:\n"
        "\txor %ebp, %ebp\n"
        "\tmov %rsp, %rdi\n"
        "\tand $-16, %rsp\n"
        "\tcall tiny_main\n"
        "\thlt\n");
#elif defined(__aarch64__)
__asm__(".text\n.global _start\n_start:\n"
        "\tmov x29, #0\n"
        "\tmov x30, #0\n"
        "\tmov x0, sp\n"
        "\tbl tiny_main\n"
        "\tbrk #0\n");
#endif
