/* supervisor/run_int.h — inside the supervisor: the run as a whole.
 *
 * run.c owns the run's state, its start and its end, and the services a
 * reload removed that are still stopping. sched.c decides when services
 * start and stop (dependencies, requests, shutdown order, critical
 * services); process.c and ready.c feed it events; requests (request.c),
 * reload (reload.c) and the end of the run change the goals. Every entry
 * point from the loop ends with sched_kick(), which re-evaluates until
 * nothing changes. Calls go one way: supervisor.c → sched.c → run.c →
 * process.c → ready.c → health.c → probe.c (process.c and ready.c reach the
 * scheduler through struct process_hooks, health.c through the hook given
 * to health_init; see supervisor/health.h). */
#ifndef SUP_SUPERVISOR_RUN_INT_H
#define SUP_SUPERVISOR_RUN_INT_H

#include <stdbool.h>

#include <ev.h>

#include "supervisor/supervisor.h"
#include "supervisor/svc_int.h"

/* run.c */
struct run_state {
        struct ev_loop *loop;
        struct sup_config *cfg;
        char *cfg_path;
        supervisor_done_fn done;
        bool started;
        bool shutting;                  /* run_end() was called */
        bool finished;                  /* done() was called */
        bool critical_ended;
        int exit_code;                  /* the critical service's, when critical_ended */
        bool forced;                    /* shutdown_timeout passed: everything got SIGKILL */
        ev_timer shutdown_timer;
};
extern struct run_state run_state;

/* The router, the service objects, the table and the first goals; the
 * caller kicks the scheduler. */
int run_start(struct ev_loop *loop, struct sup_config *cfg, const char *cfg_path,
              supervisor_done_fn done, struct sup_err *err);
/* Every goal DOWN, the shutdown_timeout armed; -1 = requested, else the
 * critical service's exit code. The caller kicks the scheduler. */
void run_end(int critical_code);
void run_check_done(void);                      /* shutting and all down → done() */

/* Services a reload removed, still stopping: the scheduler stops them, the
 * end of the run waits for them, run_reap_dying() frees those that are down
 * (and the configs they kept alive). */
struct svc **run_dying(size_t *n);
int run_reserve_dying(size_t n_more, struct sup_err *err);   /* before run_add_dying */
void run_add_dying(struct svc *s);
void run_swap_config(struct sup_config *cfg);   /* the old one is kept while services die */
void run_reap_dying(void);
struct svc *run_find_pid(pid_t pid);            /* among the table and the dying */

/* sched.c */
void sched_kick(void);
void sched_changed(struct svc *s, enum svc_state from);

/* process.c: the real svc_ops (runtime, libev) and the exits. process.c and
 * ready.c sit below the scheduler and reach it only through these hooks. */
struct process_hooks {
        void (*changed)(struct svc *s, enum svc_state from);   /* svc_ops.changed */
        void (*after_event)(void);      /* an event from the loop went through the table */
};
void process_init(struct ev_loop *loop, const struct process_hooks *hooks);
void process_exited(struct svc *s, int wait_status);     /* its main pid was reaped */
void process_forget(struct svc *s);               /* before svc_destroy: watchers, sockets */

/* ready.c */
void ready_init(struct ev_loop *loop, void (*after_event)(void));
int ready_notify_open(struct svc *s, struct sup_err *err);
void ready_notify_close(struct svc *s);
void ready_fd_watch(struct svc *s, int read_fd);
void ready_fd_close(struct svc *s);

#endif
