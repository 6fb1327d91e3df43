/* confd/keys.c — THE table of configuration keys.
 *
 * One row per key: where it is valid, its type, its default, a line of
 * documentation, how to store it and how to print it back. Parsing,
 * validation, `supd --check` and docs/config.md all read this table, so
 * they cannot drift apart. Defaults are text run through the same setter
 * as a user's value. */
#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/resource.h>

#include "common/suggest.h"
#include "confd/confd_int.h"

/* Where a key's value is: in the service being built, in the [program:]
 * options being read, or in a service or config being printed. */
#define AT(c, k, T) ((T *)((char *)(c)->svc + (k)->offset))
#define PROG_AT(c, k, T) ((T *)((char *)(c)->prog + (k)->offset))
#define AT_CONST(s, k, T) ((T const *)((const char *)(s) + (k)->offset))

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
        fmt_words(o, *AT_CONST(s, k, char **), " ");
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
        if (c->verbatim)
                return val_env_pair(v, &c->svc->environment, c->why);
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

static int set_log_target(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        struct log_target *t = AT(c, k, struct log_target);
        char *path = NULL;

        if (strcasecmp(v, "console") == 0) {
                t->kind = LOG_TO_CONSOLE;
        } else if (strcasecmp(v, "null") == 0) {
                t->kind = LOG_TO_NULL;
        } else if (t == &c->svc->err && strcasecmp(v, "stdout") == 0) {
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
        const struct log_target *t = AT_CONST(s, k, struct log_target);

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

static int set_log_dir_shared(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        (void)k;
        if (val_bool(v, &c->svc->out.shared_dir) < 0)
                return -1;
        c->svc->err.shared_dir = c->svc->out.shared_dir;
        return 0;
}

static void fmt_log_dir_shared(const struct svc_spec *s, const struct sup_config *cfg,
                               const struct confd_key *k, struct sbuf *o)
{
        (void)cfg; (void)k;
        sb_add(o, s->out.shared_dir ? "yes" : "no");
}

/* ---- sandbox keys --------------------------------------------------------- */

static int set_namespaces(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        (void)k;
        return val_namespaces(v, &c->svc->sandbox.namespaces, c->why);
}

static void fmt_namespaces(const struct svc_spec *s, const struct sup_config *cfg,
                           const struct confd_key *k, struct sbuf *o)
{
        (void)cfg; (void)k;
        fmt_namespace_set(o, s->sandbox.namespaces);
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

static int set_idmap(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        struct sandbox_spec *sb = &c->svc->sandbox;
        struct id_map **m = AT(c, k, struct id_map *);
        size_t *n = m == &sb->gid_map ? &sb->n_gid_map : &sb->n_uid_map;
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
        struct id_map *const *map = AT_CONST(s, k, struct id_map *);
        const struct id_map *m = *map;
        size_t n = map == &s->sandbox.gid_map ? s->sandbox.n_gid_map : s->sandbox.n_uid_map;

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
        binds_free(sb->binds, sb->n_binds);
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

/* "all": root's full set, left alone; "default": the sandboxed default
 * (root's alone, as in Docker); else the kept set, which a non-root user
 * keeps too. Given either way, so the sandbox defaults leave it. */
static int set_caps(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        struct sandbox_spec *sb = &c->svc->sandbox;

        (void)k;
        if (strcasecmp(v, "default") == 0) {
                if (val_caps(SANDBOX_DEFAULT_CAPS, &sb->caps, c->why) < 0)
                        return -1;
                sb->caps_set = true;
                sb->caps_ambient = false;
        } else if (strcasecmp(v, "all") == 0) {
                sb->caps_set = false;
                sb->caps = 0;
                sb->caps_ambient = false;
        } else if (val_caps(v, &sb->caps, c->why) < 0) {
                return -1;
        } else {
                sb->caps_set = true;
                sb->caps_ambient = true;
        }
        sb->given |= SB_GIVEN_CAPS;
        return 0;
}

static void fmt_caps(const struct svc_spec *s, const struct sup_config *cfg,
                     const struct confd_key *k, struct sbuf *o)
{
        bool first = true;

        (void)cfg; (void)k;
        if (!s->sandbox.caps_set) {
                if (s->sandbox.given & SB_GIVEN_CAPS)
                        sb_add(o, "all");
                return;
        }
        if (!s->sandbox.caps_ambient) {
                sb_add(o, "default");
                return;
        }
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

static int set_private_dev(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        if (set_bool(c, k, v) < 0)
                return -1;
        c->svc->sandbox.given |= SB_GIVEN_PRIVATE_DEV;
        return 0;
}

static int set_no_new_privs(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        if (set_bool(c, k, v) < 0)
                return -1;
        c->svc->sandbox.given |= SB_GIVEN_NO_NEW_PRIVS;
        return 0;
}

/* read_only_paths / masked_paths: "default" stands for runc's list (kept
 * in runtime/), "none" for nothing; the paths named must exist. */
static int set_sandbox_paths(struct set_ctx *c, const char *v, char ***list, bool *defaults)
{
        char **words;
        char **paths = NULL;
        bool def = false;

        if (val_words(v, false, &words, c->why) < 0)
                return -1;
        for (size_t i = 0; words[i]; i++) {
                if (strcmp(words[i], "default") == 0) {
                        def = true;
                } else if (strcmp(words[i], "none") == 0 && i == 0 && !words[1]) {
                        break;
                } else if (words[i][0] != '/') {
                        snprintf(c->why, WHY, "expected absolute paths, \"default\" or "
                                 "\"none\"; got \"%s\"", words[i]);
                        strv_free(paths);
                        strv_free(words);
                        return -1;
                } else if (strv_push(&paths, words[i]) < 0) {
                        strv_free(paths);
                        strv_free(words);
                        return -1;
                }
        }
        strv_free(words);
        strv_free(*list);
        *list = paths;
        *defaults = def;
        return 0;
}

static int set_read_only_paths(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        struct sandbox_spec *sb = &c->svc->sandbox;

        (void)k;
        if (set_sandbox_paths(c, v, &sb->read_only_paths, &sb->read_only_defaults) < 0)
                return -1;
        sb->given |= SB_GIVEN_READ_ONLY_PATHS;
        return 0;
}

static int set_masked_paths(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        struct sandbox_spec *sb = &c->svc->sandbox;

        (void)k;
        if (set_sandbox_paths(c, v, &sb->masked_paths, &sb->masked_defaults) < 0)
                return -1;
        sb->given |= SB_GIVEN_MASKED_PATHS;
        return 0;
}

/* Printed only when given: the default a mount namespace brings back on
 * reload by itself, and `namespaces = pid` alone makes one without allowing
 * the key. */
static void fmt_sandbox_paths(struct sbuf *o, char **paths, bool defaults, bool given)
{
        bool first = true;

        if (!given)
                return;
        if (defaults) {
                sb_add(o, "default");
                first = false;
        }
        for (size_t i = 0; paths && paths[i]; i++) {
                if (!first)
                        sb_add(o, " ");
                fmt_word(o, paths[i]);
                first = false;
        }
        if (first)
                sb_add(o, "none");
}

static void fmt_read_only_paths(const struct svc_spec *s, const struct sup_config *cfg,
                                const struct confd_key *k, struct sbuf *o)
{
        (void)cfg; (void)k;
        fmt_sandbox_paths(o, s->sandbox.read_only_paths, s->sandbox.read_only_defaults,
                          s->sandbox.given & SB_GIVEN_READ_ONLY_PATHS);
}

static void fmt_masked_paths(const struct svc_spec *s, const struct sup_config *cfg,
                             const struct confd_key *k, struct sbuf *o)
{
        (void)cfg; (void)k;
        fmt_sandbox_paths(o, s->sandbox.masked_paths, s->sandbox.masked_defaults,
                          s->sandbox.given & SB_GIVEN_MASKED_PATHS);
}

static int set_seccomp(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        struct sandbox_spec *sb = &c->svc->sandbox;
        char **allow, **deny, *path;
        bool added;

        (void)k;
        sb->given |= SB_GIVEN_SECCOMP;
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
        added = strv_add_missing(&sb->seccomp_allow, allow) == 0 &&
                strv_add_missing(&sb->seccomp_deny, deny) == 0;
        strv_free(allow);
        strv_free(deny);
        if (!added) {
                free(path);
                return -1;
        }
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
        char **names;
        int rc;

        if (val_syscalls(v, &names, c->why) < 0)
                return -1;
        rc = strv_add_missing(AT(c, k, char **), names);
        strv_free(names);
        return rc;
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

static int set_rlimit(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        struct sandbox_spec *sb = &c->svc->sandbox;
        struct rlimit lim;
        struct rlimit_setting *r;
        size_t i;

        if (val_rlimit(v, k->resource, &lim, c->why) < 0) {
                if (!c->why[0])
                        snprintf(c->why, WHY, "expected N (a %s), SOFT:HARD or infinity; got \"%s\"",
                                 k->type, v);
                return -1;
        }
        for (i = 0; i < sb->n_rlimits; i++)
                if (sb->rlimits[i].resource == k->resource)
                        break;
        if (i == sb->n_rlimits) {
                r = realloc(sb->rlimits, (sb->n_rlimits + 1) * sizeof(*r));
                if (!r)
                        return -1;
                sb->rlimits = r;
                sb->n_rlimits++;
        }
        sb->rlimits[i].resource = k->resource;
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

                if (s->sandbox.rlimits[i].resource != k->resource)
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
        return val_bool(v, PROG_AT(c, k, bool));
}

static int set_logfile(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        char **p = PROG_AT(c, k, char *);
        char *dup = strdup(v);

        if (!dup)
                return -1;
        free(*p);
        *p = dup;
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

static int set_sv_pidfile(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        char *path = *v ? val_path(v, c->dir) : NULL;

        (void)k;
        if (*v && !path)
                return -1;
        free(c->cfg->pidfile);
        c->cfg->pidfile = path;
        return 0;
}

static int set_sv_identifier(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        char *dup = strdup(v);

        (void)k;
        if (!dup)
                return -1;
        free(c->cfg->identifier);
        c->cfg->identifier = dup;
        return 0;
}

/* ---- [eventlistener:] ------------------------------------------------------ */

/* supervisord's event types (supervisor/events.py, EventTypes), and
 * whether supd sends them. The abstract ones (EVENT, PROCESS_STATE, TICK,
 * ...) take every type whose name continues theirs with "_". */
static const struct { const char *name; bool sent; } event_types[] = {
        { "EVENT", true },
        { "PROCESS_STATE", true },
        { "PROCESS_STATE_STOPPED", true },
        { "PROCESS_STATE_EXITED", true },
        { "PROCESS_STATE_STARTING", true },
        { "PROCESS_STATE_STOPPING", true },
        { "PROCESS_STATE_BACKOFF", true },
        { "PROCESS_STATE_FATAL", true },
        { "PROCESS_STATE_RUNNING", true },
        { "PROCESS_STATE_UNKNOWN", true },      /* never happens under supervisord either */
        { "SUPERVISOR_STATE_CHANGE", true },
        { "SUPERVISOR_STATE_CHANGE_RUNNING", true },
        { "SUPERVISOR_STATE_CHANGE_STOPPING", true },
        { "TICK", true },
        { "TICK_5", true },
        { "TICK_60", true },
        { "TICK_3600", true },
        { "PROCESS_GROUP", true },
        { "PROCESS_GROUP_ADDED", true },
        { "PROCESS_GROUP_REMOVED", true },
        { "PROCESS_COMMUNICATION", false },
        { "PROCESS_COMMUNICATION_STDOUT", false },
        { "PROCESS_COMMUNICATION_STDERR", false },
        { "PROCESS_LOG", false },
        { "PROCESS_LOG_STDOUT", false },
        { "PROCESS_LOG_STDERR", false },
        { "REMOTE_COMMUNICATION", false },
};

/* events = PROCESS_STATE_FATAL, TICK_60: upper-cased as supervisord does,
 * each name given once. */
static int set_events(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        char **names = NULL, **out = NULL;

        (void)k;
        if (val_list(v, &names) < 0)
                return -1;
        for (size_t i = 0; names[i]; i++) {
                size_t t = 0, nt = sizeof(event_types) / sizeof(event_types[0]);

                for (char *p = names[i]; *p; p++)
                        *p = (char)toupper((unsigned char)*p);
                while (t < nt && strcmp(event_types[t].name, names[i]) != 0)
                        t++;
                if (t == nt) {
                        snprintf(c->why, WHY, "unknown event type %.64s (expected supervisord's "
                                 "names: PROCESS_STATE_FATAL, TICK_60, ...)", names[i]);
                        goto fail;
                }
                if (!event_types[t].sent)
                        snprintf(c->warn, WHY, "supd never sends %s events", names[i]);
                if (!strv_contains(out, names[i]) && strv_push(&out, names[i]) < 0)
                        goto fail;
        }
        if (!out) {
                snprintf(c->why, WHY, "expected at least one event type");
                goto fail;
        }
        strv_free(names);
        strv_free(c->svc->listen_events);
        c->svc->listen_events = out;
        return 0;
fail:
        strv_free(names);
        strv_free(out);
        return -1;
}

static void fmt_listener_unsigned(const struct svc_spec *s, const struct sup_config *cfg,
                                  const struct confd_key *k, struct sbuf *o)
{
        (void)cfg;
        if (s->listen_events)
                sb_printf(o, "%u", *AT_CONST(s, k, unsigned));
}

static int set_result_handler(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        (void)k;
        if (strcmp(v, "supervisor.dispatchers:default_handler") != 0)
                snprintf(c->warn, WHY, "not applied: a Python handler cannot run; supd accepts "
                         "an event on OK and sends it again on anything else, as the default does");
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

static int set_cfg_leftovers(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        (void)k;
        if (strcasecmp(v, "sweep") == 0)
                c->cfg->leave_leftovers = false;
        else if (strcasecmp(v, "leave") == 0)
                c->cfg->leave_leftovers = true;
        else
                return -1;
        return 0;
}

static void fmt_cfg_leftovers(const struct svc_spec *s, const struct sup_config *cfg,
                              const struct confd_key *k, struct sbuf *o)
{
        (void)s; (void)k;
        sb_add(o, cfg->leave_leftovers ? "leave" : "sweep");
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

/* [supd] keys print from the config; there is no service. */
static void fmt_cfg_string(const struct svc_spec *s, const struct sup_config *cfg,
                           const struct confd_key *k, struct sbuf *o)
{
        const char *v = *AT_CONST(cfg, k, char *);

        (void)s;
        if (v)
                sb_add(o, v);
}

static void fmt_cfg_duration(const struct svc_spec *s, const struct sup_config *cfg,
                             const struct confd_key *k, struct sbuf *o)
{
        (void)s;
        fmt_duration(o, *AT_CONST(cfg, k, uint64_t));
}

/* ---- the table ------------------------------------------------------------ */

#define RLIMIT_KEY(n, R, t, what) \
        { .name = "limit_" n, .sections = BOTH, .type = t, \
          .doc = "rlimit " #R " (" what "); N or SOFT:HARD, \"infinity\"", \
          .set = set_rlimit, .fmt = fmt_rlimit, .resource = R }

const struct confd_key confd_keys[] = {
        /* [supd] */
        { .name = "socket", .sections = SEC_SUPD, .type = "path",
          .doc = "control socket (default /run/supd.sock as root, else $XDG_RUNTIME_DIR or /tmp/supd-UID); $SUP_SOCKET overrides it",
          .set = set_cfg_socket, .fmt = fmt_cfg_string,
          .offset = offsetof(struct sup_config, socket) },
        { .name = "socket_group", .sections = SEC_SUPD, .type = "group",
          .doc = "members of this group may use the control socket",
          .set = set_cfg_group, .fmt = fmt_cfg_string,
          .offset = offsetof(struct sup_config, socket_group) },
        { .name = "shutdown_timeout", .sections = SEC_SUPD, .type = "duration", .def = "10s",
          .doc = "at shutdown, how long leftover processes get between SIGTERM and SIGKILL",
          .set = set_cfg_shutdown, .fmt = fmt_cfg_duration,
          .offset = offsetof(struct sup_config, shutdown_timeout) },
        { .name = "leftovers", .sections = SEC_SUPD, .type = "sweep | leave", .def = "sweep",
          .doc = "processes left once every service is down: sweep (SIGTERM, then SIGKILL after "
                 "shutdown_timeout) or leave them be (supd --leftovers=)",
          .set = set_cfg_leftovers, .fmt = fmt_cfg_leftovers },
        { .name = "include", .sections = SEC_SUPD, .type = "globs",
          .doc = "more config files, globs relative to this file (conf.d/*.ini)",
          .set = set_ignore },
        { .name = "log_format", .sections = SEC_SUPD, .type = "format", .def = "{name} | {line}",
          .doc = "console line format: {name}, {line}, {time} (RFC 3339)",
          .set = set_cfg_log_format, .fmt = fmt_cfg_string,
          .offset = offsetof(struct sup_config, log_format) },

        /* [service:NAME]; [program:NAME] shares the ones marked BOTH */
        { .name = "command", .sections = BOTH, .type = "command",
          .doc = "the program and its arguments; shell-like quoting, no shell is run (required)",
          .set = set_command, .fmt = fmt_command },
        { .name = "type", .sections = SEC_SERVICE, .type = "simple | oneshot", .def = "simple",
          .doc = "oneshot: runs to completion; services after it wait until it exited successfully",
          .set = set_type, .fmt = fmt_type },
        { .name = "user", .sections = BOTH, .type = "user",
          .doc = "run as this user (name or uid); default: supd's user",
          .set = set_string, .fmt = fmt_string, .offset = offsetof(struct svc_spec, user) },
        { .name = "group", .sections = SEC_SERVICE, .type = "group",
          .doc = "run as this group; default: the user's primary group",
          .set = set_string, .fmt = fmt_string, .offset = offsetof(struct svc_spec, group) },
        { .name = "directory", .sections = BOTH, .type = "path",
          .doc = "working directory; default: supd's",
          .set = set_path, .fmt = fmt_string, .offset = offsetof(struct svc_spec, directory) },
        { .name = "environment", .sections = BOTH, .type = "environment",
          .doc = "added to supd's environment: A=1 B=\"two words\" (or KEY=\"v\",KEY2=\"w\")",
          .set = set_env, .fmt = fmt_env, .offset = offsetof(struct svc_spec, environment) },
        { .name = "umask", .sections = BOTH, .type = "umask", .def = "inherit",
          .doc = "file mode creation mask, octal (022), or inherit",
          .set = set_umask, .fmt = fmt_umask },
        { .name = "autostart", .sections = BOTH, .type = "bool", .def = "yes",
          .doc = "start with supd; no: only by `supctl start`",
          .set = set_bool, .fmt = fmt_bool_f, .offset = offsetof(struct svc_spec, autostart) },
        { .name = "priority", .sections = BOTH, .type = "integer", .def = "999",
          .doc = "start order among services not ordered by after= (lower first, stop last)",
          .set = set_int, .fmt = fmt_int, .offset = offsetof(struct svc_spec, priority),
          .min = -1000000, .max = 1000000 },
        { .name = "after", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "names",
          .doc = "start after these are ready (or, for oneshots, done)",
          .set = set_names, .fmt = fmt_strv, .offset = offsetof(struct svc_spec, after) },
        { .name = "requires", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "names",
          .doc = "like after=, and stop this service when one of them stops for good",
          .set = set_names, .fmt = fmt_strv, .offset = offsetof(struct svc_spec, requires) },
        { .name = "ready", .sections = SEC_SERVICE | SEC_PROGRAM,
          .type = "none | notify | fd:N | delay:DURATION", .def = "none",
          .doc = "readiness: at start, sd_notify READY=1, a newline on fd N, or a fixed delay",
          .set = set_ready, .fmt = fmt_ready },
        { .name = "start_secs", .sections = SEC_SERVICE, .type = "duration", .def = "0",
          .doc = "must stay up this long to count as started (supervisord's startsecs)",
          .set = set_duration, .fmt = fmt_duration_f,
          .offset = offsetof(struct svc_spec, start_secs) },
        { .name = "restart", .sections = SEC_SERVICE, .type = "always | on-failure | never",
          .def = "on-failure",
          .doc = "when to start it again after it exits",
          .set = set_restart, .fmt = fmt_restart },
        { .name = "success_exit", .sections = SEC_SERVICE, .type = "exit codes", .def = "0",
          .doc = "exit codes that count as success (space- or comma-separated)",
          .set = set_exit_codes, .fmt = fmt_exit_codes },
        { .name = "restart_delay", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "duration",
          .def = "100ms", .def_prog = "1s",
          .doc = "first delay before a restart; doubles on each failure in a row",
          .set = set_duration, .fmt = fmt_duration_f,
          .offset = offsetof(struct svc_spec, restart_delay) },
        { .name = "restart_delay_max", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "duration",
          .def = "30s",
          .doc = "the delay stops doubling here",
          .set = set_duration, .fmt = fmt_duration_f,
          .offset = offsetof(struct svc_spec, restart_delay_max) },
        { .name = "start_retries", .sections = SEC_SERVICE, .type = "count", .def = "5",
          .doc = "failures in a row before FATAL; 0 = never give up",
          .set = set_unsigned, .fmt = fmt_unsigned,
          .offset = offsetof(struct svc_spec, start_retries), .min = 0, .max = 1000000 },
        { .name = "critical", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "bool", .def = "no",
          .doc = "yes: when it stops for good, supd shuts down and exits with its code",
          .set = set_bool, .fmt = fmt_bool_f, .offset = offsetof(struct svc_spec, critical) },
        { .name = "stop_signal", .sections = SEC_SERVICE, .type = "signal", .def = "TERM",
          .doc = "signal asking it to stop (TERM, SIGTERM, 15)",
          .set = set_signal, .fmt = fmt_signal },
        { .name = "stop_timeout", .sections = SEC_SERVICE, .type = "duration", .def = "10s",
          .doc = "SIGKILL after this long",
          .set = set_duration, .fmt = fmt_duration_f,
          .offset = offsetof(struct svc_spec, stop_timeout) },
        { .name = "health_check", .sections = SEC_SERVICE | SEC_PROGRAM,
          .type = "command | tcp:PORT | http:PORT/PATH | none", .def = "none",
          .doc = "a command run inside its sandbox (exit 0 = healthy), or a TCP connect or HTTP GET to a loopback port in its network namespace",
          .set = set_health_check, .fmt = fmt_health_check },
        { .name = "health_interval", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "duration",
          .def = "30s", .doc = "from the end of one check to the start of the next",
          .set = set_duration, .fmt = fmt_health_duration,
          .offset = offsetof(struct svc_spec, health.interval) },
        { .name = "health_timeout", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "duration",
          .def = "30s", .doc = "a check taking longer fails; a command is killed",
          .set = set_duration, .fmt = fmt_health_duration,
          .offset = offsetof(struct svc_spec, health.timeout) },
        { .name = "health_start_period", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "duration",
          .def = "0", .doc = "after a start, failures do not count for this long (a success does)",
          .set = set_duration, .fmt = fmt_health_duration,
          .offset = offsetof(struct svc_spec, health.start_period) },
        { .name = "health_retries", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "count",
          .def = "3", .doc = "failures in a row that make it UNHEALTHY",
          .set = set_unsigned, .fmt = fmt_health_count,
          .offset = offsetof(struct svc_spec, health.retries), .min = 1, .max = 1000000 },
        { .name = "health_action", .sections = SEC_SERVICE | SEC_PROGRAM,
          .type = "restart | stop | report", .def = "restart",
          .doc = "on UNHEALTHY: restart it (a failure, as if it had crashed), stop it for good, or only report it",
          .set = set_health_action, .fmt = fmt_health_action },
        { .name = "health_http_status", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "integer",
          .def = "200", .doc = "the status code an http: check expects",
          .set = set_unsigned, .fmt = fmt_health_count,
          .offset = offsetof(struct svc_spec, health.http_status), .min = 100, .max = 599 },
        { .name = "watchdog", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "duration",
          .def = "0",
          .doc = "systemd's WatchdogSec: WATCHDOG=1 on NOTIFY_SOCKET at least this often, or it is restarted; WATCHDOG_USEC and WATCHDOG_PID are set; 0 = off",
          .set = set_duration, .fmt = fmt_watchdog,
          .offset = offsetof(struct svc_spec, watchdog) },
        { .name = "stdout", .sections = SEC_SERVICE, .type = "console | file:PATH | null",
          .def = "console",
          .doc = "where its stdout goes; console = supd's stdout, one prefixed line at a time",
          .set = set_log_target, .fmt = fmt_log_target, .offset = offsetof(struct svc_spec, out) },
        { .name = "stderr", .sections = SEC_SERVICE, .type = "stdout | console | file:PATH | null",
          .def = "stdout",
          .doc = "where its stderr goes; stdout = wherever stdout goes; console = supd's stderr",
          .set = set_log_target, .fmt = fmt_log_target, .offset = offsetof(struct svc_spec, err) },
        { .name = "log_max_size", .sections = SEC_SERVICE, .type = "size", .def = "10M",
          .doc = "file: targets are rotated at this size; 0 = never",
          .set = set_log_max_size, .fmt = fmt_log_max_size },
        { .name = "log_keep", .sections = SEC_SERVICE, .type = "count", .def = "5",
          .doc = "rotated files kept (PATH.1 .. PATH.N)",
          .set = set_log_keep, .fmt = fmt_log_keep, .min = 0, .max = 1000 },
        { .name = "log_dir_shared", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "bool", .def = "no",
          .doc = "yes: accept a file: target's directory that others may write to (else refused); "
                 "symlinks are never followed either way",
          .set = set_log_dir_shared, .fmt = fmt_log_dir_shared },
        { .name = "stderr_log_max_size", .sections = SEC_SERVICE, .type = "size",
          .doc = "log_max_size for stderr's file alone; default: log_max_size",
          .set = set_err_max_size, .fmt = fmt_err_max_size },
        { .name = "stderr_log_keep", .sections = SEC_SERVICE, .type = "count",
          .doc = "log_keep for stderr's file alone; default: log_keep",
          .set = set_err_keep, .fmt = fmt_err_keep, .min = 0, .max = 1000 },

        /* sandbox: nothing is applied unless set; a sandboxed service (namespaces,
         * root or seccomp set) gets Docker's defaults for the keys it does not
         * give (confd/sandbox.c) */
        { .name = "namespaces", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "names",
          .doc = "new namespaces: pid mount uts ipc net user cgroup",
          .set = set_namespaces, .fmt = fmt_namespaces },
        { .name = "hostname", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "string",
          .doc = "host name inside (needs the uts namespace)",
          .set = set_hostname, .fmt = fmt_string,
          .offset = offsetof(struct svc_spec, sandbox.hostname) },
        { .name = "user_map", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "id map",
          .doc = "uid map INSIDE OUTSIDE COUNT[, ...] (needs the user namespace)",
          .set = set_idmap, .fmt = fmt_idmap,
          .offset = offsetof(struct svc_spec, sandbox.uid_map) },
        { .name = "gid_map", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "id map",
          .doc = "gid map, like user_map",
          .set = set_idmap, .fmt = fmt_idmap,
          .offset = offsetof(struct svc_spec, sandbox.gid_map) },
        { .name = "root", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "path",
          .doc = "pivot_root into this directory (needs the mount namespace)",
          .set = set_path, .fmt = fmt_string, .offset = offsetof(struct svc_spec, sandbox.root) },
        { .name = "read_only", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "bool", .def = "no",
          .doc = "mount the root read-only (needs mount)",
          .set = set_bool, .fmt = fmt_bool_set,
          .offset = offsetof(struct svc_spec, sandbox.read_only) },
        { .name = "bind", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "binds",
          .doc = "bind mounts SRC:DST[:ro], space-separated (needs mount)",
          .set = set_binds, .fmt = fmt_binds },
        { .name = "private_tmp", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "bool", .def = "no",
          .doc = "a fresh tmpfs on /tmp (needs mount)",
          .set = set_bool, .fmt = fmt_bool_set,
          .offset = offsetof(struct svc_spec, sandbox.private_tmp) },
        { .name = "private_dev", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "bool",
          .doc = "a private /dev: a tmpfs with null, zero, full, random, urandom and tty from "
                 "the host's, a fresh devpts (ptmx) and /dev/shm, no disk or other device "
                 "(needs mount); default: yes when sandboxed with a mount namespace, else no; "
                 "with `root` always",
          .set = set_private_dev, .fmt = fmt_bool_set,
          .offset = offsetof(struct svc_spec, sandbox.private_dev) },
        { .name = "control_access", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "bool",
          .def = "no",
          .doc = "a sandboxed service may use supd's control socket (a sidecar running supctl); "
                 "else the socket is hidden from its mount namespace and its processes are refused",
          .set = set_bool, .fmt = fmt_bool_set,
          .offset = offsetof(struct svc_spec, sandbox.control_access) },
        { .name = "read_only_paths", .sections = SEC_SERVICE | SEC_PROGRAM,
          .type = "paths | default | none",
          .doc = "made read-only, with their submounts (needs mount); `default` = runc's "
                 "(/proc/sys, /proc/sysrq-trigger ...) and /sys, each skipped when missing, "
                 "the default with a mount namespace; a path named must exist",
          .set = set_read_only_paths, .fmt = fmt_read_only_paths },
        { .name = "masked_paths", .sections = SEC_SERVICE | SEC_PROGRAM,
          .type = "paths | default | none",
          .doc = "hidden: /dev/null over files, an empty tmpfs over directories (needs mount); "
                 "`default` = runc's (/proc/kcore, /proc/keys, /sys/firmware ...), each "
                 "skipped when missing, the default with a mount namespace; a path named "
                 "must exist",
          .set = set_masked_paths, .fmt = fmt_masked_paths },
        { .name = "memory_max", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "size",
          .doc = "cgroup memory limit",
          .set = set_size, .fmt = fmt_size_set,
          .offset = offsetof(struct svc_spec, sandbox.memory_max) },
        { .name = "cpu_max", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "cpus",
          .doc = "cgroup CPU limit in CPUs (0.5 = half of one)",
          .set = set_cpu, .fmt = fmt_cpu },
        { .name = "pids_max", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "count",
          .doc = "cgroup limit on processes and threads",
          .set = set_pids, .fmt = fmt_pids, .min = 1, .max = 4194304 },
        { .name = "io_weight", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "count",
          .doc = "cgroup IO weight, 1 to 10000",
          .set = set_unsigned, .fmt = fmt_unsigned_set,
          .offset = offsetof(struct svc_spec, sandbox.io_weight), .min = 1, .max = 10000 },
        { .name = "capabilities", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "capabilities",
          .doc = "the capabilities kept, bounding set included (CAP_NET_BIND_SERVICE ...); "
                 "`none`; `all` = root's full set, the default when not sandboxed; `default` = "
                 "the default when sandboxed, Docker's set but MKNOD (sup has no device "
                 "cgroup): " SANDBOX_DEFAULT_CAPS "; a non-root user keeps `default` in its "
                 "bounding set only, a list as ambient capabilities",
          .set = set_caps, .fmt = fmt_caps },
        { .name = "no_new_privileges", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "bool",
          .doc = "set no_new_privs: setuid binaries do not gain privileges; default: yes "
                 "when sandboxed (namespaces, root or seccomp set), else no",
          .set = set_no_new_privs, .fmt = fmt_bool_set,
          .offset = offsetof(struct svc_spec, sandbox.no_new_privileges) },
        { .name = "seccomp", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "default | none | PATH",
          .doc = "syscall filter: the built-in profile (Docker's), none, or a profile file; "
                 "default: `default` when sandboxed (namespaces or root set), else none",
          .set = set_seccomp, .fmt = fmt_seccomp },
        { .name = "seccomp_allow", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "syscalls",
          .doc = "syscalls allowed on top of the profile",
          .set = set_syscalls, .fmt = fmt_strv,
          .offset = offsetof(struct svc_spec, sandbox.seccomp_allow) },
        { .name = "seccomp_deny", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "syscalls",
          .doc = "syscalls denied (EPERM) whatever the profile says",
          .set = set_syscalls, .fmt = fmt_strv,
          .offset = offsetof(struct svc_spec, sandbox.seccomp_deny) },
        { .name = "apparmor", .sections = SEC_SERVICE | SEC_PROGRAM, .type = "profile",
          .doc = "AppArmor profile; \"-name\": skipped when AppArmor is off",
          .set = set_apparmor, .fmt = fmt_string,
          .offset = offsetof(struct svc_spec, sandbox.apparmor) },
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
        { .name = "process_name", .sections = SEC_PROGRAM, .type = "string",
          .def = "%(program_name)s",
          .doc = "service name; needs %(process_num)d when numprocs > 1",
          .set = set_ignore },
        { .name = "numprocs", .sections = SEC_PROGRAM, .type = "count", .def = "1",
          .doc = "that many services, named by process_name",
          .set = set_count_check, .min = 1, .max = 1000 },
        { .name = "numprocs_start", .sections = SEC_PROGRAM, .type = "count", .def = "0",
          .doc = "first %(process_num)d",
          .set = set_count_check, .min = 0, .max = 1000000 },
        { .name = "startsecs", .sections = SEC_PROGRAM, .type = "duration", .def = "1",
          .doc = "→ start_secs",
          .set = set_duration, .offset = offsetof(struct svc_spec, start_secs) },
        { .name = "startretries", .sections = SEC_PROGRAM, .type = "count", .def = "3",
          .doc = "→ start_retries = startretries + 1 (supervisord counts retries, we count failures)",
          .set = set_startretries, .min = 0, .max = 1000000 },
        { .name = "autorestart", .sections = SEC_PROGRAM, .type = "true | false | unexpected",
          .def = "unexpected",
          .doc = "→ restart: true = always, false = never, unexpected = on-failure",
          .set = set_autorestart },
        { .name = "exitcodes", .sections = SEC_PROGRAM, .type = "exit codes", .def = "0",
          .doc = "→ success_exit",
          .set = set_exit_codes },
        { .name = "stopsignal", .sections = SEC_PROGRAM, .type = "signal", .def = "TERM",
          .doc = "→ stop_signal",
          .set = set_signal },
        { .name = "stopwaitsecs", .sections = SEC_PROGRAM, .type = "duration", .def = "10",
          .doc = "→ stop_timeout",
          .set = set_duration, .offset = offsetof(struct svc_spec, stop_timeout) },
        { .name = "stopasgroup", .sections = SEC_PROGRAM, .type = "bool", .def = "no",
          .doc = "accepted: supd always signals the service's whole process group",
          .set = set_prog_bool, .offset = offsetof(struct prog_opts, stopasgroup) },
        { .name = "killasgroup", .sections = SEC_PROGRAM, .type = "bool", .def = "no",
          .doc = "accepted: supd always kills the service's whole process group",
          .set = set_prog_bool, .offset = offsetof(struct prog_opts, killasgroup) },
        { .name = "redirect_stderr", .sections = SEC_PROGRAM, .type = "bool", .def = "no",
          .doc = "→ stderr = stdout",
          .set = set_prog_bool, .offset = offsetof(struct prog_opts, redirect_stderr) },
        { .name = "stdout_logfile", .sections = SEC_PROGRAM, .type = "logfile", .def = "AUTO",
          .doc = "→ stdout: /dev/stdout, /dev/fd/1 and AUTO = console, NONE = null, PATH = file:PATH",
          .set = set_logfile, .offset = offsetof(struct prog_opts, logfile[0]) },
        { .name = "stdout_logfile_maxbytes", .sections = SEC_PROGRAM, .type = "size", .def = "50MB",
          .doc = "→ log_max_size of stdout (ignored for the console)",
          .set = set_size, .offset = offsetof(struct svc_spec, out.max_size) },
        { .name = "stdout_logfile_backups", .sections = SEC_PROGRAM, .type = "count", .def = "10",
          .doc = "→ log_keep of stdout",
          .set = set_unsigned, .offset = offsetof(struct svc_spec, out.keep),
          .min = 0, .max = 1000 },
        { .name = "stdout_capture_maxbytes", .sections = SEC_PROGRAM, .type = "size", .def = "0",
          .doc = "warned about when not 0: capture mode is not supported",
          .set = set_capture },
        { .name = "stdout_events_enabled", .sections = SEC_PROGRAM, .type = "bool", .def = "no",
          .doc = "events are not supported (ignored)",
          .set = set_warn_if_true },
        { .name = "stdout_syslog", .sections = SEC_PROGRAM, .type = "bool", .def = "no",
          .doc = "syslog is not supported; output goes where stdout_logfile says",
          .set = set_warn_if_true },
        { .name = "stderr_logfile", .sections = SEC_PROGRAM, .type = "logfile", .def = "AUTO",
          .doc = "→ stderr: /dev/stderr, /dev/fd/2 and AUTO = console, NONE = null, PATH = file:PATH",
          .set = set_logfile, .offset = offsetof(struct prog_opts, logfile[1]) },
        { .name = "stderr_logfile_maxbytes", .sections = SEC_PROGRAM, .type = "size", .def = "50MB",
          .doc = "→ log_max_size of stderr",
          .set = set_size, .offset = offsetof(struct svc_spec, err.max_size) },
        { .name = "stderr_logfile_backups", .sections = SEC_PROGRAM, .type = "count", .def = "10",
          .doc = "→ log_keep of stderr",
          .set = set_unsigned, .offset = offsetof(struct svc_spec, err.keep),
          .min = 0, .max = 1000 },
        { .name = "stderr_capture_maxbytes", .sections = SEC_PROGRAM, .type = "size", .def = "0",
          .doc = "warned about when not 0: capture mode is not supported",
          .set = set_capture },
        { .name = "stderr_events_enabled", .sections = SEC_PROGRAM, .type = "bool", .def = "no",
          .doc = "events are not supported (ignored)",
          .set = set_warn_if_true },
        { .name = "stderr_syslog", .sections = SEC_PROGRAM, .type = "bool", .def = "no",
          .doc = "syslog is not supported; output goes where stderr_logfile says",
          .set = set_warn_if_true },
        { .name = "serverurl", .sections = SEC_PROGRAM | SEC_SUPERVISORCTL, .type = "string",
          .doc = "accepted, not used (supctl talks to the unix socket)",
          .set = set_ignore },

        /* [supervisord] */
        { .name = "environment", .sections = SEC_SUPERVISORD, .type = "environment",
          .doc = "added to every [program:]'s environment and to %(ENV_X)s",
          .set = set_sv_env },
        { .name = "umask", .sections = SEC_SUPERVISORD, .type = "umask", .def = "022",
          .doc = "default umask of every [program:]",
          .set = set_sv_umask },
        { .name = "user", .sections = SEC_SUPERVISORD, .type = "user",
          .doc = "not applied unless root: supd does not switch its own user; set user= per program",
          .set = set_sv_user },
        { .name = "minfds", .sections = SEC_SUPERVISORD, .type = "count",
          .doc = "not applied: set limit_nofile= per program",
          .set = set_warn },
        { .name = "minprocs", .sections = SEC_SUPERVISORD, .type = "count",
          .doc = "not applied: set limit_nproc= per program",
          .set = set_warn },
        { .name = "logfile", .sections = SEC_SUPERVISORD, .type = "path",
          .doc = "accepted, not needed: supd's own messages go to its stderr",
          .set = set_ignore },
        { .name = "logfile_maxbytes", .sections = SEC_SUPERVISORD, .type = "size",
          .doc = "accepted, not needed",
          .set = set_ignore },
        { .name = "logfile_backups", .sections = SEC_SUPERVISORD, .type = "count",
          .doc = "accepted, not needed",
          .set = set_ignore },
        { .name = "loglevel", .sections = SEC_SUPERVISORD, .type = "level",
          .doc = "accepted, not needed: use supd -v / -q",
          .set = set_ignore },
        { .name = "pidfile", .sections = SEC_SUPERVISORD, .type = "path",
          .doc = "supd's pid written there at start (never through a symlink), removed at exit",
          .set = set_sv_pidfile },
        { .name = "nodaemon", .sections = SEC_SUPERVISORD, .type = "bool",
          .doc = "accepted, not needed: supd always stays in the foreground",
          .set = set_ignore },
        { .name = "silent", .sections = SEC_SUPERVISORD, .type = "bool",
          .doc = "accepted, not needed",
          .set = set_ignore },
        { .name = "nocleanup", .sections = SEC_SUPERVISORD, .type = "bool",
          .doc = "accepted, not needed",
          .set = set_ignore },
        { .name = "childlogdir", .sections = SEC_SUPERVISORD, .type = "path",
          .doc = "accepted, not needed: AUTO logs go to the console",
          .set = set_ignore },
        { .name = "directory", .sections = SEC_SUPERVISORD, .type = "path",
          .doc = "accepted, not needed (used by supervisord when daemonizing)",
          .set = set_ignore },
        { .name = "strip_ansi", .sections = SEC_SUPERVISORD, .type = "bool",
          .doc = "accepted, not needed",
          .set = set_ignore },
        { .name = "identifier", .sections = SEC_SUPERVISORD, .type = "string",
          .def = "supervisor",
          .doc = "the server: field of event listeners' headers",
          .set = set_sv_identifier },

        /* [eventlistener:NAME]: every [program:] key, and these; events= also
         * makes a [service:] an event listener */
        { .name = "events", .sections = SEC_SERVICE | SEC_EVENTLISTENER, .type = "event types",
          .doc = "an event listener: supervisord's event names (PROCESS_STATE, "
                 "PROCESS_STATE_FATAL, TICK_60, SUPERVISOR_STATE_CHANGE...); its stdin and "
                 "stdout carry the protocol",
          .set = set_events, .fmt = fmt_strv, .offset = offsetof(struct svc_spec, listen_events) },
        { .name = "buffer_size", .sections = SEC_SERVICE | SEC_EVENTLISTENER, .type = "count",
          .def = "10",
          .doc = "an event listener's pool holds this many events while no process of it is "
                 "ready; then the oldest is dropped",
          .set = set_unsigned, .fmt = fmt_listener_unsigned,
          .offset = offsetof(struct svc_spec, listen_buffer), .min = 1, .max = 100000 },
        { .name = "result_handler", .sections = SEC_EVENTLISTENER, .type = "string",
          .def = "supervisor.dispatchers:default_handler",
          .doc = "only the default: OK accepts an event, anything else sends it again",
          .set = set_result_handler },

        /* [unix_http_server], [supervisorctl], [include], [group:x] */
        { .name = "file", .sections = SEC_UNIX_HTTP, .type = "path",
          .doc = "→ [supd] socket, unless that is set",
          .set = set_http_file },
        { .name = "chown", .sections = SEC_UNIX_HTTP, .type = "user:group",
          .doc = "the group → [supd] socket_group, unless that is set",
          .set = set_http_chown },
        { .name = "chmod", .sections = SEC_UNIX_HTTP, .type = "mode",
          .doc = "accepted: access is by peer uid (root, supd's) and socket_group, like 0770",
          .set = set_ignore },
        { .name = "username", .sections = SEC_UNIX_HTTP | SEC_SUPERVISORCTL, .type = "string",
          .doc = "not applied: no passwords; access is by peer uid and socket_group",
          .set = set_warn },
        { .name = "password", .sections = SEC_UNIX_HTTP | SEC_SUPERVISORCTL, .type = "string",
          .doc = "not applied: no passwords; access is by peer uid and socket_group",
          .set = set_warn },
        { .name = "prompt", .sections = SEC_SUPERVISORCTL, .type = "string",
          .doc = "accepted, not used",
          .set = set_ignore },
        { .name = "history_file", .sections = SEC_SUPERVISORCTL, .type = "path",
          .doc = "accepted, not used",
          .set = set_ignore },
        { .name = "files", .sections = SEC_INCLUDE, .type = "globs",
          .doc = "more config files, space-separated globs relative to this file",
          .set = set_ignore },
        { .name = "programs", .sections = SEC_GROUP, .type = "names",
          .doc = "sets %(group_name)s of these programs; they still run as separate services",
          .set = set_ignore },
        { .name = "priority", .sections = SEC_GROUP, .type = "integer",
          .doc = "accepted, not used",
          .set = set_ignore },
};

const size_t confd_nkeys = sizeof(confd_keys) / sizeof(confd_keys[0]);

const struct confd_key *key_find(const char *name, unsigned sect)
{
        if (sect & SEC_EVENTLISTENER)   /* a listener is a [program:] with a few more */
                sect |= SEC_PROGRAM;
        for (size_t i = 0; i < confd_nkeys; i++)
                if ((confd_keys[i].sections & sect) && strcmp(confd_keys[i].name, name) == 0)
                        return &confd_keys[i];
        return NULL;
}


void key_did_you_mean(const char *name, unsigned sect, char *hint, size_t len)
{
        struct suggest sg;

        suggest_init(&sg, name);
        for (size_t i = 0; i < confd_nkeys; i++)
                if (confd_keys[i].sections & sect)
                        suggest_offer(&sg, confd_keys[i].name);
        if (suggest_best(&sg))
                snprintf(hint, len, " (did you mean %s?)", suggest_best(&sg));
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
