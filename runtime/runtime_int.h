/* runtime/runtime_int.h — the steps of a spawn, one concern per file.
 *
 * Internal to runtime/: spawn.c calls these in the order of docs/design.md
 * "Spawn order". Child-side steps run after clone in the future service
 * (single-threaded, a private copy of supd's memory) and report through
 * struct sup_err; parent-side ones are marked so and must stay fast. */
#ifndef SUP_RUNTIME_RUNTIME_INT_H
#define SUP_RUNTIME_RUNTIME_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/err.h"
#include "confd/spec.h"

/* One failed step, as written by the child to the status pipe (atomic:
 * smaller than PIPE_BUF). */
struct rt_status_rec {
        char step[24];
        int errnum;
        int exit_code;          /* what the child exits with: 127 setup/not found, 126 not executable */
        char msg[400];
};

/* --- creds.c: user/group, resolved on the host before pivot_root ---- */
struct rt_creds {
        bool set;               /* spec->user or spec->group given */
        uid_t uid;
        gid_t gid;
        gid_t groups[64];
        int ngroups;
};
int creds_resolve(const struct svc_spec *s, struct rt_creds *c, struct sup_err *err);
int creds_apply(const struct rt_creds *c, struct sup_err *err);

/* --- caps.c: capabilities through libcap ----------------------------- */
int caps_drop_bounding(const struct sandbox_spec *sb, struct sup_err *err);
int caps_keep(const struct sandbox_spec *sb, const struct rt_creds *c, struct sup_err *err);
int caps_apply(const struct sandbox_spec *sb, const struct rt_creds *c, struct sup_err *err);

/* --- ns.c / idmap.c: namespaces ------------------------------------- */
int idmap_write(pid_t pid, const struct sandbox_spec *sb, struct sup_err *err);   /* parent */
int ns_loopback_up(struct sup_err *err);
int ns_set_hostname(const char *name, struct sup_err *err);
int ns_unshare(unsigned long flags, struct sup_err *err);          /* CLONE_NEW* */

/* --- mount.c: the mount namespace ----------------------------------- */
int mount_setup(const struct sandbox_spec *sb, struct sup_err *err);
/* runc's masked and read-only paths (mount_defaults.c), NULL-terminated. */
extern const char *const mount_default_masked[];
extern const char *const mount_default_read_only[];

/* --- rlimit.c -------------------------------------------------------- */
int rlimits_apply(const struct sandbox_spec *sb, struct sup_err *err);

/* --- apparmor.c ------------------------------------------------------ */
int apparmor_check(const char *profile, struct sup_err *err);      /* at rt_prepare */
int apparmor_exec(const char *profile, struct sup_err *err);

/* --- seccomp.c ------------------------------------------------------- */
int syscall_filter_compile(struct sandbox_spec *sb, struct sup_err *err);       /* at rt_prepare */
int syscall_filter_load(const struct sandbox_spec *sb, struct sup_err *err);

/* --- cgroup.c -------------------------------------------------------- */
struct rt_cgroup;
bool cgroup_wanted(const struct sandbox_spec *sb);
int cgroup_init(struct sup_err *err);
int cgroup_prepare(const struct sandbox_spec *sb, struct sup_err *err);  /* at rt_prepare */
int cgroup_create(const struct svc_spec *s, struct rt_cgroup **out, struct sup_err *err); /* parent */
int cgroup_clone_fd(const struct rt_cgroup *cg);                  /* v2 dirfd for CLONE_INTO_CGROUP, or -1 */
int cgroup_join_self(const struct rt_cgroup *cg, struct sup_err *err);  /* child, v1 */
int cgroup_kill(const struct rt_cgroup *cg, int sig, struct sup_err *err);
bool cgroup_populated(const struct rt_cgroup *cg);
bool cgroup_oom_killed(const struct rt_cgroup *cg);
void cgroup_destroy(struct rt_cgroup *cg);                          /* now, or once empty */
int cgroup_release_pending(void);                                   /* retry; how many wait */

#endif
