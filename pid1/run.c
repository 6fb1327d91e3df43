/* pid1/run.c — PID 1 for one child: forward, reap, sweep, return its code.
 *
 * Runs on a private libev loop with its own signalfd, which carries SIGCHLD
 * too, and reaps with waitpid itself (catatonit's model). The same code then
 * works in supd's main and in a clone of supd (the runtime's init of a PID
 * namespace), where the inherited default loop shares its epoll set and
 * signalfd with the parent and must not be touched.
 *
 * Zero idle wakeups: libev never blocks longer than ~60 s, so while no
 * timer is armed the loop's release callback blocks in poll() on the
 * signalfd, and nothing wakes supd before a signal does. */
#include "pid1/pid1.h"

#include <errno.h>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ev.h>

#include "common/exitcode.h"
#include "common/log.h"
#include "pid1/sweep.h"

struct run {
        struct ev_loop *loop;
        pid_t child;
        struct pid1_opts opts;
        bool child_alive;
        bool done;
        int code;
        int sfd;
        ev_io sig_w;
        struct pid1_sweep sweep;
};

static void run_finish(struct run *r)
{
        r->done = true;
        ev_break(r->loop, EVBREAK_ALL);
}

static void run_done(struct pid1_sweep *sw)
{
        run_finish(ev_userdata(sw->loop));
}

/* A received signal, rewritten (or dropped), to the child or its group.
 * A CONT that resumes a stopped job goes to the group the terminal's stop
 * reached. */
static void forward(struct run *r, int sig)
{
        bool group = r->opts.to_group || (sig == SIGCONT && r->opts.stop_with_child);
        pid_t target = group ? -r->child : r->child;
        int to = sig <= PID1_SIG_MAX && r->opts.rewrite[sig] ? r->opts.rewrite[sig] : sig;

        if (to == PID1_SIG_DROP) {
                log_debug("signal %d dropped (rewritten to nothing)", sig);
                return;
        }
        if (to != sig)
                log_debug("signal %d rewritten to %d", sig, to);
        if (kill(target, to) < 0)
                log_debug("forwarding signal %d to %ld: %m", to, (long)target);
}

static void child_exited(struct run *r, int status)
{
        r->child_alive = false;
        r->code = exitcode_of_status(status);
        log_debug("child %ld exited, code %d", (long)r->child, r->code);
        /* Back to our process group: a Ctrl-C while stragglers stop is ours. */
        if (r->opts.tty)
                tcsetpgrp(STDIN_FILENO, getpgrp());
        switch (r->opts.leftovers) {
        case PID1_LEFTOVERS_SWEEP:
                return pid1_sweep_start(&r->sweep, r->loop, r->opts.grace_ms, run_done);
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
        if (sig == SIGCHLD)
                return reap_all(r);
        /* tini's rule: background tty reads/writes stop the reader, not
         * PID 1 and not the command; TSTP is forwarded. */
        if ((sig == SIGTTIN || sig == SIGTTOU) && !r->opts.stop_on_tty_signals) {
                log_debug("ignored signal %d", sig);
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
                log_debug("signal %d: stopping", sig);
                kill(getpid(), SIGSTOP);
        }
}

/* Read one siginfo at a time, so each is forwarded before the next is read. */
static void on_signals(struct ev_loop *loop, ev_io *w, int revents)
{
        struct run *r = w->data;
        struct signalfd_siginfo si;

        while (read(r->sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
                if (!pid1_signal_is_own(&si))
                        handle_signal(r, (int)si.ssi_signo);
}

static void release_block(struct ev_loop *loop)
{
        struct run *r = ev_userdata(loop);
        struct pollfd p = { .fd = r->sfd, .events = POLLIN };

        /* Block only when libev would otherwise sleep with no deadline of
         * ours: no timer armed and nothing already pending. */
        if (ev_is_active(&r->sweep.timer) || ev_pending_count(loop) > 0)
                return;
        while (poll(&p, 1, -1) < 0 && errno == EINTR)
                ;
}

static void acquire_noop(struct ev_loop *loop) { }

static int run_open(struct run *r)
{
        sigset_t set;

        pid1_signal_set(&set);
        sigaddset(&set, SIGCHLD);
        sigprocmask(SIG_BLOCK, &set, NULL);
        r->sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
        if (r->sfd < 0) {
                log_error("signalfd: %m");
                return -1;
        }
        r->loop = ev_loop_new(EVBACKEND_EPOLL | EVFLAG_NOSIGMASK | EVFLAG_NOENV);
        if (!r->loop) {
                log_error("cannot create the event loop");
                close(r->sfd);
                return -1;
        }
        ev_set_userdata(r->loop, r);
        ev_set_loop_release_cb(r->loop, release_block, acquire_noop);
        ev_io_init(&r->sig_w, on_signals, r->sfd, EV_READ);
        r->sig_w.data = r;
        ev_io_start(r->loop, &r->sig_w);
        return 0;
}

int pid1_run_child(pid_t child, const struct pid1_opts *opts)
{
        struct run r = { .child = child, .opts = *opts, .child_alive = true, .code = 1 };

        if (run_open(&r) < 0)
                return 1;
        /* A SIGCHLD that came before the signal was blocked is lost: look. */
        reap_all(&r);
        if (!r.done)
                ev_run(r.loop, 0);
        pid1_sweep_stop(&r.sweep);
        ev_io_stop(r.loop, &r.sig_w);
        ev_loop_destroy(r.loop);
        close(r.sfd);
        return r.code;
}
