/* confd/parse.c — files → raw sections, with inih; includes; finding an
 * entry of a raw section and reporting one that is wrong.
 *
 * inih splits lines into section / key / value. Debian's libinih is built
 * with a 200-byte line buffer, ';'-only inline comments and no line numbers
 * in the handler (its runtime knobs are not wired up), so we feed it lines
 * through our own reader: the reader counts lines, notes section headers
 * (so every section knows its file:line, and names are never truncated),
 * reports lines inih would reject, and keeps the raw text so a value longer
 * than inih's buffer is taken whole from the line itself. */
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <ini.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/suggest.h"
#include "confd/confd_int.h"

#define MAX_FILE_SIZE (16 << 20)
#define MAX_DEPTH 8

struct reader {
        struct loader *L;
        const char *p, *end;
        const char *file, *dir;
        int line;                       /* number of the line inih is looking at */
        const char *raw;                /* that line, not NUL-terminated */
        size_t raw_len;
        bool truncated;                 /* longer than inih's buffer */
        bool continuation;              /* indented line continuing the last key */
        bool has_prev;                  /* a key was read since the last header */
        bool bad_header;                /* keys after a broken header were reported */
        struct raw_section *cur;
};

void loader_warn_once(struct loader *L, const char *key, const char *fmt, ...)
{
        va_list ap;
        char *msg;

        if (strv_contains(L->warned, key))
                return;
        if (strv_push(&L->warned, key) < 0) {
                L->oom = true;
                return;
        }
        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        va_end(ap);
        if (!msg) {
                L->oom = true;
                return;
        }
        diag_add(L->diag, false, "%s", msg);
        free(msg);
}

void raw_error(struct loader *L, const struct raw_section *s, const struct raw_entry *e,
               const char *why)
{
        if (e->option)
                diag_add(L->diag, true, "%s: %s", e->option, why[0] ? why : "out of memory");
        else
                diag_add(L->diag, true, "%s:%d: [%s] %s: %s", s->file, e->line, s->header, e->key,
                         why[0] ? why : "out of memory");
}

static const struct { const char *prefix; unsigned kind; bool named; } kinds[] = {
                { "supd", SEC_SUPD, false },
                { "service", SEC_SERVICE, true },
                { "program", SEC_PROGRAM, true },
                { "supervisord", SEC_SUPERVISORD, false },
                { "unix_http_server", SEC_UNIX_HTTP, false },
                { "inet_http_server", SEC_INET_HTTP, false },
                { "supervisorctl", SEC_SUPERVISORCTL, false },
                { "include", SEC_INCLUDE, false },
                { "group", SEC_GROUP, true },
                { "eventlistener", SEC_EVENTLISTENER, true },
                { "fcgi-program", SEC_FCGI, true },
                { "rpcinterface", SEC_RPCINTERFACE, true },
                { "ctlplugin", SEC_CTLPLUGIN, true },
};

static unsigned section_kind(const char *header, const char **name)
{
        const char *colon = strchr(header, ':');
        size_t n = colon ? (size_t)(colon - header) : strlen(header);

        *name = NULL;
        for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
                if (strlen(kinds[i].prefix) != n || strncmp(header, kinds[i].prefix, n) != 0)
                        continue;
                if (kinds[i].named != (colon != NULL))
                        return 0;
                *name = colon ? colon + 1 : NULL;
                return kinds[i].kind;
        }
        return 0;
}

bool section_did_you_mean(const char *header, char *out, size_t len)
{
        const char *colon = strchr(header, ':');
        char word[64];
        struct suggest sg;
        size_t i;

        snprintf(word, sizeof(word), "%.*s", (int)(colon ? colon - header : (long)strlen(header)), header);
        suggest_init(&sg, word);
        for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
                suggest_offer(&sg, kinds[i].prefix);
        if (!suggest_best(&sg))
                return false;
        for (i = 0; strcmp(kinds[i].prefix, suggest_best(&sg)) != 0; i++)
                ;
        if (kinds[i].named)
                snprintf(out, len, "%s:%s", kinds[i].prefix, colon ? colon + 1 : "NAME");
        else
                snprintf(out, len, "%s", kinds[i].prefix);
        return true;
}

static struct raw_section *section_new(struct reader *r, const char *header, size_t n)
{
        struct loader *L = r->L;
        struct raw_section *s = calloc(1, sizeof(*s)), **secs;
        const char *name;

        if (!s)
                goto oom;
        s->header = strndup(header, n);
        if (!s->header)
                goto oom;
        s->kind = section_kind(s->header, &name);
        s->name = name ? strdup(name) : NULL;
        if (name && !s->name)
                goto oom;
        s->file = r->file;
        s->dir = r->dir;
        s->line = r->line;
        secs = realloc(L->secs, (L->n_secs + 1) * sizeof(*secs));
        if (!secs)
                goto oom;
        L->secs = secs;
        L->secs[L->n_secs++] = s;
        return s;
oom:
        if (s) {
                free(s->header);
                free(s);
        }
        L->oom = true;
        return NULL;
}

static bool is_blank(char c)
{
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Look at the line inih is about to get, the way inih will. */
static void reader_classify(struct reader *r)
{
        const char *s = r->raw, *end = r->raw + r->raw_len;
        bool indented;

        if (r->line == 1 && r->raw_len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
                s += 3;
        indented = s < end && is_blank(*s);
        while (s < end && is_blank(*s))
                s++;
        while (end > s && is_blank(end[-1]))
                end--;
        r->continuation = false;
        if (s == end || *s == ';' || *s == '#')
                return;
        if (r->has_prev && indented) {
                r->continuation = true;
                return;
        }
        if (*s == '[') {
                const char *close = memchr(s, ']', (size_t)(end - s));

                if (!close) {
                        r->bad_header = true;
                        diag_add(r->L->diag, true, "%s:%d: expected a [section] header; got \"%.*s\"",
                                 r->file, r->line, (int)(end - s), s);
                        return;
                }
                r->cur = section_new(r, s + 1, (size_t)(close - s - 1));
                r->has_prev = false;
                r->bad_header = false;
                return;
        }
        if (!memchr(s, '=', (size_t)(end - s)) && !memchr(s, ':', (size_t)(end - s))) {
                diag_add(r->L->diag, true, "%s:%d: expected key = value, a [section] or a "
                         "comment; got \"%.*s\"", r->file, r->line, (int)(end - s) > 80 ? 80 :
                         (int)(end - s), s);
                return;
        }
        r->has_prev = true;
}

static char *reader_next(char *str, int num, void *stream)
{
        struct reader *r = stream;
        const char *nl;
        size_t len, take;

        if (r->p >= r->end)
                return NULL;
        nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
        len = nl ? (size_t)(nl - r->p) : (size_t)(r->end - r->p);
        r->line++;
        r->raw = r->p;
        r->raw_len = len;
        r->p += len + (nl ? 1 : 0);
        take = len;
        r->truncated = false;
        if (num < 3)
                return NULL;
        if (take > (size_t)num - 2) {
                take = (size_t)num - 2;
                r->truncated = true;
        }
        memcpy(str, r->raw, take);
        str[take] = '\n';
        str[take + 1] = '\0';
        reader_classify(r);
        return str;
}

/* Cut a comment that starts with ';' or '#' after whitespace, as
 * supervisord (Python's configparser) does; inih only knows ';'. */
static void cut_comment(char *v)
{
        for (char *p = v; *p; p++) {
                if ((*p == ';' || *p == '#') && (p == v || is_blank(p[-1]))) {
                        *p = '\0';
                        break;
                }
        }
        for (size_t n = strlen(v); n && is_blank(v[n - 1]); n--)
                v[n - 1] = '\0';
}

/* The value of a line too long for inih, from the raw text. */
static char *value_from_raw(const struct reader *r)
{
        const char *eq = NULL;
        char *v;

        for (size_t i = 0; i < r->raw_len; i++) {
                if (r->raw[i] == '=' || r->raw[i] == ':') {
                        eq = r->raw + i + 1;
                        break;
                }
        }
        if (!eq)
                return strdup("");
        while (eq < r->raw + r->raw_len && is_blank(*eq))
                eq++;
        v = strndup(eq, (size_t)(r->raw + r->raw_len - eq));
        if (v)
                cut_comment(v);
        return v;
}

static int reader_handler(void *user, const char *section, const char *name, const char *value)
{
        struct reader *r = user;
        struct raw_section *s = r->cur;
        struct raw_entry *e;
        char *v;

        (void)section;
        if (!s || r->bad_header) {
                if (!r->bad_header)
                        diag_add(r->L->diag, true, "%s:%d: %s: a key before any [section]",
                                 r->file, r->line, name);
                return 1;
        }
        v = r->truncated ? value_from_raw(r) : strdup(value);
        if (!v) {
                r->L->oom = true;
                return 1;
        }
        if (!r->truncated)
                cut_comment(v);
        if (r->continuation && s->n) {
                struct raw_entry *last = &s->e[s->n - 1];
                char *joined;

                if (!*v) {
                        free(v);
                        return 1;
                }
                if (asprintf(&joined, "%s%s%s", last->value, *last->value ? " " : "", v) < 0) {
                        free(v);
                        r->L->oom = true;
                        return 1;
                }
                free(v);
                free(last->value);
                last->value = joined;
                return 1;
        }
        e = realloc(s->e, (s->n + 1) * sizeof(*e));
        if (!e) {
                free(v);
                r->L->oom = true;
                return 1;
        }
        s->e = e;
        e = &s->e[s->n];
        *e = (struct raw_entry){ .key = strdup(name), .value = v, .line = r->line };
        if (!e->key) {
                free(v);
                r->L->oom = true;
                return 1;
        }
        for (char *p = e->key; *p; p++)
                *p = (char)tolower((unsigned char)*p);
        s->n++;
        return 1;
}

/* ---- includes --------------------------------------------------------------- */

static bool has_glob(const char *s)
{
        return strpbrk(s, "*?[") != NULL;
}

static void include_one(struct loader *L, const struct raw_section *s, const struct raw_entry *e,
                        const char *pattern, int depth)
{
        char *full = val_path(pattern, s->dir);
        glob_t g;
        int rc;

        if (!full) {
                L->oom = true;
                return;
        }
        memset(&g, 0, sizeof(g));
        rc = glob(full, 0, NULL, &g);
        if (rc == GLOB_NOMATCH) {
                /* supervisord globs every entry of [include] files=, so a
                 * plain path that does not exist matches nothing; our own
                 * include= names files that must be there */
                if (!has_glob(full) && s->kind != SEC_INCLUDE)
                        diag_add(L->diag, true, "%s:%d: [%s] %s: no such file: %s", s->file, e->line,
                                 s->header, e->key, full);
        } else if (rc != 0) {
                diag_add(L->diag, true, "%s:%d: [%s] %s: cannot list %s", s->file, e->line,
                         s->header, e->key, full);
        } else {
                char *from = NULL;

                if (asprintf(&from, "%s:%d: [%s] %s: ", s->file, e->line, s->header, e->key) < 0) {
                        L->oom = true;
                        from = NULL;
                }
                for (size_t i = 0; from && i < g.gl_pathc; i++)
                        parse_file(L, g.gl_pathv[i], depth + 1, from);
                free(from);
        }
        globfree(&g);
        free(full);
}

static void include_all(struct loader *L, size_t first_sec, int depth)
{
        size_t last = L->n_secs;        /* sections of included files are handled by them */

        for (size_t i = first_sec; i < last; i++) {
                const struct raw_section *s = L->secs[i];

                for (size_t j = 0; j < s->n; j++) {
                        const struct raw_entry *e = &s->e[j];
                        struct expand_vars ev = { .here = s->dir ? s->dir : "." };
                        char **globs = NULL, *text = NULL, why[WHY] = "";

                        if (!((s->kind == SEC_SUPD && strcmp(e->key, "include") == 0) ||
                              (s->kind == SEC_INCLUDE && strcmp(e->key, "files") == 0)))
                                continue;
                        if (depth >= MAX_DEPTH) {
                                diag_add(L->diag, true, "%s:%d: [%s] %s: includes nested more than "
                                         "%d deep", s->file, e->line, s->header, e->key, MAX_DEPTH);
                                continue;
                        }
                        /* supervisord expands %(here)s and %(ENV_X)s in [include] */
                        if (s->kind == SEC_INCLUDE && expand(e->value, &ev, &text, why) < 0) {
                                raw_error(L, s, e, why);
                                continue;
                        }
                        if (val_words(text ? text : e->value, false, &globs, why) < 0) {
                                raw_error(L, s, e, why);
                        } else {
                                for (size_t k = 0; globs[k]; k++)
                                        include_one(L, s, e, globs[k], depth);
                        }
                        strv_free(globs);
                        free(text);
                }
        }
}

/* ---- files ------------------------------------------------------------------ */

static char *dir_of(const char *path)
{
        const char *slash = strrchr(path, '/');

        if (!slash)
                return strdup(".");
        if (slash == path)
                return strdup("/");
        return strndup(path, (size_t)(slash - path));
}

static char *abs_dir_of(const char *path)
{
        char cwd[PATH_MAX], *full, *dir;

        if (path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
                return dir_of(path);
        if (asprintf(&full, "%s/%s", cwd, path) < 0)
                return NULL;
        dir = dir_of(full);
        free(full);
        return dir;
}

int parse_text(struct loader *L, const char *text, size_t len, const char *name,
               const char *dir, int depth)
{
        struct reader r = { .L = L, .p = text, .end = text + len };
        size_t first = L->n_secs;

        if (memchr(text, '\0', len)) {
                diag_add(L->diag, true, "%s: contains a NUL byte; not a text file?", name);
                return -1;
        }
        if (strv_push(&L->files, name) < 0 || strv_push(&L->dirs, dir ? dir : ".") < 0) {
                L->oom = true;
                return -1;
        }
        r.file = L->files[strv_len(L->files) - 1];
        r.dir = dir ? L->dirs[strv_len(L->dirs) - 1] : NULL;
        ini_parse_stream(reader_next, &r, reader_handler, &r);
        include_all(L, first, depth);
        return 0;
}

static int read_all(const char *path, char **out, size_t *len)
{
        FILE *f = open_regular(path);
        struct sbuf b = { 0 };
        char buf[8192];
        size_t n;

        if (!f)
                return -1;
        while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
                sb_addn(&b, buf, n);
                if (b.len > MAX_FILE_SIZE) {
                        fclose(f);
                        sb_free(&b);
                        errno = EFBIG;
                        return -1;
                }
        }
        if (ferror(f)) {
                int e = errno;

                fclose(f);
                sb_free(&b);
                errno = e;
                return -1;
        }
        fclose(f);
        *len = b.len;
        *out = sb_steal(&b);
        if (!*out) {
                errno = ENOMEM;
                return -1;
        }
        return 0;
}

int parse_file(struct loader *L, const char *path, int depth, const char *from)
{
        char real[PATH_MAX], *text, *dir;
        size_t len;
        int rc;

        if (realpath(path, real)) {
                if (strv_contains(L->real, real)) {
                        diag_add(L->diag, true, "%s%s is included more than once (an include "
                                 "loop?)", from, path);
                        return -1;
                }
                if (strv_push(&L->real, real) < 0) {
                        L->oom = true;
                        return -1;
                }
        }
        if (read_all(path, &text, &len) < 0) {
                diag_add(L->diag, true, "%scannot read %s: %s", from, path,
                         errno == EINVAL ? "not a regular file" : strerror(errno));
                return -1;
        }
        /* relative paths and %(here)s resolve against an absolute directory
         * (as supervisord's abspath: symlinks are not resolved) */
        dir = abs_dir_of(path);
        if (!dir) {
                free(text);
                L->oom = true;
                return -1;
        }
        rc = parse_text(L, text, len, path, dir, depth);
        free(dir);
        free(text);
        return rc;
}

const struct raw_entry *raw_find(const struct raw_section *s, const char *key)
{
        const struct raw_entry *found = NULL;

        for (size_t i = 0; s && i < s->n; i++)
                if (strcmp(s->e[i].key, key) == 0)
                        found = &s->e[i];       /* the last one counts */
        return found;
}

void loader_free(struct loader *L)
{
        for (size_t i = 0; i < L->n_secs; i++) {
                struct raw_section *s = L->secs[i];

                for (size_t j = 0; j < s->n; j++) {
                        free(s->e[j].key);
                        free(s->e[j].value);
                }
                free(s->e);
                free(s->header);
                free(s->name);
                free(s);
        }
        free(L->secs);
        strv_free(L->files);
        strv_free(L->dirs);
        strv_free(L->real);
        strv_free(L->warned);
        memset(L, 0, sizeof(*L));
}
