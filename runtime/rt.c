/* runtime/rt.c — the runtime's public face apart from the spawn itself:
 * init, load-time preparation, signalling a whole service, release. */
#include "runtime/runtime.h"
#include "runtime/runtime_int.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

int rt_init(struct sup_err *err)
{
        reaper_init();
        rlimit_capture_given();
        return 0;
}

void rt_hide_control_socket(const char *path)
{
        mount_hide_socket(path);
}

int rt_prepare_but_filter(struct svc_spec *spec, struct sup_err *err)
{
        struct sandbox_spec *sb = &spec->sandbox;

        if (apparmor_check(sb->apparmor, err) < 0)
                return sup_wrap(err, "%s", spec->name);
        if (cgroup_wanted(sb) && cgroup_prepare(sb, err) < 0)
                return sup_wrap(err, "%s", spec->name);
        return 0;
}

int rt_prepare(struct svc_spec *spec, struct sup_err *err)
{
        if (rt_prepare_but_filter(spec, err) < 0)
                return -1;
        if (syscall_filter_compile(&spec->sandbox, err) < 0)
                return sup_wrap(err, "%s", spec->name);
        return 0;
}

int rt_signal(const struct rt_proc *proc, int sig, struct sup_err *err)
{
        if (proc->pid_ns && sig != SIGKILL && proc->pid > 0) {
                if (kill(proc->pid, sig) == 0)
                        return 0;
                return sup_fail(err, errno, "kill %d", (int)proc->pid);
        }
        if (proc->cgroup) {
                int rc = cgroup_kill(proc->cgroup, sig, err);

                if (rc == 0 || err->errnum != ENOENT)
                        return rc;
                /* v1: the child has not made its cgroup yet; its group will do. */
        }
        if (proc->pid <= 0)
                return sup_fail(err, ESRCH, "no process");
        /* The service leads its own session, hence its process group. */
        if (kill(-proc->pid, sig) == 0 || (errno == ESRCH && kill(proc->pid, sig) == 0))
                return 0;
        return sup_fail(err, errno, "kill %d", (int)proc->pid);
}

bool rt_has_stragglers(const struct rt_proc *proc)
{
        if (proc->cgroup)
                return cgroup_populated(proc->cgroup);
        return proc->pid > 0 && kill(-proc->pid, 0) == 0;
}

bool rt_cgroup_holds(const struct rt_proc *proc, pid_t pid)
{
        return proc->cgroup && cgroup_holds(proc->cgroup, pid);
}

bool rt_oom_killed(const struct rt_proc *proc)
{
        return proc->cgroup && cgroup_oom_killed(proc->cgroup);
}

void rt_release(struct rt_proc *proc)
{
        if (proc->cgroup)
                cgroup_destroy(proc->cgroup);
        proc->cgroup = NULL;
        if (proc->pidfd >= 0)
                close(proc->pidfd);
        proc->pidfd = -1;
        if (proc->service_pidfd >= 0)
                close(proc->service_pidfd);
        proc->service_pidfd = -1;
}

int rt_release_pending(void)
{
        return cgroup_release_pending();
}
