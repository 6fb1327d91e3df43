/* supervisor/table.c — the service table (config order), its observers, and
 * the service objects themselves (made with their log slot, freed with it).
 *
 * Services live in one array in config order; a reload swaps in a new
 * array. Each service links to what it comes after and to its dependents
 * (from deps.c), so the scheduler never looks names up. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "common/log.h"
#include "supervisor/logroute.h"
#include "supervisor/svc_int.h"

static struct svc **table;
static size_t table_n;

struct watcher {
        svc_change_fn fn;
        void *ctx;
};
static struct watcher *watchers;
static size_t n_watchers;

size_t table_count(void) { return table_n; }

struct svc *table_at(size_t i) { return i < table_n ? table[i] : NULL; }

struct svc *table_find(const char *name)
{
        for (size_t i = 0; name && i < table_n; i++)
                if (strcmp(table[i]->spec->name, name) == 0)
                        return table[i];
        return NULL;
}

struct svc **table_list(size_t *n)
{
        *n = table_n;
        return table;
}

struct svc *svc_new(struct svc_spec *spec)
{
        struct svc *s = calloc(1, sizeof(*s));

        if (!s)
                return NULL;
        s->priv = calloc(1, sizeof(*s->priv));
        if (!s->priv) {
                free(s);
                return NULL;
        }
        s->spec = spec;
        s->state = ST_STOPPED;
        s->priv->proc.pid = 0;
        s->priv->proc.pidfd = -1;
        s->priv->proc.status_fd = -1;
        s->priv->proc.service_pidfd = -1;
        s->priv->status_w.fd = -1;
        s->priv->ready_w.fd = -1;
        s->priv->notify_w.fd = -1;
        return s;
}

void svc_unlink_deps(struct svc *s)
{
        free(s->priv->after);
        free(s->priv->dependents);
        s->priv->after = NULL;
        s->priv->dependents = NULL;
        s->priv->n_after = s->priv->n_dependents = 0;
}

void svc_free(struct svc *s)
{
        if (!s)
                return;
        svc_unlink_deps(s);
        free(s->priv);
        free(s);
}

struct svc *svc_create(struct svc_spec *spec, struct sup_err *err)
{
        struct svc *s = svc_new(spec);

        if (!s) {
                sup_fail(err, ENOMEM, "%s", spec->name);
                return NULL;
        }
        s->log = logroute_slot_new(spec->name, &spec->out, &spec->err, err);
        if (!s->log) {
                sup_wrap(err, "%s: log", spec->name);
                svc_free(s);
                return NULL;
        }
        return s;
}

void svc_destroy(struct svc *s)
{
        logroute_slot_close(s->log);
        svc_free(s);
}

/* supd holds fds for its services (log pipes while they run, status,
 * readiness) and its clients: the soft open-files limit goes to the hard
 * one at start. Services get the limit supd was given back (runtime's
 * rlimit step). */
void table_raise_nofile(void)
{
        struct rlimit rl;

        if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= rl.rlim_max)
                return;
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
                log_warn("cannot raise the open files limit to %llu: %s",
                         (unsigned long long)rl.rlim_max, strerror(errno));
}

/* Fill after/dependents/level of every service from the specs. */
static int table_link_deps(struct sup_err *err)
{
        struct svc_spec **specs = calloc(table_n ? table_n : 1, sizeof(*specs));
        struct deps d;
        size_t i, k;

        if (!specs)
                return sup_fail(err, ENOMEM, "dependency graph");
        for (i = 0; i < table_n; i++) {
                specs[i] = table[i]->spec;
                svc_unlink_deps(table[i]);
        }
        if (deps_build(specs, table_n, &d, err) < 0) {
                free(specs);
                return -1;
        }
        free(specs);
        /* count dependents first, then fill both directions */
        size_t *nd = calloc(table_n ? table_n : 1, sizeof(size_t));
        if (!nd) {
                deps_free(&d);
                return sup_fail(err, ENOMEM, "dependency graph");
        }
        for (i = 0; i < table_n; i++)
                for (k = 0; k < d.edges[i].n; k++)
                        nd[d.edges[i].to[k]]++;
        for (i = 0; i < table_n; i++) {
                struct svc_private *p = table[i]->priv;
                p->level = d.level[i];
                p->cyclic = d.cyclic[i];
                p->after = calloc(d.edges[i].n ? d.edges[i].n : 1, sizeof(*p->after));
                p->dependents = calloc(nd[i] ? nd[i] : 1, sizeof(*p->dependents));
                if (!p->after || !p->dependents) {
                        free(nd);
                        deps_free(&d);
                        return sup_fail(err, ENOMEM, "dependency graph");
                }
        }
        for (i = 0; i < table_n; i++)
                for (k = 0; k < d.edges[i].n; k++) {
                        struct svc *to = table[d.edges[i].to[k]];
                        struct svc_private *p = table[i]->priv;
                        p->after[p->n_after].to = to;
                        p->after[p->n_after++].requires = d.edges[i].requires[k];
                        to->priv->dependents[to->priv->n_dependents++] = table[i];
                }
        free(nd);
        deps_free(&d);
        return 0;
}

/* The array is the caller's allocation; the table takes it over. */
int table_set(struct svc **list, size_t n, struct sup_err *err)
{
        free(table);
        table = list;
        table_n = n;
        int rc = table_link_deps(err);

        if (order_build(table, table_n, err) < 0)
                rc = -1;                /* then the walk is in config order */
        return rc;
}

int table_watch(svc_change_fn fn, void *ctx)
{
        struct watcher *w;

        for (size_t i = 0; i < n_watchers; i++)
                if (!watchers[i].fn) {
                        watchers[i] = (struct watcher){ fn, ctx };
                        return (int)i;
                }
        w = realloc(watchers, (n_watchers + 1) * sizeof(*w));
        if (!w)
                return -1;
        watchers = w;
        watchers[n_watchers] = (struct watcher){ fn, ctx };
        return (int)n_watchers++;
}

void table_unwatch(int handle)
{
        if (handle >= 0 && (size_t)handle < n_watchers)
                watchers[handle].fn = NULL;
}

void table_notify_watchers(struct svc *s, enum svc_state from)
{
        /* an observer may unwatch itself (or others) from its callback */
        for (size_t i = 0; i < n_watchers; i++)
                if (watchers[i].fn)
                        watchers[i].fn(s, from, watchers[i].ctx);
}
