/* runtime/spawn.c — rt_spawn(): clone the child, release it, read its verdict.
 *
 * Parent side (supd's loop): create the status pipe, the cgroup dir when the
 * service has limits, clone3(CLONE_PIDFD [| CLONE_INTO_CGROUP] [| CLONE_NEWPID
 * | CLONE_NEWUSER]),
 * write the id maps when there is a user namespace, release the child. That
 * is all: everything slow happens in the child (child_main below, which is
 * the spawn order of docs/design.md read top to bottom). */
#include "runtime/runtime.h"
#include "runtime/runtime_int.h"
#include "common/exitcode.h"
#include "common/io.h"
#include "pid1/pid1.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* Namespaces created by clone itself: the user namespace (the parent
 * writes its id maps) and the PID namespace (the child is its PID 1). The
 * child unshares the others: made by clone3 they would cost supd's loop
 * ~0.25 ms more per spawn here (mount table copy, new uts/ipc/net). The
 * cgroup namespace comes last, once the child sits in its own cgroup (a
 * cgroup ns is rooted where its creator is). */
#define CLONE_NS_MASK (CLONE_NEWPID | CLONE_NEWUSER)
#define CHILD_NS_MASK (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET)

/* ------------------------------------------------------------------ */
/* Child-side steps that belong to no other file                       */

static int move_fd_high(int *fd, int floor, struct sup_err *err)
{
        int nfd;

        if (*fd < 0)
                return 0;
        nfd = fcntl(*fd, F_DUPFD_CLOEXEC, floor);
        if (nfd < 0)
                return sup_fail(err, errno, "fd %d", *fd);
        *fd = nfd;
        return 0;
}

/* Single-command mode: our own process group in the foreground of the tty
 * (tini's way; setsid would lose the controlling terminal). */
static int take_foreground(const struct rt_stdio *io, struct sup_err *err)
{
        int tty = io->in >= 0 ? io->in : STDIN_FILENO;
        sigset_t ttou, old;

        if (setpgid(0, 0) < 0)
                return sup_fail(err, errno, "setpgid");
        if (!isatty(tty))
                return 0;
        sigemptyset(&ttou);
        sigaddset(&ttou, SIGTTOU);
        sigprocmask(SIG_BLOCK, &ttou, &old);
        if (tcsetpgrp(tty, getpgrp()) < 0 && errno != ENOTTY) {
                int e = errno;
                sigprocmask(SIG_SETMASK, &old, NULL);
                return sup_fail(err, e, "tcsetpgrp");
        }
        sigprocmask(SIG_SETMASK, &old, NULL);
        return 0;
}

int child_new_session(const struct rt_stdio *io, struct sup_err *err)
{
        if (io->foreground_tty)
                return take_foreground(io, err);
        if (setsid() < 0)
                return sup_fail(err, errno, "setsid");
        return 0;
}

int child_restore_signals(const struct rt_stdio *io, struct sup_err *err)
{
        sigset_t none;

        if (io->sigconf)
                return sigconf_restore(io->sigconf) < 0 ? sup_fail(err, errno, "sigprocmask") : 0;
        /* No captured configuration: defaults and an empty mask. */
        for (int sig = 1; sig < NSIG; sig++)
                if (sig != SIGKILL && sig != SIGSTOP)
                        signal(sig, SIG_DFL);
        sigemptyset(&none);
        return sigprocmask(SIG_SETMASK, &none, NULL) < 0 ? sup_fail(err, errno, "sigprocmask") : 0;
}

/* Block until the parent has written our id maps (it closes its end). */
static int wait_for_id_maps(int sync_fd, struct sup_err *err)
{
        char c;
        ssize_t n;

        if (sync_fd < 0)
                return 0;
        do
                n = read(sync_fd, &c, 1);
        while (n < 0 && errno == EINTR);
        close(sync_fd);
        if (n != 0)
                return sup_fail(err, n < 0 ? errno : EPROTO, "parent did not write the id maps");
        /* Become the namespace's root when the map has one (crun does the
         * same); our old ids are unmapped in here. */
        if (setresgid(0, 0, 0) < 0 && errno != EINVAL)
                return sup_fail(err, errno, "setresgid 0 in the user namespace");
        if (setresuid(0, 0, 0) < 0 && errno != EINVAL)
                return sup_fail(err, errno, "setresuid 0 in the user namespace");
        return 0;
}

/* systemd's: sd_watchdog_enabled() also checks that WATCHDOG_PID is the
 * caller, so it is our pid as the service sees it (inside its PID ns). */
static int set_watchdog_env(unsigned long long usec, struct sup_err *err)
{
        char v[32];

        if (!usec)
                return 0;
        snprintf(v, sizeof(v), "%llu", usec);
        if (setenv("WATCHDOG_USEC", v, 1) < 0)
                return sup_fail(err, errno, "WATCHDOG_USEC");
        snprintf(v, sizeof(v), "%d", (int)getpid());
        if (setenv("WATCHDOG_PID", v, 1) < 0)
                return sup_fail(err, errno, "WATCHDOG_PID");
        return 0;
}

static int set_process_env(const struct svc_spec *s, const struct rt_stdio *io,
                           struct sup_err *err)
{
        if (s->umask >= 0)
                umask((mode_t)s->umask);
        if (s->directory && chdir(s->directory) < 0)
                return sup_fail(err, errno, "directory %s", s->directory);
        for (char **e = s->environment; e && *e; e++)
                if (putenv(*e) < 0)     /* our private copy of the spec: fine to alias */
                        return sup_fail(err, errno, "environment %s", *e);
        if (io->notify_socket && setenv("NOTIFY_SOCKET", io->notify_socket, 1) < 0)
                return sup_fail(err, errno, "NOTIFY_SOCKET");
        return set_watchdog_env(io->watchdog_usec, err);
}

static int place_fd(int src, int dst, struct sup_err *err)
{
        if (src < 0)
                return 0;
        if (dup2(src, dst) < 0)         /* dup2 clears CLOEXEC on dst */
                return sup_fail(err, errno, "dup2 %d to %d", src, dst);
        return 0;
}

/* stdin/stdout/stderr and the readiness fd at their numbers; every other fd
 * is closed at execve (supd's own fds must never leak into a service). */
static int setup_stdio(const struct svc_spec *s, const struct rt_stdio *io, struct sup_err *err)
{
        int in = io->in, out = io->out, er = io->err, rd = io->ready_fd;
        int floor = 3 + (s->ready_fd > 0 ? s->ready_fd : 0);

        /* Sources first out of the way of every target number. */
        if (move_fd_high(&in, floor, err) < 0 || move_fd_high(&out, floor, err) < 0 ||
            move_fd_high(&er, floor, err) < 0 || move_fd_high(&rd, floor, err) < 0)
                return sup_wrap(err, "stdio");
        if (place_fd(in, 0, err) < 0 || place_fd(out, 1, err) < 0 || place_fd(er, 2, err) < 0)
                return -1;
        if (rd >= 0 && s->ready_fd >= 0) {
                if (place_fd(rd, s->ready_fd, err) < 0)
                        return -1;
                if (s->ready_fd > 3)
                        syscall(SYS_close_range, 3, s->ready_fd - 1, CLOSE_RANGE_CLOEXEC);
                syscall(SYS_close_range, s->ready_fd + 1, ~0U, CLOSE_RANGE_CLOEXEC);
        } else {
                syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
        }
        return 0;
}

/* rt_send_filter's message: a count of instructions, then the
 * instructions; EOF before the count = the parent could not compile it. */
static int read_all(int fd, void *buf, size_t len)
{
        size_t got = 0;
        ssize_t n;

        while (got < len) {
                n = read(fd, (char *)buf + got, len - got);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return n < 0 ? -1 : (errno = EPIPE, -1);
                got += (size_t)n;
        }
        return 0;
}

static int receive_filter(int fd, struct sandbox_spec *sb, struct sup_err *err)
{
        uint32_t count;
        void *prog;

        if (read_all(fd, &count, sizeof(count)) < 0)
                return sup_fail(err, errno, "no filter from the parent (it did not compile)");
        if (count > BPF_MAXINSNS)
                return sup_fail(err, EPROTO, "a filter of %u instructions", (unsigned)count);
        sb->seccomp_bpf = NULL;
        sb->seccomp_bpf_len = count;
        if (count == 0)
                return 0;       /* the spec wants no filter after all */
        prog = malloc((size_t)count * sizeof(struct sock_filter));
        if (!prog)
                return sup_fail(err, ENOMEM, "the filter");
        if (read_all(fd, prog, (size_t)count * sizeof(struct sock_filter)) < 0)
                return sup_fail(err, errno, "a short filter from the parent");
        sb->seccomp_bpf = prog;
        return 0;
}

/* The filter is the spec's (compiled at config load), or the one
 * rt_send_filter() compiled in the parent meanwhile. */
static int filter_load(struct child_ctx *c, struct sup_err *err)
{
        struct sandbox_spec sb = c->spec->sandbox;

        if (c->filter_fd < 0)
                return syscall_filter_load(&sb, err);
        if (receive_filter(c->filter_fd, &sb, err) < 0)
                return -1;
        close(c->filter_fd);
        c->filter_fd = -1;
        return syscall_filter_load(&sb, err);
}

static int no_new_privs(const struct sandbox_spec *sb, struct sup_err *err)
{
        if (sb->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return sup_fail(err, errno, "prctl(PR_SET_NO_NEW_PRIVS)");
        return 0;
}

/* ------------------------------------------------------------------ */
/* The child: report, run the steps, exec                              */

void child_report(int fd, const char *step, int exit_code, const struct sup_err *e)
{
        struct rt_status_rec rec;
        ssize_t n;

        memset(&rec, 0, sizeof(rec));
        snprintf(rec.step, sizeof(rec.step), "%s", step);
        rec.errnum = e->errnum;
        rec.exit_code = exit_code;
        snprintf(rec.msg, sizeof(rec.msg), "%s", e->msg);
        do
                n = write(fd, &rec, sizeof(rec));
        while (n < 0 && errno == EINTR);
}

#define STEP(name, call)                                                \
        do {                                                            \
                if ((call) < 0) {                                       \
                        child_report(c->status_fd, name, 127, &err);          \
                        _exit(127);                                     \
                }                                                       \
        } while (0)

/* The service itself: from resource limits to execve. In a PID namespace
 * this runs in the reaper's child, otherwise straight in the cloned child. */
__attribute__((noreturn)) void child_exec(struct child_ctx *c)
{
        const struct svc_spec *s = c->spec;
        const struct sandbox_spec *sb = &s->sandbox;
        bool seccomp_early = (sb->seccomp_bpf || c->filter_fd >= 0) && !sb->no_new_privileges;
        struct sup_err err = { 0, "" };
        int e;

        STEP("rlimits",      rlimits_apply(sb, &err));
        STEP("environment",  set_process_env(s, c->io, &err));
        STEP("apparmor",     apparmor_exec(sb->apparmor, &err));
        /* Without no_new_privs only a privileged process may load a filter:
         * load it now, before the drop (the policy must then allow it). */
        if (seccomp_early)
                STEP("seccomp",  filter_load(c, &err));
        STEP("capabilities", caps_drop_bounding(sb, &err));
        STEP("capabilities", caps_keep(sb, &c->creds, &err));
        STEP("user",         creds_apply(&c->creds, &err));
        STEP("capabilities", caps_apply(sb, &c->creds, &err));
        STEP("no_new_privileges", no_new_privs(sb, &err));
        STEP("stdio",        setup_stdio(s, c->io, &err));
        if (!seccomp_early)
                STEP("seccomp",  filter_load(c, &err));        /* last */

        execvp(s->argv[0], s->argv);
        e = errno;
        sup_fail(&err, e, "%s", s->argv[0]);
        child_report(c->status_fd, "exec", exitcode_of_exec_errno(e), &err);
        _exit(exitcode_of_exec_errno(e));
}

/* The service, started by the reaper: its handlers are already the ones
 * child_main restored (the reaper installs none before it forks), so only
 * the mask the reaper blocked needs to come back. */
static __attribute__((noreturn)) void service_main(struct child_ctx *c, const cpu_set_t *cpus)
{
        struct sup_err err = { 0, "" };
        sigset_t none;

        if (cpus && sched_setaffinity(0, sizeof(*cpus), cpus) < 0) {
                sup_fail(&err, errno, "restore the CPU affinity");
                child_report(c->status_fd, "cpu affinity", 127, &err);
                _exit(127);
        }
        sigemptyset(&none);
        if (sigprocmask(SIG_SETMASK, c->io->sigconf ? &c->io->sigconf->mask : &none, NULL) < 0) {
                sup_fail(&err, errno, "sigprocmask");
                child_report(c->status_fd, "signals", 127, &err);
                _exit(127);
        }
        child_exec(c);
}

/* The new task goes to the least busy CPU, which may be the one where the
 * parent (suprun compiling its filter, or supd) runs, while ours goes idle
 * the moment vfork puts us to sleep: the service would wait a time slice
 * for nothing. Pinned to our CPU, it runs there at once; both get *cpus
 * back right after. Returns false when pinning could not be done (then
 * nothing changed). */
static bool pin_here(cpu_set_t *cpus)
{
        cpu_set_t here;
        int cpu = sched_getcpu();

        if (cpu < 0 || cpu >= CPU_SETSIZE || sched_getaffinity(0, sizeof(*cpus), cpus) < 0)
                return false;
        CPU_ZERO(&here);
        CPU_SET(cpu, &here);
        return sched_setaffinity(0, sizeof(here), &here) == 0;
}

/* PID 1 of the service's PID namespace: start the service, then run the
 * same loop as `supd --` (pid1/pid1.h): forward every catchable signal to
 * the service, reap every zombie, give stragglers TERM then KILL, exit with
 * the service's code. pid1_run_child() asks of a clone of supd what this
 * does: every signal blocked since before the fork, supd's fds closed.
 *
 * vfork: the service shares the reaper's memory until its execve, as in
 * posix_spawn, so there are no page tables to copy and no copy-on-write
 * fault in either process (on a VM that is most of what a fork costs).
 * The reaper sleeps meanwhile, so nothing runs on that memory twice, and
 * the service never returns from here: it execs or _exits. Signals for the
 * reaper wait, blocked, in its pending set. */
static __attribute__((noreturn)) void child_reaper(struct child_ctx *c)
{
        struct sup_err err = { 0, "" };
        cpu_set_t cpus;
        sigset_t all;
        volatile bool pinned;   /* read after vfork: kept in memory */
        pid_t pid;

        /* Blocked before the vfork so no signal meant for the service is
         * lost (or kills us) before pid1_run_child() waits for it. */
        sigfillset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        pinned = pin_here(&cpus);
        pid = vfork();
        if (pid == 0)
                service_main(c, pinned ? &cpus : NULL);
        if (pinned)
                sched_setaffinity(0, sizeof(cpus), &cpus);
        if (pid < 0) {
                sup_fail(&err, errno, "start the service");
                child_report(c->status_fd, "pid namespace", 127, &err);
                _exit(127);
        }
        /* EOF on the status pipe now means: the service exec'd. Nothing of
         * supd's (pipes, sockets) stays open in the reaper either. */
        syscall(SYS_close_range, 3, ~0U, 0);
        _exit(pid1_run_child(pid, &(struct pid1_opts){ .grace_ms = PID1_GRACE_MS_DEFAULT }));
}

/* A PID namespace needs its own /proc, hence its own mount namespace. */
static unsigned long effective_namespaces(const struct sandbox_spec *sb)
{
        unsigned long ns = sb->namespaces;

        /* Their /proc and /sys are mounted fresh, which needs a mount ns. */
        return ns & (CLONE_NEWPID | CLONE_NEWNET) ? ns | CLONE_NEWNS : ns;
}

/* Child side of a spawn, in order. See docs/design.md, "Spawn order". */
static __attribute__((noreturn)) void child_main(struct child_ctx *c)
{
        const struct svc_spec *s = c->spec;
        const struct sandbox_spec *sb = &s->sandbox;
        unsigned long ns = effective_namespaces(sb);
        struct sup_err err = { 0, "" };

        STEP("session",      child_new_session(c->io, &err));
        STEP("signals",      child_restore_signals(c->io, &err));
        STEP("user namespace", wait_for_id_maps(c->sync_fd, &err));
        if (ns & CHILD_NS_MASK)
                STEP("namespaces", ns_unshare(ns & CHILD_NS_MASK, &err));
        STEP("user",         creds_resolve(s, &c->creds, &err));      /* before pivot_root */
        if (c->join_cgroup)
                STEP("cgroup",   cgroup_join_self(c->cg, &err));
        if (ns & CLONE_NEWCGROUP)
                STEP("cgroup namespace", ns_unshare(CLONE_NEWCGROUP, &err));
        if (ns & CLONE_NEWNET)
                STEP("network",  ns_loopback_up(&err));
        if (ns & CLONE_NEWNS)
                STEP("mount",    mount_setup(sb, &err));
        if (sb->hostname)
                STEP("hostname", ns_set_hostname(sb->hostname, &err));
        if (ns & CLONE_NEWPID)
                child_reaper(c);
        child_exec(c);
}

/* ------------------------------------------------------------------ */
/* Parent side                                                          */

/* *cgroup_fd is set to -1 when the child was not placed in it. */
static pid_t clone_child(unsigned long ns, int *cgroup_fd, int *pidfd)
{
        struct clone_args args;
        pid_t pid;

        memset(&args, 0, sizeof(args));
        args.flags = CLONE_PIDFD | (ns & CLONE_NS_MASK);
        args.pidfd = (uint64_t)(uintptr_t)pidfd;
        args.exit_signal = SIGCHLD;
        if (*cgroup_fd >= 0) {
                args.flags |= CLONE_INTO_CGROUP;
                args.cgroup = (uint64_t)*cgroup_fd;
        }
        pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
        if (pid >= 0 || (errno != ENOSYS && errno != E2BIG && !(errno == EINVAL && *cgroup_fd >= 0)))
                return pid;
        /* Older kernels: plain clone, no pidfd, no cgroup placement (then
         * the child joins the cgroup itself, as on v1). */
        *pidfd = -1;
        *cgroup_fd = -1;
        return (pid_t)syscall(SYS_clone, SIGCHLD | (ns & CLONE_NS_MASK), 0, 0, 0, 0);
}

static void close_pair(int p[2])
{
        if (p[0] >= 0)
                close(p[0]);
        if (p[1] >= 0)
                close(p[1]);
}

static bool trace_enabled(void)
{
        static int on = -1;

        if (on < 0)
                on = getenv("SUP_TRACE_SPAWN") != NULL;
        return on;
}

static uint64_t now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int spawn(const struct svc_spec *spec, const struct rt_stdio *io, struct rt_proc *proc,
                 bool filter_later, struct sup_err *err)
{
        const struct sandbox_spec *sb = &spec->sandbox;
        struct child_ctx c = { .spec = spec, .io = io, .sync_fd = -1, .filter_fd = -1 };
        struct rt_cgroup *cg = NULL;
        int status[2] = { -1, -1 }, sync[2] = { -1, -1 }, filter[2] = { -1, -1 };
        int pidfd = -1, cgroup_fd;
        uint64_t t0 = trace_enabled() ? now_ns() : 0;
        pid_t pid;

        proc->pid = -1;
        proc->pidfd = -1;
        proc->status_fd = -1;
        proc->cgroup = NULL;
        proc->pid_ns = false;
        proc->filter_fd = -1;
        if (!spec->argv || !spec->argv[0])
                return sup_fail(err, EINVAL, "%s: no command", spec->name);
        if (pipe2(status, O_CLOEXEC) < 0)
                return sup_fail(err, errno, "%s: status pipe", spec->name);
        if ((sb->namespaces & CLONE_NEWUSER) && pipe2(sync, O_CLOEXEC) < 0) {
                sup_fail(err, errno, "%s: sync pipe", spec->name);
                goto fail;
        }
        /* A socket, not a pipe: a child that died early must not leave
         * the parent a SIGPIPE (send with MSG_NOSIGNAL). */
        if (filter_later && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, filter) < 0) {
                sup_fail(err, errno, "%s: filter socket", spec->name);
                goto fail;
        }
        if (cgroup_wanted(sb) && cgroup_create(spec, &cg, err) < 0) {
                sup_wrap(err, "%s", spec->name);
                goto fail;
        }
        c.cg = cg;
        c.status_fd = status[1];
        c.sync_fd = sync[0];
        c.filter_fd = filter[0];

        cgroup_fd = cgroup_clone_fd(cg);
        /* c.join_cgroup is computed in the child from what clone did. */
        pid = clone_child(effective_namespaces(sb), &cgroup_fd, &pidfd);
        if (pid == 0) {
                c.join_cgroup = cg && cgroup_fd < 0;
                if (sync[1] >= 0)
                        close(sync[1]);
                if (filter[1] >= 0)
                        close(filter[1]);
                close(status[0]);
                child_main(&c);
        }
        if (pid < 0) {
                sup_fail(err, errno, "%s: clone", spec->name);
                goto fail;
        }
        close(status[1]);
        status[1] = -1;
        if (filter[0] >= 0) {
                close(filter[0]);
                filter[0] = -1;
        }
        if (sync[0] >= 0) {
                close(sync[0]);
                sync[0] = -1;
                if (idmap_write(pid, sb, err) < 0) {
                        sup_wrap(err, "%s", spec->name);
                        kill(pid, SIGKILL);     /* the caller reaps it like any exit */
                }
                close(sync[1]);                 /* release the child */
                sync[1] = -1;
        }
        proc->pid = pid;
        proc->pidfd = pidfd;
        proc->status_fd = status[0];
        proc->cgroup = cg;
        proc->pid_ns = sb->namespaces & CLONE_NEWPID;
        proc->filter_fd = filter[1];
        if (t0)
                fprintf(stderr, "sup-trace: rt_spawn parent side %.1f us\n",
                        (double)(now_ns() - t0) / 1000.0);
        return 0;
fail:
        close_pair(status);
        close_pair(sync);
        close_pair(filter);
        if (cg)
                cgroup_destroy(cg);
        return -1;
}

int rt_spawn(const struct svc_spec *spec, const struct rt_stdio *io, struct rt_proc *proc,
             struct sup_err *err)
{
        return spawn(spec, io, proc, false, err);
}

int rt_spawn_early(const struct svc_spec *spec, const struct rt_stdio *io, struct rt_proc *proc,
                   struct sup_err *err)
{
        return spawn(spec, io, proc, true, err);
}

int rt_send_filter(struct svc_spec *spec, struct rt_proc *proc, struct sup_err *err)
{
        struct sandbox_spec *sb = &spec->sandbox;
        uint32_t count;
        int fd = proc->filter_fd;

        proc->filter_fd = -1;
        if (fd < 0)
                return 0;
        /* On failure the child reads EOF and fails at its seccomp step. */
        if (syscall_filter_compile(sb, err) < 0) {
                close(fd);
                return sup_wrap(err, "%s", spec->name);
        }
        count = sb->seccomp_bpf ? (uint32_t)sb->seccomp_bpf_len : 0;
        /* A failed send is no error of ours: the child has died already (its
         * status record says why) or reads a short filter and fails at its
         * seccomp step, saying so. */
        if (io_send_all(fd, &count, sizeof(count)) == 0 && count)
                io_send_all(fd, sb->seccomp_bpf, (size_t)count * sizeof(struct sock_filter));
        close(fd);
        return 0;
}

int rt_read_status(int status_fd, bool *exec_failed, struct sup_err *err)
{
        struct rt_status_rec rec;
        ssize_t n;

        do
                n = read(status_fd, &rec, sizeof(rec));
        while (n < 0 && errno == EINTR);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return 1;
        if (n < 0)
                return sup_fail(err, errno, "reading the child's status");
        if (n == 0)
                return 0;
        if ((size_t)n != sizeof(rec))
                return sup_fail(err, EPROTO, "short status record from the child");
        rec.step[sizeof(rec.step) - 1] = '\0';
        rec.msg[sizeof(rec.msg) - 1] = '\0';
        err->errnum = rec.errnum;
        if (exec_failed)
                *exec_failed = strcmp(rec.step, "exec") == 0;
        if (strcmp(rec.step, "exec") == 0)
                snprintf(err->msg, sizeof(err->msg), "exec %s (exit %d)", rec.msg, rec.exit_code);
        else
                snprintf(err->msg, sizeof(err->msg), "%s: %s", rec.step, rec.msg);
        return -1;
}
