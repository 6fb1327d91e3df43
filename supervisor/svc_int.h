/* supervisor/svc_int.h — inside the supervisor: events, the side effects the
 * state table may ask for, and each service's private state.
 *
 * The state table (state.c) decides; it acts only through struct svc_ops,
 * so a unit test can drive it with fake ops and no processes. process.c
 * provides the real ops (runtime, libev). sched.c decides *when* a service
 * should start or stop (dependencies, shutdown order, requests). */
#ifndef SUP_SUPERVISOR_SVC_INT_H
#define SUP_SUPERVISOR_SVC_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <ev.h>

#include "common/err.h"
#include "runtime/runtime.h"
#include "supervisor/svc.h"

enum svc_event {
        SE_START,       /* spawn now (dependencies are met) */
        SE_READY,       /* the readiness signal arrived */
        SE_EXIT,        /* the main pid was reaped; have_exit/exit_status are set */
        SE_STOP,        /* stop for good (operator, shutdown, dependency) */
        SE_TIMER,       /* the service's one deadline passed (meaning depends on state) */
        SE_FAIL,        /* a health check or the watchdog gave up on it: priv->fault says why */
        SVC_NEVENTS
};

/* Side effects. One deadline per service: arming replaces it, and every
 * state change disarms it, so a timer never outlives the state it was for. */
struct svc_ops {
        int (*spawn)(struct svc *s, struct sup_err *err);  /* sets s->pid; -1: no process,
                                                             * 1: its command runs already */
        void (*signal)(struct svc *s, int sig);            /* the whole service */
        void (*arm)(struct svc *s, double after_s);
        void (*disarm)(struct svc *s);
        void (*release)(struct svc *s);                    /* after the exit: fds, cgroup */
        double (*now)(void);
        void (*changed)(struct svc *s, enum svc_state from);
};

void svc_set_ops(const struct svc_ops *ops);

/* Feed one event through the table. Events a state does not take are ignored. */
void svc_event(struct svc *s, enum svc_event ev);

/* Where the scheduler (sched.c) is to bring a service: set by requests
 * (request.c), reload (reload.c), the end of the run (run.c) and sched.c
 * itself (a required service pulled up, requirers stopped, a restart after
 * a stop); sched.c clears it once it acted. */
enum svc_goal { GOAL_NONE, GOAL_UP, GOAL_DOWN };

struct dep_ref {
        struct svc *to;
        bool requires;
};

struct svc_private {
        /* state table */
        unsigned quick;                 /* restarts in a row without a long run: backoff exponent */
        double ready_at;                /* ev_now() when it became RUNNING */
        bool spawned_once;
        bool setup_failed;              /* status_fd reported a failed setup step */
        bool killed;                    /* needed SIGKILL during its last stop */
        bool done_ok;                   /* EXITED with success (a oneshot's "ready") */
        char fault[160];                /* SE_FAIL: why ("watchdog timeout"); "" = none */
        int fault_signal;               /* SE_FAIL: sent first (0 = stop_signal) */
        bool fault_restart;             /* SE_FAIL: restart it afterwards, else rest EXITED */
        struct health_run *health;      /* health.c: checks and watchdog, NULL = none yet */

        /* scheduling */
        enum svc_goal goal;
        bool restart_after_stop;        /* restart request / reload change */
        bool removed;                   /* dropped by a reload: freed once down */
        bool cyclic;                    /* part of a dependency cycle */
        unsigned level;                 /* topological level: 0 = depends on nothing */
        struct dep_ref *after;          /* what it starts after (includes requires) */
        size_t n_after;
        struct svc **dependents;        /* who starts after it */
        size_t n_dependents;
        long long stop_key;             /* order.c: shutdown stops the highest first */

        /* process (process.c) */
        struct rt_proc proc;
        bool have_proc;
        ev_io status_w;
        ev_io service_w;                /* proc.service_pidfd: the service under the reaper */
        ev_timer reaper_deadline;       /* armed when that service ended */
        ev_io ready_w;                  /* fd:N pipe read end */
        ev_io notify_w;                 /* per-service NOTIFY_SOCKET (abstract) */
        char notify_name[16];           /* "@xxxxx" */
        ev_timer timer;

        /* event listeners (events.c) */
        struct listener *listener;      /* an [eventlistener:]'s protocol, while it has pipes */
        enum svc_state event_shown;     /* the state listeners were last told of */
        pid_t event_pid;                /* the pid its events name (kept after the exit) */
};

/* Alive: there is a process, or a restart is scheduled. */
static inline bool svc_alive(const struct svc *s)
{
        return !svc_is_down(s);
}

/* "exited 1", "killed by SIGKILL", "killed by the OOM killer". */
void svc_describe_exit(const struct svc *s, char *buf, size_t len);

/* backoff.c */
double backoff_delay(const struct svc_spec *spec, unsigned quick);  /* seconds */
double backoff_window(const struct svc_spec *spec);  /* up this long resets the counters */

/* deps.c: resolve after/requires by name among specs[0..n). Unknown names
 * are skipped (confd rejects them). Fills levels and marks cycle members. */
struct deps {
        size_t n;
        struct { size_t *to; bool *requires; size_t n; } *edges;   /* per node: what it comes after */
        unsigned *level;
        bool *cyclic;
        size_t *order;                  /* topological: dependencies first; cycles last */
};
int deps_build(struct svc_spec *const *specs, size_t n, struct deps *out, struct sup_err *err);
void deps_free(struct deps *d);

/* table.c */
struct svc *svc_new(struct svc_spec *spec);     /* the bare object (test_state.c drives it) */
void svc_free(struct svc *s);
struct svc *svc_create(struct svc_spec *spec, struct sup_err *err);  /* with its log slot */
void svc_destroy(struct svc *s);                /* closes the log slot, frees */
void table_raise_nofile(void);                  /* soft open-files limit to the hard one */
void svc_unlink_deps(struct svc *s);
void table_notify_watchers(struct svc *s, enum svc_state from);
int table_set(struct svc **list, size_t n, struct sup_err *err);  /* takes the array */
struct svc **table_list(size_t *n);

/* order.c: the start order (priority, then config order) and the shutdown
 * ranks, made by table_set; the ceiling is the highest rank still up. */
int order_build(struct svc **table, size_t n, struct sup_err *err);
struct svc **order_list(size_t *n);
long long order_stop_ceiling(void);

#endif
