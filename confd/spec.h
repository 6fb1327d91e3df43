/* confd/spec.h — the validated, typed form of a configuration.
 *
 * This is the contract between confd (which builds it), the supervisor
 * (which decides with it) and the runtime (which acts on it). A spec is
 * immutable once confd_load*() returns, with one exception: the runtime's
 * rt_prepare() attaches compiled artefacts (the seccomp BPF) at load time,
 * so the child only loads them.
 *
 * Durations are milliseconds, sizes bytes. "Unset" is spelled out per field.
 * All strings and arrays are owned by the config and freed by confd_free().
 */
#ifndef SUP_CONFD_SPEC_H
#define SUP_CONFD_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

enum svc_type { SVC_SIMPLE, SVC_ONESHOT };
enum svc_restart { RESTART_ALWAYS, RESTART_ON_FAILURE, RESTART_NEVER };
enum svc_ready { READY_NONE, READY_NOTIFY, READY_FD, READY_DELAY };

enum log_kind {
        LOG_TO_CONSOLE,         /* supd's stdout (stdout stream) or stderr (stderr stream) */
        LOG_TO_FILE,            /* path, rotated at max_size, keep N old files */
        LOG_TO_NULL,
        LOG_TO_STDOUT,          /* stderr only: merged into the service's stdout target */
};

struct log_target {
        enum log_kind kind;
        char *path;             /* LOG_TO_FILE */
        uint64_t max_size;      /* 0 = never rotate */
        unsigned keep;          /* rotated files kept: path.1 .. path.keep */
        bool shared_dir;        /* log_dir_shared: others may write its directory */
};

/* Namespace bits: the CLONE_NEW* flags themselves (sched.h). */
struct id_map {
        uint32_t inside, outside, count;
};

struct bind_mount {
        char *src, *dst;
        bool ro;
};

struct rlimit_setting {
        int resource;           /* RLIMIT_* */
        struct rlimit lim;
};

/* Syscall policy, as configured; names already checked against libseccomp. */
enum seccomp_mode { SECCOMP_NONE, SECCOMP_DEFAULT, SECCOMP_PROFILE };

struct sandbox_spec {
        unsigned long namespaces;       /* CLONE_NEWPID | CLONE_NEWNS | ... ; 0 = none */
        char *hostname;                 /* needs CLONE_NEWUTS */
        struct id_map *uid_map, *gid_map;       /* needs CLONE_NEWUSER */
        size_t n_uid_map, n_gid_map;

        char *root;                     /* pivot_root target; needs CLONE_NEWNS */
        bool read_only;
        struct bind_mount *binds;
        size_t n_binds;
        bool private_tmp;
        bool private_dev;               /* a tmpfs /dev of the usual nodes (always with root) */
        bool control_access;            /* may use supd's control socket though sandboxed */
        /* runc's read-only and masked paths (runtime/mount_defaults.c), each
         * skipped when missing; then the configured ones, which must exist. */
        bool read_only_defaults, masked_defaults;
        char **read_only_paths;         /* NULL-terminated, may be NULL */
        char **masked_paths;            /* NULL-terminated, may be NULL */

        /* cgroup limits; the service gets its own cgroup when any is set */
        uint64_t memory_max;            /* bytes, 0 = unset */
        double cpu_max;                 /* CPUs, 0 = unset */
        int64_t pids_max;               /* 0 = unset */
        unsigned io_weight;             /* 1..10000, 0 = unset */

        bool caps_set;                  /* the kept set is applied; false = left alone (all) */
        uint64_t caps;                  /* kept set: bit N = capability N (libcap numbering) */
        bool caps_ambient;              /* a non-root user keeps the set too (ambient), as
                                         * when capabilities= is given; else only root has
                                         * it, as in Docker */
        bool no_new_privileges;
        unsigned given;                 /* SB_GIVEN_*: keys set explicitly, which the
                                         * sandbox defaults leave alone */

        enum seccomp_mode seccomp;
        char *seccomp_profile;          /* SECCOMP_PROFILE: the file path */
        char **seccomp_allow;           /* NULL-terminated syscall names, may be NULL */
        char **seccomp_deny;
        void *seccomp_bpf;              /* struct sock_filter[], set by rt_prepare() */
        size_t seccomp_bpf_len;         /* number of instructions */

        char *apparmor;                 /* profile name; leading '-' = optional */

        struct rlimit_setting *rlimits;
        size_t n_rlimits;
};

/* sandbox_spec.given: keys whose default depends on being sandboxed
 * (confd_sandbox_defaults). */
enum {
        SB_GIVEN_CAPS = 1 << 0,
        SB_GIVEN_NO_NEW_PRIVS = 1 << 1,
        SB_GIVEN_READ_ONLY_PATHS = 1 << 2,
        SB_GIVEN_MASKED_PATHS = 1 << 3,
        SB_GIVEN_SECCOMP = 1 << 4,
        SB_GIVEN_PRIVATE_DEV = 1 << 5,
};

/* Health checks (Docker HEALTHCHECK semantics): a command run inside the
 * service's sandbox, or a TCP connect / HTTP GET to a loopback port in its
 * network namespace. */
enum health_kind { HEALTH_NONE, HEALTH_EXEC, HEALTH_TCP, HEALTH_HTTP };
enum health_action { HEALTH_RESTART, HEALTH_STOP, HEALTH_REPORT };

struct health_spec {
        enum health_kind kind;
        char **argv;                    /* HEALTH_EXEC: NULL-terminated */
        unsigned port;                  /* HEALTH_TCP, HEALTH_HTTP: 1..65535 */
        char *path;                     /* HEALTH_HTTP: "/..." */
        unsigned http_status;           /* HEALTH_HTTP: the expected status code */
        uint64_t interval;              /* ms between checks */
        uint64_t timeout;               /* ms: a check taking longer fails (and is killed) */
        uint64_t start_period;          /* ms after a spawn when failures do not count */
        unsigned retries;               /* failures in a row that make it UNHEALTHY */
        enum health_action action;
};

struct svc_spec {
        char *name;
        char *file;                     /* where the section was defined */
        int line;
        bool from_supervisord;          /* [program:x] section */

        char **argv;                    /* NULL-terminated; argv[0] looked up in PATH */
        enum svc_type type;
        char *user;                     /* NULL = supd's user */
        char *group;                    /* NULL = the user's primary group */
        char *directory;                /* NULL = supd's cwd */
        char **environment;             /* NULL-terminated "K=V", added to supd's env */
        int umask;                      /* -1 = inherit */
        bool autostart;
        int priority;                   /* supervisord ordering hint, lower first; default 999 */

        char **after;                   /* NULL-terminated service names */
        char **requires;                /* also listed in after (confd adds them) */

        enum svc_ready ready;
        int ready_fd;                   /* READY_FD: the fd number in the child */
        uint64_t ready_delay;           /* READY_DELAY: ms */
        uint64_t start_secs;            /* supervisord startsecs: must stay up this long (ms) */

        enum svc_restart restart;
        uint8_t success_exit[32];       /* bitset of exit codes 0..255 that count as success */
        uint64_t restart_delay;         /* ms */
        uint64_t restart_delay_max;     /* ms */
        unsigned start_retries;         /* 0 = never give up */
        bool critical;
        bool main;                      /* the `-- COMMAND` of supd -c FILE -- COMMAND */

        int stop_signal;
        uint64_t stop_timeout;          /* ms */

        struct health_spec health;
        uint64_t watchdog;              /* ms: WATCHDOG=1 at least this often; 0 = off */

        struct log_target out, err;     /* err.kind may be LOG_TO_STDOUT */

        /* [eventlistener:] only: supervisord's event names its pool takes
         * (PROCESS_STATE_FATAL, TICK_60, PROCESS_STATE...); NULL for every
         * other service. Its stdin and stdout carry the protocol; its pool
         * is the group part of its name (docs/supervisord.md). */
        char **listen_events;
        unsigned listen_buffer;         /* buffer_size: events held for the pool */

        struct sandbox_spec sandbox;
};

static inline bool svc_exit_is_success(const struct svc_spec *s, int code)
{
        return code >= 0 && code < 256 && (s->success_exit[code / 8] >> (code % 8)) & 1;
}

struct sup_config {
        char *path;                     /* the top file, for reload */
        char *socket;                   /* NULL = /run/supd.sock; $SUP_SOCKET overrides
                                         * either (docs/supd.8, ENVIRONMENT) */
        char *socket_group;
        uint64_t shutdown_timeout;      /* ms */
        bool leave_leftovers;           /* leftovers = leave: no final sweep */
        char *log_format;               /* console line format */
        char *pidfile;                  /* [supervisord] pidfile: written at start, removed
                                         * at exit; NULL = none */
        char *identifier;               /* [supervisord] identifier: "server:" of events */
        bool supervisord;               /* a [supervisord] section: SIGQUIT shuts down */
        struct svc_spec **services;
        size_t n_services;
};

#endif
