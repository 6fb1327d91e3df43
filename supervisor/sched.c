/* supervisor/sched.c — when services start and stop.
 *
 * Each service has a goal (UP, DOWN, NONE). One evaluation pass walks the
 * table: a service that should be UP starts once everything it comes after
 * is ready (RUNNING, or EXITED with success for a oneshot); one that should
 * be DOWN gets its stop — during shutdown only after every service that
 * comes after it is down, so the stop runs in reverse dependency order with
 * independent services in parallel, and after every higher priority is down.
 * Passes walk the table in priority order (supervisor/order.c). State
 * changes only mark the table dirty; sched_kick() repeats passes until
 * nothing changes, so actions never recurse into each other. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "common/exitcode.h"
#include "common/log.h"
#include "supervisor/run_int.h"

static bool dirty, evaluating;

/* Spawns per batch. A spawn costs a clone (a millisecond or more on a busy
 * host); a thousand services started in one pass would keep the loop from
 * reaping, reading readiness and answering supctl for seconds. When the
 * budget is spent, the rest wait for an ev_idle, which libev runs only
 * when no other event is pending (exits and readiness go first), and which
 * refills the budget. It is active only while spawns are left, so an idle
 * supd still never wakes. */
#define SPAWN_BATCH 32
static unsigned spawn_budget = SPAWN_BATCH;
static bool spawns_left;
static ev_idle more_w;

static bool dep_ready(const struct svc *d)
{
        return d->state == ST_RUNNING || (d->state == ST_EXITED && d->priv->done_ok);
}

static bool dep_failed(const struct svc *d)
{
        return d->state == ST_FATAL || (d->state == ST_EXITED && !d->priv->done_ok);
}

static void set_reason(struct svc *s, const char *fmt, const char *name)
{
        char buf[sizeof(s->reason)];

        snprintf(buf, sizeof(buf), fmt, name);
        memcpy(s->reason, buf, sizeof(buf));
}

static void eval_up(struct svc *s)
{
        struct svc_private *p = s->priv;
        const struct svc *waiting = NULL, *failed = NULL;

        if (!svc_is_down(s)) {          /* already on its way (BACKOFF restarts by itself) */
                p->goal = GOAL_NONE;
                return;
        }
        if (p->cyclic) {
                set_reason(s, "dependency cycle%s", "");
                return;
        }
        for (size_t i = 0; i < p->n_after; i++) {
                struct svc *d = p->after[i].to;
                if (dep_ready(d))
                        continue;
                if (dep_failed(d)) {
                        failed = d;
                        break;
                }
                if (!waiting)
                        waiting = d;
                /* requires= pulls the required service in */
                if (p->after[i].requires && svc_is_down(d) && d->priv->goal == GOAL_NONE &&
                    d->state == ST_STOPPED) {
                        d->priv->goal = GOAL_UP;
                        dirty = true;
                }
        }
        if (failed) {
                set_reason(s, "dependency %s failed", failed->spec->name);
                return;
        }
        if (waiting) {
                set_reason(s, "waiting for %s", waiting->spec->name);
                return;
        }
        if (spawn_budget == 0) {
                spawns_left = true;
                return;
        }
        spawn_budget--;
        p->goal = GOAL_NONE;
        svc_event(s, SE_START);
}

/* During shutdown a service stops after everything that comes after it. */
static bool dependents_down(const struct svc *s)
{
        if (s->priv->cyclic)
                return true;
        for (size_t i = 0; i < s->priv->n_dependents; i++) {
                const struct svc *d = s->priv->dependents[i];
                if (!d->priv->cyclic && !svc_is_down(d))
                        return false;
        }
        return true;
}

static void eval_down(struct svc *s, long long stop_ceiling)
{
        struct svc_private *p = s->priv;

        if (svc_is_down(s)) {
                p->goal = p->restart_after_stop && !run_state.shutting ? GOAL_UP : GOAL_NONE;
                p->restart_after_stop = false;
                if (p->goal == GOAL_UP)
                        dirty = true;
                return;
        }
        if (s->state == ST_STOPPING)
                return;
        if (run_state.shutting && (!dependents_down(s) || s->priv->stop_key < stop_ceiling))
                return;         /* a higher priority still stopping (supervisor/order.c) */
        svc_event(s, SE_STOP);
}

/* Walked in priority order, so starts go lowest priority first. */
static void eval_pass(void)
{
        size_t n, i;
        struct svc **list = order_list(&n);
        long long ceiling = run_state.shutting ? order_stop_ceiling() : 0;

        for (i = 0; i < n; i++) {
                struct svc *s = list[i];
                if (s->priv->goal == GOAL_UP)
                        eval_up(s);
                else if (s->priv->goal == GOAL_DOWN)
                        eval_down(s, ceiling);
        }
        list = run_dying(&n);
        for (i = 0; i < n; i++)
                if (list[i]->priv->goal == GOAL_DOWN)
                        eval_down(list[i], LLONG_MIN);  /* removed: no rank to wait for */
}

static void more_cb(struct ev_loop *l, ev_idle *w, int revents)
{
        (void)revents;
        ev_idle_stop(l, w);
        spawn_budget = SPAWN_BATCH;
        sched_kick();
}

void sched_kick(void)
{
        if (evaluating) {
                dirty = true;
                return;
        }
        evaluating = true;
        spawns_left = false;
        do {
                dirty = false;
                eval_pass();
        } while (dirty);
        run_reap_dying();
        evaluating = false;
        if (spawns_left && run_state.loop && !ev_is_active(&more_w)) {
                ev_idle_init(&more_w, more_cb);
                ev_idle_start(run_state.loop, &more_w);
        }
        if (run_state.shutting)
                run_check_done();
}

/* A service stopped for good: not a oneshot that finished, not a restart. */
static bool stopped_for_good(const struct svc *s)
{
        if (s->state == ST_FATAL || s->state == ST_STOPPED)
                return true;
        return s->state == ST_EXITED && !(s->spec->type == SVC_ONESHOT && s->priv->done_ok);
}

/* requires=: a dependent still up goes down with it. One only waiting to
 * start keeps waiting; its reason says for what. */
static void stop_requirers(struct svc *s)
{
        for (size_t i = 0; i < s->priv->n_dependents; i++) {
                struct svc *d = s->priv->dependents[i];
                for (size_t k = 0; k < d->priv->n_after; k++) {
                        if (d->priv->after[k].to != s || !d->priv->after[k].requires || svc_is_down(d))
                                continue;
                        log_info("%s: stopping: required %s stopped", d->spec->name, s->spec->name);
                        d->priv->goal = GOAL_DOWN;
                        d->priv->restart_after_stop = false;
                }
        }
}

static void log_change(const struct svc *s, enum svc_state from)
{
        if (s->state == ST_RUNNING)
                log_info("%s: RUNNING (pid %d)", s->spec->name, (int)s->pid);
        else if (s->state == ST_EXITED || s->state == ST_BACKOFF)
                log_info("%s: %s%s%s", s->spec->name, svc_state_name(s->state),
                         s->reason[0] ? ": " : "", s->reason);
        else if (s->state == ST_STOPPED && from == ST_STOPPING)
                log_info("%s: STOPPED", s->spec->name);
}

void sched_changed(struct svc *s, enum svc_state from)
{
        struct svc_private *p = s->priv;

        log_change(s, from);
        if (stopped_for_good(s) && !p->restart_after_stop && !run_state.shutting && !p->removed) {
                stop_requirers(s);
                if ((s->spec->critical || s->spec->main) && s->state != ST_STOPPED) {
                        int code = s->have_exit ? exitcode_of_status(s->exit_status) : 1;
                        log_info("%s: critical service %s (%s), shutting down with exit code %d",
                                 s->spec->name, svc_state_name(s->state),
                                 s->reason[0] ? s->reason : "exited 0", code);
                        run_end(code);
                        sched_kick();
                }
        }
        table_notify_watchers(s, from);
        dirty = true;
}
