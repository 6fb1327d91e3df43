/* supervisor/health.c — health checks and the watchdog: when, and what a
 * result means. See supervisor/health.h for the parts.
 *
 * Docker's HEALTHCHECK semantics: a service with a check is "starting"
 * from its spawn; checks run while it is RUNNING, the next one
 * health_interval after the end of the last; a success makes it healthy
 * and clears the count; a failure counts, except while it is still
 * starting within health_start_period; health_retries failures in a row
 * make it unhealthy, and then health_action: restart (the process is
 * stopped and settles as a failure, so restart delays and start_retries
 * apply), stop (it rests EXITED, as a failure: requirers stop, a critical
 * service ends the run), or report (it keeps running and being checked).
 *
 * systemd's watchdog: with `watchdog` set the service gets WATCHDOG_USEC
 * and WATCHDOG_PID, and must send WATCHDOG=1 on NOTIFY_SOCKET at least that
 * often from its spawn on; a missed deadline (or WATCHDOG=trigger) stops it
 * with SIGABRT, as systemd does, and restarts it: "watchdog timeout".
 *
 * One timer for all: arm_timer() finds the earliest deadline of every
 * service (a check due, a check's timeout, a watchdog) and sets the one
 * ev_timer there, or stops it when there is none. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "supervisor/health.h"

static struct ev_loop *loop;
static void (*after_event)(void);
static ev_timer timer;

static struct health_run *run_of(struct svc *s)
{
        struct health_run *h = s->priv->health;

        if (h)
                return h;
        h = calloc(1, sizeof(*h));
        if (!h)
                return NULL;
        h->svc = s;
        h->io.fd = -1;
        h->status_fd = -1;
        s->priv->health = h;
        return h;
}

/* The earliest deadline of h, or 0. */
static double due(const struct health_run *h)
{
        double t = h->watchdog_at;
        double check = h->busy ? (h->timed_out ? 0 : h->deadline) : h->next_at;

        if (check > 0 && (t == 0 || check < t))
                t = check;
        return t;
}

static void arm_timer(void)
{
        double first = 0, now = ev_now(loop);
        size_t n;
        struct svc **list = table_list(&n);

        for (size_t i = 0; i < n; i++) {
                double t = list[i]->priv->health ? due(list[i]->priv->health) : 0;

                if (t > 0 && (first == 0 || t < first))
                        first = t;
        }
        ev_timer_stop(loop, &timer);
        if (first == 0)
                return;
        ev_timer_set(&timer, first > now ? first - now : 0, 0.);
        ev_timer_start(loop, &timer);
}

/* Give up on the process: SE_FAIL stops it; its exit settles with why. */
static void fail(struct svc *s, const char *why, int sig, bool restart)
{
        struct svc_private *p = s->priv;

        snprintf(p->fault, sizeof(p->fault), "%s", why);
        p->fault_signal = sig;
        p->fault_restart = restart;
        svc_event(s, SE_FAIL);
        if (s->state != ST_STOPPING)            /* the table took no action */
                p->fault[0] = '\0';
}

static void unhealthy(struct svc *s)
{
        const struct health_spec *hs = &s->spec->health;
        char why[sizeof(s->priv->fault)];

        log_warn("%s: unhealthy: %u failed checks in a row, the last: %s", s->spec->name,
                 s->health_failures, s->health_output);
        if (hs->action == HEALTH_REPORT)
                return;
        snprintf(why, sizeof(why), "unhealthy: %u failed checks in a row (%s)", s->health_failures,
                 s->health_output);
        fail(s, why, 0, hs->action == HEALTH_RESTART);
}

static void check_done(struct health_run *h, bool ok, const char *what)
{
        struct svc *s = h->svc;
        const struct health_spec *hs = &s->spec->health;
        double now = ev_now(loop);
        bool in_start = now - s->started_at < (double)hs->start_period / 1000.0;

        snprintf(s->health_output, sizeof(s->health_output), "%s", what);
        s->health_checks++;
        h->next_at = s->state == ST_RUNNING ? now + (double)hs->interval / 1000.0 : 0;
        if (ok) {
                if (s->health != SH_HEALTHY)
                        log_info("%s: healthy", s->spec->name);
                s->health = SH_HEALTHY;
                s->health_failures = 0;
        } else if (!(in_start && s->health == SH_STARTING)) {
                s->health_failures++;
                log_debug("%s: health check failed (%u of %u): %s", s->spec->name,
                          s->health_failures, hs->retries, what);
                if (s->health_failures >= hs->retries && s->health != SH_UNHEALTHY) {
                        s->health = SH_UNHEALTHY;
                        unhealthy(s);
                }
        }
        arm_timer();
}

static void tick(struct health_run *h, double now)
{
        struct svc *s = h->svc;

        if (h->watchdog_at > 0 && h->watchdog_at <= now) {
                h->watchdog_at = 0;
                log_warn("%s: no WATCHDOG=1 for %.3gs", s->spec->name, h->watchdog_s);
                fail(s, "watchdog timeout", SIGABRT, true);
                return;
        }
        if (h->busy && !h->timed_out && h->deadline <= now)
                probe_timeout(h);
        else if (!h->busy && h->next_at > 0 && h->next_at <= now) {
                h->next_at = 0;
                probe_start(h, now);
        }
}

static void timer_cb(struct ev_loop *l, ev_timer *w, int revents)
{
        double now = ev_now(l);
        size_t n;
        struct svc **list = table_list(&n);

        (void)w;
        (void)revents;
        for (size_t i = 0; i < n; i++)
                if (list[i]->priv->health)
                        tick(list[i]->priv->health, now);
        arm_timer();
        after_event();
}

void health_init(struct ev_loop *l, void (*after)(void))
{
        loop = l;
        after_event = after;
        ev_timer_init(&timer, timer_cb, 0., 0.);
        probe_init(l, check_done);
}

static void stop_all(struct health_run *h)
{
        if (h->busy)
                probe_cancel(h);
        h->next_at = 0;
        h->watchdog_at = 0;
}

void health_changed(struct svc *s, enum svc_state from)
{
        const struct svc_spec *sp = s->spec;
        struct health_run *h = s->priv->health;
        double now = ev_now(loop);

        if (s->state == from)
                return;
        if (s->state == ST_STARTING && (sp->health.kind != HEALTH_NONE || sp->watchdog)) {
                h = run_of(s);
                if (!h) {
                        log_error("%s: out of memory: no health check or watchdog", sp->name);
                        return;
                }
                stop_all(h);
                s->health = sp->health.kind != HEALTH_NONE ? SH_STARTING : SH_NONE;
                s->health_failures = 0;
                h->watchdog_s = (double)sp->watchdog / 1000.0;
                if (sp->watchdog)
                        h->watchdog_at = now + h->watchdog_s;
        } else if (s->state == ST_RUNNING && h && sp->health.kind != HEALTH_NONE) {
                h->next_at = now + (double)sp->health.interval / 1000.0;
        } else if (s->state != ST_RUNNING && s->state != ST_STARTING && h) {
                stop_all(h);
                if (svc_is_down(s) || s->state == ST_BACKOFF)
                        s->health = SH_NONE;
        } else {
                return;
        }
        arm_timer();
}

bool health_reaped(pid_t pid, int wait_status)
{
        size_t n;
        struct svc **list = table_list(&n);

        for (size_t i = 0; i < n; i++) {
                struct health_run *h = list[i]->priv->health;

                if (h && h->pid == pid && pid > 0) {
                        probe_reaped(h, wait_status);
                        after_event();
                        return true;
                }
        }
        return false;
}

void health_watchdog_ping(struct svc *s)
{
        struct health_run *h = s->priv->health;

        if (!h || h->watchdog_s <= 0 || (s->state != ST_STARTING && s->state != ST_RUNNING))
                return;
        h->watchdog_at = ev_now(loop) + h->watchdog_s;
        /* a later deadline never needs an earlier wakeup: re-arm only when
         * the timer is not already set (it finds the new deadline then) */
        if (!ev_is_active(&timer))
                arm_timer();
}

void health_watchdog_trigger(struct svc *s)
{
        struct health_run *h = s->priv->health;

        if (!h || (s->state != ST_STARTING && s->state != ST_RUNNING))
                return;
        h->watchdog_at = 0;
        fail(s, "watchdog timeout (WATCHDOG=trigger)", SIGABRT, true);
        arm_timer();
}

/* systemd: the service may change its period (0 turns it off) until it
 * exits; the new deadline counts from now. Only a service started with a
 * watchdog has one to change. */
void health_watchdog_set(struct svc *s, unsigned long long usec)
{
        struct health_run *h = s->priv->health;

        if (!h || !s->spec->watchdog || (s->state != ST_STARTING && s->state != ST_RUNNING))
                return;
        h->watchdog_s = (double)usec / 1e6;
        h->watchdog_at = usec ? ev_now(loop) + h->watchdog_s : 0;
        arm_timer();
}

void health_forget(struct svc *s)
{
        struct health_run *h = s->priv->health;

        if (!h)
                return;
        stop_all(h);
        free(h);
        s->priv->health = NULL;
        arm_timer();
}
