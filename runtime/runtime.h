/* runtime/runtime.h — turn a spec into a running, sandboxed process.
 *
 * The parent side stays fast (PID 1's loop must not block for long): it
 * clones, writes id maps when a user namespace needs them, and returns.
 * The child does the sandbox work in the order of docs/design.md, "Spawn order",
 * and reports a failed step over a CLOEXEC pipe (status_fd). EOF on that
 * pipe without a record means execve happened. */
#ifndef SUP_RUNTIME_RUNTIME_H
#define SUP_RUNTIME_RUNTIME_H

#include <stdbool.h>
#include <sys/types.h>

#include "common/err.h"
#include "common/sigconf.h"
#include "confd/spec.h"

/* Once per process, before any spawn: the reaper program's fd, the limits
 * we were given. Our own cgroup (v1/v2, on v2 a leaf for ourselves and the
 * controllers delegated) is found by the first rt_prepare of a service
 * that has limits: a spawn without any reads no mountinfo. */
int rt_init(struct sup_err *err);

/* supd's single-command mode, once its child runs: exec the tiny init
 * (runtime/tiny/) as this process, with the plan (pid1/pid1.h) and
 * argv = { argv0, "--pid1-plan=FD", "--", command... }, so that PID 1 holds
 * a few pages for the container's life. Returns only when it could not
 * (err says why, nothing changed): the caller then stays PID 1 itself. */
struct pid1_plan;
int rt_exec_tiny_init(struct pid1_plan *plan, const char *argv0, char *const command[],
                      struct sup_err *err);

/* supd's control socket: every mount namespace a spawn makes covers it
 * (/dev/null bound over it), unless the spec has control_access. NULL =
 * none. */
void rt_hide_control_socket(const char *path);

/* At config load, once per spec: compile the seccomp policy to BPF and
 * attach it to spec->sandbox (seccomp_bpf), check what can be checked
 * without spawning. Idempotent. */
int rt_prepare(struct svc_spec *spec, struct sup_err *err);

/* rt_prepare() without the seccomp compile: for rt_spawn_early(), whose
 * rt_send_filter() compiles the filter while the child sets up. */
int rt_prepare_but_filter(struct svc_spec *spec, struct sup_err *err);

/* File descriptors the child gets; -1 = inherit supd's own. */
struct rt_stdio {
        int in, out, err;
        int ready_fd;                   /* write end placed at spec->ready_fd, or -1 */
        const char *notify_socket;      /* NOTIFY_SOCKET value for the child, or NULL */
        unsigned long long watchdog_usec;       /* WATCHDOG_USEC (and WATCHDOG_PID); 0 = none */
        const struct sigconf *sigconf;  /* restored in the child */
        bool foreground_tty;            /* single-command: give the child the tty */
};

struct rt_cgroup;                       /* opaque: a service's own cgroup */

struct rt_proc {
        pid_t pid;                      /* as seen by supd */
        int pidfd;                      /* -1 when the kernel gave none */
        int status_fd;                  /* read end: one rt_child_error or EOF; caller closes;
                                         * -1: the command runs already (execve done) */
        struct rt_cgroup *cgroup;       /* NULL when the service has none */
        bool pid_ns;                    /* pid is the reaper (PID 1) of the service's PID ns */
        /* With pid_ns: a pidfd of the service under the reaper, from
         * rt_read_status (else -1). When it ends, the reaper must end within
         * RT_REAPER_DEADLINE_MS; one that does not is stopped or traced, and
         * the caller kills it (the whole namespace goes with it). */
        int service_pidfd;
        int filter_fd;                  /* rt_spawn_early: where rt_send_filter writes; else -1 */
};

/* Spawn. On success *proc is filled and the caller watches status_fd (when
 * not -1) and the pid's exit. Returns -1 only for parent-side failures. */
int rt_spawn(const struct svc_spec *spec, const struct rt_stdio *io, struct rt_proc *proc,
             struct sup_err *err);

/* For a one-shot launcher (suprun), whose seccomp filter needs compiling
 * anyway: spawn first, compile while the child sets up its namespaces and
 * mounts (on another core), and hand the filter over. rt_spawn_early() is
 * rt_spawn() for a spec whose filter is not compiled yet
 * (rt_prepare_but_filter); the child waits for it at its seccomp step.
 * rt_send_filter() must follow: it compiles spec's filter exactly as
 * rt_prepare would and sends it (or "none"). It fails only when the filter
 * does not compile: then the child gets nothing and fails at that step, and
 * err says why (a child that died before reading needs no filter: its
 * status says why). supd compiles at config load and never uses these:
 * its loop must not compile. */
int rt_spawn_early(const struct svc_spec *spec, const struct rt_stdio *io, struct rt_proc *proc,
                   struct sup_err *err);
int rt_send_filter(struct svc_spec *spec, struct rt_proc *proc, struct sup_err *err);

/* Read the child's setup verdict from proc->status_fd (non-blocking safe: returns
 * 1 when nothing is there yet). 0 = execve happened; -1 = a step failed and
 * err says which ("mount /data: No such file or directory"); then
 * *exec_failed (when not NULL) tells whether that step was the execve
 * itself (exit code from common/exitcode.h) rather than a sandbox step. */
int rt_read_status(struct rt_proc *proc, bool *exec_failed, struct sup_err *err);

/* How long the reaper may outlive its service: its sweep of stragglers
 * (TERM, PID1_GRACE_MS_DEFAULT, KILL) and some slack. */
#define RT_REAPER_DEADLINE_MS 7000u

/* Deliver sig to the whole service: every process of its cgroup when it has
 * one (cgroup.kill for SIGKILL on v2), else its process group. In a PID
 * namespace a catchable signal goes to the reaper alone, which forwards it
 * (the service would get it twice otherwise). */
int rt_signal(const struct rt_proc *proc, int sig, struct sup_err *err);

/* After the main pid was reaped: true when the cgroup still holds processes. */
bool rt_has_stragglers(const struct rt_proc *proc);

/* pid is in the service's own cgroup (false when it has none). */
bool rt_cgroup_holds(const struct rt_proc *proc, pid_t pid);

/* The kernel's reason, when it was one: true when the cgroup saw an OOM kill. */
bool rt_oom_killed(const struct rt_proc *proc);

/* Run argv inside a running service's sandbox (a health check): joined to
 * its cgroup and namespaces (through svc's pidfd), then the service's own
 * steps from resource limits on (environment, directory, AppArmor,
 * capabilities, user, seccomp) with io as stdio. The command leads its
 * own process group: kill(-out->pid) ends it and everything it started.
 * out->status_fd reports a failed step like rt_spawn's; out->pidfd is the
 * command's. Parent side as fast as rt_spawn's. */
int rt_exec_in(const struct svc_spec *spec, const struct rt_proc *svc, char *const argv[],
               const struct rt_stdio *io, struct rt_proc *out, struct sup_err *err);

/* A non-blocking, CLOEXEC socket in the service's network namespace (supd's
 * own when the service has none), for a check that needs no process. */
int rt_socket_in(const struct svc_spec *spec, const struct rt_proc *svc, int domain, int type,
                 struct sup_err *err);

/* What a service costs now: from its cgroup when it has one, else summed
 * over its process group from /proc (memory is then the sum of resident
 * sets, which counts shared pages once per process). */
enum { RT_USAGE_MEMORY = 1, RT_USAGE_TASKS = 2, RT_USAGE_CPU = 4 };
struct rt_usage {
        uint64_t memory_bytes;
        uint64_t tasks;                 /* threads */
        uint64_t cpu_ns;                /* user + system, reaped children included */
        bool from_cgroup;
};
/* One entry per proc (NULL: no process, all zero). One walk of /proc
 * serves every service without a cgroup. */
void rt_usage(const struct rt_proc *const procs[], size_t n, struct rt_usage out[]);

/* Close the handles and remove the service's cgroup. Processes just sent
 * SIGKILL may still be exiting: then the cgroup is removed later, by
 * rt_release_pending(). */
void rt_release(struct rt_proc *proc);

/* Retry removing released cgroups that still held exiting processes. Call
 * after reaping a child: a killed process has left its cgroup by the time
 * it can be reaped. Returns how many still wait; no syscall when none. */
int rt_release_pending(void);

#endif
