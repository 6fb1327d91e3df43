/* runtime/pending.c — TEMPORARY: mount, seccomp and cgroup steps not landed
 * yet; rt_prepare() refuses specs that need them with a clear message. */
#include "runtime/child.h"

#include <errno.h>
#include <sched.h>

int mount_setup(const struct sandbox_spec *sb, struct sup_err *err)
{
        (void)sb;
        return sup_fail(err, ENOSYS, "mount namespace setup not available yet");
}

int seccomp_compile(struct sandbox_spec *sb, struct sup_err *err)
{
        if (sb->seccomp != SECCOMP_NONE || sb->seccomp_allow || sb->seccomp_deny)
                return sup_fail(err, ENOSYS, "seccomp not available yet");
        return 0;
}

int seccomp_load(const struct sandbox_spec *sb, struct sup_err *err)
{
        (void)sb; (void)err;
        return 0;
}

bool cgroup_wanted(const struct sandbox_spec *sb)
{
        return sb->memory_max || sb->cpu_max > 0 || sb->pids_max || sb->io_weight;
}

int cgroup_init(struct sup_err *err) { (void)err; return 0; }
int cgroup_prepare(const struct sandbox_spec *sb, struct sup_err *err)
{
        (void)sb;
        return sup_fail(err, ENOSYS, "cgroup limits not available yet");
}
int cgroup_create(const struct svc_spec *s, struct rt_cgroup **out, struct sup_err *err)
{
        (void)s; *out = NULL;
        return sup_fail(err, ENOSYS, "cgroup limits not available yet");
}
int cgroup_clone_fd(const struct rt_cgroup *cg) { (void)cg; return -1; }
int cgroup_join_self(const struct rt_cgroup *cg, struct sup_err *err) { (void)cg; (void)err; return 0; }
int cgroup_kill(const struct rt_cgroup *cg, int sig, struct sup_err *err) { (void)cg; (void)sig; (void)err; return 0; }
bool cgroup_populated(const struct rt_cgroup *cg) { (void)cg; return false; }
bool cgroup_oom_killed(const struct rt_cgroup *cg) { (void)cg; return false; }
void cgroup_destroy(struct rt_cgroup *cg) { (void)cg; }
