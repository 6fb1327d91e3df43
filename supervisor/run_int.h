/* supervisor/run_int.h — inside the supervisor: the run as a whole.
 *
 * sched.c decides when services start and stop (dependencies, requests,
 * shutdown order, critical services); spawn.c and ready.c feed it events;
 * shutdown.c and reload.c change the goals. Every entry point from the loop
 * ends with sched_kick(), which re-evaluates until nothing changes. */
#ifndef SUP_SUPERVISOR_RUN_INT_H
#define SUP_SUPERVISOR_RUN_INT_H

#include <stdbool.h>

#include <ev.h>

#include "supervisor/supervisor.h"
#include "supervisor/svc_int.h"

struct run_state {
        struct ev_loop *loop;
        struct sup_config *cfg;
        char *cfg_path;
        sup_done_fn done;
        bool started;
        bool shutting;                  /* sup_shutdown() or a critical exit */
        bool finished;                  /* done() was called */
        bool critical_ended;
        int exit_code;                  /* the critical service's, when critical_ended */
        bool forced;                    /* shutdown_timeout passed: everything got SIGKILL */
        ev_timer shutdown_timer;
};
extern struct run_state run_state;

void sched_kick(void);
void sched_changed(struct svc *s, enum svc_state from);
void sched_end_run(int critical_code);          /* shutdown.c; -1 = requested */
void shutdown_check_done(void);                 /* shutdown.c: all down → done() */

/* spawn.c */
void spawn_init(struct ev_loop *loop);
void spawn_forget(struct svc *s);               /* before svc_free: watchers, sockets */

/* ready.c */
void ready_set_loop(struct ev_loop *loop);
int ready_notify_open(struct svc *s, struct sup_err *err);
void ready_notify_close(struct svc *s);
void ready_fd_watch(struct svc *s, int read_fd);
void ready_fd_close(struct svc *s);

/* reload.c: services a reload removed, still stopping */
struct svc **reload_dying(size_t *n);
void reload_reap(void);

#endif
