/* confd/check.c — rules that span keys or services: options that need a
 * namespace, dependencies that must exist and must not form a cycle. */
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "common/nameidx.h"
#include "confd/confd_int.h"

static void need_ns(struct loader *L, const struct svc_origin *o, const char *key,
                    unsigned long flag, const char *ns)
{
        const struct raw_entry *e = raw_find(o->sec, key);

        if (o->svc->sandbox.namespaces & flag)
                return;
        if (e && e->option) {
                diag_add(L->diag, true, "%s needs --namespaces %s", e->option, ns);
                return;
        }
        diag_add(L->diag, true, "%s:%d: [%s] %s: needs the %s namespace (add %s to namespaces =)",
                 o->sec->file, e ? e->line : o->sec->line, o->sec->header, key, ns, ns);
}

void check_sandbox(struct loader *L, const struct svc_origin *o)
{
        const struct sandbox_spec *sb = &o->svc->sandbox;

        if (sb->root)
                need_ns(L, o, "root", CLONE_NEWNS, "mount");
        if (sb->read_only)
                need_ns(L, o, "read_only", CLONE_NEWNS, "mount");
        if (sb->n_binds)
                need_ns(L, o, "bind", CLONE_NEWNS, "mount");
        if (sb->private_tmp)
                need_ns(L, o, "private_tmp", CLONE_NEWNS, "mount");
        /* A PID or network namespace brings a mount namespace (a fresh
         * /proc, /sys), and with it the private /dev. */
        if (sb->given & SB_GIVEN_PRIVATE_DEV && sb->private_dev)
                need_ns(L, o, "private_dev", CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET, "mount");
        if (sb->given & SB_GIVEN_READ_ONLY_PATHS && (sb->read_only_paths || sb->read_only_defaults))
                need_ns(L, o, "read_only_paths", CLONE_NEWNS, "mount");
        if (sb->given & SB_GIVEN_MASKED_PATHS && (sb->masked_paths || sb->masked_defaults))
                need_ns(L, o, "masked_paths", CLONE_NEWNS, "mount");
        if (sb->n_uid_map)
                need_ns(L, o, "user_map", CLONE_NEWUSER, "user");
        if (sb->n_gid_map)
                need_ns(L, o, "gid_map", CLONE_NEWUSER, "user");
        if (sb->hostname)
                need_ns(L, o, "hostname", CLONE_NEWUTS, "uts");
}

/* The key that named a dependency, for the message's line. */
static const struct raw_entry *dep_entry(const struct svc_origin *o, const char *dep)
{
        static const char *keys[] = { "requires", "after" };

        for (int k = 0; k < 2; k++) {
                const struct raw_entry *e = raw_find(o->sec, keys[k]);
                char **names = NULL;
                bool has;

                if (!e || val_list(e->value, &names) < 0)
                        continue;
                has = strv_contains(names, dep);
                strv_free(names);
                if (has)
                        return e;
        }
        return NULL;
}

struct dfs {
        struct loader *L;
        const struct svc_origin *orig;
        const struct nameidx *names;    /* name → index in orig */
        size_t n;
        int *color;                     /* 0 new, 1 on the stack, 2 done */
        size_t *stack;
        size_t depth;
};

static void report_cycle(struct dfs *d, size_t from, size_t to)
{
        const struct svc_origin *o = &d->orig[from];
        const struct raw_entry *e = dep_entry(o, d->orig[to].svc->name);
        struct sbuf path = { 0 };
        size_t start = 0;

        while (d->stack[start] != to)
                start++;
        for (size_t i = start; i < d->depth; i++)
                sb_printf(&path, "%s -> ", d->orig[d->stack[i]].svc->name);
        sb_add(&path, d->orig[to].svc->name);
        diag_add(d->L->diag, true, "%s:%d: [%s] %s: dependency cycle: %s", o->sec->file,
                 e ? e->line : o->sec->line, o->sec->header, e ? e->key : "after", sb_str(&path));
        sb_free(&path);
}

static void dfs_visit(struct dfs *d, size_t i)
{
        char **after = d->orig[i].svc->after;

        d->color[i] = 1;
        d->stack[d->depth++] = i;
        for (size_t k = 0; after && after[k]; k++) {
                ssize_t j = nameidx_get(d->names, after[k]);

                if (j < 0)
                        continue;
                if (d->color[j] == 1)
                        report_cycle(d, i, (size_t)j);
                else if (d->color[j] == 0)
                        dfs_visit(d, (size_t)j);
        }
        d->depth--;
        d->color[i] = 2;
}

void check_dependencies(struct loader *L, struct sup_config *cfg,
                        const struct svc_origin *orig, size_t n)
{
        struct nameidx names = { 0 };
        struct dfs d = { .L = L, .orig = orig, .n = n, .names = &names };

        (void)cfg;
        for (size_t i = 0; i < n; i++) {
                if (nameidx_put(&names, orig[i].svc->name, i, NULL) < 0) {
                        L->oom = true;
                        nameidx_free(&names);
                        return;
                }
        }
        for (size_t i = 0; i < n; i++) {
                char **after = orig[i].svc->after;

                for (size_t k = 0; after && after[k]; k++) {
                        const struct raw_entry *e;

                        if (nameidx_get(&names, after[k]) >= 0)
                                continue;
                        e = dep_entry(&orig[i], after[k]);
                        diag_add(L->diag, true, "%s:%d: [%s] %s: no service named \"%s\"",
                                 orig[i].sec->file, e ? e->line : orig[i].sec->line,
                                 orig[i].sec->header, e ? e->key : "after", after[k]);
                }
        }
        if (!n)
                return;
        d.color = calloc(n, sizeof(*d.color));
        d.stack = calloc(n, sizeof(*d.stack));
        if (!d.color || !d.stack) {
                L->oom = true;
        } else {
                for (size_t i = 0; i < n; i++)
                        if (d.color[i] == 0)
                                dfs_visit(&d, i);
        }
        free(d.color);
        free(d.stack);
        nameidx_free(&names);
}
