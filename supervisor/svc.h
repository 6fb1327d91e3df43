/* supervisor/svc.h — one supervised service: its spec and its live state.
 *
 * Who writes what: the state machine (state.c) moves the state and keeps
 * its clocks, counters and reason; process.c and ready.c record what the
 * process did (pid, exit status, OOM kill, a failed setup step with its
 * message in reason, sd_notify STATUS=); the scheduler (sched.c) says in reason why a start waits;
 * operator requests (request.c) and reload (reload.c) forgive failures, and
 * reload swaps the spec; health.c keeps the health fields, cost.c the cost. The control server and status formatting only
 * read. States are supervisord's names. */
#ifndef SUP_SUPERVISOR_SVC_H
#define SUP_SUPERVISOR_SVC_H

#include <stdbool.h>
#include <sys/types.h>

#include "confd/spec.h"

enum svc_state {
        ST_STOPPED,
        ST_STARTING,
        ST_RUNNING,
        ST_BACKOFF,
        ST_STOPPING,
        ST_EXITED,
        ST_FATAL,
        SVC_NSTATES
};

/* "RUNNING", ...; "UNKNOWN" for a value out of range. */
const char *svc_state_name(enum svc_state st);

/* Health (health.c), Docker's states: none without a check, starting until
 * the first success (or the failures that count), then healthy or unhealthy. */
enum svc_health { SH_NONE, SH_STARTING, SH_HEALTHY, SH_UNHEALTHY };
const char *svc_health_name(enum svc_health h);        /* "healthy", ...; "-" for none */

/* What the service costs (cost.c fills it when status is asked for). */
struct svc_cost {
        bool known;                     /* a process was measured */
        bool from_cgroup;
        unsigned long long memory_bytes, tasks, cpu_ns;
};

struct logroute_slot;
struct svc_private;             /* the supervisor's own (svc_int.h): goals, process, watchers */

struct svc {
        struct svc_spec *spec;
        enum svc_state state;
        pid_t pid;                      /* 0 when no process */
        double started_at;              /* ev_now() at the last spawn */
        double state_since;             /* ev_now() at the last state change */
        unsigned restarts;              /* spawns after the first */
        unsigned failures;              /* failures in a row (start_retries) */
        bool have_exit;                 /* the current process exited (cleared at spawn) */
        bool exited_before;             /* an earlier process did: status shows the */
                                        /* two below while a restarted one runs */
        int exit_status;                /* last wait status (WIFEXITED/WIFSIGNALED) */
        bool oom_killed;                /* last exit was the kernel's OOM killer */
        char reason[192];               /* why BACKOFF/FATAL/not started, in words; "" */
        char status_text[128];          /* last sd_notify STATUS= */
        enum svc_health health;         /* health.c */
        unsigned health_failures;       /* failed checks in a row */
        unsigned long long health_checks;       /* checks completed since supd started */
        char health_output[512];        /* the last check's output or why it failed */
        struct svc_cost cost;
        struct logroute_slot *log;
        struct svc_private *priv;
};

/* Down: no process and no restart scheduled (STOPPED, EXITED, FATAL). */
bool svc_is_down(const struct svc *s);

/* The current process exited with one of its success_exit codes. */
bool svc_exited_ok(const struct svc *s);

/* The table (table.c), in config order. Valid until the next reload. */
size_t table_count(void);
struct svc *table_at(size_t i);
struct svc *table_find(const char *name);

/* Operator requests (supctl). 0 or -1 with err ("web: already running"
 * is not an error: it returns 0). */
struct sup_err;
int svc_request_start(struct svc *s, struct sup_err *err);
int svc_request_stop(struct svc *s, struct sup_err *err);
int svc_request_restart(struct svc *s, struct sup_err *err);
int svc_signal(struct svc *s, int sig, struct sup_err *err);

/* Observers of state changes (supctl waiting for "RUNNING", logs -f...), in table.c. */
typedef void (*svc_change_fn)(struct svc *s, enum svc_state from, void *ctx);
int table_watch(svc_change_fn fn, void *ctx);   /* returns a handle >= 0 */
void table_unwatch(int handle);

#endif
