/* pid1/run.c — PID 1 for one child: forward, reap, sweep, return its code.
 *
 * With opts.autoreap (on Linux 6.15 and later) the kernel reaps: SIGCHLD is
 * ignored, so every exit, the child's too, is released by the exiting
 * process itself and never wakes us. The child's pidfd says when it was
 * released and keeps its exit status for us (PIDFD_INFO_EXIT). While it
 * runs we block in poll(2) on the signalfd and that pidfd, no event loop
 * (libev's would wake every ~60 s). Once it is gone SIGCHLD is ours again,
 * for the sweep.
 *
 * Otherwise (tini -w, job control, older kernels):
 * its own signalfd, which carries SIGCHLD too, and waitpid (catatonit's
 * model). While the child runs, the hot path is no event loop: a blocking
 * read(2) of one siginfo, then for SIGCHLD waitpid until nothing is left
 * (three system calls per orphan, as tini's sigtimedwait and waitpid).
 *
 * A watched process and the sweep's deadline are one poll(2) with a
 * timeout, no event loop either: nothing but a signal, an exit or a
 * deadline of ours wakes us. runtime/tiny/init.c runs these same rules
 * without libc, for supd's single-command mode. */
#include "pid1/pid1.h"

#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/exitcode.h"
#include "common/log.h"
#include "common/signame.h"
#include "pid1/sweep.h"

struct run {
        pid_t child;
        struct pid1_opts opts;
        bool child_alive;
        bool done;
        int code;
        int sfd;
        struct pid1_sweep sweep;
        int child_pidfd;                /* autoreap: the child's, while it runs */
        int watch_fd;                   /* opts.watch_pidfd until its process ends */
        long long watch_deadline_ms;    /* then our child's deadline; 0 = none */
        bool watch_expired;
};

static void run_finish(struct run *r)
{
        r->done = true;
}

static void run_done(struct pid1_sweep *sw)
{
        run_finish((struct run *)((char *)sw - offsetof(struct run, sweep)));
}

/* A received signal, rewritten (or dropped), to the child or its group.
 * A CONT that resumes a stopped job goes to the group the terminal's stop
 * reached. */
static void forward(struct run *r, int sig)
{
        bool group = r->opts.to_group || (sig == SIGCONT && r->opts.stop_with_child);
        pid_t target = group ? -r->child : r->child;
        int to = sig <= PID1_SIG_MAX && r->opts.rewrite[sig] ? r->opts.rewrite[sig] : sig;
        char sn[SIG_NAME_LEN], tn[SIG_NAME_LEN];

        if (to == PID1_SIG_DROP) {
                log_debug("%s dropped (rewritten to nothing)", sig_name(sig, sn));
                return;
        }
        if (to != sig)
                log_debug("%s rewritten to %s", sig_name(sig, sn), sig_name(to, tn));
        if (kill(target, to) < 0)
                log_debug("forwarding %s to %ld: %m", sig_name(to, sn), (long)target);
}

static void watch_stop(struct run *r)
{
        r->watch_fd = -1;
        r->watch_deadline_ms = 0;
}

/* The watched process ended long ago and our child is still there: it
 * cannot run (stopped, or held by a tracer). Waiting would hang for ever. */
static void watch_expired(struct run *r)
{
        r->watch_deadline_ms = 0;
        if (!r->child_alive)
                return;
        log_error("pid %ld did not exit within %u ms after the process it runs for: it is "
                  "stopped or traced; killed", (long)r->child, r->opts.watch_deadline_ms);
        r->watch_expired = true;
        kill(r->child, SIGKILL);
}

static void watched_exited(struct run *r)
{
        r->watch_fd = -1;
        r->watch_deadline_ms = pid1_now_ms() + r->opts.watch_deadline_ms;
}

static void child_exited(struct run *r, int status);
static bool take_signal(struct run *r);

/* What PIDFD_GET_INFO fills (linux/pidfd.h, Linux 6.13; exit_code from
 * 6.15), for headers older than the kernel. */
struct pidfd_exit_info {
        uint64_t mask;
        uint64_t cgroupid;
        uint32_t ids[11];               /* pid, tgid, ppid, the uids and gids */
        int32_t exit_code;              /* a wait status */
};
#define PIDFD_GET_INFO_CMD _IOWR(0xFF, 11, struct pidfd_exit_info)
#define PIDFD_INFO_EXIT_BIT (1ULL << 3)

/* The kernel keeps a reaped process's exit status for its pidfds from 6.15
 * on; an earlier one answers only for the living, and its version says so
 * (a backport merely goes unused). */
bool pid1_kernel_keeps_exit_status(void)
{
        struct utsname u;
        unsigned major = 0, minor = 0;

        if (uname(&u) < 0 || sscanf(u.release, "%u.%u", &major, &minor) != 2)
                return false;
        return major > 6 || (major == 6 && minor >= 15);
}

static void sigchld_set(void (*handler)(int))
{
        struct sigaction sa = { .sa_handler = handler };

        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGCHLD, &sa, NULL) < 0)
                log_error("sigaction(SIGCHLD): %m");
}

/* The child was released (its pidfd hung up). The kernel stores the exit
 * status on the pidfd before it lets go of the pid, so it is there now. */
static void child_released(struct run *r)
{
        struct pidfd_exit_info info = { .mask = PIDFD_INFO_EXIT_BIT };

        if (ioctl(r->child_pidfd, PIDFD_GET_INFO_CMD, &info) == 0 &&
            (info.mask & PIDFD_INFO_EXIT_BIT))
                return child_exited(r, info.exit_code);
        log_error("the kernel gave no exit status for pid %ld: %m", (long)r->child);
        child_exited(r, 1 << 8);
}

/* The orphans to the kernel, the child's exit to its pidfd. Taken before the
 * child could have been reaped (SIGCHLD is ours until here), so the pid is
 * still the child's. */
static void autoreap_start(struct run *r)
{
        r->child_pidfd = -1;
        if (!r->opts.autoreap || r->opts.warn_reaped || r->opts.stop_with_child ||
            r->opts.watch_pidfd > 2 || !pid1_kernel_keeps_exit_status())
                return;
        r->child_pidfd = (int)syscall(SYS_pidfd_open, r->child, 0);
        if (r->child_pidfd < 0) {
                log_debug("pidfd_open(%ld): %m; reaping every orphan", (long)r->child);
                return;
        }
        sigchld_set(SIG_IGN);
}

/* The child is gone: what is left exits as zombies again, each one a
 * SIGCHLD on the signalfd, so the sweep knows when none is left. */
static void autoreap_stop(struct run *r)
{
        if (r->child_pidfd < 0)
                return;
        close(r->child_pidfd);
        r->child_pidfd = -1;
        sigchld_set(SIG_DFL);
}

static void child_exited(struct run *r, int status)
{
        r->child_alive = false;
        r->code = r->watch_expired ? 1 : exitcode_of_status(status);
        watch_stop(r);
        autoreap_stop(r);
        log_debug("child %ld exited, code %d", (long)r->child, r->code);
        /* Back to our process group: a Ctrl-C while stragglers stop is ours. */
        if (r->opts.tty)
                tcsetpgrp(STDIN_FILENO, getpgrp());
        switch (r->opts.leftovers) {
        case PID1_LEFTOVERS_SWEEP:
                return pid1_sweep_start(&r->sweep, r->opts.grace_ms, run_done);
        case PID1_LEFTOVERS_TERM:
                /* The group may outlive its leader; a lone child's pid is
                 * gone, and may already be someone else's. */
                if (r->opts.to_group)
                        forward(r, SIGTERM);
                return run_finish(r);
        case PID1_LEFTOVERS_LEAVE:
                return run_finish(r);
        }
}

/* Job control: the child stopped (the terminal's ^Z went to its group, or
 * someone stopped it). Stop with it, so the shell that runs us sees its job
 * stop; the terminal is ours again while we are stopped. */
static void child_stopped(struct run *r)
{
        if (r->opts.tty && tcgetpgrp(STDIN_FILENO) == getpgid(r->child))
                tcsetpgrp(STDIN_FILENO, getpgrp());
        log_debug("child %ld stopped: stopping too", (long)r->child);
        kill(getpid(), SIGSTOP);
}

/* Resumed (the shell's fg or bg): when we are in the foreground, the child's
 * group takes it back before it gets the CONT. */
static void child_continue(struct run *r)
{
        if (r->opts.tty && tcgetpgrp(STDIN_FILENO) == getpgrp())
                tcsetpgrp(STDIN_FILENO, getpgid(r->child));
}

static void reaped(struct run *r, pid_t pid, int status)
{
        if (pid == r->child && r->child_alive)
                return child_exited(r, status);
        if (r->opts.warn_reaped)
                log_warn("Reaped zombie process with pid=%ld", (long)pid);
        else
                log_debug("reaped orphan %ld (exit code %d)", (long)pid,
                          exitcode_of_status(status));
}

/* Reap until nothing is left to reap: SIGCHLDs coalesce, so one signal may
 * stand for hundreds of exits; every pid is checked against the child. */
static void reap_all(struct run *r)
{
        int flags = WNOHANG | __WALL | (r->opts.stop_with_child ? WUNTRACED : 0);
        pid_t pid;
        int status;

        while ((pid = waitpid(-1, &status, flags)) > 0) {
                if (!WIFSTOPPED(status))
                        reaped(r, pid, status);
                else if (pid == r->child)
                        child_stopped(r);
        }
        pid1_sweep_reaped(&r->sweep);
}

static bool is_tty_stop(int sig)
{
        return sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

static void handle_signal(struct run *r, int sig)
{
        char sn[SIG_NAME_LEN];

        if (sig == SIGCHLD)
                return reap_all(r);
        /* tini's rule: background tty reads/writes stop the reader, not
         * PID 1 and not the command; TSTP is forwarded. */
        if ((sig == SIGTTIN || sig == SIGTTOU) && !r->opts.stop_on_tty_signals) {
                log_debug("ignored %s", sig_name(sig, sn));
                return;
        }
        if (!r->child_alive)
                return pid1_sweep_signal(&r->sweep, sig);
        if (sig == SIGCONT && r->opts.stop_with_child)
                child_continue(r);
        forward(r, sig);
        /* dumb-init's job control: the shell's ^Z reached us, not the
         * child's session; stop as the child was told to. */
        if (r->opts.stop_on_tty_signals && is_tty_stop(sig)) {
                log_debug("%s: stopping", sig_name(sig, sn));
                kill(getpid(), SIGSTOP);
        }
}

/* One siginfo at a time, so each is forwarded before the next is read. The
 * signalfd blocks: called only when it is readable, or to wait. */
static bool take_signal(struct run *r)
{
        struct signalfd_siginfo si;
        ssize_t n = read(r->sfd, &si, sizeof(si));

        if (n == (ssize_t)sizeof(si)) {
                if (!pid1_signal_is_own(&si))
                        handle_signal(r, (int)si.ssi_signo);
                return true;
        }
        if (n < 0 && errno == EINTR)
                return true;
        log_error("reading the signalfd: %m");
        return false;
}

static int run_open(struct run *r)
{
        sigset_t set;

        pid1_signal_set(&set);
        sigaddset(&set, SIGCHLD);
        sigprocmask(SIG_BLOCK, &set, NULL);
        r->sfd = signalfd(-1, &set, SFD_CLOEXEC);
        if (r->sfd < 0) {
                log_error("signalfd: %m");
                return -1;
        }
        r->watch_fd = r->opts.watch_pidfd > 2 ? r->opts.watch_pidfd : -1;
        autoreap_start(r);
        return 0;
}

/* The nearer of the sweep's and the watch's deadlines, for poll(2). */
static int run_timeout_ms(const struct run *r)
{
        int ms = pid1_sweep_timeout_ms(&r->sweep);
        long long left;

        if (!r->watch_deadline_ms)
                return ms;
        left = r->watch_deadline_ms - pid1_now_ms();
        if (left < 0)
                left = 0;
        return ms >= 0 && ms < left ? ms : (int)(left > 1000000 ? 1000000 : left);
}

static void run_deadlines(struct run *r)
{
        if (r->watch_deadline_ms && pid1_now_ms() >= r->watch_deadline_ms)
                watch_expired(r);
        pid1_sweep_tick(&r->sweep);
}

/* Wait for a signal, the child's release (autoreap), the watched process's
 * end or a deadline, and handle it. False: give up (the signalfd broke). */
static bool run_step(struct run *r)
{
        struct pollfd p[3] = { { r->sfd, POLLIN, 0 } };
        int n = 1, child = -1, watch = -1, timeout = run_timeout_ms(r);

        /* The hot path with nothing else to wait for: one blocking read. */
        if (r->child_pidfd < 0 && r->watch_fd < 0 && timeout < 0)
                return take_signal(r);
        if (r->child_pidfd >= 0) {
                /* Polled for no event: POLLIN comes at the exit, before the
                 * release that stores the status; POLLHUP, always reported,
                 * comes once it is stored. */
                child = n;
                p[n++] = (struct pollfd){ r->child_pidfd, 0, 0 };
        }
        if (r->watch_fd >= 0) {
                watch = n;
                p[n++] = (struct pollfd){ r->watch_fd, POLLIN, 0 };
        }
        if (poll(p, (nfds_t)n, timeout) < 0) {
                if (errno == EINTR)
                        return true;
                log_error("poll: %m");
                return false;
        }
        if (watch >= 0 && p[watch].revents)
                watched_exited(r);
        if (child >= 0 && (p[child].revents & (POLLHUP | POLLERR | POLLNVAL)))
                child_released(r);
        run_deadlines(r);
        return r->done || !(p[0].revents & POLLIN) || take_signal(r);
}

int pid1_run_child(pid_t child, const struct pid1_opts *opts)
{
        struct run r = { .child = child, .opts = *opts, .child_alive = true, .code = 1 };

        if (run_open(&r) < 0)
                return 1;
        /* A SIGCHLD that came before the signal was blocked is lost: look. */
        reap_all(&r);
        while (!r.done && run_step(&r))
                ;
        pid1_sweep_stop(&r.sweep);
        watch_stop(&r);
        autoreap_stop(&r);
        close(r.sfd);
        return r.code;
}
