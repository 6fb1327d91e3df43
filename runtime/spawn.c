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
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* The service starts on a stack of its own (child_reaper): the ASan build
 * is told, as for a fiber, or it takes that stack for a corrupt one. */
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/common_interface_defs.h>
#define stack_switch_start(bottom, size) __sanitizer_start_switch_fiber(NULL, bottom, size)
#define stack_switch_done() __sanitizer_finish_switch_fiber(NULL, NULL, NULL)
#include <sanitizer/asan_interface.h>
#define stack_unpoison(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define stack_switch_start(bottom, size) ((void)(bottom), (void)(size))
#define stack_switch_done() ((void)0)
#define stack_unpoison(p, n) ((void)(p), (void)(n))
#endif

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
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

static int set_process_env(const struct svc_spec *s, struct child_ctx *c, struct sup_err *err)
{
        if (s->umask >= 0)
                umask((mode_t)s->umask);
        if (s->directory && chdir(s->directory) < 0)
                return sup_fail(err, errno, "directory %s", s->directory);
        env_set_watchdog_pid(c->watchdog_pid);
        environ = c->envp;      /* execvp searches the service's PATH, as before */
        return 0;
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
        STEP("environment",  set_process_env(s, c, &err));
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

/* A PID namespace needs its own /proc, hence its own mount namespace. */
static unsigned long effective_namespaces(const struct sandbox_spec *sb)
{
        unsigned long ns = sb->namespaces;

        /* Their /proc and /sys are mounted fresh, which needs a mount ns. */
        return ns & (CLONE_NEWPID | CLONE_NEWNET) ? ns | CLONE_NEWNS : ns;
}

static int wait_for_eof(int *fd, struct sup_err *err)
{
        char byte;
        ssize_t n;

        if (*fd < 0)
                return 0;
        do
                n = read(*fd, &byte, 1);
        while (n < 0 && errno == EINTR);
        close(*fd);
        *fd = -1;
        return n == 0 ? 0 : sup_fail(err, n < 0 ? errno : EPROTO, "the reaper did not start");
}

/* The reaper is non-dumpable, and the fallback one has loaded its
 * libraries: mounts may now change what paths name. */
static int wait_for_reaper_libs(struct child_ctx *c, struct sup_err *err)
{
        return wait_for_eof(&c->ready_gate[0], err);
}

/* No code of the service runs before PID 1 is the reaper program (the
 * copy of supd's memory gone) and non-dumpable (reaper_exec makes it so
 * from the exec on; else the reaper does, first thing). With the tiny
 * reaper the exec alone is enough when it made the image non-dumpable:
 * from its first instruction nobody may ptrace it or read its memory, and
 * it loads nothing from a path, so neither the service's mounts nor its
 * code can change what PID 1 runs. Only a single-uid user namespace,
 * where the exec cannot be made non-dumpable, waits for the reaper's own
 * gate (closed just after its PR_SET_DUMPABLE). */
static int wait_for_reaper(struct child_ctx *c, struct sup_err *err)
{
        if (wait_for_eof(&c->exec_gate[0], err) < 0)
                return -1;
        return c->reaper_dumpable_at_exec ? wait_for_reaper_libs(c, err) : 0;
}

/* What follows the namespaces: network, mounts, hostname, then the
 * service's own steps and execve. In a PID namespace this runs in PID 1's
 * child, beside the reaper's exec. */
static __attribute__((noreturn)) void child_sandbox(struct child_ctx *c)
{
        const struct sandbox_spec *sb = &c->spec->sandbox;
        unsigned long ns = effective_namespaces(sb);
        struct sup_err err = { 0, "" };

        if (ns & CLONE_NEWNET)
                STEP("network",  ns_loopback_up(&err));
        /* A new root or binds change what a path names: the fallback
         * reaper (our own program) must not load a library from the
         * service's tree. The tiny one is exec'd from an fd and loads
         * nothing, so mounts cannot reach it. */
        if ((sb->root || sb->n_binds) && reaper_reads_files())
                STEP("reaper",   wait_for_reaper_libs(c, &err));
        if (ns & CLONE_NEWNS)
                STEP("mount",    mount_setup(sb, &err));
        if (c->spec->sandbox.hostname)
                STEP("hostname", ns_set_hostname(sb->hostname, &err));
        STEP("reaper",       wait_for_reaper(c, &err));
        child_exec(c);
}

/* PID 1's child, the future service: the mask blocked for the reaper comes
 * back (its handlers are the ones child_main restored), then the rest. */
static int service_main(void *arg)
{
        struct child_ctx *c = arg;
        struct sup_err err = { 0, "" };
        sigset_t none;

        stack_switch_done();
        close(c->exec_gate[1]);
        close(c->ready_gate[1]);
        sigemptyset(&none);
        if (sigprocmask(SIG_SETMASK, c->io->sigconf ? &c->io->sigconf->mask : &none, NULL) < 0) {
                sup_fail(&err, errno, "sigprocmask");
                child_report(c->status_fd, "signals", 127, &err);
                _exit(127);
        }
        child_sandbox(c);
}

/* Tell the parent which process is the service: a pidfd, over the status
 * socket, so that it sees the service end even when the reaper cannot say
 * so (stopped, traced) and does not wait for the reaper for ever. */
static void send_service_pidfd(int status_fd, int pidfd)
{
        struct rt_status_rec rec;
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } ctl;
        struct iovec iov = { .iov_base = &rec, .iov_len = sizeof(rec) };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                              .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
        struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

        memset(&rec, 0, sizeof(rec));
        snprintf(rec.step, sizeof(rec.step), "%s", RT_STATUS_SERVICE_PIDFD);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &pidfd, sizeof(int));
        while (sendmsg(status_fd, &msg, MSG_NOSIGNAL) < 0 && errno == EINTR)
                ;
}

/* PID 1 of the service's PID namespace. This process is a clone of supd:
 * it starts the service's process, then execs the reaper program
 * (runtime/reaper.c, runtime/tiny/reaper.c), which forwards signals,
 * reaps every zombie, sweeps stragglers and exits with the service's
 * code, holding nothing of supd.
 *
 * The service's process is a clone sharing our memory (CLONE_VM, as vfork,
 * so no page tables are copied) but not waiting for us: it sets up the
 * network, mounts and hostname on a stack of its own while we exec, and
 * holds the old memory alone from then on; it runs no code of the service
 * before the reaper says it is ready (the gate). Every signal is blocked
 * from before the clone, so none meant for the service is lost or kills us
 * before the reaper reads it. */
#define SERVICE_STACK (256 * 1024)
static __attribute__((noreturn)) void child_reaper(struct child_ctx *c)
{
        struct sup_err err = { 0, "" };
        sigset_t all;
        void *stack;
        int pidfd = -1;
        pid_t pid;

        sigfillset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        stack = mmap(NULL, SERVICE_STACK, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
        if (stack == MAP_FAILED || pipe2(c->exec_gate, O_CLOEXEC) < 0 ||
            pipe2(c->ready_gate, O_CLOEXEC) < 0) {
                sup_fail(&err, errno, "start the service");
                child_report(c->status_fd, "pid namespace", 127, &err);
                _exit(127);
        }
        stack_switch_start(stack, SERVICE_STACK);
        pid = clone(service_main, (char *)stack + SERVICE_STACK, CLONE_VM | CLONE_PIDFD | SIGCHLD,
                    c, &pidfd);
        if (pid < 0) {
                sup_fail(&err, errno, "start the service");
                child_report(c->status_fd, "pid namespace", 127, &err);
                _exit(127);
        }
        /* From here on the service's process runs on this memory: touch
         * nothing but our own stack (and the flag it reads after the exec),
         * and exec. */
        close(c->exec_gate[0]);
        close(c->ready_gate[0]);
        send_service_pidfd(c->status_fd, pidfd);
        STEP("reaper", reaper_exec(pid, c->ready_gate[1], &c->reaper_dumpable_at_exec, &err));
        _exit(127);
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
        if (ns & CLONE_NEWPID)
                child_reaper(c);
        child_sandbox(c);
}

/* ------------------------------------------------------------------ */
/* Parent side                                                          */

/* A service with nothing of the sandbox: no namespace, cgroup, user,
 * capabilities, filter, profile or no_new_privs. Its child only makes a
 * session, restores signals, sets limits, directory, environ and stdio,
 * all system calls that touch nothing of the parent's memory but the
 * child_ctx, so it can be vforked (see spawn()). The others resolve users
 * through NSS and allocate, which must not happen in supd's memory. */
static bool plain_service(const struct svc_spec *s, bool filter_later)
{
        const struct sandbox_spec *sb = &s->sandbox;

        return !filter_later && !effective_namespaces(sb) && !cgroup_wanted(sb) && !s->user &&
               !s->group && !sb->caps_set && !sb->no_new_privileges && !sb->seccomp_bpf &&
               !sb->apparmor;
}

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

/* After a vfork returns the child has exec'd or exited, and a step that
 * failed wrote its record before exiting: nothing to read = it exec'd. */
static bool verdict_pending(int status_fd)
{
        int n = 0;

        return ioctl(status_fd, FIONREAD, &n) < 0 || n > 0;
}

/* The fds a plain child needs sit in slots: low numbers of supd's table,
 * taken at the first plain spawn and holding /dev/null between spawns (a
 * stale reference would keep a service's pipe or status socket open). */
enum { SLOT_IN, SLOT_OUT, SLOT_ERR, SLOT_READY, SLOT_STATUS, SLOTS };
static int slot_fd[SLOTS] = { -1, -1, -1, -1, -1 };
static int slot_null = -1, slot_top = -1;

static void slots_drop(void)
{
        for (int i = 0; i < SLOTS; i++) {
                if (slot_fd[i] >= 0)
                        close(slot_fd[i]);
                slot_fd[i] = -1;
        }
        if (slot_null >= 0)
                close(slot_null);
        slot_null = slot_top = -1;
}

/* Above 0-2 even when supd was started with one of them closed: a slot
 * there would make a service's pipe supd's own stdout for a moment. */
static int slots_reserve(struct sup_err *err)
{
        if (slot_null >= 0)
                return 0;
        slot_null = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (slot_null < 0)
                return sup_fail(err, errno, "/dev/null");
        for (int i = 0; i < SLOTS; i++) {
                slot_fd[i] = fcntl(slot_null, F_DUPFD_CLOEXEC, 3);
                if (slot_fd[i] < 0) {
                        sup_fail(err, errno, "fd slots");
                        slots_drop();
                        return -1;
                }
                if (slot_fd[i] > slot_top)
                        slot_top = slot_fd[i];
        }
        return 0;
}

/* fd into slot i (-1 stays -1); *child_fd becomes the child's number for it. */
static int slot_put(int i, int fd, int *child_fd, struct sup_err *err)
{
        *child_fd = -1;
        if (fd < 0)
                return 0;
        if (dup3(fd, slot_fd[i], O_CLOEXEC) < 0)
                return sup_fail(err, errno, "fd slot");
        *child_fd = slot_fd[i];
        return 0;
}

static int slots_fill(struct child_ctx *c, struct rt_stdio *io, struct sup_err *err)
{
        *io = *c->io;
        if (slots_reserve(err) < 0 || slot_put(SLOT_IN, c->io->in, &io->in, err) < 0 ||
            slot_put(SLOT_OUT, c->io->out, &io->out, err) < 0 ||
            slot_put(SLOT_ERR, c->io->err, &io->err, err) < 0 ||
            slot_put(SLOT_READY, c->io->ready_fd, &io->ready_fd, err) < 0)
                return -1;
        return slot_put(SLOT_STATUS, c->status_fd, &c->status_fd, err);
}

static void slots_clear(void)
{
        for (int i = 0; i < SLOTS; i++)
                dup3(slot_null, slot_fd[i], O_CLOEXEC);
}

struct plain_arg {
        struct child_ctx *c;
        int status_rd;
        bool shares_files;
};

/* Whether a plain child can leave supd's fd table with close_range's
 * UNSHARE. Not before Linux 5.9, nor under a seccomp profile that denies
 * close_range (Docker's and podman's before 2021 answer EPERM, and allow
 * unshare only with CAP_SYS_ADMIN): then clone copies the table, as fork
 * does. Asked of supd's own table, which nothing shares: a no-op. Not
 * cached: a filter may come later (it costs less than the clone). */
static bool files_unsharable(void)
{
        return syscall(SYS_close_range, ~0U, ~0U, CLOSE_RANGE_UNSHARE) == 0;
}

/* Still on supd's table: keep only the fds up to the highest slot (the
 * kernel copies just those), then it is the child's own. */
static int plain_main(void *arg)
{
        struct plain_arg *a = arg;
        struct sup_err err = { 0, "" };

        if (a->shares_files &&
            syscall(SYS_close_range, slot_top + 1, ~0U, CLOSE_RANGE_UNSHARE) < 0) {
                sup_fail(&err, errno, "unshare the fd table");
                child_report(a->c->status_fd, "stdio", 127, &err);
                _exit(127);
        }
        close(a->status_rd);
        child_main(a->c);
}

/* The stack a plain child runs on until its exec: one mapping, kept for
 * the next spawn (supd waits for each child, so one at a time uses it),
 * with a guard page below it. execvp puts argv on it again when it runs a
 * script without #! (and PATH's buffer), so it grows with argv: an overflow
 * must kill the child, never write over supd's memory. */
#define PLAIN_STACK_MIN (128 * 1024)
static char *plain_stack(char *const *argv, size_t *size, struct sup_err *err)
{
        static char *base;
        static size_t have;
        size_t page = (size_t)sysconf(_SC_PAGESIZE), want = PLAIN_STACK_MIN, argc = 0;
        char *map;

        while (argv[argc])
                argc++;
        want += (argc + 2) * sizeof(char *) * 2;
        want = (want + page - 1) & ~(page - 1);
        if (want <= have) {
                *size = have;
                return base;
        }
        map = mmap(NULL, want + page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
        if (map == MAP_FAILED || mprotect(map, page, PROT_NONE) < 0) {
                sup_fail(err, errno, "a stack for the child");
                if (map != MAP_FAILED)
                        munmap(map, want + page);
                return NULL;
        }
        if (base)
                munmap(base - page, have + page);
        base = map + page;
        have = want;
        *size = have;
        return base;
}

/* A plain service: a clone sharing supd's memory and fd table that supd
 * waits for (CLONE_VM | CLONE_VFORK, as posix_spawn does). No page tables
 * are copied (most of what a fork cost supd: 2/3 of its CPU per spawn) and
 * no copy-on-write fault follows in either. Nor is supd's fd table, ~2 fds
 * per service: vfork copied all of it and the child's execve closed all of
 * it again, O(services) per spawn: 0.1-0.2 ms more with 2000 fds here.
 * The child changes of supd's memory only environ, put back here, and the
 * child_ctx; it runs on plain_stack(). Not pinned to our CPU as
 * child_reaper's service is: with a thousand starting at once, pinned
 * children pile up on one CPU (median spawn 1.2 ms against 0.2-1 ms). No
 * pidfd: nothing uses one for a plain service. */
static pid_t plain_child(struct child_ctx *c, int status_rd, struct sup_err *err)
{
        size_t stack_size = 0;
        char *stack = plain_stack(c->spec->argv, &stack_size, err);
        const struct rt_stdio *io = c->io;
        struct rt_stdio slotted;
        struct plain_arg a = { c, status_rd, files_unsharable() };
        char **saved_environ = environ;
        int status_fd = c->status_fd;
        pid_t pid = -1;

        if (stack && slots_fill(c, &slotted, err) == 0) {
                c->io = &slotted;
                pid = clone(plain_main, stack + stack_size,
                            CLONE_VM | CLONE_VFORK | (a.shares_files ? CLONE_FILES : 0) | SIGCHLD,
                            &a);
                if (pid < 0)
                        sup_fail(err, errno, "clone");
                environ = saved_environ;
                stack_unpoison(stack, stack_size);
        }
        c->io = io;
        c->status_fd = status_fd;
        if (slot_null >= 0)
                slots_clear();
        return pid;
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
        struct child_ctx c = { .spec = spec, .io = io, .sync_fd = -1, .filter_fd = -1,
                                .exec_gate = { -1, -1 }, .ready_gate = { -1, -1 } };
        struct rt_cgroup *cg = NULL;
        int status[2] = { -1, -1 }, sync[2] = { -1, -1 }, filter[2] = { -1, -1 };
        int pidfd = -1, cgroup_fd;
        uint64_t t0 = trace_enabled() ? now_ns() : 0;
        bool plain = plain_service(spec, filter_later);
        pid_t pid;

        proc->pid = -1;
        proc->pidfd = -1;
        proc->status_fd = -1;
        proc->service_pidfd = -1;
        proc->cgroup = NULL;
        proc->pid_ns = false;
        proc->filter_fd = -1;
        if (!spec->argv || !spec->argv[0])
                return sup_fail(err, EINVAL, "%s: no command", spec->name);
        c.envp = env_build(spec, io, &c.watchdog_pid, err);
        if (!c.envp)
                return sup_wrap(err, "%s", spec->name);
        /* A socket, so that PID 1 of a PID namespace can pass the service's
         * pidfd; records stay whole (SEQPACKET) and EOF means what a pipe's
         * does. */
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, status) < 0) {
                sup_fail(err, errno, "%s: status socket", spec->name);
                goto fail;
        }
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
        if (plain) {
                pid = plain_child(&c, status[0], err);
                if (pid < 0) {
                        sup_wrap(err, "%s", spec->name);
                        goto fail;
                }
        } else
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
        free(c.envp);
        c.envp = NULL;
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
        if (plain && !verdict_pending(status[0])) {
                close(status[0]);       /* no watcher, no loop pass for the EOF */
                proc->status_fd = -1;
        }
        proc->cgroup = cg;
        proc->pid_ns = sb->namespaces & CLONE_NEWPID;
        proc->filter_fd = filter[1];
        if (t0)
                fprintf(stderr, "sup-trace: rt_spawn parent side %.1f us\n",
                        (double)(now_ns() - t0) / 1000.0);
        return 0;
fail:
        free(c.envp);
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

/* One record, and the fd it carries (or -1). */
static ssize_t recv_record(int fd, struct rt_status_rec *rec, int *passed)
{
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } ctl;
        struct iovec iov = { .iov_base = rec, .iov_len = sizeof(*rec) };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                              .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
        struct cmsghdr *cm;
        ssize_t n;

        *passed = -1;
        do
                n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
        while (n < 0 && errno == EINTR);
        for (cm = n > 0 ? CMSG_FIRSTHDR(&msg) : NULL; cm; cm = CMSG_NXTHDR(&msg, cm))
                if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
                    cm->cmsg_len == CMSG_LEN(sizeof(int)))
                        memcpy(passed, CMSG_DATA(cm), sizeof(int));
        return n;
}

int rt_read_status(struct rt_proc *proc, bool *exec_failed, struct sup_err *err)
{
        struct rt_status_rec rec;
        int passed;
        ssize_t n;

        if (proc->status_fd < 0)
                return 0;               /* known at the spawn: it exec'd */
        for (;;) {
                n = recv_record(proc->status_fd, &rec, &passed);
                if (n != (ssize_t)sizeof(rec) || passed < 0 ||
                    strncmp(rec.step, RT_STATUS_SERVICE_PIDFD, sizeof(rec.step)) != 0)
                        break;
                if (proc->service_pidfd >= 0)
                        close(proc->service_pidfd);
                proc->service_pidfd = passed;
        }
        if (passed >= 0)
                close(passed);
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
