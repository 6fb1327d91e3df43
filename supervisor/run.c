/* supervisor/run.c — the run as a whole: its state, its start, its end, and
 * the services a reload removed that are still stopping.
 *
 * One owner for what every other file of the supervisor reads: the loop,
 * the config, whether the run started and whether it is ending. It acts on
 * the table and the processes, never on the scheduler: the callers of
 * run_start() and run_end(), which set goals, kick the scheduler
 * themselves, and a change made during a scheduler pass is picked up by
 * that pass.
 *
 * The end: a requested shutdown (SIGTERM/SIGINT/supctl shutdown) or a
 * critical service that stopped for good sets every goal to DOWN; sched.c
 * stops them in reverse dependency order, each with its stop_signal then
 * SIGKILL after its stop_timeout. [supd] shutdown_timeout bounds the whole:
 * when it passes, whatever is left gets SIGKILL. Exit code (docs/supd.8,
 * EXIT STATUS): the critical service's code; else 0 when everything
 * stopped within its timeout; 1 when something had to be killed. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "confd/confd.h"
#include "supervisor/events.h"
#include "supervisor/logroute.h"
#include "supervisor/run_int.h"

/* After the final SIGKILL, how long to wait for the exits before giving up
 * on a process stuck in the kernel (D state). */
#define KILL_GRACE_S 2.0

struct run_state run_state;

static struct svc **dying;              /* removed by a reload, still stopping */
static size_t n_dying;
static struct sup_config **retired;     /* old configs still used by dying services */
static size_t n_retired;

/* ---- start ---- */

static struct svc **create_services(struct sup_config *cfg, struct sup_err *err)
{
        size_t i, n = cfg->n_services;
        struct svc **list = calloc(n ? n : 1, sizeof(*list));

        if (!list) {
                sup_fail(err, ENOMEM, "service table");
                return NULL;
        }
        for (i = 0; i < n; i++)
                if (!(list[i] = svc_create(cfg->services[i], err))) {
                        while (i-- > 0)
                                svc_destroy(list[i]);
                        free(list);
                        return NULL;
                }
        return list;
}

static void set_first_goals(struct svc **list, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                struct svc *s = list[i];
                if (s->priv->cyclic)
                        log_error("%s: in (or behind) a dependency cycle; it will not start",
                                  s->spec->name);
                s->priv->goal = s->spec->autostart || s->spec->main ? GOAL_UP : GOAL_NONE;
        }
}

int run_start(struct ev_loop *loop, struct sup_config *cfg, const char *cfg_path,
              supervisor_done_fn done, struct sup_err *err)
{
        struct svc **list;
        size_t n = cfg->n_services;

        if (run_state.started)
                return sup_fail(err, EBUSY, "supervisor already started");
        table_raise_nofile();
        if (logroute_init(loop, cfg->log_format ? cfg->log_format : "{name} | {line}", err) < 0)
                return -1;
        list = create_services(cfg, err);
        if (!list)
                return -1;
        run_state.loop = loop;
        run_state.cfg = cfg;
        run_state.cfg_path = cfg_path ? strdup(cfg_path) : NULL;
        run_state.done = done;
        if (table_set(list, n, err) < 0)
                return -1;
        set_first_goals(list, n);
        run_state.started = true;
        return 0;
}

/* ---- services a reload removed ---- */

struct svc **run_dying(size_t *n)
{
        *n = n_dying;
        return dying;
}

int run_reserve_dying(size_t n_more, struct sup_err *err)
{
        struct svc **grow_dying = realloc(dying, (n_dying + n_more + 1) * sizeof(*dying));
        struct sup_config **grow_retired;

        if (!grow_dying)
                return sup_fail(err, ENOMEM, "reload");
        dying = grow_dying;
        grow_retired = realloc(retired, (n_retired + 1) * sizeof(*retired));
        if (!grow_retired)
                return sup_fail(err, ENOMEM, "reload");
        retired = grow_retired;
        return 0;
}

void run_add_dying(struct svc *s)
{
        dying[n_dying++] = s;
}

void run_swap_config(struct sup_config *cfg)
{
        retired[n_retired++] = run_state.cfg;
        run_state.cfg = cfg;
}

void run_reap_dying(void)
{
        size_t i, k = 0;

        for (i = 0; i < n_dying; i++) {
                struct svc *s = dying[i];
                if (svc_alive(s)) {
                        dying[k++] = s;
                        continue;
                }
                log_info("%s: removed", s->spec->name);
                process_forget(s);
                svc_destroy(s);
        }
        n_dying = k;
        if (n_dying == 0 && n_retired) {
                for (i = 0; i < n_retired; i++)
                        confd_free(retired[i]);
                n_retired = 0;
        }
}

static struct svc *find_pid_in(struct svc **list, size_t n, pid_t pid)
{
        for (size_t i = 0; i < n; i++)
                if (list[i]->pid == pid && list[i]->priv->have_proc)
                        return list[i];
        return NULL;
}

struct svc *run_find_pid(pid_t pid)
{
        size_t n;
        struct svc **list = table_list(&n);
        struct svc *s = find_pid_in(list, n, pid);

        return s ? s : find_pid_in(dying, n_dying, pid);
}

/* ---- end ---- */

static void finish(void)
{
        size_t n;
        struct svc **list = table_list(&n);
        bool killed = run_state.forced;
        int code;

        for (size_t i = 0; i < n; i++)
                killed |= list[i]->priv->killed;
        code = run_state.critical_ended ? run_state.exit_code : killed ? 1 : 0;
        ev_timer_stop(run_state.loop, &run_state.shutdown_timer);
        run_state.finished = true;
        logroute_drain();       /* the services' last lines come before ours */
        log_info("all services stopped; exit code %d", code);
        if (run_state.done)
                run_state.done(code);
}

static bool any_alive(struct svc **list, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (svc_alive(list[i]))
                        return true;
        return false;
}

void run_check_done(void)
{
        size_t n;
        struct svc **list = table_list(&n);

        if (run_state.shutting && !run_state.finished && !any_alive(list, n) &&
            !any_alive(dying, n_dying))
                finish();
}

static void kill_all(struct svc **list, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                struct svc *s = list[i];
                struct sup_err err = { 0 };
                if (!s->priv->have_proc)
                        continue;
                log_warn("%s: still running at shutdown_timeout, sending SIGKILL", s->spec->name);
                s->priv->killed = true;
                rt_signal(&s->priv->proc, SIGKILL, &err);
        }
}

static void deadline_cb(struct ev_loop *l, ev_timer *w, int revents)
{
        size_t n;
        struct svc **list;

        (void)revents;
        if (run_state.forced) {
                log_error("services did not exit %.0fs after SIGKILL; giving up on them", KILL_GRACE_S);
                finish();
                return;
        }
        run_state.forced = true;
        list = table_list(&n);
        kill_all(list, n);
        kill_all(dying, n_dying);
        ev_timer_set(w, KILL_GRACE_S, 0.);
        ev_timer_start(l, w);
}

void run_end(int critical_code)
{
        size_t n;
        struct svc **list;

        if (run_state.shutting || !run_state.started)
                return;
        run_state.shutting = true;
        if (critical_code >= 0) {
                run_state.critical_ended = true;
                run_state.exit_code = critical_code;
        }
        log_info("shutting down");
        events_stopping();
        list = table_list(&n);
        for (size_t i = 0; i < n; i++) {
                list[i]->priv->goal = GOAL_DOWN;
                list[i]->priv->restart_after_stop = false;
                list[i]->priv->killed = false;
        }
        ev_timer_init(&run_state.shutdown_timer, deadline_cb,
                      (double)run_state.cfg->shutdown_timeout / 1000.0, 0.);
        ev_timer_start(run_state.loop, &run_state.shutdown_timer);
}
