/* runtime/tiny/init.c — PID 1 for one child without libc: pid1/run.c's
 * pid1_run_child() for a struct pid1_plan, the same rules in the same
 * order (forward, reap, sweep, the child's code), so that what runs for a
 * container's life is a few pages.
 *
 * With plan->opts.autoreap the kernel reaps the orphans (SIGCHLD ignored)
 * and the child's end and status come from its pidfd (PIDFD_INFO_EXIT);
 * otherwise a blocking read of the signalfd, then wait4 until nothing is
 * left. The sweep's deadline is ppoll's timeout: nothing else wakes us. */
#include "runtime/tiny/tiny.h"

#include <linux/ioctl.h>

#define SFD_CLOEXEC     02000000
#define POLLIN          1
#define POLLERR         8
#define POLLHUP         16
#define POLLNVAL        32
#define TIOCGPGRP       0x540F
#define TIOCSPGRP       0x5410
#define SIG_DFL_HANDLER 0L
#define SIG_IGN_HANDLER 1L

#define KILL_RECHECK_MS 1000            /* as pid1/sweep.c: re-KILL late forks */
#define KILL_ROUNDS_MAX 10              /* then give up: stuck in D state */

/* struct signalfd_siginfo's first fields, in its 128 bytes. */
struct siginfo_rec {
        unsigned signo;
        int errnum, code;
        unsigned pid;
        unsigned char rest[112];
};

/* What PIDFD_GET_INFO fills (as pid1/run.c declares it). */
struct pidfd_exit_info {
        unsigned long long mask, cgroupid;
        unsigned ids[11];
        int exit_code;
};
#define PIDFD_GET_INFO_CMD _IOWR(0xFF, 11, struct pidfd_exit_info)
#define PIDFD_INFO_EXIT_BIT (1ULL << 3)

struct sweep {
        long deadline;                  /* now_ms(); 0 = none */
        unsigned kill_rounds;
        int killing, active, finished;
};

struct init {
        const struct pid1_opts *o;
        int child;
        int child_alive, done, code;
        int sfd, child_pidfd;
        struct sweep sweep;
};

int exitcode_of(int status)
{
        if ((status & 0x7f) == 0)
                return (status >> 8) & 0xff;            /* exited */
        if ((status & 0x7f) != 0x7f)
                return 128 + (status & 0x7f);           /* killed by a signal */
        return 1;
}

static void sigchld_set(long handler)
{
        struct { long handler; unsigned long flags; long restorer; unsigned long mask; } sa = { handler, 0, 0, 0 };
        long r = sys4(NR_rt_sigaction, SIGCHLD, &sa, 0, 8);
        char e[24];

        if (r < 0)
                say(LOG_ERROR, "sigaction(SIGCHLD): %s", say_errno(r, e));
}

static int pgrp_of(int pid)
{
        return (int)sys1(NR_getpgid, pid);
}

static int tty_pgrp(void)
{
        int pgrp = -1;

        return sys3(NR_ioctl, 0, TIOCGPGRP, &pgrp) < 0 ? -1 : pgrp;
}

static void tty_give(int pgrp)
{
        sys3(NR_ioctl, 0, TIOCSPGRP, &pgrp);
}

/* --- the sweep: TERM, the grace, KILL (pid1/sweep.c) ------------------- */

static void sweep_finish(struct init *in)
{
        if (in->sweep.finished)
                return;
        in->sweep.finished = 1;
        in->sweep.deadline = 0;
        in->done = 1;
}

static void sweep_start(struct init *in)
{
        int n;

        in->sweep = (struct sweep){ .active = 1 };
        n = walk_signal_all(SIGTERM);
        if (n > 0) {
                /* A stopped process would hold the TERM until the grace ends. */
                walk_signal_all(SIGCONT);
                say(LOG_DEBUG, "%d process%s left: sent SIGTERM, SIGKILL in %ums", n,
                    n == 1 ? "" : "es", in->o->grace_ms);
        }
        if (!walk_has_children())
                return sweep_finish(in);
        in->sweep.deadline = now_ms() + in->o->grace_ms;
}

static void sweep_tick(struct init *in)
{
        struct sweep *sw = &in->sweep;
        int n;

        if (!sw->deadline || now_ms() < sw->deadline)
                return;
        if (!walk_has_children())
                return sweep_finish(in);
        if (!sw->killing) {
                sw->killing = 1;
                n = walk_signal_all(SIGKILL);
                say(LOG_WARN, "%d process%s still running %ums after SIGTERM: sent SIGKILL",
                    n, n == 1 ? "" : "es", in->o->grace_ms);
        } else if (++sw->kill_rounds >= KILL_ROUNDS_MAX) {
                say(LOG_ERROR, "processes survive SIGKILL (uninterruptible sleep?); exiting anyway");
                return sweep_finish(in);
        } else {
                walk_signal_all(SIGKILL);
        }
        sw->deadline = now_ms() + KILL_RECHECK_MS;
}

static int sweep_timeout_ms(const struct init *in)
{
        long left;

        if (!in->sweep.deadline)
                return -1;
        left = in->sweep.deadline - now_ms();
        return left <= 0 ? 0 : left > 1000000 ? 1000000 : (int)left;
}

/* --- the child ---------------------------------------------------------- */

/* A received signal, rewritten (or dropped), to the child or its group. */
static void forward(struct init *in, int sig)
{
        int group = in->o->to_group || (sig == SIGCONT && in->o->stop_with_child);
        int to = sig <= PID1_SIG_MAX && in->o->rewrite[sig] ? in->o->rewrite[sig] : sig;
        char sn[24], tn[24], e[24];
        long r;

        if (to == PID1_SIG_DROP) {
                say(LOG_DEBUG, "%s dropped (rewritten to nothing)", say_signal(sig, sn));
                return;
        }
        if (to != sig)
                say(LOG_DEBUG, "%s rewritten to %s", say_signal(sig, sn), say_signal(to, tn));
        r = sys2(NR_kill, group ? -in->child : in->child, to);
        if (r < 0)
                say(LOG_DEBUG, "forwarding %s to %d: %s", say_signal(to, sn),
                    group ? -in->child : in->child, say_errno(r, e));
}

/* The orphans to the kernel, the child's exit to its pidfd; taken while the
 * child cannot have been reaped yet. The caller decided the kernel keeps
 * exit statuses (plan->opts.autoreap). */
static void autoreap_start(struct init *in)
{
        in->child_pidfd = -1;
        if (!in->o->autoreap || in->o->warn_reaped || in->o->stop_with_child)
                return;
        in->child_pidfd = (int)sys2(NR_pidfd_open, in->child, 0);
        if (in->child_pidfd < 0) {
                char e[24];

                say(LOG_DEBUG, "pidfd_open(%d): %s; reaping every orphan", in->child,
                    say_errno(in->child_pidfd, e));
                in->child_pidfd = -1;
                return;
        }
        sigchld_set(SIG_IGN_HANDLER);
}

static void autoreap_stop(struct init *in)
{
        if (in->child_pidfd < 0)
                return;
        sys1(NR_close, in->child_pidfd);
        in->child_pidfd = -1;
        sigchld_set(SIG_DFL_HANDLER);
}

static void child_exited(struct init *in, int status)
{
        in->child_alive = 0;
        in->code = exitcode_of(status);
        autoreap_stop(in);
        say(LOG_DEBUG, "child %d exited, code %d", in->child, in->code);
        /* Back to our process group: a Ctrl-C while stragglers stop is ours. */
        if (in->o->tty)
                tty_give(pgrp_of(0));
        switch (in->o->leftovers) {
        case PID1_LEFTOVERS_SWEEP:
                return sweep_start(in);
        case PID1_LEFTOVERS_TERM:
                /* The group may outlive its leader; a lone child's pid is
                 * gone, and may already be someone else's. */
                if (in->o->to_group)
                        forward(in, SIGTERM);
                in->done = 1;
                return;
        case PID1_LEFTOVERS_LEAVE:
                in->done = 1;
                return;
        }
}

/* The child was released (its pidfd hung up): its status is stored. */
static void child_released(struct init *in)
{
        struct pidfd_exit_info info = { .mask = PIDFD_INFO_EXIT_BIT };
        long r = sys3(NR_ioctl, in->child_pidfd, PIDFD_GET_INFO_CMD, &info);
        char e[24];

        if (r == 0 && (info.mask & PIDFD_INFO_EXIT_BIT))
                return child_exited(in, info.exit_code);
        say(LOG_ERROR, "the kernel gave no exit status for pid %d: %s", in->child,
            say_errno(r < 0 ? r : -22 /* EINVAL */, e));
        child_exited(in, 1 << 8);
}

/* Job control: the child stopped; stop with it, the terminal ours again. */
static void child_stopped(struct init *in)
{
        if (in->o->tty && tty_pgrp() == pgrp_of(in->child))
                tty_give(pgrp_of(0));
        say(LOG_DEBUG, "child %d stopped: stopping too", in->child);
        sys2(NR_kill, sys0(NR_getpid), SIGSTOP);
}

/* Resumed: in the foreground, the child's group takes it back first. */
static void child_continue(struct init *in)
{
        if (in->o->tty && tty_pgrp() == pgrp_of(0))
                tty_give(pgrp_of(in->child));
}

static void reaped(struct init *in, int pid, int status)
{
        if (pid == in->child && in->child_alive)
                return child_exited(in, status);
        if (in->o->warn_reaped)
                say(LOG_WARN, "Reaped zombie process with pid=%d", pid);
        else
                say(LOG_DEBUG, "reaped orphan %d (exit code %d)", pid, exitcode_of(status));
}

/* Reap until nothing is left: one SIGCHLD may stand for hundreds of exits. */
static void reap_all(struct init *in)
{
        int flags = WNOHANG | WALL | (in->o->stop_with_child ? WUNTRACED : 0);
        int status;
        long pid;

        while ((pid = sys4(NR_wait4, -1, &status, flags, 0)) > 0) {
                if ((status & 0xff) != 0x7f)
                        reaped(in, (int)pid, status);
                else if (pid == in->child)
                        child_stopped(in);
        }
        if (in->sweep.active && !in->sweep.finished && !walk_has_children())
                sweep_finish(in);
}

static int is_tty_stop(int sig)
{
        return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static void handle_signal(struct init *in, int sig)
{
        char sn[24];

        if (sig == SIGCHLD)
                return reap_all(in);
        /* glibc's own two (pid1_signal_set leaves them out): never forwarded. */
        if (sig == 32 || sig == 33)
                return;
        /* tini's rule: background tty reads/writes stop the reader, not
         * PID 1 and not the command; TSTP is forwarded. */
        if ((sig == SIGTTIN || sig == SIGTTOU) && !in->o->stop_on_tty_signals) {
                say(LOG_DEBUG, "ignored %s", say_signal(sig, sn));
                return;
        }
        if (!in->child_alive) {
                /* The command is gone; whoever signals us means what is left. */
                if (in->sweep.active && !in->sweep.finished)
                        walk_signal_all(sig);
                return;
        }
        if (sig == SIGCONT && in->o->stop_with_child)
                child_continue(in);
        forward(in, sig);
        if (in->o->stop_on_tty_signals && is_tty_stop(sig)) {
                say(LOG_DEBUG, "%s: stopping", say_signal(sig, sn));
                sys2(NR_kill, sys0(NR_getpid), SIGSTOP);
        }
}

/* The kernel's SIGPIPE for one of our own writes (pid1/signals.c). */
static int signal_is_own(const struct siginfo_rec *si)
{
        return si->signo == SIGPIPE && si->pid == (unsigned)sys0(NR_getpid) &&
               (si->code == SI_USER || si->code == SI_TKILL);
}

/* One siginfo, read when the signalfd is readable or to wait for one. */
static int take_signal(struct init *in)
{
        struct siginfo_rec si;
        long n = sys3(NR_read, in->sfd, &si, sizeof(si));

        if (n == (long)sizeof(si)) {
                if (!signal_is_own(&si))
                        handle_signal(in, (int)si.signo);
                return 1;
        }
        if (n == -EINTR)
                return 1;
        say(LOG_ERROR, "reading the signalfd: %s", say_errno(n < 0 ? n : -22, (char[24]){ 0 }));
        return 0;
}

/* A signal, the child's release or the sweep's deadline. 0: give up. */
static int step(struct init *in)
{
        struct { int fd; short events, revents; } p[2] = { { in->sfd, POLLIN, 0 },
                                                           { in->child_pidfd, 0, 0 } };
        int timeout = sweep_timeout_ms(in), n = in->child_pidfd >= 0 ? 2 : 1;
        struct { long sec, nsec; } t = { timeout / 1000, (timeout % 1000) * 1000000L };
        long r;

        /* The hot path with nothing else to wait for: one blocking read. */
        if (n == 1 && timeout < 0)
                return take_signal(in);
        r = sys4(NR_ppoll, p, n, timeout < 0 ? 0 : &t, 0);
        if (r == -EINTR)
                return 1;
        if (r < 0) {
                say(LOG_ERROR, "poll: %s", say_errno(r, (char[24]){ 0 }));
                return 0;
        }
        /* POLLIN comes at the exit, before the release that stores the
         * status; POLLHUP, always reported, once it is stored. */
        if (n == 2 && (p[1].revents & (POLLHUP | POLLERR | POLLNVAL)))
                child_released(in);
        sweep_tick(in);
        return in->done || !(p[0].revents & POLLIN) || take_signal(in);
}

int init_run(const struct pid1_plan *plan)
{
        struct init in = { .o = &plan->opts, .child = plan->child,
                           .child_alive = 1, .code = 1 };
        unsigned long mask = 0;
        int code;

        /* All of them, glibc's 32 and 33 too: unblocked, their default
         * would end a subreaper. handle_signal drops those two. */
        for (int sig = 1; sig <= PID1_SIG_MAX; sig++)
                if (sig != SIGKILL && sig != SIGSTOP)
                        mask |= 1UL << (sig - 1);
        sys4(NR_rt_sigprocmask, 0 /* SIG_BLOCK */, &mask, 0, sizeof(mask));
        in.sfd = (int)sys4(NR_signalfd4, -1, &mask, sizeof(mask), SFD_CLOEXEC);
        if (in.sfd < 0) {
                say(LOG_ERROR, "signalfd: %s", say_errno(in.sfd, (char[24]){ 0 }));
                return 1;
        }
        autoreap_start(&in);
        /* A SIGCHLD from before the signalfd, or an exit before the pidfd: look. */
        reap_all(&in);
        while (!in.done && step(&in))
                ;
        autoreap_stop(&in);
        sys1(NR_close, in.sfd);
        code = in.code & 255;
        return plan->zero_codes[code / 32] & (1u << (code % 32)) ? 0 : in.code;
}
