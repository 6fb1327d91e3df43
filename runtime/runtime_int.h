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

/* The status record that carries the service's pidfd (SCM_RIGHTS) from PID 1
 * of its namespace, before any verdict. */
#define RT_STATUS_SERVICE_PIDFD "service pidfd"

/* --- reaper.c: the program PID 1 of a PID namespace becomes ----------- */
void reaper_init(void);                         /* at rt_init: the fd the reaper is exec'd from */
/* The tiny init (runtime/tiny/) in a sealed memfd called name, opened
 * O_PATH to exec; -1 (err set) where it is not built or memfds cannot be. */
int reaper_tiny_image(const char *name, struct sup_err *err);
/* Whether the reaper's exec reads files (the fallback: our own program,
 * whose loader opens libraries by path) rather than the tiny reaper alone. */
bool reaper_reads_files(void);
/* child, PID 1: exec the reaper; `gate` is the write end it closes once
 * ready; *dumpable tells whether the image is dumpable until then. Returns
 * only on failure. */
int reaper_exec(pid_t service, int gate, volatile bool *dumpable, struct sup_err *err);
/* a health check's relay in a PID namespace: exec the program in its relay
 * mode, which waits for `check`; returns only on failure */
int reaper_exec_relay(pid_t check, struct sup_err *err);

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

/* --- spawn.c: the steps join.c shares ---------------------------------- */
struct rt_stdio;
struct rt_cgroup;

/* Everything the child needs, gathered before clone. */
struct child_ctx {
        const struct svc_spec *spec;
        const struct rt_stdio *io;
        const struct rt_cgroup *cg;
        int status_fd;          /* write end, CLOEXEC */
        int sync_fd;            /* read end: EOF = id maps written; -1 when no user ns */
        int filter_fd;          /* rt_spawn_early: the filter comes here; else -1 */
        bool join_cgroup;       /* clone did not place us in our cgroup (v1) */
        /* child_reaper: PID 1's exec closes `exec_gate`; the reaper closes
         * `ready_gate` once non-dumpable (and, the fallback reaper, with
         * its libraries loaded). */
        int exec_gate[2], ready_gate[2];
        volatile bool reaper_dumpable_at_exec;  /* set by PID 1 before its exec */
        char **envp;            /* env_build(): the child's environ */
        char *watchdog_pid;     /* its WATCHDOG_PID= entry, completed in the child; or NULL */
        struct rt_creds creds;
};
/* One step of a child's setup: a failure is reported on the status channel
 * (step NAME, exit 127) and ends the child. Needs `c` and `err` in scope. */
#define STEP(name, call)                                                \
        do {                                                            \
                if ((call) < 0) {                                       \
                        child_report(c->status_fd, name, 127, &err);    \
                        _exit(127);                                     \
                }                                                       \
        } while (0)

int child_new_session(const struct rt_stdio *io, struct sup_err *err);
int child_restore_signals(const struct rt_stdio *io, struct sup_err *err);
/* One failed step on the status pipe (the child exits right after). */
void child_report(int fd, const char *step, int exit_code, const struct sup_err *e);
/* From resource limits to execve of c->spec->argv. */
__attribute__((noreturn)) void child_exec(struct child_ctx *c);

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
void mount_hide_socket(const char *path);       /* rt_hide_control_socket */
/* runc's masked and read-only paths (mount_defaults.c), NULL-terminated. */
extern const char *const mount_default_masked[];
extern const char *const mount_default_read_only[];

/* --- env.c: the service's environment, built by the parent ----------- */
char **env_build(const struct svc_spec *s, const struct rt_stdio *io, char **watchdog_pid,
                 struct sup_err *err);
void env_set_watchdog_pid(char *entry);                            /* child */

/* --- rlimit.c -------------------------------------------------------- */
void rlimit_capture_given(void);       /* rt_init: the open-files limit supd was given */
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
bool cgroup_holds(const struct rt_cgroup *cg, pid_t pid);
bool cgroup_oom_killed(const struct rt_cgroup *cg);
int cgroup_enter(const struct rt_cgroup *cg, struct sup_err *err);     /* child: join an existing one */
struct rt_usage;
void cgroup_usage(const struct rt_cgroup *cg, struct rt_usage *u, unsigned *have,
                  const char **procs_dir);                          /* RT_USAGE_* in *have */
void cgroup_destroy(struct rt_cgroup *cg);                          /* now, or once empty */
int cgroup_release_pending(void);                                   /* retry; how many wait */

#endif
