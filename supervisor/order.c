/* supervisor/order.c — supervisord's priority order, beside the table's
 * config order (kept for printing and status).
 *
 * Services ready to start are started in ascending priority: a supervisord
 * [group:]'s priority first, then the program's own, then config order.
 * Starting does not wait for a lower priority to be RUNNING (supervisord
 * does not either); dependencies (after=, requires=) still gate a start.
 * Shutdown stops the highest priority first and waits until it is down
 * before the next priority gets its stop signal; equal priorities stop
 * together. A service's stop rank is the lowest of its own priority and its
 * dependents' ranks, so a dependent always stops first, whatever the
 * priorities say (see docs/design.md, Goals). */
#include <errno.h>
#include <stdlib.h>

#include "supervisor/svc_int.h"

struct entry {
        struct svc *s;
        long long key;
        size_t pos;             /* config order: the tie-break */
};

static struct svc **order;      /* NULL: out of memory, walk the table */
static struct svc **table;      /* table.c's array, handed to each order_build */
static size_t table_n;

/* One number ordered like the pair (group priority, priority): both are
 * within ±1,000,000 (confd/keys.c). */
static long long prio_key(const struct svc_spec *sp)
{
        return (long long)sp->group_priority * 10000000LL + sp->priority;
}

static int by_level_desc(const void *a, const void *b)
{
        unsigned la = ((const struct entry *)a)->s->priv->level;
        unsigned lb = ((const struct entry *)b)->s->priv->level;

        return la < lb ? 1 : la > lb ? -1 : 0;
}

static int by_key(const void *a, const void *b)
{
        const struct entry *x = a, *y = b;

        if (x->key != y->key)
                return x->key < y->key ? -1 : 1;
        return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Dependents have a higher level: walked from the top level down, each
 * service sees its dependents' ranks final. */
static void set_stop_keys(struct entry *e, size_t n)
{
        qsort(e, n, sizeof(*e), by_level_desc);
        for (size_t i = 0; i < n; i++) {
                struct svc_private *p = e[i].s->priv;

                p->stop_key = e[i].key;
                for (size_t k = 0; !p->cyclic && k < p->n_dependents; k++) {
                        const struct svc_private *d = p->dependents[k]->priv;
                        if (!d->cyclic && d->stop_key < p->stop_key)
                                p->stop_key = d->stop_key;
                }
        }
}

int order_build(struct svc **tab, size_t n, struct sup_err *err)
{
        struct entry *e = calloc(n ? n : 1, sizeof(*e));
        struct svc **list = calloc(n ? n : 1, sizeof(*list));

        free(order);
        order = NULL;
        table = tab;
        table_n = n;
        for (size_t i = 0; i < n; i++)
                tab[i]->priv->stop_key = 0;     /* no order: shutdown gated by dependencies alone */
        if (!e || !list) {
                free(e);
                free(list);
                return sup_fail(err, ENOMEM, "priority order");
        }
        for (size_t i = 0; i < n; i++)
                e[i] = (struct entry){ tab[i], prio_key(tab[i]->spec), i };
        for (size_t i = 0; i < n; i++)
                e[i].s->priv->stop_key = e[i].key;
        set_stop_keys(e, n);
        qsort(e, n, sizeof(*e), by_key);
        for (size_t i = 0; i < n; i++)
                list[i] = e[i].s;
        free(e);
        order = list;
        return 0;
}

struct svc **order_list(size_t *n)
{
        *n = table_n;
        return order ? order : table;
}

/* The highest stop rank still up; a shutdown stops nothing below it. */
long long order_stop_ceiling(void)
{
        long long top = 0;
        bool any = false;

        for (size_t i = 0; i < table_n; i++) {
                const struct svc *s = table[i];
                if (s->priv->cyclic || svc_is_down(s))
                        continue;
                if (!any || s->priv->stop_key > top)
                        top = s->priv->stop_key;
                any = true;
        }
        return top;
}
