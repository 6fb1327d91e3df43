/* confd/build.c — raw sections → a validated sup_config.
 *
 * [supd] and [service:] keys go through the key table as they are.
 * supervisord's sections are translated: [program:] keys map onto the same
 * spec fields (expanding %(...)s first, once per process of numprocs),
 * [supervisord] gives every program its environment and umask, the rest is
 * accepted, or warned about once when it cannot be honoured. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/nameidx.h"
#include "confd/confd_int.h"

/* ---- applying a section's keys -------------------------------------------- */

/* "→ restart: ..." in a [program:] key's doc names our key. */
static void unknown_hint(const char *key, unsigned kind, char *hint, size_t len)
{
        const struct confd_key *k;

        hint[0] = '\0';
        if (kind == SEC_SERVICE && (k = key_find(key, SEC_PROGRAM)) &&
            strncmp(k->doc, "→ ", strlen("→ ")) == 0) {
                const char *ours = k->doc + strlen("→ ");

                snprintf(hint, len, " (a [program:] key; here: %.*s)",
                         (int)strcspn(ours, " :"), ours);
        } else if (kind == SEC_SERVICE && key_find(key, SEC_SUPD)) {
                snprintf(hint, len, " (a [supd] key)");
        } else if (kind == SEC_SUPD && key_find(key, SEC_SERVICE)) {
                snprintf(hint, len, " (a [service:NAME] key)");
        } else {
                key_did_you_mean(key, kind, hint, len);
        }
}

/* strict: unknown keys and keys given twice are errors (our sections);
 * otherwise unknown keys are warned about once and the last value wins. */
static void apply_section(struct loader *L, const struct raw_section *s, struct set_ctx *c,
                          const struct expand_vars *ev, bool strict)
{
        for (size_t i = 0; i < s->n; i++) {
                const struct raw_entry *e = &s->e[i];
                const struct confd_key *k = key_find(e->key, s->kind);
                char *expanded = NULL, hint[128], wkey[160];
                const char *val = e->value;

                if (!k) {
                        unknown_hint(e->key, s->kind, hint, sizeof(hint));
                        if (strict) {
                                diag_add(L->diag, true, "%s:%d: [%s] %s: unknown key%s", s->file,
                                         e->line, s->header, e->key, hint);
                        } else {
                                snprintf(wkey, sizeof(wkey), "unknown %s", e->key);
                                loader_warn_once(L, wkey, "%s:%d: [%s] %s: unknown key%s, ignored",
                                                 s->file, e->line, s->header, e->key, hint);
                        }
                        continue;
                }
                if (strict && !s->argv) {
                        bool dup = false;

                        for (size_t j = 0; j < i && !dup; j++) {
                                if (strcmp(s->e[j].key, e->key) == 0) {
                                        diag_add(L->diag, true, "%s:%d: [%s] %s: given twice in "
                                                 "this section (first at line %d)", s->file,
                                                 e->line, s->header, e->key, s->e[j].line);
                                        dup = true;
                                }
                        }
                        if (dup)
                                continue;
                }
                c->why[0] = '\0';
                c->warn[0] = '\0';
                c->verbatim = e->option != NULL;
                if (ev) {
                        if (expand(e->value, ev, &expanded, c->why) < 0) {
                                raw_error(L, s, e, c->why);
                                continue;
                        }
                        val = expanded;
                }
                if (k->set(c, k, val) < 0) {
                        if (!c->why[0])
                                snprintf(c->why, sizeof(c->why), "%s; got \"%s\"",
                                         key_expect(k->type), val);
                        raw_error(L, s, e, c->why);
                } else if (c->warn[0]) {
                        snprintf(wkey, sizeof(wkey), "%s", e->key);
                        loader_warn_once(L, wkey, "%s:%d: [%s] %s: %s", s->file, e->line,
                                         s->header, e->key, c->warn);
                }
                free(expanded);
        }
}

/* ---- services ------------------------------------------------------------- */

struct build {
        struct loader *L;
        struct sup_config *cfg;
        struct sv_globals g;
        struct svc_origin *orig;
        size_t n_orig;
        char **group_of;                /* "program=group" pairs from [group:x] */
        char **group_prio;              /* "program=N": its [group:x] priority */
        struct nameidx names;           /* service name → index in cfg->services */
};

static int add_service(struct build *B, struct svc_spec *svc, const struct raw_section *s)
{
        struct sup_config *cfg = B->cfg;
        struct svc_spec **v;
        struct svc_origin *o;
        ssize_t first = nameidx_get(&B->names, svc->name);

        if (first >= 0) {
                diag_add(B->L->diag, true, "%s:%d: [%s]: service \"%s\" is defined twice; "
                         "first at %s:%d", s->file, s->line, s->header, svc->name,
                         cfg->services[first]->file, cfg->services[first]->line);
                spec_free(svc);
                return -1;
        }
        v = realloc(cfg->services, (cfg->n_services + 1) * sizeof(*v));
        if (v)
                cfg->services = v;
        o = realloc(B->orig, (B->n_orig + 1) * sizeof(*o));
        if (o)
                B->orig = o;
        if (!v || !o || nameidx_put(&B->names, svc->name, cfg->n_services, NULL) < 0) {
                spec_free(svc);
                B->L->oom = true;
                return -1;
        }
        cfg->services[cfg->n_services++] = svc;
        B->orig[B->n_orig++] = (struct svc_origin){ svc, s };
        return 0;
}

/* The one step that completes a spec once its keys are read, for
 * [service:] and [program:] alike: a service is started after what it
 * requires; a sandboxed one gets the sandbox defaults for the keys it did
 * not give (confd/sandbox.c); then the rules across keys. */
static int complete_service(struct build *B, struct svc_spec *svc, const struct raw_section *s)
{
        if (s->argv && !svc->argv && !(svc->argv = strv_dup(s->argv))) {
                B->L->oom = true;
                spec_free(svc);
                return -1;
        }
        if (!svc->argv) {
                if (raw_find(s, "command")) {   /* its value was bad, and said so */
                        spec_free(svc);
                        return -1;
                }
                diag_add(B->L->diag, true, "%s:%d: [%s] command: missing; every service needs one",
                         s->file, s->line, s->header);
                spec_free(svc);
                return -1;
        }
        for (size_t i = 0; svc->requires && svc->requires[i]; i++) {
                if (!strv_contains(svc->after, svc->requires[i]) &&
                    strv_push(&svc->after, svc->requires[i]) < 0) {
                        B->L->oom = true;
                        spec_free(svc);
                        return -1;
                }
        }
        confd_sandbox_defaults(svc, confd_sandboxed(svc));
        check_sandbox(B->L, &(struct svc_origin){ svc, s });
        check_health(B->L, &(struct svc_origin){ svc, s });
        return add_service(B, svc, s);
}

static struct svc_spec *service_start(struct build *B, const struct raw_section *s,
                                      const char *name)
{
        struct svc_spec *svc = spec_new();

        if (!svc || !(svc->name = strdup(name)) || !(svc->file = strdup(s->file))) {
                spec_free(svc);
                B->L->oom = true;
                return NULL;
        }
        svc->line = s->line;
        return svc;
}

/* What a listener is beyond another service: its events, a protocol on
 * its stdout rather than a log, so no stderr into stdout (supervisord
 * refuses redirect_stderr). */
static int listener_finish(struct build *B, const struct raw_section *s, struct svc_spec *svc)
{
        const struct raw_entry *e;

        if (!svc->listen_events) {
                if (s->kind == SEC_EVENTLISTENER && !raw_find(s, "events"))
                        diag_add(B->L->diag, true, "%s:%d: [%s] events: missing; an event "
                                 "listener needs the event types it takes", s->file, s->line,
                                 s->header);
                return s->kind == SEC_EVENTLISTENER ? -1 : 0;
        }
        e = raw_find(s, s->kind == SEC_SERVICE ? "stderr" : "redirect_stderr");
        if (svc->err.kind == LOG_TO_STDOUT && !e)      /* [service:]'s default */
                svc->err.kind = LOG_TO_CONSOLE;
        if (svc->err.kind == LOG_TO_STDOUT) {
                diag_add(B->L->diag, true, "%s:%d: [%s] %s: not allowed in an event listener: its "
                         "stdout carries the event protocol", s->file, e ? e->line : s->line,
                         s->header, e ? e->key : "stderr");
                return -1;
        }
        free(svc->out.path);
        svc->out.path = NULL;
        svc->out.kind = LOG_TO_NULL;
        return 0;
}

static void build_service(struct build *B, const struct raw_section *s)
{
        struct prog_opts po = { 0 };
        struct set_ctx c = { .L = B->L, .cfg = B->cfg, .g = &B->g, .dir = s->dir,
                             .sect = SEC_SERVICE, .prog = &po };
        struct svc_spec *svc;

        if (!val_name_ok(s->name)) {
                diag_add(B->L->diag, true, "%s:%d: [%s]: a service name is 1 to 64 letters, digits "
                         "and _ - . @, with one : between a group and a name (not \"all\")",
                         s->file, s->line, s->header);
                return;
        }
        svc = service_start(B, s, s->name);
        if (!svc)
                return;
        c.svc = svc;
        if (keys_defaults(&c, SEC_SERVICE) < 0) {
                B->L->oom = true;
                spec_free(svc);
                return;
        }
        apply_section(B->L, s, &c, NULL, true);
        if (po.err_size_set)
                svc->err.max_size = po.err_size;
        if (po.err_keep_set)
                svc->err.keep = po.err_keep;
        if (listener_finish(B, s, svc) < 0) {
                spec_free(svc);
                return;
        }
        complete_service(B, svc, s);
}

/* ---- [program:] ----------------------------------------------------------- */

/* supd's own stdout and stderr, however an image spells them: supervisord
 * runs as PID 1, so /proc/1/fd/1 is its stdout too. */
static bool is_console_path(const char *p)
{
        static const char *paths[] = {
                "/dev/stdout", "/dev/stderr", "/dev/fd/1", "/dev/fd/2",
                "/proc/self/fd/1", "/proc/self/fd/2", "/proc/1/fd/1", "/proc/1/fd/2",
                "/dev/console", "/dev/tty",
        };

        for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
                if (strcmp(p, paths[i]) == 0)
                        return true;
        return false;
}

/* stdout_logfile / stderr_logfile / redirect_stderr → log targets. AUTO
 * (supervisord's files in childlogdir, read with `supervisorctl tail`)
 * becomes the console: in a container that is where logs are read. */
static void program_logs(struct build *B, const struct raw_section *s, struct svc_spec *svc,
                         struct prog_opts *po)
{
        for (int i = 0; i < 2; i++) {
                struct log_target *t = i ? &svc->err : &svc->out;
                const char *lf = po->logfile[i] ? po->logfile[i] : "AUTO";

                free(t->path);
                t->path = NULL;
                if (strcasecmp(lf, "AUTO") == 0 || is_console_path(lf)) {
                        t->kind = LOG_TO_CONSOLE;
                } else if (strcasecmp(lf, "NONE") == 0 || strcasecmp(lf, "OFF") == 0 || !*lf) {
                        t->kind = LOG_TO_NULL;
                } else if (strcasecmp(lf, "syslog") == 0) {
                        t->kind = LOG_TO_CONSOLE;
                        loader_warn_once(B->L, "syslog", "%s:%d: [%s] %s_logfile: syslog is not "
                                         "supported; output goes to the console", s->file, s->line,
                                         s->header, i ? "stderr" : "stdout");
                } else {
                        t->kind = LOG_TO_FILE;
                        t->path = val_path(lf, s->dir);
                        if (!t->path)
                                B->L->oom = true;
                }
        }
        if (po->redirect_stderr) {
                const struct raw_entry *e = raw_find(s, "stderr_logfile");

                free(svc->err.path);
                svc->err.path = NULL;
                svc->err.kind = LOG_TO_STDOUT;
                if (e)
                        loader_warn_once(B->L, "redirect_stderr+stderr_logfile", "%s:%d: [%s] "
                                         "stderr_logfile: ignored, redirect_stderr is true",
                                         s->file, e->line, s->header);
        }
}

static const char *group_of(struct build *B, const struct raw_section *s)
{
        const char *group = s->kind == SEC_PROGRAM ? strv_value(B->group_of, s->name) : NULL;

        return group ? group : s->name;
}

/* supervisord orders groups by their priority, then a group's programs by
 * theirs; a program outside a [group:] is a group of its own. */
static void group_priority(struct build *B, const struct raw_section *s, struct svc_spec *svc)
{
        const char *prio = s->kind == SEC_PROGRAM ? strv_value(B->group_prio, s->name) : NULL;

        if (prio)
                svc->group_priority = atoi(prio);       /* checked by build_group */
}

/* supervisorctl's name for a process: "group:process", or the process
 * alone when its group is named after it. NULL on OOM. */
static char *namespec(const char *group, const char *process)
{
        char *name;

        if (strcmp(group, process) == 0)
                return strdup(process);
        return asprintf(&name, "%s:%s", group, process) < 0 ? NULL : name;
}

/* numprocs and friends, read before the instances exist */
static long program_count(struct build *B, const struct raw_section *s, const char *key,
                          const struct expand_vars *ev, long def, long min, long max)
{
        const struct raw_entry *e = raw_find(s, key);
        char *text = NULL, why[WHY];
        long long v;

        if (!e)
                return def;
        if (expand(e->value, ev, &text, why) < 0)
                return def;             /* reported by apply_section */
        if (val_int(text, min, max, &v) < 0)
                v = def;
        free(text);
        (void)B;
        return (long)v;
}

static void build_program_one(struct build *B, const struct raw_section *s,
                              struct expand_vars *ev, const char *pname_raw)
{
        struct prog_opts po = { 0 };
        struct set_ctx c = { .L = B->L, .cfg = B->cfg, .g = &B->g, .dir = s->dir,
                             .sect = SEC_PROGRAM, .prog = &po };
        const struct raw_entry *pe = raw_find(s, "process_name");
        char *name = NULL, *spec_name, why[WHY] = "";
        struct svc_spec *svc;

        if (expand(pname_raw, ev, &name, why) < 0) {
                if (!pe)
                        diag_add(B->L->diag, true, "%s:%d: [%s]: %s", s->file, s->line, s->header,
                                 why[0] ? why : "out of memory");
                return;         /* a bad process_name is reported with its line */
        }
        spec_name = val_name_ok(name) && !strchr(name, ':') ? namespec(ev->group_name, name)
                                                             : NULL;
        if (!spec_name || !val_name_ok(spec_name)) {
                diag_add(B->L->diag, true, "%s:%d: [%s] %s: a process name is letters, digits and "
                         "_ - . @, and with its group (group:name) at most 64; got \"%s\"",
                         s->file, pe ? pe->line : s->line, s->header, pe ? "process_name" : "",
                         name);
                free(name);
                free(spec_name);
                return;
        }
        free(name);
        svc = service_start(B, s, spec_name);
        free(spec_name);
        if (!svc)
                return;
        svc->from_supervisord = true;
        c.svc = svc;
        if (keys_defaults(&c, SEC_PROGRAM) < 0 ||
            (B->g.env && !(svc->environment = strv_dup(B->g.env)))) {
                B->L->oom = true;
                spec_free(svc);
                free(po.logfile[0]);
                free(po.logfile[1]);
                return;
        }
        svc->umask = B->g.umask;
        if (s->kind == SEC_EVENTLISTENER) {
                svc->priority = -1;     /* supervisord: started first, stopped last */
                svc->group_priority = -1;
                svc->listen_buffer = 10;
        }
        /* later keys may use %(ENV_X)s of the program's own environment */
        ev->env1 = &svc->environment;
        ev->env2 = &B->g.env;
        apply_section(B->L, s, &c, ev, false);
        group_priority(B, s, svc);
        program_logs(B, s, svc, &po);
        free(po.logfile[0]);
        free(po.logfile[1]);
        if (listener_finish(B, s, svc) < 0) {
                spec_free(svc);
                return;
        }
        complete_service(B, svc, s);
}

static void build_program(struct build *B, const struct raw_section *s)
{
        struct expand_vars ev = { .here = s->dir ? s->dir : ".", .program_name = s->name,
                                  .group_name = group_of(B, s), .has_num = true };
        char host[256] = "localhost";
        const struct raw_entry *pe = raw_find(s, "process_name");
        const char *pname = pe ? pe->value : "%(program_name)s";
        long n, start;

        if (!*s->name || strpbrk(s->name, ":[]")) {
                diag_add(B->L->diag, true, "%s:%d: [%s]: a program name may not be empty or contain "
                         ": [ ]", s->file, s->line, s->header);
                return;
        }
        gethostname(host, sizeof(host) - 1);
        ev.host_node_name = host;
        n = program_count(B, s, "numprocs", &ev, 1, 1, 1000);
        start = program_count(B, s, "numprocs_start", &ev, 0, 0, 1000000);
        ev.numprocs = n;
        if (n > 1 && !strstr(pname, "%(process_num)")) {
                diag_add(B->L->diag, true, "%s:%d: [%s] process_name: must contain %%(process_num)d "
                         "(or similar) when numprocs > 1", s->file, pe ? pe->line : s->line,
                         s->header);
                return;
        }
        for (long i = 0; i < n; i++) {
                ev.process_num = start + i;
                build_program_one(B, s, &ev, pname);
        }
}

/* ---- other sections --------------------------------------------------------- */

static void build_keys_only(struct build *B, const struct raw_section *s, bool strict,
                            bool expand_env)
{
        struct set_ctx c = { .L = B->L, .cfg = B->cfg, .g = &B->g, .dir = s->dir, .sect = s->kind };
        struct expand_vars ev = { .here = s->dir ? s->dir : "." };

        apply_section(B->L, s, &c, expand_env ? &ev : NULL, strict);
}

static bool has_program(const struct loader *L, const char *name)
{
        for (size_t i = 0; i < L->n_secs; i++)
                if (L->secs[i]->kind == SEC_PROGRAM && strcmp(L->secs[i]->name, name) == 0)
                        return true;
        return false;
}

/* The group's priority, 999 when it names none or a bad one (reported by
 * the key's setter). */
static long long group_section_priority(const struct raw_section *s)
{
        const struct raw_entry *e = raw_find(s, "priority");
        long long v = 999;

        if (e && val_int(e->value, -1000000, 1000000, &v) < 0)
                v = 999;
        return v;
}

static void build_group(struct build *B, const struct raw_section *s)
{
        const struct raw_entry *e = raw_find(s, "programs");
        long long prio = group_section_priority(s);
        char **names = NULL;

        build_keys_only(B, s, false, false);
        if (!*s->name || strpbrk(s->name, ":[]")) {
                diag_add(B->L->diag, true, "%s:%d: [%s]: a group name may not be empty or contain "
                         ": [ ]", s->file, s->line, s->header);
                return;
        }
        if (!e) {
                diag_add(B->L->diag, true, "%s:%d: [%s]: programs = is required", s->file, s->line,
                         s->header);
                return;
        }
        if (val_list(e->value, &names) < 0) {
                B->L->oom = true;
                return;
        }
        for (size_t i = 0; names[i]; i++) {
                char *pair;

                if (!has_program(B->L, names[i])) {
                        raw_error(B->L, s, e, "names a program that has no [program:] section");
                        continue;
                }
                if (asprintf(&pair, "%s=%s", names[i], s->name) < 0 ||
                    strv_push_own(&B->group_of, pair) < 0 ||
                    asprintf(&pair, "%s=%lld", names[i], prio) < 0 ||
                    strv_push_own(&B->group_prio, pair) < 0)
                        B->L->oom = true;
        }
        strv_free(names);
}

static void build_other(struct build *B, const struct raw_section *s)
{
        char key[160], hint[160];

        snprintf(key, sizeof(key), "[%s]", s->header);
        switch (s->kind) {
        case SEC_SUPERVISORD:
        case SEC_GROUP:
        case SEC_SUPD:
        case SEC_SERVICE:
        case SEC_PROGRAM:
        case SEC_EVENTLISTENER:
                break;  /* done in their own passes */
        case SEC_UNIX_HTTP:
        case SEC_SUPERVISORCTL:
                build_keys_only(B, s, false, true);
                break;
        case SEC_INCLUDE:
                build_keys_only(B, s, false, false);
                if (!raw_find(s, "files"))
                        diag_add(B->L->diag, true, "%s:%d: [include]: files = is required",
                                 s->file, s->line);
                break;
        case SEC_INET_HTTP:
                loader_warn_once(B->L, key, "%s:%d: [%s]: not supported, ignored: supctl talks to "
                                 "supd over the unix socket", s->file, s->line, s->header);
                break;
        case SEC_FCGI:
                loader_warn_once(B->L, key, "%s:%d: [%s]: fcgi-program is not supported; it is not "
                                 "run", s->file, s->line, s->header);
                break;
        case SEC_RPCINTERFACE:
                /* [rpcinterface:supervisor] is boilerplate; anything else is a plugin */
                if (strcmp(s->name, "supervisor") != 0)
                        loader_warn_once(B->L, key, "%s:%d: [%s]: RPC plugins are not supported, "
                                         "ignored", s->file, s->line, s->header);
                break;
        case SEC_CTLPLUGIN:
                break;
        default:
                if (section_did_you_mean(s->header, hint, sizeof(hint)))
                        diag_add(B->L->diag, true, "%s:%d: [%s]: unknown section (did you mean [%s]?)",
                                 s->file, s->line, s->header, hint);
                else
                        diag_add(B->L->diag, true, "%s:%d: [%s]: unknown section (expected [supd], "
                                 "[service:NAME], or supervisord's [program:NAME], [supervisord], ...)",
                                 s->file, s->line, s->header);
                break;
        }
}

/* [supd] may appear in several files (conf.d snippets); a key set in two
 * places is an error naming both. */
static void build_supd(struct build *B)
{
        const struct raw_section **where = calloc(confd_nkeys, sizeof(*where));
        int *line = calloc(confd_nkeys, sizeof(*line));

        if (!where || !line) {
                B->L->oom = true;
                goto out;
        }
        for (size_t i = 0; i < B->L->n_secs; i++) {
                const struct raw_section *s = B->L->secs[i];
                struct set_ctx c = { .L = B->L, .cfg = B->cfg, .g = &B->g, .dir = s->dir,
                                     .sect = SEC_SUPD };

                if (s->kind != SEC_SUPD)
                        continue;
                for (size_t j = 0; j < s->n; j++) {
                        const struct confd_key *k = key_find(s->e[j].key, SEC_SUPD);
                        size_t ki = k ? (size_t)(k - confd_keys) : 0;

                        if (!k || strcmp(k->name, "include") == 0)
                                continue;
                        if (where[ki] && where[ki] != s)
                                diag_add(B->L->diag, true, "%s:%d: [supd] %s: already set at %s:%d",
                                         s->file, s->e[j].line, k->name, where[ki]->file, line[ki]);
                        if (!where[ki]) {
                                where[ki] = s;
                                line[ki] = s->e[j].line;
                        }
                }
                apply_section(B->L, s, &c, NULL, true);
        }
out:
        free(where);
        free(line);
}

static void build_supervisord(struct build *B)
{
        for (size_t i = 0; i < B->L->n_secs; i++) {
                const struct raw_section *s = B->L->secs[i];
                struct set_ctx c = { .L = B->L, .cfg = B->cfg, .g = &B->g, .dir = s->dir,
                                     .sect = SEC_SUPERVISORD };
                struct expand_vars ev = { .here = s->dir ? s->dir : "." };

                if (s->kind == SEC_SUPERVISORD) {
                        if (!B->g.seen && keys_defaults(&c, SEC_SUPERVISORD) < 0)
                                B->L->oom = true;
                        B->g.seen = true;
                        B->cfg->supervisord = true;
                        ev.env2 = &B->g.env;  /* grows while this section is read */
                        apply_section(B->L, s, &c, &ev, false);
                } else if (s->kind == SEC_GROUP) {
                        build_group(B, s);
                }
        }
}

static struct sup_config *build_config(struct loader *L, const char *path)
{
        struct build B = { .L = L, .g = { .umask = -1 } };

        B.cfg = confd_empty();
        if (!B.cfg || (path && !(B.cfg->path = strdup(path)))) {
                confd_free(B.cfg);
                L->oom = true;
                return NULL;
        }
        build_supervisord(&B);
        build_supd(&B);
        for (size_t i = 0; i < L->n_secs; i++)
                build_other(&B, L->secs[i]);
        for (size_t i = 0; i < L->n_secs; i++) {
                if (L->secs[i]->kind == SEC_SERVICE)
                        build_service(&B, L->secs[i]);
                else if (L->secs[i]->kind & (SEC_PROGRAM | SEC_EVENTLISTENER))
                        build_program(&B, L->secs[i]);
        }
        check_dependencies(L, B.cfg, B.orig, B.n_orig);
        free(B.orig);
        nameidx_free(&B.names);
        strv_free(B.g.env);
        strv_free(B.group_of);
        strv_free(B.group_prio);
        if (L->oom)
                diag_add(L->diag, true, "out of memory while reading the configuration");
        if (L->oom || L->diag->n_errors) {
                confd_free(B.cfg);
                return NULL;
        }
        return B.cfg;
}

/* ---- entry points ----------------------------------------------------------- */

struct sup_config *confd_load_file(const char *path, struct confd_diag *diag)
{
        struct loader L = { .diag = diag };
        struct sup_config *cfg = NULL;

        if (parse_file(&L, path, 0, "") == 0)
                cfg = build_config(&L, path);
        loader_free(&L);
        return cfg;
}

struct sup_config *confd_load_options(const char *service, const struct confd_option *opts,
                                      size_t n, char *const argv[], struct confd_diag *diag)
{
        struct loader L = { .diag = diag };
        struct raw_entry *e = calloc(n + 1, sizeof(*e));
        struct raw_section sec = { .header = "suprun", .kind = SEC_SERVICE, .name = (char *)service,
                                   .file = "(command line)", .e = e, .n = n, .argv = argv };
        struct raw_section *secs[] = { &sec };
        struct sup_config *cfg;

        if (!e || !argv || !argv[0]) {
                diag_add(diag, true, e ? "no command" : "out of memory");
                free(e);
                return NULL;
        }
        for (size_t i = 0; i < n; i++)
                e[i] = (struct raw_entry){ .key = (char *)opts[i].key, .value = (char *)opts[i].value,
                                           .line = (int)i + 1, .option = opts[i].name };
        L.secs = secs;
        L.n_secs = 1;
        cfg = build_config(&L, NULL);
        free(e);
        strv_free(L.warned);    /* the rest of L is ours, on the stack */
        return cfg;
}

struct sup_config *confd_load_string(const char *text, const char *name, const char *dir,
                                     struct confd_diag *diag)
{
        struct loader L = { .diag = diag };
        struct sup_config *cfg = NULL;

        if (parse_text(&L, text, strlen(text), name ? name : "(string)", dir, 0) == 0)
                cfg = build_config(&L, NULL);
        loader_free(&L);
        return cfg;
}
