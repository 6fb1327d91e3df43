/* runtime/join.c — into a sandbox that already runs: a command (rt_exec_in,
 * for health checks) and a socket in its network namespace (rt_socket_in).
 *
 * A command joins the service's cgroup, then every namespace of the
 * service at once through its pidfd (setns(2), so the set is the one the
 * service lives in, never a path a service could have swapped), then
 * takes the service's own steps from resource limits to execve (spawn.c's
 * child_exec) with its own argv. A PID namespace applies only to children
 * of the joiner: then the joined child forks once more and waits, so the
 * command is a member of the service's PID namespace with a parent that
 * hands its exit status up. */
#include "runtime/runtime.h"
#include "runtime/runtime_int.h"
#include "common/exitcode.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif

/* The namespaces the service was given (a PID or network namespace also
 * brings a mount namespace: see spawn.c's effective_namespaces). */
static int joined_namespaces(const struct sandbox_spec *sb)
{
        unsigned long ns = sb->namespaces;

        if (ns & (CLONE_NEWPID | CLONE_NEWNET))
                ns |= CLONE_NEWNS;
        return (int)ns;
}

static int join(const struct rt_proc *svc, int ns, struct sup_err *err)
{
        if (!ns)
                return 0;
        if (svc->pidfd < 0)
                return sup_fail(err, ENOSYS, "no pidfd for the service (Linux 5.8 or later needed)");
        if (setns(svc->pidfd, ns) < 0)
                return sup_fail(err, errno, "setns into the service's namespaces");
        /* Root inside a user namespace, as the service's spawn became. */
        if (ns & CLONE_NEWUSER) {
                if (setresgid(0, 0, 0) < 0 && errno != EINVAL)
                        return sup_fail(err, errno, "setresgid 0 in the user namespace");
                if (setresuid(0, 0, 0) < 0 && errno != EINVAL)
                        return sup_fail(err, errno, "setresuid 0 in the user namespace");
        }
        return 0;
}

/* The joined child in a PID namespace: the command is our child, and its
 * exit is ours. Signals stay blocked here: a kill of the group reaches the
 * command, and SIGKILL both of us. */
static __attribute__((noreturn)) void relay(struct child_ctx *c)
{
        struct sup_err err = { 0, "" };
        sigset_t all;
        pid_t pid;
        int st;

        sigfillset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        /* A copy of supd joined to the service's namespaces: none of it may
         * be read (the command it forks is dumpable again after execve). */
        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        pid = fork();
        if (pid == 0) {
                if (child_restore_signals(c->io, &err) < 0) {
                        child_report(c->status_fd, "signals", 127, &err);
                        _exit(127);
                }
                child_exec(c);
        }
        if (pid < 0) {
                sup_fail(&err, errno, "fork in the PID namespace");
                child_report(c->status_fd, "pid namespace", 127, &err);
                _exit(127);
        }
        close(c->status_fd);
        /* Become the reaper's relay mode: nothing of supd's memory stays
         * beside the check. The tiny reaper reads no file; the fallback
         * (our own program) does not exec when the service has its own
         * tree (root, binds): we are in its mount namespace, and the
         * dynamic loader would take libraries from there. Then, or when
         * the exec cannot be made, wait as we are: non-dumpable and,
         * outside the PID namespace we forked into, invisible from inside
         * it. */
        if (!reaper_reads_files() || (!c->spec->sandbox.root && !c->spec->sandbox.n_binds))
                reaper_exec_relay(pid, &err);
        while (waitpid(pid, &st, 0) < 0)
                if (errno != EINTR)
                        _exit(127);
        _exit(exitcode_of_status(st));
}

static __attribute__((noreturn)) void joined_child(struct child_ctx *c, const struct rt_proc *svc)
{
        int ns = joined_namespaces(&c->spec->sandbox);
        struct sup_err err = { 0, "" };

        STEP("session", child_new_session(c->io, &err));
        STEP("signals", child_restore_signals(c->io, &err));
        STEP("user",    creds_resolve(c->spec, &c->creds, &err));      /* the host's files */
        if (svc->cgroup)
                STEP("cgroup", cgroup_enter(svc->cgroup, &err));
        STEP("namespaces", join(svc, ns, &err));
        if (ns & CLONE_NEWPID)
                relay(c);
        child_exec(c);
}

int rt_exec_in(const struct svc_spec *spec, const struct rt_proc *svc, char *const argv[],
               const struct rt_stdio *io, struct rt_proc *out, struct sup_err *err)
{
        struct svc_spec copy = *spec;
        struct child_ctx c = { .spec = &copy, .io = io, .sync_fd = -1, .filter_fd = -1 };
        struct clone_args args = { .flags = CLONE_PIDFD, .exit_signal = SIGCHLD };
        int status[2], pidfd = -1;
        pid_t pid;

        memset(out, 0, sizeof(*out));
        out->pidfd = out->status_fd = out->filter_fd = out->service_pidfd = -1;
        out->pid = -1;
        if (!argv || !argv[0])
                return sup_fail(err, EINVAL, "%s: no command", spec->name);
        copy.argv = (char **)argv;
        copy.ready_fd = -1;
        c.envp = env_build(spec, io, &c.watchdog_pid, err);
        if (!c.envp)
                return sup_wrap(err, "%s", spec->name);
        /* The same kind of channel as a spawn's, for rt_read_status. */
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, status) < 0) {
                free(c.envp);
                return sup_fail(err, errno, "%s: status socket", spec->name);
        }
        c.status_fd = status[1];
        args.pidfd = (uint64_t)(uintptr_t)&pidfd;
        pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
        if (pid < 0 && (errno == ENOSYS || errno == E2BIG)) {
                pidfd = -1;
                pid = fork();
        }
        if (pid == 0) {
                close(status[0]);
                joined_child(&c, svc);
        }
        close(status[1]);
        free(c.envp);
        if (pid < 0) {
                close(status[0]);
                return sup_fail(err, errno, "%s: clone", spec->name);
        }
        out->pid = pid;
        out->pidfd = pidfd;
        out->status_fd = status[0];
        return 0;
}

/* Our own network namespace, to come back to: opened once, before any
 * switch, so it is always supd's. */
static int own_netns(void)
{
        static int fd = -1;

        if (fd < 0)
                fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        return fd;
}

int rt_socket_in(const struct svc_spec *spec, const struct rt_proc *svc, int domain, int type,
                 struct sup_err *err)
{
        int home = -1, fd, e;

        type |= SOCK_NONBLOCK | SOCK_CLOEXEC;
        if (!(spec->sandbox.namespaces & CLONE_NEWNET)) {
                fd = socket(domain, type, 0);
                return fd < 0 ? sup_fail(err, errno, "socket") : fd;
        }
        if (svc->pidfd < 0)
                return sup_fail(err, ENOSYS, "no pidfd for the service (Linux 5.8 or later needed)");
        home = own_netns();
        if (home < 0)
                return sup_fail(err, errno, "open /proc/self/ns/net");
        if (setns(svc->pidfd, CLONE_NEWNET) < 0)
                return sup_fail(err, errno, "setns into the service's network namespace");
        fd = socket(domain, type, 0);
        e = errno;
        if (setns(home, CLONE_NEWNET) < 0) {    /* cannot fail for our own: say so if it does */
                e = errno;
                if (fd >= 0)
                        close(fd);
                return sup_fail(err, e, "setns back into supd's network namespace");
        }
        return fd < 0 ? sup_fail(err, e, "socket") : fd;
}
