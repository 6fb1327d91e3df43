/* runtime/tiny/reaper.c — PID 1 of a service's PID namespace, as a program
 * of its own: no libc, no dynamic loader, a few pages.
 *
 * runtime/reaper.c embeds it (runtime/tiny/image.S), copies it into a
 * sealed memfd at rt_init and execs it from there as PID 1 of each
 * service's PID namespace: argv = { "sup-reaper", SERVICE_PID, GATE_FD },
 * or for a health check's relay { "sup-relay", CHECK_PID }. It does what
 * pid1_run_child (pid1/run.c) does for the runtime: forward every signal to
 * the service, reap every zombie, and once the service is gone TERM what is
 * left, KILL it after the grace, and exit with the service's code. Being
 * small is the point: the exec of supd's own program cost a glibc and
 * ld.so start-up per sandboxed spawn; this one runs from its first
 * instruction and reads nothing from the filesystem.
 *
 * Every signal arrives blocked (the runtime blocked them all before the
 * clone, and the mask survives the exec): none is lost before the signalfd
 * reads it. */
#include "runtime/tiny/sys.h"
#include "pid1/pid1.h"

#define PR_SET_DUMPABLE 4
#define PR_SET_NAME     15
#define WNOHANG         1
#define WALL            0x40000000      /* __WALL: clone children too */
#define SFD_CLOEXEC     02000000
#define POLLIN          1
#define CLOCK_MONOTONIC 1
#define EINTR           4
#define PPOLL_TIMED_OUT 0               /* ppoll: nothing ready before the timeout */

/* Signal numbers are the same on x86_64 and aarch64 (asm-generic). */
#define SIG_KILL 9
#define SIG_TERM 15
#define SIG_CHLD 17
#define SIG_CONT 18
#define SIG_STOP 19
#define SIG_TTIN 21
#define SIG_TTOU 22
#define SIG_MAX  64

#define KILL_RECHECK_MS 1000            /* as pid1/sweep.c: re-KILL late forks */
#define KILL_ROUNDS_MAX 10              /* then give up: stuck in D state */

struct ts {
        long sec, nsec;
};

/* struct signalfd_siginfo's first field, in its 128 bytes. */
struct siginfo_rec {
        unsigned int signo;
        unsigned char rest[124];
};

static __attribute__((noreturn)) void leave(int code)
{
        for (;;)
                sys1(NR_exit_group, code);
}

static int streq(const char *a, const char *b)
{
        while (*a && *a == *b)
                a++, b++;
        return *a == *b;
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

static int exitcode_of(int status)
{
        if ((status & 0x7f) == 0)
                return (status >> 8) & 0xff;            /* exited */
        if ((status & 0x7f) != 0x7f)
                return 128 + (status & 0x7f);           /* killed by a signal */
        return 1;
}

static void say(const char *msg)
{
        long n = 0;

        while (msg[n])
                n++;
        sys3(NR_write, 2, msg, n);
}

static long now_ms(void)
{
        struct ts t;

        sys2(NR_clock_gettime, CLOCK_MONOTONIC, &t);
        return t.sec * 1000 + t.nsec / 1000000;
}

struct reaper {
        long child;
        int child_alive;
        int status;
        int sfd;
};

/* Reap every zombie there is; -1 once no child at all is left. */
static int reap_all(struct reaper *r)
{
        int st;
        long pid;

        while ((pid = sys4(NR_wait4, -1, &st, WNOHANG | WALL, 0)) > 0) {
                if (pid == r->child && r->child_alive) {
                        r->child_alive = 0;
                        r->status = st;
                }
        }
        return pid < 0 ? -1 : 0;
}

/* One signal, or 0 when none came within timeout_ms (-1: wait for ever). */
static int next_signal(struct reaper *r, long timeout_ms)
{
        struct siginfo_rec si;
        struct ts t = { timeout_ms / 1000, (timeout_ms % 1000) * 1000000 };
        struct { int fd; short events, revents; } p = { r->sfd, POLLIN, 0 };
        long n;

        if (timeout_ms >= 0) {
                n = sys4(NR_ppoll, &p, 1, &t, 0);
                if (n == -EINTR || n == PPOLL_TIMED_OUT)
                        return 0;
        }
        n = sys3(NR_read, r->sfd, &si, sizeof(si));
        return n == (long)sizeof(si) ? (int)si.signo : 0;
}

/* As pid1/run.c with its default options: background tty reads and
 * writes stop the reader, neither PID 1 nor the service. */
static int dropped(int sig)
{
        return sig == SIG_CHLD || sig == SIG_TTIN || sig == SIG_TTOU;
}

/* While the service runs: each signal to it, each zombie reaped. */
static void serve(struct reaper *r)
{
        int sig;

        reap_all(r);            /* a SIGCHLD from before the signalfd: look */
        while (r->child_alive) {
                sig = next_signal(r, -1);
                if (sig == SIG_CHLD)
                        reap_all(r);
                else if (sig > 0 && !dropped(sig))
                        sys2(NR_kill, r->child, sig);
        }
}

/* The service is gone: TERM to everyone left (as init, kill(-1) reaches
 * the whole namespace but us), CONT so a stopped one hears it, KILL after
 * the grace and again each second until nothing is left. A signal that
 * reaches us meanwhile goes to them all, as pid1/sweep.c does. */
static void sweep(struct reaper *r)
{
        long deadline = now_ms() + PID1_GRACE_MS_DEFAULT;
        int rounds = 0, sig;

        if (reap_all(r) < 0)
                return;
        sys2(NR_kill, -1, SIG_TERM);
        sys2(NR_kill, -1, SIG_CONT);
        while (reap_all(r) == 0) {
                long left = deadline - now_ms();

                if (left <= 0) {
                        if (rounds == 0)
                                say("sup-reaper: processes still running after "
                                    "SIGTERM: sent SIGKILL\n");
                        if (++rounds > KILL_ROUNDS_MAX) {
                                say("sup-reaper: processes survive SIGKILL; exiting anyway\n");
                                return;
                        }
                        sys2(NR_kill, -1, SIG_KILL);
                        deadline = now_ms() + KILL_RECHECK_MS;
                        continue;
                }
                sig = next_signal(r, left);
                if (sig > 0 && !dropped(sig))
                        sys2(NR_kill, -1, sig);
        }
}

static __attribute__((noreturn)) void reaper_mode(const char *pid, const char *gate)
{
        unsigned long mask = 0;
        struct reaper r = { .child = parse_num(pid), .child_alive = 1, .status = 1 << 8 };
        long gate_fd = parse_num(gate);

        /* Only the runtime starts us, as PID 1 with the service as our child. */
        if (r.child <= 0 || gate_fd < 3 || sys0(NR_getpid) != 1)
                leave(127);
        /* Non-dumpable and with our real uid back: the service's process,
         * waiting on this gate when the exec could not make us
         * non-dumpable, may go on. */
        sys1(NR_close, gate_fd);
        sys3(NR_close_range, 3, ~0U, 0);
        for (int sig = 1; sig <= SIG_MAX; sig++)
                if (sig != SIG_KILL && sig != SIG_STOP)
                        mask |= 1UL << (sig - 1);
        sys4(NR_rt_sigprocmask, 0 /* SIG_BLOCK */, &mask, 0, sizeof(mask));
        r.sfd = (int)sys4(NR_signalfd4, -1, &mask, sizeof(mask), SFD_CLOEXEC);
        if (r.sfd < 0) {
                say("sup-reaper: signalfd failed\n");
                leave(1);
        }
        serve(&r);
        sweep(&r);
        leave(exitcode_of(r.status));
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

/* Called by _start with the initial stack: argc, then argv. */
__attribute__((noreturn, used)) void tiny_main(long *sp)
{
        long argc = sp[0];
        char **argv = (char **)(sp + 1);

        /* Non-dumpable first thing (a process of the same uid must not read
         * our memory nor ptrace us); the runtime exec'd us with another
         * real uid to make the exec itself so (runtime/reaper.c): back. */
        sys2(NR_prctl, PR_SET_DUMPABLE, 0);
        if (sys0(NR_getuid) != sys0(NR_geteuid))
                sys4(NR_setresuid, sys0(NR_geteuid), -1, -1, 0);
        /* Named by our mode, not by the memfd we were exec'd from
         * ("memfd:sup-reaper"): ps shows what PID 1 is. */
        if (argc >= 1)
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
