/* supervisor/health.h — health checks and the watchdog, inside the supervisor.
 *
 * health.c decides: when each service's next check is due, what a result
 * means (Docker's states and counting), what UNHEALTHY does, and when a
 * watchdog deadline passed. One ev_timer serves every service: it is armed
 * for the earliest deadline of all and stopped when none is due, so a supd
 * without checks or watchdogs never wakes for them. probe.c runs one check
 * (a command in the sandbox, a TCP connect, an HTTP GET) without blocking
 * and hands the result back through the function given to probe_init().
 * Calls go one way: supervisor.c, process.c, ready.c → health.c → probe.c. */
#ifndef SUP_SUPERVISOR_HEALTH_H
#define SUP_SUPERVISOR_HEALTH_H

#include <stdbool.h>
#include <sys/types.h>

#include <ev.h>

#include "supervisor/svc_int.h"

/* A service's checks and watchdog. */
struct health_run {
        struct svc *svc;
        double next_at;                 /* next check due (ev_now time); 0 = none */
        double watchdog_at;             /* watchdog deadline; 0 = off */
        double watchdog_s;              /* its period: the spec's, or WATCHDOG_USEC= of this process */
        /* the check in flight (probe.c) */
        bool busy;
        double deadline;                /* it fails (and is killed) at this time */
        bool timed_out;                 /* killed at its deadline; the reap reports it */
        pid_t pid;                      /* exec: the command, 0 when none */
        int status_fd;                  /* exec: its setup verdict, -1 */
        ev_io io;                       /* exec: its output pipe; tcp/http: the socket */
        char out[512];                  /* output so far (exec), the response (http) */
        size_t out_len;
};

/* health.c */
void health_init(struct ev_loop *loop, void (*after_event)(void));
void health_changed(struct svc *s, enum svc_state from);   /* every state change */
bool health_reaped(pid_t pid, int wait_status);            /* a check command's exit */
void health_watchdog_ping(struct svc *s);                  /* WATCHDOG=1 */
void health_watchdog_trigger(struct svc *s);               /* WATCHDOG=trigger */
void health_watchdog_set(struct svc *s, unsigned long long usec);  /* WATCHDOG_USEC=N */
void health_forget(struct svc *s);                         /* before svc_destroy */

/* probe.c: one check at a time per service; done() is called exactly once
 * per probe_start() that returned, unless probe_cancel() came first. */
typedef void (*probe_done_fn)(struct health_run *h, bool ok, const char *what);
void probe_init(struct ev_loop *loop, probe_done_fn done);
void probe_start(struct health_run *h, double now);
void probe_timeout(struct health_run *h);                  /* at h->deadline */
bool probe_reaped(struct health_run *h, int wait_status);  /* h->pid was reaped */
void probe_cancel(struct health_run *h);                   /* silently: the service went */

#endif
