/* supervisor/deps.c — the dependency graph from after=/requires=.
 *
 * Kahn's algorithm: a node's level is one more than the highest level of
 * what it comes after, so services of one level can start (and, in reverse,
 * stop) in parallel. Nodes left over when no node has zero indegree are in
 * a cycle (or behind one): they are marked, never looped over. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/nameidx.h"
#include "supervisor/svc_int.h"

static size_t find_spec(const struct nameidx *names, size_t n, const char *name)
{
        ssize_t i = nameidx_get(names, name);

        return i < 0 ? n : (size_t)i;
}

static bool in_list(char **list, const char *name)
{
        for (; list && *list; list++)
                if (strcmp(*list, name) == 0)
                        return true;
        return false;
}

static size_t count_list(char **list)
{
        size_t n = 0;

        for (; list && *list; list++)
                n++;
        return n;
}

static int add_edge(struct deps *d, size_t from, size_t to, bool req)
{
        for (size_t i = 0; i < d->edges[from].n; i++)
                if (d->edges[from].to[i] == to) {
                        d->edges[from].requires[i] |= req;
                        return 0;
                }
        d->edges[from].to[d->edges[from].n] = to;
        d->edges[from].requires[d->edges[from].n++] = req;
        return 0;
}

/* Edges of node i: after= plus requires= (confd adds requires to after,
 * but do not depend on it). Self-references are dropped. */
static int build_edges(struct svc_spec *const *specs, const struct nameidx *names, size_t n,
                       struct deps *d, size_t i)
{
        const struct svc_spec *s = specs[i];
        size_t cap = count_list(s->after) + count_list(s->requires), j;
        char **l;

        d->edges[i].to = calloc(cap ? cap : 1, sizeof(size_t));
        d->edges[i].requires = calloc(cap ? cap : 1, sizeof(bool));
        if (!d->edges[i].to || !d->edges[i].requires)
                return -1;
        for (l = s->after; l && *l; l++)
                if ((j = find_spec(names, n, *l)) < n && j != i)
                        add_edge(d, i, j, in_list(s->requires, *l));
        for (l = s->requires; l && *l; l++)
                if ((j = find_spec(names, n, *l)) < n && j != i)
                        add_edge(d, i, j, true);
        return 0;
}

/* Who comes after u: rev[first[u] .. first[u + 1]), in node order (the
 * order a scan of every node would find them in). */
static int reverse_edges(const struct deps *d, size_t **first_out, size_t **rev_out)
{
        size_t n = d->n, *first = calloc(n + 1, sizeof(size_t)), *fill, *rev, total = 0;

        for (size_t i = 0; first && i < n; i++)
                total += d->edges[i].n;
        rev = calloc(total ? total : 1, sizeof(size_t));
        fill = calloc(n ? n : 1, sizeof(size_t));
        if (!first || !rev || !fill) {
                free(first);
                free(rev);
                free(fill);
                return -1;
        }
        for (size_t i = 0; i < n; i++)
                for (size_t k = 0; k < d->edges[i].n; k++)
                        first[d->edges[i].to[k] + 1]++;
        for (size_t u = 0; u < n; u++)
                first[u + 1] += first[u];
        for (size_t i = 0; i < n; i++)
                for (size_t k = 0; k < d->edges[i].n; k++) {
                        size_t u = d->edges[i].to[k];

                        rev[first[u] + fill[u]++] = i;
                }
        free(fill);
        *first_out = first;
        *rev_out = rev;
        return 0;
}

/* Kahn over the reverse edges: O(nodes + edges), 100,000 services included. */
static int topo_sort(struct deps *d)
{
        size_t n = d->n, head = 0, tail = 0, i, *first, *rev;
        size_t *remaining = calloc(n ? n : 1, sizeof(size_t));   /* unmet edges per node */
        bool *done = calloc(n ? n : 1, sizeof(bool));

        if (!remaining || !done || reverse_edges(d, &first, &rev) < 0) {
                free(remaining);
                free(done);
                return -1;
        }
        for (i = 0; i < n; i++) {
                remaining[i] = d->edges[i].n;
                if (!remaining[i])
                        d->order[tail++] = i;
        }
        while (head < tail) {
                size_t u = d->order[head++];

                done[u] = true;
                for (size_t k = first[u]; k < first[u + 1]; k++) {
                        i = rev[k];
                        if (d->level[i] < d->level[u] + 1)
                                d->level[i] = d->level[u] + 1;
                        if (--remaining[i] == 0)
                                d->order[tail++] = i;
                }
        }
        free(first);
        free(rev);
        unsigned top = 0;
        for (i = 0; i < tail; i++)
                if (d->level[d->order[i]] > top)
                        top = d->level[d->order[i]];
        for (i = 0; i < n; i++)
                if (!done[i]) {
                        d->cyclic[i] = true;
                        d->level[i] = top + 1;
                        d->order[tail++] = i;
                }
        free(remaining);
        free(done);
        return 0;
}

int deps_build(struct svc_spec *const *specs, size_t n, struct deps *d, struct sup_err *err)
{
        struct nameidx names = { 0 };

        memset(d, 0, sizeof(*d));
        d->n = n;
        d->edges = calloc(n ? n : 1, sizeof(*d->edges));
        d->level = calloc(n ? n : 1, sizeof(unsigned));
        d->cyclic = calloc(n ? n : 1, sizeof(bool));
        d->order = calloc(n ? n : 1, sizeof(size_t));
        if (!d->edges || !d->level || !d->cyclic || !d->order)
                goto oom;
        for (size_t i = 0; i < n; i++)
                if (nameidx_put(&names, specs[i]->name, i, NULL) < 0)
                        goto oom;
        for (size_t i = 0; i < n; i++)
                if (build_edges(specs, &names, n, d, i) < 0)
                        goto oom;
        if (topo_sort(d) < 0)
                goto oom;
        nameidx_free(&names);
        return 0;
oom:
        nameidx_free(&names);
        deps_free(d);
        return sup_fail(err, ENOMEM, "dependency graph");
}

void deps_free(struct deps *d)
{
        if (d->edges)
                for (size_t i = 0; i < d->n; i++) {
                        free(d->edges[i].to);
                        free(d->edges[i].requires);
                }
        free(d->edges);
        free(d->level);
        free(d->cyclic);
        free(d->order);
        memset(d, 0, sizeof(*d));
}
