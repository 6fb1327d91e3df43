/* confd/keys.c — THE table of configuration keys.
 *
 * One row per key: where it is valid, its type, its default, a line of
 * documentation, how to store it and how to print it back. Parsing,
 * validation, `supd --check` and docs/config.md all read this table, so
 * they cannot drift apart. Defaults are text run through the same setter
 * as a user's value. */
#include <ctype.h>
#include <sched.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/resource.h>

#include "confd/confd_int.h"

#define SVC_OFF(field) ((long)offsetof(struct svc_spec, field))
#define AT(c, k, T) ((T *)((char *)(c)->svc + (k)->arg))
#define AT_CONST(s, k, T) ((const T *)((const char *)(s) + (k)->arg))

#define BOTH (SEC_SERVICE | SEC_PROGRAM)

/* ---- generic setters on svc_spec fields ---------------------------------- */

static int why_range(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        snprintf(c->why, WHY, "expected a number from %lld to %lld; got \"%s\"", k->min, k->max, v);
        return -1;
}

static int set_bool(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        return val_bool(v, AT(c, k, bool));
}

static int set_duration(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        return confd_parse_duration(v, AT(c, k, uint64_t));
}

static int set_size(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        return confd_parse_size(v, AT(c, k, uint64_t));
}

static int parse_ranged(struct set_ctx *c, const struct confd_key *k, const char *v, long long *out)
{
        long long lo = k->min, hi = k->max;

        if (!lo && !hi)
                hi = INT32_MAX;
        if (val_int(v, -(1LL << 40), 1LL << 40, out) < 0)
                return -1;
        if (*out < lo || *out > hi)
                return why_range(c, k, v);
        return 0;
}

static int set_unsigned(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        long long n;

        if (parse_ranged(c, k, v, &n) < 0)
                return -1;
        *AT(c, k, unsigned) = (unsigned)n;
        return 0;
}

static int set_int(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        long long n;

        if (parse_ranged(c, k, v, &n) < 0)
                return -1;
        *AT(c, k, int) = (int)n;
        return 0;
}

static int set_string(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        char **p = AT(c, k, char *);
        char *dup = *v ? strdup(v) : NULL;

        if (*v && !dup)
                return -1;
        free(*p);
        *p = dup;
        return 0;
}

static int set_path(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        char **p = AT(c, k, char *);
        char *path;

        if (!*v) {
                snprintf(c->why, WHY, "expected a path; got nothing");
                return -1;
        }
        path = val_path(v, c->dir);
        if (!path)
                return -1;
        free(*p);
        *p = path;
        return 0;
}

static int set_ignore(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        (void)c; (void)k; (void)v;
        return 0;
}

/* ---- generic printers ----------------------------------------------------- */

static void fmt_bool_f(const struct svc_spec *s, const struct sup_config *cfg,
                       const struct confd_key *k, struct sbuf *o)
{
        (void)cfg;
        sb_add(o, *AT_CONST(s, k, bool) ? "yes" : "no");
}

static void fmt_duration_f(const struct svc_spec *s, const struct sup_config *cfg,
                           const struct confd_key *k, struct sbuf *o)
{
        (void)cfg;
        fmt_duration(o, *AT_CONST(s, k, uint64_t));
}

static void fmt_size_f(const struct svc_spec *s, const struct sup_config *cfg,
                       const struct confd_key *k, struct sbuf *o)
{
        (void)cfg;
        fmt_size(o, *AT_CONST(s, k, uint64_t));
}

static void fmt_size_set(const struct svc_spec *s, const struct sup_config *cfg,
                         const struct confd_key *k, struct sbuf *o)
{
        if (*AT_CONST(s, k, uint64_t))
                fmt_size_f(s, cfg, k, o);
}

static void fmt_unsigned(const struct svc_spec *s, const struct sup_config *cfg,
                         const struct confd_key *k, struct sbuf *o)
{
        (void)cfg;
        sb_printf(o, "%u", *AT_CONST(s, k, unsigned));
}

static void fmt_unsigned_set(const struct svc_spec *s, const struct sup_config *cfg,
                             const struct confd_key *k, struct sbuf *o)
{
        if (*AT_CONST(s, k, unsigned))
                fmt_unsigned(s, cfg, k, o);
}

static void fmt_int(const struct svc_spec *s, const struct sup_config *cfg,
                    const struct confd_key *k, struct sbuf *o)
{
        (void)cfg;
        sb_printf(o, "%d", *AT_CONST(s, k, int));
}

static void fmt_string(const struct svc_spec *s, const struct sup_config *cfg,
                       const struct confd_key *k, struct sbuf *o)
{
        const char *v = *AT_CONST(s, k, char *);

        (void)cfg;
        if (v)
                sb_add(o, v);   /* read raw, printed raw */
}

static void fmt_words(struct sbuf *o, char *const *v, const char *sep)
{
        for (size_t i = 0; v && v[i]; i++) {
                if (i)
                        sb_add(o, sep);
                fmt_word(o, v[i]);
        }
}

static void fmt_strv(const struct svc_spec *s, const struct sup_config *cfg,
                     const struct confd_key *k, struct sbuf *o)
{
        (void)cfg;
        fmt_words(o, *(char **const *)((const char *)s + k->arg), " ");
}

static void fmt_bool_set(const struct svc_spec *s, const struct sup_config *cfg,
                         const struct confd_key *k, struct sbuf *o)
{
        if (*AT_CONST(s, k, bool))
                fmt_bool_f(s, cfg, k, o);
}

/* ---- service keys ------------------------------------------------------- */

static int set_command(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        char **argv;

        (void)k;
        if (val_words(v, false, &argv, c->why) < 0)
                return -1;
        if (!argv[0]) {
                strv_free(argv);
                snprintf(c->why, WHY, "expected a command like /usr/bin/app --flag; got nothing");
                return -1;
        }
        strv_free(c->svc->argv);
        c->svc->argv = argv;
        return 0;
}

static void fmt_command(const struct svc_spec *s, const struct sup_config *cfg,
                        const struct confd_key *k, struct sbuf *o)
{
        (void)cfg; (void)k;
        fmt_words(o, s->argv, " ");
}

static int set_type(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        (void)k;
        if (strcasecmp(v, "simple") == 0)
                c->svc->type = SVC_SIMPLE;
        else if (strcasecmp(v, "oneshot") == 0)
                c->svc->type = SVC_ONESHOT;
        else
                return -1;
        return 0;
}

static void fmt_type(const struct svc_spec *s, const struct sup_config *cfg,
                     const struct confd_key *k, struct sbuf *o)
{
        (void)cfg; (void)k;
        sb_add(o, s->type == SVC_ONESHOT ? "oneshot" : "simple");
}

static void fmt_env(const struct svc_spec *s, const struct sup_config *cfg,
                    const struct confd_key *k, struct sbuf *o)
{
        (void)cfg; (void)k;
        for (size_t i = 0; s->environment && s->environment[i]; i++) {
                const char *kv = s->environment[i], *eq = strchr(kv, '=');

                if (i)
                        sb_addc(o, ' ');
                /* A key the parser would unescape is quoted with its value. */
                if (strcspn(kv, WORD_SPECIALS) < (size_t)(eq - kv)) {
                        fmt_word(o, kv);
                        continue;
                }
                sb_addn(o, kv, (size_t)(eq - kv + 1));
                if (eq[1])
                        fmt_word(o, eq + 1);
        }
}

static int set_env(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        (void)k;
        return val_env(v, &c->svc->environment, c->why);
}

static int set_umask(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        unsigned m;

        (void)k;
        if (strcasecmp(v, "inherit") == 0) {
                c->svc->umask = -1;
                return 0;
        }
        if (val_octal(v, 0777, &m) < 0)
                return -1;
        c->svc->umask = (int)m;
        return 0;
}

static void fmt_umask(const struct svc_spec *s, const struct sup_config *cfg,
                      const struct confd_key *k, struct sbuf *o)
{
        (void)cfg; (void)k;
        if (s->umask < 0)
                sb_add(o, "inherit");
        else
                sb_printf(o, "%03o", (unsigned)s->umask);
}

static int set_names(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        char ***p = AT(c, k, char **);
        char **names;

        if (val_list(v, &names) < 0)
                return -1;
        for (size_t i = 0; names[i]; i++) {
                if (!val_name_ok(names[i])) {
                        snprintf(c->why, WHY, "expected service names; \"%s\" is not one",
                                 names[i]);
                        strv_free(names);
                        return -1;
                }
        }
        strv_free(*p);
        *p = names;
        return 0;
}

static int set_ready(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        struct svc_spec *s = c->svc;
        uint64_t n;

        (void)k;
        if (strcasecmp(v, "none") == 0) {
                s->ready = READY_NONE;
        } else if (strcasecmp(v, "notify") == 0) {
                s->ready = READY_NOTIFY;
        } else if (strncasecmp(v, "fd:", 3) == 0) {
                if (val_uint(v + 3, 1023, &n) < 0 || n < 3) {
                        snprintf(c->why, WHY, "expected fd:N with N from 3 to 1023 (0-2 are "
                                 "stdin/stdout/stderr); got \"%s\"", v);
                        return -1;
                }
                s->ready = READY_FD;
                s->ready_fd = (int)n;
        } else if (strncasecmp(v, "delay:", 6) == 0) {
                if (confd_parse_duration(v + 6, &n) < 0) {
                        snprintf(c->why, WHY, "expected delay:DURATION like delay:2s; got \"%s\"",
                                 v);
                        return -1;
                }
                s->ready = READY_DELAY;
                s->ready_delay = n;
        } else {
                return -1;
        }
        return 0;
}

static void fmt_ready(const struct svc_spec *s, const struct sup_config *cfg,
                      const struct confd_key *k, struct sbuf *o)
{
        (void)cfg; (void)k;
        switch (s->ready) {
        case READY_NONE: sb_add(o, "none"); break;
        case READY_NOTIFY: sb_add(o, "notify"); break;
        case READY_FD: sb_printf(o, "fd:%d", s->ready_fd); break;
        case READY_DELAY: sb_add(o, "delay:"); fmt_duration(o, s->ready_delay); break;
        }
}

static int set_restart(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        (void)k;
        if (strcasecmp(v, "always") == 0)
                c->svc->restart = RESTART_ALWAYS;
        else if (strcasecmp(v, "on-failure") == 0)
                c->svc->restart = RESTART_ON_FAILURE;
        else if (strcasecmp(v, "never") == 0 || strcasecmp(v, "no") == 0)
                c->svc->restart = RESTART_NEVER;
        else
                return -1;
        return 0;
}

static void fmt_restart(const struct svc_spec *s, const struct sup_config *cfg,
                        const struct confd_key *k, struct sbuf *o)
{
        static const char *names[] = { "always", "on-failure", "never" };

        (void)cfg; (void)k;
        sb_add(o, names[s->restart]);
}

static int set_exit_codes(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        (void)k;
        return val_exit_codes(v, c->svc->success_exit, c->why);
}

static void fmt_exit_codes(const struct svc_spec *s, const struct sup_config *cfg,
                           const struct confd_key *k, struct sbuf *o)
{
        bool first = true;

        (void)cfg; (void)k;
        for (int i = 0; i < 256; i++) {
                if (!svc_exit_is_success(s, i))
                        continue;
                sb_printf(o, first ? "%d" : " %d", i);
                first = false;
        }
}

static int set_signal(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        (void)k;
        return confd_parse_signal(v, &c->svc->stop_signal);
}

static void fmt_signal(const struct svc_spec *s, const struct sup_config *cfg,
                       const struct confd_key *k, struct sbuf *o)
{
        char buf[32];

        (void)cfg; (void)k;
        val_signal_name(s->stop_signal, buf, sizeof(buf));
        sb_add(o, buf);
}

/* arg: 0 = stdout, 1 = stderr */
static int set_log_target(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        struct log_target *t = k->arg ? &c->svc->err : &c->svc->out;
        char *path = NULL;

        if (strcasecmp(v, "console") == 0) {
                t->kind = LOG_TO_CONSOLE;
        } else if (strcasecmp(v, "null") == 0) {
                t->kind = LOG_TO_NULL;
        } else if (k->arg && strcasecmp(v, "stdout") == 0) {
                t->kind = LOG_TO_STDOUT;
        } else if (strncasecmp(v, "file:", 5) == 0 && v[5]) {
                path = val_path(v + 5, c->dir);
                if (!path)
                        return -1;
                t->kind = LOG_TO_FILE;
        } else {
                return -1;
        }
        free(t->path);
        t->path = path;
        return 0;
}

static void fmt_log_target(const struct svc_spec *s, const struct sup_config *cfg,
                           const struct confd_key *k, struct sbuf *o)
{
        const struct log_target *t = k->arg ? &s->err : &s->out;

        (void)cfg;
        switch (t->kind) {
        case LOG_TO_CONSOLE: sb_add(o, "console"); break;
        case LOG_TO_NULL: sb_add(o, "null"); break;
        case LOG_TO_STDOUT: sb_add(o, "stdout"); break;
        case LOG_TO_FILE: sb_add(o, "file:"); sb_add(o, t->path ? t->path : ""); break;
        }
}

static int set_log_max_size(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        uint64_t n;

        (void)k;
        if (confd_parse_size(v, &n) < 0)
                return -1;
        c->svc->out.max_size = c->svc->err.max_size = n;
        return 0;
}

static void fmt_log_max_size(const struct svc_spec *s, const struct sup_config *cfg,
                             const struct confd_key *k, struct sbuf *o)
{
        (void)cfg; (void)k;
        fmt_size(o, s->out.max_size);
}

static int set_err_max_size(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        (void)k;
        if (confd_parse_size(v, &c->prog->err_size) < 0)
                return -1;
        c->prog->err_size_set = true;
        return 0;
}

static void fmt_err_max_size(const struct svc_spec *s, const struct sup_config *cfg,
                             const struct confd_key *k, struct sbuf *o)
{
        (void)cfg; (void)k;
        if (s->err.max_size != s->out.max_size)
                fmt_size(o, s->err.max_size);
}

static int set_err_keep(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        long long n;

        if (parse_ranged(c, k, v, &n) < 0)
                return -1;
        c->prog->err_keep = (unsigned)n;
        c->prog->err_keep_set = true;
        return 0;
}

static void fmt_err_keep(const struct svc_spec *s, const struct sup_config *cfg,
                         const struct confd_key *k, struct sbuf *o)
{
        (void)cfg; (void)k;
        if (s->err.keep != s->out.keep)
                sb_printf(o, "%u", s->err.keep);
}

static int set_log_keep(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        long long n;

        if (parse_ranged(c, k, v, &n) < 0)
                return -1;
        c->svc->out.keep = c->svc->err.keep = (unsigned)n;
        return 0;
}

static void fmt_log_keep(const struct svc_spec *s, const struct sup_config *cfg,
                         const struct confd_key *k, struct sbuf *o)
{
        (void)cfg; (void)k;
        sb_printf(o, "%u", s->out.keep);
}

/* ---- sandbox keys --------------------------------------------------------- */

#define SB_OFF(field) SVC_OFF(sandbox.field)

static int set_namespaces(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        (void)k;
        return val_namespaces(v, &c->svc->sandbox.namespaces, c->why);
}

static void fmt_namespaces(const struct svc_spec *s, const struct sup_config *cfg,
                           const struct confd_key *k, struct sbuf *o)
{
        static const struct { unsigned long f; const char *n; } ns[] = {
                { CLONE_NEWPID, "pid" }, { CLONE_NEWNS, "mount" }, { CLONE_NEWUTS, "uts" },
                { CLONE_NEWIPC, "ipc" }, { CLONE_NEWNET, "net" }, { CLONE_NEWUSER, "user" },
                { CLONE_NEWCGROUP, "cgroup" },
        };
        bool first = true;

        (void)cfg; (void)k;
        for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
                if (!(s->sandbox.namespaces & ns[i].f))
                        continue;
                sb_printf(o, first ? "%s" : " %s", ns[i].n);
                first = false;
        }
}

static int set_hostname(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        size_t n = strlen(v);

        if (n == 0 || n > 64 || strpbrk(v, " \t/")) {
                snprintf(c->why, WHY, "expected a host name of 1 to 64 characters; got \"%s\"", v);
                return -1;
        }
        return set_string(c, k, v);
}

/* arg: 0 = uid map, 1 = gid map */
static int set_idmap(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        struct sandbox_spec *sb = &c->svc->sandbox;
        struct id_map **m = k->arg ? &sb->gid_map : &sb->uid_map;
        size_t *n = k->arg ? &sb->n_gid_map : &sb->n_uid_map;
        struct id_map *nm;
        size_t nn;

        if (val_idmap(v, &nm, &nn, c->why) < 0)
                return -1;
        free(*m);
        *m = nm;
        *n = nn;
        return 0;
}

static void fmt_idmap(const struct svc_spec *s, const struct sup_config *cfg,
                      const struct confd_key *k, struct sbuf *o)
{
        const struct id_map *m = k->arg ? s->sandbox.gid_map : s->sandbox.uid_map;
        size_t n = k->arg ? s->sandbox.n_gid_map : s->sandbox.n_uid_map;

        (void)cfg;
        for (size_t i = 0; i < n; i++)
                sb_printf(o, "%s%u %u %u", i ? ", " : "", m[i].inside, m[i].outside, m[i].count);
}

static int set_binds(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        struct sandbox_spec *sb = &c->svc->sandbox;
        struct bind_mount *b;
        size_t n;

        (void)k;
        if (val_binds(v, c->dir, &b, &n, c->why) < 0)
                return -1;
        for (size_t i = 0; i < sb->n_binds; i++) {
                free(sb->binds[i].src);
                free(sb->binds[i].dst);
        }
        free(sb->binds);
        sb->binds = b;
        sb->n_binds = n;
        return 0;
}

static void fmt_binds(const struct svc_spec *s, const struct sup_config *cfg,
                      const struct confd_key *k, struct sbuf *o)
{
        (void)cfg; (void)k;
        for (size_t i = 0; i < s->sandbox.n_binds; i++) {
                struct sbuf w = { 0 };

                sb_printf(&w, "%s:%s%s", s->sandbox.binds[i].src, s->sandbox.binds[i].dst,
                          s->sandbox.binds[i].ro ? ":ro" : "");
                if (i)
                        sb_addc(o, ' ');
                fmt_word(o, sb_str(&w));
                sb_free(&w);
        }
}

static int set_abs_paths(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        char ***p = AT(c, k, char **);
        char **paths;

        if (val_words(v, false, &paths, c->why) < 0)
                return -1;
        for (size_t i = 0; paths[i]; i++) {
                if (paths[i][0] != '/') {
                        snprintf(c->why, WHY, "expected absolute paths; got \"%s\"", paths[i]);
                        strv_free(paths);
                        return -1;
                }
        }
        strv_free(*p);
        *p = paths;
        return 0;
}

static int set_cpu(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        double d;

        (void)k;
        if (val_double(v, &d) < 0 || d <= 0 || d > 4096) {
                snprintf(c->why, WHY, "expected a number of CPUs above 0 like 0.5 or 2; got \"%s\"",
                         v);
                return -1;
        }
        c->svc->sandbox.cpu_max = d;
        return 0;
}

static void fmt_cpu(const struct svc_spec *s, const struct sup_config *cfg,
                    const struct confd_key *k, struct sbuf *o)
{
        (void)cfg; (void)k;
        char buf[64];

        if (s->sandbox.cpu_max <= 0)
                return;
        /* short when that is exact, all digits when not */
        snprintf(buf, sizeof(buf), "%g", s->sandbox.cpu_max);
        if (strtod(buf, NULL) != s->sandbox.cpu_max)
                snprintf(buf, sizeof(buf), "%.17g", s->sandbox.cpu_max);
        sb_add(o, buf);
}

static int set_pids(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        long long n;

        if (parse_ranged(c, k, v, &n) < 0)
                return -1;
        c->svc->sandbox.pids_max = n;
        return 0;
}

static void fmt_pids(const struct svc_spec *s, const struct sup_config *cfg,
                     const struct confd_key *k, struct sbuf *o)
{
        (void)cfg; (void)k;
        if (s->sandbox.pids_max)
                sb_printf(o, "%lld", (long long)s->sandbox.pids_max);
}

static int set_caps(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        (void)k;
        if (val_caps(v, &c->svc->sandbox.caps, c->why) < 0)
                return -1;
        c->svc->sandbox.caps_set = true;
        return 0;
}

static void fmt_caps(const struct svc_spec *s, const struct sup_config *cfg,
                     const struct confd_key *k, struct sbuf *o)
{
        bool first = true;

        (void)cfg; (void)k;
        if (!s->sandbox.caps_set)
                return;
        for (int i = 0; i < 64; i++) {
                char *name;

                if (!(s->sandbox.caps & (1ULL << i)))
                        continue;
                name = cap_to_name((cap_value_t)i);
                if (!name)
                        continue;
                for (char *p = name; *p; p++)
                        *p = (char)toupper((unsigned char)*p);
                sb_printf(o, first ? "%s" : " %s", name);
                cap_free(name);
                first = false;
        }
        if (first)
                sb_add(o, "none");
}

static int set_seccomp(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        struct sandbox_spec *sb = &c->svc->sandbox;
        char **allow, **deny, *path;

        (void)k;
        if (strcasecmp(v, "none") == 0 || strcasecmp(v, "default") == 0) {
                sb->seccomp = strcasecmp(v, "none") == 0 ? SECCOMP_NONE : SECCOMP_DEFAULT;
                free(sb->seccomp_profile);
                sb->seccomp_profile = NULL;
                return 0;
        }
        if (!*v)
                return -1;
        path = val_path(v, c->dir);
        if (!path)
                return -1;
        if (val_seccomp_profile(path, &allow, &deny, c->why) < 0) {
                free(path);
                return -1;
        }
        for (size_t i = 0; allow[i]; i++)
                if (!strv_contains(sb->seccomp_allow, allow[i]))
                        strv_push(&sb->seccomp_allow, allow[i]);
        for (size_t i = 0; deny[i]; i++)
                if (!strv_contains(sb->seccomp_deny, deny[i]))
                        strv_push(&sb->seccomp_deny, deny[i]);
        strv_free(allow);
        strv_free(deny);
        free(sb->seccomp_profile);
        sb->seccomp_profile = path;
        sb->seccomp = SECCOMP_PROFILE;
        return 0;
}

static void fmt_seccomp(const struct svc_spec *s, const struct sup_config *cfg,
                        const struct confd_key *k, struct sbuf *o)
{
        (void)cfg; (void)k;
        if (s->sandbox.seccomp == SECCOMP_DEFAULT)
                sb_add(o, "default");
        else if (s->sandbox.seccomp == SECCOMP_PROFILE)
                sb_add(o, s->sandbox.seccomp_profile);
}

/* Lists add up (a profile's entries plus the key's), so order in the
 * section does not matter. */
static int set_syscalls(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        char ***p = AT(c, k, char **);
        char **names;

        if (val_syscalls(v, &names, c->why) < 0)
                return -1;
        for (size_t i = 0; names[i]; i++) {
                if (!strv_contains(*p, names[i]) && strv_push(p, names[i]) < 0) {
                        strv_free(names);
                        return -1;
                }
        }
        strv_free(names);
        return 0;
}

static int set_apparmor(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        if (!v[0] || (v[0] == '-' && !v[1]) || strpbrk(v, " \t")) {
                snprintf(c->why, WHY, "expected a profile name (\"-name\" when optional); got \"%s\"",
                         v);
                return -1;
        }
        return set_string(c, k, v);
}

/* arg: RLIMIT_* */
static int set_rlimit(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        struct sandbox_spec *sb = &c->svc->sandbox;
        struct rlimit lim;
        struct rlimit_setting *r;
        size_t i;

        if (val_rlimit(v, (int)k->arg, &lim, c->why) < 0) {
                if (!c->why[0])
                        snprintf(c->why, WHY, "expected N (a %s), SOFT:HARD or infinity; got \"%s\"",
                                 k->type, v);
                return -1;
        }
        for (i = 0; i < sb->n_rlimits; i++)
                if (sb->rlimits[i].resource == (int)k->arg)
                        break;
        if (i == sb->n_rlimits) {
                r = realloc(sb->rlimits, (sb->n_rlimits + 1) * sizeof(*r));
                if (!r)
                        return -1;
                sb->rlimits = r;
                sb->n_rlimits++;
        }
        sb->rlimits[i].resource = (int)k->arg;
        sb->rlimits[i].lim = lim;
        return 0;
}

static void fmt_rlim_value(struct sbuf *o, rlim_t v)
{
        if (v == RLIM_INFINITY)
                sb_add(o, "infinity");
        else
                sb_printf(o, "%llu", (unsigned long long)v);
}

static void fmt_rlimit(const struct svc_spec *s, const struct sup_config *cfg,
                       const struct confd_key *k, struct sbuf *o)
{
        (void)cfg;
        for (size_t i = 0; i < s->sandbox.n_rlimits; i++) {
                const struct rlimit *l = &s->sandbox.rlimits[i].lim;

                if (s->sandbox.rlimits[i].resource != (int)k->arg)
                        continue;
                fmt_rlim_value(o, l->rlim_cur);
                if (l->rlim_max != l->rlim_cur) {
                        sb_addc(o, ':');
                        fmt_rlim_value(o, l->rlim_max);
                }
        }
}

/* ---- supervisord [program:] keys ---------------------------------------- */

static int set_autorestart(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        bool b;

        (void)k;
        if (strcasecmp(v, "unexpected") == 0)
                c->svc->restart = RESTART_ON_FAILURE;
        else if (val_bool(v, &b) == 0)
                c->svc->restart = b ? RESTART_ALWAYS : RESTART_NEVER;
        else
                return -1;
        return 0;
}

/* supervisord counts retries after the first attempt; we count failures. */
static int set_startretries(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        long long n;

        if (parse_ranged(c, k, v, &n) < 0)
                return -1;
        c->svc->start_retries = (unsigned)n + 1;
        return 0;
}

static int set_prog_bool(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        return val_bool(v, (bool *)((char *)c->prog + k->arg));
}

/* arg: 0 = stdout, 1 = stderr */
static int set_logfile(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        char *dup = strdup(v);

        if (!dup)
                return -1;
        free(c->prog->logfile[k->arg]);
        c->prog->logfile[k->arg] = dup;
        return 0;
}

static int set_maxbytes(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        return confd_parse_size(v, k->arg ? &c->svc->err.max_size : &c->svc->out.max_size);
}

static int set_backups(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        long long n;

        if (parse_ranged(c, k, v, &n) < 0)
                return -1;
        *(k->arg ? &c->svc->err.keep : &c->svc->out.keep) = (unsigned)n;
        return 0;
}

static int set_capture(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        uint64_t n;

        if (confd_parse_size(v, &n) < 0)
                return -1;
        if (n)
                snprintf(c->warn, WHY, "capture mode is not supported (ignored)");
        (void)k;
        return 0;
}

static int set_warn_if_true(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        bool b;

        if (val_bool(v, &b) < 0)
                return -1;
        if (b)
                snprintf(c->warn, WHY, "%s", k->doc);
        return 0;
}

static int set_count_check(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        long long n;

        return parse_ranged(c, k, v, &n);
}

/* ---- [supervisord] and friends -------------------------------------------- */

static int set_sv_env(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        (void)k;
        return val_env(v, &c->g->env, c->why);
}

static int set_sv_umask(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        unsigned m;

        (void)k;
        if (val_octal(v, 0777, &m) < 0)
                return -1;
        c->g->umask = (int)m;
        return 0;
}

/* user=root is boilerplate that silences supervisord's "running as root"
 * warning; another user would have dropped privileges, which we do not. */
static int set_sv_user(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        if (strcmp(v, "root") != 0 && strcmp(v, "0") != 0)
                snprintf(c->warn, WHY, "not applied: supd does not switch its own user; set "
                         "user= per program");
        (void)k;
        return 0;
}

/* Accepted, checked, and not applied: warn once with the key's doc line. */
static int set_warn(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        (void)v;
        snprintf(c->warn, WHY, "%s", k->doc);
        return 0;
}

static int set_http_file(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        (void)k;
        if (c->cfg->socket)
                return 0;       /* [supd] socket wins */
        c->cfg->socket = val_path(v, c->dir);
        return c->cfg->socket ? 0 : -1;
}

static int set_http_chown(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        const char *colon = strchr(v, ':');

        (void)k;
        if (!colon || c->cfg->socket_group)
                return 0;
        if (!colon[1])
                return -1;
        c->cfg->socket_group = strdup(colon + 1);
        return c->cfg->socket_group ? 0 : -1;
}

/* ---- [supd] --------------------------------------------------------------- */

static int set_cfg_socket(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        (void)k;
        free(c->cfg->socket);
        c->cfg->socket = val_path(v, c->dir);
        return c->cfg->socket ? 0 : -1;
}

static int set_cfg_group(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        (void)k;
        free(c->cfg->socket_group);
        c->cfg->socket_group = *v ? strdup(v) : NULL;
        return 0;
}

static int set_cfg_shutdown(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        (void)k;
        return confd_parse_duration(v, &c->cfg->shutdown_timeout);
}

static int set_cfg_log_format(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        char *dup;

        (void)k;
        if (!*v) {
                snprintf(c->why, WHY, "expected a line format like \"{name} | {line}\"; got nothing");
                return -1;
        }
        dup = strdup(v);
        if (!dup)
                return -1;
        free(c->cfg->log_format);
        c->cfg->log_format = dup;
        return 0;
}

static void fmt_cfg(const struct svc_spec *s, const struct sup_config *cfg,
                    const struct confd_key *k, struct sbuf *o)
{
        (void)s;
        switch (k->arg) {
        case 0: if (cfg->socket) sb_add(o, cfg->socket); break;
        case 1: if (cfg->socket_group) sb_add(o, cfg->socket_group); break;
        case 2: fmt_duration(o, cfg->shutdown_timeout); break;
        case 3: if (cfg->log_format) sb_add(o, cfg->log_format); break;
        }
}

/* ---- the table ------------------------------------------------------------ */

#define RLIMIT_KEY(n, R, t, what) \
        { "limit_" n, BOTH, t, NULL, NULL, "rlimit " #R " (" what "); N or SOFT:HARD, " \
          "\"infinity\"", set_rlimit, fmt_rlimit, R, 0, 0 }

const struct confd_key confd_keys[] = {
        /* [supd] */
        { "socket", SEC_SUPD, "path", NULL, NULL,
          "control socket; default: $SUP_SOCKET, else /run/supd.sock",
          set_cfg_socket, fmt_cfg, 0, 0, 0 },
        { "socket_group", SEC_SUPD, "group", NULL, NULL,
          "members of this group may use the control socket",
          set_cfg_group, fmt_cfg, 1, 0, 0 },
        { "shutdown_timeout", SEC_SUPD, "duration", "10s", NULL,
          "at shutdown, how long leftover processes get between SIGTERM and SIGKILL",
          set_cfg_shutdown, fmt_cfg, 2, 0, 0 },
        { "include", SEC_SUPD, "globs", NULL, NULL,
          "more config files, globs relative to this file (conf.d/*.ini)",
          set_ignore, NULL, 0, 0, 0 },
        { "log_format", SEC_SUPD, "format", "{name} | {line}", NULL,
          "console line format: {name}, {line}, {time} (RFC 3339)",
          set_cfg_log_format, fmt_cfg, 3, 0, 0 },

        /* [service:NAME]; [program:NAME] shares the ones marked BOTH */
        { "command", BOTH, "command", NULL, NULL,
          "the program and its arguments; shell-like quoting, no shell is run (required)",
          set_command, fmt_command, 0, 0, 0 },
        { "type", SEC_SERVICE, "simple | oneshot", "simple", NULL,
          "oneshot: runs to completion; services after it wait until it exited successfully",
          set_type, fmt_type, 0, 0, 0 },
        { "user", BOTH, "user", NULL, NULL,
          "run as this user (name or uid); default: supd's user",
          set_string, fmt_string, SVC_OFF(user), 0, 0 },
        { "group", SEC_SERVICE, "group", NULL, NULL,
          "run as this group; default: the user's primary group",
          set_string, fmt_string, SVC_OFF(group), 0, 0 },
        { "directory", BOTH, "path", NULL, NULL,
          "working directory; default: supd's",
          set_path, fmt_string, SVC_OFF(directory), 0, 0 },
        { "environment", BOTH, "environment", NULL, NULL,
          "added to supd's environment: A=1 B=\"two words\" (or KEY=\"v\",KEY2=\"w\")",
          set_env, fmt_env, SVC_OFF(environment), 0, 0 },
        { "umask", BOTH, "umask", "inherit", NULL,
          "file mode creation mask, octal (022), or inherit",
          set_umask, fmt_umask, 0, 0, 0 },
        { "autostart", BOTH, "bool", "yes", NULL,
          "start with supd; no: only by `supctl start`",
          set_bool, fmt_bool_f, SVC_OFF(autostart), 0, 0 },
        { "priority", BOTH, "integer", "999", NULL,
          "start order among services not ordered by after= (lower first, stop last)",
          set_int, fmt_int, SVC_OFF(priority), -1000000, 1000000 },
        { "after", SEC_SERVICE | SEC_PROGRAM, "names", NULL, NULL,
          "start after these are ready (or, for oneshots, done)",
          set_names, fmt_strv, SVC_OFF(after), 0, 0 },
        { "requires", SEC_SERVICE | SEC_PROGRAM, "names", NULL, NULL,
          "like after=, and stop this service when one of them stops for good",
          set_names, fmt_strv, SVC_OFF(requires), 0, 0 },
        { "ready", SEC_SERVICE | SEC_PROGRAM, "none | notify | fd:N | delay:DURATION", "none", NULL,
          "readiness: at start, sd_notify READY=1, a newline on fd N, or a fixed delay",
          set_ready, fmt_ready, 0, 0, 0 },
        { "start_secs", SEC_SERVICE, "duration", "0", NULL,
          "must stay up this long to count as started (supervisord's startsecs)",
          set_duration, fmt_duration_f, SVC_OFF(start_secs), 0, 0 },
        { "restart", SEC_SERVICE, "always | on-failure | never", "on-failure", NULL,
          "when to start it again after it exits",
          set_restart, fmt_restart, 0, 0, 0 },
        { "success_exit", SEC_SERVICE, "exit codes", "0", NULL,
          "exit codes that count as success (space- or comma-separated)",
          set_exit_codes, fmt_exit_codes, 0, 0, 0 },
        { "restart_delay", SEC_SERVICE | SEC_PROGRAM, "duration", "100ms", "1s",
          "first delay before a restart; doubles on each failure in a row",
          set_duration, fmt_duration_f, SVC_OFF(restart_delay), 0, 0 },
        { "restart_delay_max", SEC_SERVICE | SEC_PROGRAM, "duration", "30s", NULL,
          "the delay stops doubling here",
          set_duration, fmt_duration_f, SVC_OFF(restart_delay_max), 0, 0 },
        { "start_retries", SEC_SERVICE, "count", "5", NULL,
          "failures in a row before FATAL; 0 = never give up",
          set_unsigned, fmt_unsigned, SVC_OFF(start_retries), 0, 1000000 },
        { "critical", SEC_SERVICE | SEC_PROGRAM, "bool", "no", NULL,
          "yes: when it stops for good, supd shuts down and exits with its code",
          set_bool, fmt_bool_f, SVC_OFF(critical), 0, 0 },
        { "stop_signal", SEC_SERVICE, "signal", "TERM", NULL,
          "signal asking it to stop (TERM, SIGTERM, 15)",
          set_signal, fmt_signal, 0, 0, 0 },
        { "stop_timeout", SEC_SERVICE, "duration", "10s", NULL,
          "SIGKILL after this long",
          set_duration, fmt_duration_f, SVC_OFF(stop_timeout), 0, 0 },
        { "stdout", SEC_SERVICE, "console | file:PATH | null", "console", NULL,
          "where its stdout goes; console = supd's stdout, one prefixed line at a time",
          set_log_target, fmt_log_target, 0, 0, 0 },
        { "stderr", SEC_SERVICE, "stdout | console | file:PATH | null", "stdout", NULL,
          "where its stderr goes; stdout = wherever stdout goes; console = supd's stderr",
          set_log_target, fmt_log_target, 1, 0, 0 },
        { "log_max_size", SEC_SERVICE, "size", "10M", NULL,
          "file: targets are rotated at this size; 0 = never",
          set_log_max_size, fmt_log_max_size, 0, 0, 0 },
        { "log_keep", SEC_SERVICE, "count", "5", NULL,
          "rotated files kept (PATH.1 .. PATH.N)",
          set_log_keep, fmt_log_keep, 0, 0, 1000 },
        { "stderr_log_max_size", SEC_SERVICE, "size", NULL, NULL,
          "log_max_size for stderr's file alone; default: log_max_size",
          set_err_max_size, fmt_err_max_size, 0, 0, 0 },
        { "stderr_log_keep", SEC_SERVICE, "count", NULL, NULL,
          "log_keep for stderr's file alone; default: log_keep",
          set_err_keep, fmt_err_keep, 0, 0, 1000 },

        /* sandbox: nothing is applied unless set */
        { "namespaces", SEC_SERVICE | SEC_PROGRAM, "names", NULL, NULL,
          "new namespaces: pid mount uts ipc net user cgroup",
          set_namespaces, fmt_namespaces, 0, 0, 0 },
        { "hostname", SEC_SERVICE | SEC_PROGRAM, "string", NULL, NULL,
          "host name inside (needs the uts namespace)",
          set_hostname, fmt_string, SB_OFF(hostname), 0, 0 },
        { "user_map", SEC_SERVICE | SEC_PROGRAM, "id map", NULL, NULL,
          "uid map INSIDE OUTSIDE COUNT[, ...] (needs the user namespace)",
          set_idmap, fmt_idmap, 0, 0, 0 },
        { "gid_map", SEC_SERVICE | SEC_PROGRAM, "id map", NULL, NULL,
          "gid map, like user_map",
          set_idmap, fmt_idmap, 1, 0, 0 },
        { "root", SEC_SERVICE | SEC_PROGRAM, "path", NULL, NULL,
          "pivot_root into this directory (needs the mount namespace)",
          set_path, fmt_string, SB_OFF(root), 0, 0 },
        { "read_only", SEC_SERVICE | SEC_PROGRAM, "bool", "no", NULL,
          "mount the root read-only (needs mount)",
          set_bool, fmt_bool_set, SB_OFF(read_only), 0, 0 },
        { "bind", SEC_SERVICE | SEC_PROGRAM, "binds", NULL, NULL,
          "bind mounts SRC:DST[:ro], space-separated (needs mount)",
          set_binds, fmt_binds, 0, 0, 0 },
        { "private_tmp", SEC_SERVICE | SEC_PROGRAM, "bool", "no", NULL,
          "a fresh tmpfs on /tmp (needs mount)",
          set_bool, fmt_bool_set, SB_OFF(private_tmp), 0, 0 },
        { "read_only_paths", SEC_SERVICE | SEC_PROGRAM, "paths", NULL, NULL,
          "made read-only (needs mount)",
          set_abs_paths, fmt_strv, SB_OFF(read_only_paths), 0, 0 },
        { "masked_paths", SEC_SERVICE | SEC_PROGRAM, "paths", NULL, NULL,
          "hidden: /dev/null over files, an empty tmpfs over directories (needs mount)",
          set_abs_paths, fmt_strv, SB_OFF(masked_paths), 0, 0 },
        { "memory_max", SEC_SERVICE | SEC_PROGRAM, "size", NULL, NULL,
          "cgroup memory limit",
          set_size, fmt_size_set, SB_OFF(memory_max), 0, 0 },
        { "cpu_max", SEC_SERVICE | SEC_PROGRAM, "cpus", NULL, NULL,
          "cgroup CPU limit in CPUs (0.5 = half of one)",
          set_cpu, fmt_cpu, 0, 0, 0 },
        { "pids_max", SEC_SERVICE | SEC_PROGRAM, "count", NULL, NULL,
          "cgroup limit on processes and threads",
          set_pids, fmt_pids, 0, 1, 4194304 },
        { "io_weight", SEC_SERVICE | SEC_PROGRAM, "count", NULL, NULL,
          "cgroup IO weight, 1 to 10000",
          set_unsigned, fmt_unsigned_set, SB_OFF(io_weight), 1, 10000 },
        { "capabilities", SEC_SERVICE | SEC_PROGRAM, "capabilities", NULL, NULL,
          "the capabilities kept (CAP_NET_BIND_SERVICE ...), \"none\" for none",
          set_caps, fmt_caps, 0, 0, 0 },
        { "no_new_privileges", SEC_SERVICE | SEC_PROGRAM, "bool", "no", NULL,
          "set no_new_privs: setuid binaries do not gain privileges",
          set_bool, fmt_bool_set, SB_OFF(no_new_privileges), 0, 0 },
        { "seccomp", SEC_SERVICE | SEC_PROGRAM, "default | none | PATH", "none", NULL,
          "syscall filter: the built-in profile, none, or a profile file",
          set_seccomp, fmt_seccomp, 0, 0, 0 },
        { "seccomp_allow", SEC_SERVICE | SEC_PROGRAM, "syscalls", NULL, NULL,
          "syscalls allowed on top of the profile",
          set_syscalls, fmt_strv, SB_OFF(seccomp_allow), 0, 0 },
        { "seccomp_deny", SEC_SERVICE | SEC_PROGRAM, "syscalls", NULL, NULL,
          "syscalls denied (EPERM) whatever the profile says",
          set_syscalls, fmt_strv, SB_OFF(seccomp_deny), 0, 0 },
        { "apparmor", SEC_SERVICE | SEC_PROGRAM, "profile", NULL, NULL,
          "AppArmor profile; \"-name\": skipped when AppArmor is off",
          set_apparmor, fmt_string, SB_OFF(apparmor), 0, 0 },
        RLIMIT_KEY("as", RLIMIT_AS, "size", "address space"),
        RLIMIT_KEY("core", RLIMIT_CORE, "size", "core file size"),
        RLIMIT_KEY("cpu", RLIMIT_CPU, "duration", "CPU time"),
        RLIMIT_KEY("data", RLIMIT_DATA, "size", "data segment"),
        RLIMIT_KEY("fsize", RLIMIT_FSIZE, "size", "file size"),
        RLIMIT_KEY("locks", RLIMIT_LOCKS, "count", "file locks"),
        RLIMIT_KEY("memlock", RLIMIT_MEMLOCK, "size", "locked memory"),
        RLIMIT_KEY("msgqueue", RLIMIT_MSGQUEUE, "size", "POSIX message queues"),
        RLIMIT_KEY("nice", RLIMIT_NICE, "count", "nice ceiling, 20 - nice"),
        RLIMIT_KEY("nofile", RLIMIT_NOFILE, "count", "open files"),
        RLIMIT_KEY("nproc", RLIMIT_NPROC, "count", "processes of the user"),
        RLIMIT_KEY("rss", RLIMIT_RSS, "size", "resident set"),
        RLIMIT_KEY("rtprio", RLIMIT_RTPRIO, "count", "real-time priority"),
        RLIMIT_KEY("rttime", RLIMIT_RTTIME, "duration", "real-time CPU time"),
        RLIMIT_KEY("sigpending", RLIMIT_SIGPENDING, "count", "queued signals"),
        RLIMIT_KEY("stack", RLIMIT_STACK, "size", "stack size"),

        /* [program:NAME], supervisord's keys, translated */
        { "process_name", SEC_PROGRAM, "string", "%(program_name)s", NULL,
          "service name; needs %(process_num)d when numprocs > 1",
          set_ignore, NULL, 0, 0, 0 },
        { "numprocs", SEC_PROGRAM, "count", "1", NULL,
          "that many services, named by process_name",
          set_count_check, NULL, 0, 1, 1000 },
        { "numprocs_start", SEC_PROGRAM, "count", "0", NULL,
          "first %(process_num)d",
          set_count_check, NULL, 0, 0, 1000000 },
        { "startsecs", SEC_PROGRAM, "duration", "1", NULL,
          "→ start_secs",
          set_duration, NULL, SVC_OFF(start_secs), 0, 0 },
        { "startretries", SEC_PROGRAM, "count", "3", NULL,
          "→ start_retries = startretries + 1 (supervisord counts retries, we count failures)",
          set_startretries, NULL, 0, 0, 1000000 },
        { "autorestart", SEC_PROGRAM, "true | false | unexpected", "unexpected", NULL,
          "→ restart: true = always, false = never, unexpected = on-failure",
          set_autorestart, NULL, 0, 0, 0 },
        { "exitcodes", SEC_PROGRAM, "exit codes", "0", NULL,
          "→ success_exit",
          set_exit_codes, NULL, 0, 0, 0 },
        { "stopsignal", SEC_PROGRAM, "signal", "TERM", NULL,
          "→ stop_signal",
          set_signal, NULL, 0, 0, 0 },
        { "stopwaitsecs", SEC_PROGRAM, "duration", "10", NULL,
          "→ stop_timeout",
          set_duration, NULL, SVC_OFF(stop_timeout), 0, 0 },
        { "stopasgroup", SEC_PROGRAM, "bool", "no", NULL,
          "accepted: supd always signals the service's whole process group",
          set_prog_bool, NULL, (long)offsetof(struct prog_opts, stopasgroup), 0, 0 },
        { "killasgroup", SEC_PROGRAM, "bool", "no", NULL,
          "accepted: supd always kills the service's whole process group",
          set_prog_bool, NULL, (long)offsetof(struct prog_opts, killasgroup), 0, 0 },
        { "redirect_stderr", SEC_PROGRAM, "bool", "no", NULL,
          "→ stderr = stdout",
          set_prog_bool, NULL, (long)offsetof(struct prog_opts, redirect_stderr), 0, 0 },
        { "stdout_logfile", SEC_PROGRAM, "logfile", "AUTO", NULL,
          "→ stdout: /dev/stdout, /dev/fd/1 and AUTO = console, NONE = null, PATH = file:PATH",
          set_logfile, NULL, 0, 0, 0 },
        { "stdout_logfile_maxbytes", SEC_PROGRAM, "size", "50MB", NULL,
          "→ log_max_size of stdout (ignored for the console)",
          set_maxbytes, NULL, 0, 0, 0 },
        { "stdout_logfile_backups", SEC_PROGRAM, "count", "10", NULL,
          "→ log_keep of stdout",
          set_backups, NULL, 0, 0, 1000 },
        { "stdout_capture_maxbytes", SEC_PROGRAM, "size", "0", NULL,
          "warned about when not 0: capture mode is not supported",
          set_capture, NULL, 0, 0, 0 },
        { "stdout_events_enabled", SEC_PROGRAM, "bool", "no", NULL,
          "events are not supported (ignored)",
          set_warn_if_true, NULL, 0, 0, 0 },
        { "stdout_syslog", SEC_PROGRAM, "bool", "no", NULL,
          "syslog is not supported; output goes where stdout_logfile says",
          set_warn_if_true, NULL, 0, 0, 0 },
        { "stderr_logfile", SEC_PROGRAM, "logfile", "AUTO", NULL,
          "→ stderr: /dev/stderr, /dev/fd/2 and AUTO = console, NONE = null, PATH = file:PATH",
          set_logfile, NULL, 1, 0, 0 },
        { "stderr_logfile_maxbytes", SEC_PROGRAM, "size", "50MB", NULL,
          "→ log_max_size of stderr",
          set_maxbytes, NULL, 1, 0, 0 },
        { "stderr_logfile_backups", SEC_PROGRAM, "count", "10", NULL,
          "→ log_keep of stderr",
          set_backups, NULL, 1, 0, 1000 },
        { "stderr_capture_maxbytes", SEC_PROGRAM, "size", "0", NULL,
          "warned about when not 0: capture mode is not supported",
          set_capture, NULL, 0, 0, 0 },
        { "stderr_events_enabled", SEC_PROGRAM, "bool", "no", NULL,
          "events are not supported (ignored)",
          set_warn_if_true, NULL, 0, 0, 0 },
        { "stderr_syslog", SEC_PROGRAM, "bool", "no", NULL,
          "syslog is not supported; output goes where stderr_logfile says",
          set_warn_if_true, NULL, 0, 0, 0 },
        { "serverurl", SEC_PROGRAM | SEC_SUPERVISORCTL, "string", NULL, NULL,
          "accepted, not used (supctl talks to the unix socket)",
          set_ignore, NULL, 0, 0, 0 },

        /* [supervisord] */
        { "environment", SEC_SUPERVISORD, "environment", NULL, NULL,
          "added to every [program:]'s environment and to %(ENV_X)s",
          set_sv_env, NULL, 0, 0, 0 },
        { "umask", SEC_SUPERVISORD, "umask", "022", NULL,
          "default umask of every [program:]",
          set_sv_umask, NULL, 0, 0, 0 },
        { "user", SEC_SUPERVISORD, "user", NULL, NULL,
          "not applied unless root: supd does not switch its own user; set user= per program",
          set_sv_user, NULL, 0, 0, 0 },
        { "minfds", SEC_SUPERVISORD, "count", NULL, NULL,
          "not applied: set limit_nofile= per program",
          set_warn, NULL, 0, 0, 0 },
        { "minprocs", SEC_SUPERVISORD, "count", NULL, NULL,
          "not applied: set limit_nproc= per program",
          set_warn, NULL, 0, 0, 0 },
        { "logfile", SEC_SUPERVISORD, "path", NULL, NULL,
          "accepted, not needed: supd's own messages go to its stderr", set_ignore, NULL, 0, 0, 0 },
        { "logfile_maxbytes", SEC_SUPERVISORD, "size", NULL, NULL,
          "accepted, not needed", set_ignore, NULL, 0, 0, 0 },
        { "logfile_backups", SEC_SUPERVISORD, "count", NULL, NULL,
          "accepted, not needed", set_ignore, NULL, 0, 0, 0 },
        { "loglevel", SEC_SUPERVISORD, "level", NULL, NULL,
          "accepted, not needed: use supd -v / -q", set_ignore, NULL, 0, 0, 0 },
        { "pidfile", SEC_SUPERVISORD, "path", NULL, NULL,
          "accepted, not needed", set_ignore, NULL, 0, 0, 0 },
        { "nodaemon", SEC_SUPERVISORD, "bool", NULL, NULL,
          "accepted, not needed: supd always stays in the foreground", set_ignore, NULL, 0, 0, 0 },
        { "silent", SEC_SUPERVISORD, "bool", NULL, NULL,
          "accepted, not needed", set_ignore, NULL, 0, 0, 0 },
        { "nocleanup", SEC_SUPERVISORD, "bool", NULL, NULL,
          "accepted, not needed", set_ignore, NULL, 0, 0, 0 },
        { "childlogdir", SEC_SUPERVISORD, "path", NULL, NULL,
          "accepted, not needed: AUTO logs go to the console", set_ignore, NULL, 0, 0, 0 },
        { "directory", SEC_SUPERVISORD, "path", NULL, NULL,
          "accepted, not needed (used by supervisord when daemonizing)", set_ignore, NULL, 0, 0, 0 },
        { "strip_ansi", SEC_SUPERVISORD, "bool", NULL, NULL,
          "accepted, not needed", set_ignore, NULL, 0, 0, 0 },
        { "identifier", SEC_SUPERVISORD, "string", NULL, NULL,
          "accepted, not needed", set_ignore, NULL, 0, 0, 0 },

        /* [unix_http_server], [supervisorctl], [include], [group:x] */
        { "file", SEC_UNIX_HTTP, "path", NULL, NULL,
          "→ [supd] socket, unless that is set", set_http_file, NULL, 0, 0, 0 },
        { "chown", SEC_UNIX_HTTP, "user:group", NULL, NULL,
          "the group → [supd] socket_group, unless that is set", set_http_chown, NULL, 0, 0, 0 },
        { "chmod", SEC_UNIX_HTTP, "mode", NULL, NULL,
          "accepted: access is by peer uid (root, supd's) and socket_group, like 0770",
          set_ignore, NULL, 0, 0, 0 },
        { "username", SEC_UNIX_HTTP | SEC_SUPERVISORCTL, "string", NULL, NULL,
          "not applied: no passwords; access is by peer uid and socket_group",
          set_warn, NULL, 0, 0, 0 },
        { "password", SEC_UNIX_HTTP | SEC_SUPERVISORCTL, "string", NULL, NULL,
          "not applied: no passwords; access is by peer uid and socket_group",
          set_warn, NULL, 0, 0, 0 },
        { "prompt", SEC_SUPERVISORCTL, "string", NULL, NULL,
          "accepted, not used", set_ignore, NULL, 0, 0, 0 },
        { "history_file", SEC_SUPERVISORCTL, "path", NULL, NULL,
          "accepted, not used", set_ignore, NULL, 0, 0, 0 },
        { "files", SEC_INCLUDE, "globs", NULL, NULL,
          "more config files, space-separated globs relative to this file",
          set_ignore, NULL, 0, 0, 0 },
        { "programs", SEC_GROUP, "names", NULL, NULL,
          "sets %(group_name)s of these programs; they still run as separate services",
          set_ignore, NULL, 0, 0, 0 },
        { "priority", SEC_GROUP, "integer", NULL, NULL,
          "accepted, not used", set_ignore, NULL, 0, 0, 0 },
};

const size_t confd_nkeys = sizeof(confd_keys) / sizeof(confd_keys[0]);

const struct confd_key *key_find(const char *name, unsigned sect)
{
        for (size_t i = 0; i < confd_nkeys; i++)
                if ((confd_keys[i].sections & sect) && strcmp(confd_keys[i].name, name) == 0)
                        return &confd_keys[i];
        return NULL;
}

bool key_known_anywhere(const char *name)
{
        return key_find(name, ~0u) != NULL;
}

const char *key_expect(const char *type)
{
        static const struct { const char *type, *expect; } e[] = {
                { "duration", "expected a duration like 500ms, 2s, 1m" },
                { "size", "expected a size like 512K, 10M, 1G" },
                { "bool", "expected yes or no (also true/false, on/off, 1/0)" },
                { "count", "expected a whole number" },
                { "integer", "expected a whole number" },
                { "umask", "expected an octal mode like 022, or inherit" },
                { "signal", "expected a signal name like TERM or SIGTERM, or a number" },
                { "cpus", "expected a number of CPUs like 0.5 or 2" },
                { "exit codes", "expected exit codes from 0 to 255 like \"0 2\"" },
                { "path", "expected a path" },
                { "user:group", "expected USER:GROUP" },
                { "true | false | unexpected", "expected true, false or unexpected" },
                { "size", "expected a size like 512K, 10M, 1G" },
        };
        static __thread char buf[160];

        for (size_t i = 0; i < sizeof(e) / sizeof(e[0]); i++)
                if (strcmp(type, e[i].type) == 0)
                        return e[i].expect;
        if (strstr(type, " | ")) {
                struct sbuf b = { 0 };
                const char *p = type;

                sb_add(&b, "expected one of ");
                while (*p) {
                        const char *bar = strstr(p, " | ");
                        size_t n = bar ? (size_t)(bar - p) : strlen(p);

                        sb_addn(&b, p, n);
                        p += n;
                        if (bar) {
                                sb_add(&b, strstr(p + 3, " | ") ? ", " : " or ");
                                p += 3;
                        }
                }
                snprintf(buf, sizeof(buf), "%s", sb_str(&b));
                sb_free(&b);
                return buf;
        }
        snprintf(buf, sizeof(buf), "expected %s", type);
        return buf;
}

int keys_defaults(struct set_ctx *c, unsigned sect)
{
        for (size_t i = 0; i < confd_nkeys; i++) {
                const struct confd_key *k = &confd_keys[i];
                const char *def = k->def;

                /* a [program:] starts from the service defaults, then its own */
                if (sect == SEC_PROGRAM && !(k->sections & (SEC_SERVICE | SEC_PROGRAM)))
                        continue;
                if (sect != SEC_PROGRAM && !(k->sections & sect))
                        continue;
                if (sect == SEC_PROGRAM && k->def_prog)
                        def = k->def_prog;
                if (!def || k->set == set_ignore || k->set == set_count_check)
                        continue;
                c->why[0] = '\0';
                if (k->set(c, k, def) < 0)
                        return -1;
        }
        c->warn[0] = '\0';
        return 0;
}
