/* supervisor/reload.c — re-read the config, change only what changed.
 *
 * supervisord's `update`, not its restart-everything: services added are
 * started, removed ones stopped (and freed once down), changed ones
 * (confd_spec_equal false) restarted with the new spec, and the rest keep
 * their process — they only swap to the equal new spec object, so the old
 * config can be freed. A config with errors changes nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/nameidx.h"
#include "confd/confd.h"
#include "supervisor/events.h"
#include "supervisor/logroute.h"
#include "supervisor/run_int.h"

static int load(struct sup_config **out, struct sup_err *err)
{
        struct confd_diag diag = { 0 };
        struct sup_config *nc;
        size_t i;

        nc = confd_load_file(run_state.cfg_path, &diag);
        confd_diag_log(&diag);
        if (!nc) {
                if (diag.n_errors > 1)
                        sup_fail(err, 0, "%s (and %zu more errors)", diag.errors[0],
                                 diag.n_errors - 1);
                else
                        sup_fail(err, 0, "%s", diag.n_errors ? diag.errors[0] : "failed");
                confd_diag_free(&diag);
                return -1;
        }
        confd_diag_free(&diag);
        /* the `-- COMMAND` main service is not in the file: carry it over */
        for (i = 0; i < run_state.cfg->n_services; i++)
                if (run_state.cfg->services[i]->main &&
                    !confd_add_main(nc, run_state.cfg->services[i]->argv)) {
                        confd_free(nc);
                        return sup_fail(err, ENOMEM, "main command");
                }
        for (i = 0; i < nc->n_services; i++)
                if (rt_prepare(nc->services[i], err) < 0) {
                        confd_free(nc);
                        return -1;      /* rt_prepare named the service */
                }
        *out = nc;
        return 0;
}

static void apply_changed(struct svc *s, struct svc_spec *ns)
{
        struct sup_err e = { 0 };
        bool was_alive = svc_alive(s);

        s->spec = ns;
        if (logroute_slot_reconfigure(s->log, &ns->out, &ns->err, &e) < 0)
                log_warn("%s: log targets: %s", ns->name, e.msg);
        s->failures = 0;
        s->priv->quick = 0;
        if (was_alive) {
                s->priv->goal = GOAL_DOWN;
                s->priv->restart_after_stop = true;
        } else {
                s->priv->goal = ns->autostart || ns->main ? GOAL_UP : GOAL_NONE;
        }
}

/* The running services by name, and a mark for each kept one: a reload of
 * 10,000 services stays linear. */
static int index_old(struct svc **oldlist, size_t n_old, struct nameidx *names, bool **kept,
                     struct sup_err *err)
{
        *kept = calloc(n_old ? n_old : 1, sizeof(bool));
        if (!*kept)
                return sup_fail(err, ENOMEM, "reload");
        for (size_t i = 0; i < n_old; i++)
                if (nameidx_put(names, oldlist[i]->spec->name, i, NULL) < 0)
                        return sup_fail(err, ENOMEM, "reload");
        return 0;
}

static enum reread_kind reread_kind_of(const struct svc_spec *ns)
{
        const struct svc *s = table_find(ns->name);

        if (!s)
                return REREAD_AVAILABLE;
        return confd_spec_equal(s->spec, ns) ? REREAD_IN_USE : REREAD_CHANGED;
}

int supervisor_reread(reread_fn fn, void *ctx, struct sup_err *err)
{
        struct sup_config *nc = NULL;
        struct nameidx new_names = { 0 };
        size_t n_old, i;
        struct svc **oldlist;
        int rc = 0;

        if (!run_state.started || !run_state.cfg_path)
                return sup_fail(err, 0, "supd has no config file to re-read");
        if (load(&nc, err) < 0)
                return -1;
        for (i = 0; i < nc->n_services; i++) {
                if (nameidx_put(&new_names, nc->services[i]->name, i, NULL) < 0) {
                        rc = sup_fail(err, ENOMEM, "reread");
                        goto out;
                }
                fn(nc->services[i], reread_kind_of(nc->services[i]), ctx);
        }
        oldlist = table_list(&n_old);
        for (i = 0; i < n_old; i++)
                if (nameidx_get(&new_names, oldlist[i]->spec->name) < 0)
                        fn(oldlist[i]->spec, REREAD_DISAPPEARED, ctx);
out:
        nameidx_free(&new_names);
        confd_free(nc);
        return rc;
}

static void tell(reread_fn fn, void *ctx, const struct svc_spec *sp, enum reread_kind kind)
{
        if (fn)
                fn(sp, kind, ctx);
}

int supervisor_reload(char *summary, size_t summary_len, reread_fn fn, void *ctx,
                      struct sup_err *err)
{
        struct sup_config *nc = NULL;
        struct nameidx old_names = { 0 };
        bool *kept = NULL;
        ssize_t old;
        struct svc **list, **oldlist;
        size_t n, n_old, i, added = 0, changed = 0, unchanged = 0, removed = 0;

        if (!run_state.started || !run_state.cfg_path)
                return sup_fail(err, 0, "supd has no config file to re-read");
        if (run_state.shutting)
                return sup_fail(err, 0, "supd is shutting down");
        if (load(&nc, err) < 0)
                return -1;
        oldlist = table_list(&n_old);
        n = nc->n_services;
        list = calloc(n ? n : 1, sizeof(*list));
        if (!list) {
                sup_fail(err, ENOMEM, "reload");
                goto undo;
        }
        if (run_reserve_dying(n_old, err) < 0)
                goto undo;
        if (index_old(oldlist, n_old, &old_names, &kept, err) < 0)
                goto undo;
        /* first everything that can fail: new services and their log slots */
        for (i = 0; i < n; i++)
                if (nameidx_get(&old_names, nc->services[i]->name) < 0 &&
                    !(list[i] = svc_create(nc->services[i], err)))
                        goto undo;
        /* nothing fails from here on */
        for (i = 0; i < n; i++) {
                struct svc_spec *ns = nc->services[i];
                struct svc *s = list[i];
                if (s) {
                        s->priv->goal = ns->autostart ? GOAL_UP : GOAL_NONE;
                        added++;
                        tell(fn, ctx, ns, REREAD_AVAILABLE);
                        continue;
                }
                old = nameidx_get(&old_names, ns->name);
                kept[old] = true;
                s = list[i] = oldlist[old];
                if (confd_spec_equal(s->spec, ns)) {
                        s->spec = ns;
                        unchanged++;
                } else {
                        apply_changed(s, ns);
                        changed++;
                        tell(fn, ctx, ns, REREAD_CHANGED);
                }
        }
        for (i = 0; i < n_old; i++) {
                struct svc *s = oldlist[i];

                if (kept[i])
                        continue;
                removed++;
                tell(fn, ctx, s->spec, REREAD_DISAPPEARED);
                s->priv->removed = true;
                s->priv->goal = svc_alive(s) ? GOAL_DOWN : GOAL_NONE;
                s->priv->restart_after_stop = false;
                svc_unlink_deps(s);
                run_add_dying(s);
        }
        run_swap_config(nc);
        if (table_set(list, n, err) < 0)
                log_error("reload: %s", err->msg);  /* only ENOMEM: ordering is lost, not services */
        events_sync(nc->identifier);
        snprintf(summary, summary_len, "added %zu, removed %zu, changed %zu, unchanged %zu", added,
                 removed, changed, unchanged);
        log_info("reload: %s", summary);
        nameidx_free(&old_names);
        free(kept);
        sched_kick();
        return 0;
undo:
        nameidx_free(&old_names);
        free(kept);
        for (i = 0; list && i < n; i++)
                if (list[i])
                        svc_destroy(list[i]);
        free(list);
        confd_free(nc);
        return -1;
}
