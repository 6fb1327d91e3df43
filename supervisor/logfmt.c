/* supervisor/logfmt.c — console line formatting and line splitting. */
#include "supervisor/logfmt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct logfmt {
        char *head, *tail;      /* the format before and after {line} */
        bool has_time, plain;
};

static const char *const fields[] = { "name", "line", "time", "stream" };

/* Length of a "{word}" at s (word = [a-z_]+), 0 when s is not one. */
static size_t field_len(const char *s)
{
        size_t i = 1;

        if (s[0] != '{')
                return 0;
        while ((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_')
                i++;
        return (i > 1 && s[i] == '}') ? i + 1 : 0;
}

static bool field_is(const char *s, size_t len, const char *name)
{
        return len == strlen(name) + 2 && memcmp(s + 1, name, len - 2) == 0;
}

static int check_fields(const char *fmt, struct sup_err *err)
{
        for (const char *p = fmt; *p; p++) {
                size_t n = field_len(p), i;

                if (n == 0)
                        continue;
                for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
                        if (field_is(p, n, fields[i]))
                                break;
                if (i == sizeof(fields) / sizeof(fields[0]))
                        return sup_fail(err, 0, "log_format: unknown field %.*s "
                                        "(expected {name} {line} {time} {stream})", (int)n, p);
                p += n - 1;
        }
        return 0;
}

int logfmt_parse(const char *fmt, struct logfmt **out, struct sup_err *err)
{
        struct logfmt *f;
        const char *line = NULL;

        if (!fmt)
                fmt = "{name} | {line}";
        if (check_fields(fmt, err) < 0)
                return -1;
        for (const char *p = fmt; *p && !line; p++)
                if (field_len(p) == 6 && field_is(p, 6, "line"))
                        line = p;
        f = calloc(1, sizeof(*f));
        if (!f)
                return sup_fail(err, ENOMEM, "log_format");
        f->head = line ? strndup(fmt, (size_t)(line - fmt)) : strdup(fmt);
        f->tail = strdup(line ? line + 6 : "");
        if (!f->head || !f->tail) {
                logfmt_free(f);
                return sup_fail(err, ENOMEM, "log_format");
        }
        f->has_time = strstr(fmt, "{time}") != NULL;
        f->plain = strcmp(fmt, "{line}") == 0;
        *out = f;
        return 0;
}

void logfmt_free(struct logfmt *f)
{
        if (!f)
                return;
        free(f->head);
        free(f->tail);
        free(f);
}

bool logfmt_has_time(const struct logfmt *f) { return f->has_time; }
bool logfmt_is_plain(const struct logfmt *f) { return f->plain; }

/* Expand one template; returns a malloc'd string and its length. */
static char *expand(const char *tmpl, const char *name, const char *stream,
                    const char *time, size_t *len_out)
{
        struct logbuf b = { 0 };

        for (const char *p = tmpl; *p;) {
                size_t n = field_len(p);
                const char *val = NULL;

                if (n && field_is(p, n, "name"))
                        val = name;
                else if (n && field_is(p, n, "stream"))
                        val = stream;
                else if (n && field_is(p, n, "time"))
                        val = time ? time : "";
                else if (n && field_is(p, n, "line"))
                        val = "";       /* a second {line}: once is enough */
                if (!val) {
                        val = p;
                        n = 1;
                        if (logbuf_reserve(&b, 1) < 0)
                                goto oom;
                        b.p[b.len++] = *p++;
                        continue;
                }
                p += n;
                if (!*val)
                        continue;       /* nothing to copy (b.p may still be NULL) */
                if (logbuf_reserve(&b, strlen(val)) < 0)
                        goto oom;
                memcpy(b.p + b.len, val, strlen(val));
                b.len += strlen(val);
        }
        if (logbuf_reserve(&b, 1) < 0)
                goto oom;
        b.p[b.len] = '\0';
        *len_out = b.len;
        return b.p;
oom:
        logbuf_free(&b);
        return NULL;
}

int logfmt_affix_set(const struct logfmt *f, const char *name, const char *stream,
                     const char *time, struct logfmt_affix *a)
{
        size_t hl, tl;
        char *h = expand(f->head, name, stream, time, &hl);
        char *t = expand(f->tail, name, stream, time, &tl);

        if (!h || !t) {
                free(h);
                free(t);
                errno = ENOMEM;
                return -1;
        }
        logfmt_affix_free(a);
        a->head = h;
        a->head_len = hl;
        a->tail = t;
        a->tail_len = tl;
        return 0;
}

void logfmt_affix_free(struct logfmt_affix *a)
{
        free(a->head);
        free(a->tail);
        a->head = a->tail = NULL;
        a->head_len = a->tail_len = 0;
}

void logfmt_time(const struct timespec *ts, char out[LOGFMT_TIME_LEN + 1])
{
        struct tm tm;
        size_t n;

        gmtime_r(&ts->tv_sec, &tm);
        n = strftime(out, LOGFMT_TIME_LEN + 1, "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(out + n, LOGFMT_TIME_LEN + 1 - n, ".%03ldZ", ts->tv_nsec / 1000000);
}

int logbuf_reserve(struct logbuf *b, size_t more)
{
        size_t cap = b->cap ? b->cap : 256;
        char *p;

        if (b->len + more <= b->cap)
                return 0;
        while (cap < b->len + more)
                cap *= 2;
        p = realloc(b->p, cap);
        if (!p)
                return -1;
        b->p = p;
        b->cap = cap;
        return 0;
}

void logbuf_free(struct logbuf *b)
{
        free(b->p);
        b->p = NULL;
        b->len = b->cap = 0;
}

/* Where to cut an over-long line: at LOGFMT_MAX_LINE, moved back to the
 * start of a UTF-8 sequence when one begins within the last 3 bytes. */
static size_t cut_point(const char *s)
{
        size_t n = LOGFMT_MAX_LINE;

        for (int i = 0; i < 3; i++) {
                if (((unsigned char)s[n - (size_t)i] & 0xC0) != 0x80)
                        return n - (size_t)i;
        }
        return n;
}

/* The next line at data[pos..len): its length, whether it is a piece that
 * continues, and how far to advance. False when nothing complete is left. */
static inline bool next_line(const char *data, size_t len, size_t pos, bool final,
                             size_t *llen, bool *cont, size_t *adv)
{
        size_t rest = len - pos, window = rest < LOGFMT_MAX_LINE + 1 ? rest : LOGFMT_MAX_LINE + 1;
        const char *nl = memchr(data + pos, '\n', window);

        if (nl) {
                *llen = (size_t)(nl - (data + pos));
                *cont = false;
                *adv = *llen + 1;
                return true;
        }
        if (rest > LOGFMT_MAX_LINE) {
                *llen = cut_point(data + pos);
                *cont = true;
                *adv = *llen;
                return true;
        }
        if (final && rest > 0) {
                *llen = rest;
                *cont = false;
                *adv = rest;
                return true;
        }
        return false;
}

size_t logfmt_split(const char *data, size_t len, bool final, logfmt_line_fn emit, void *ctx)
{
        size_t pos = 0, llen, adv;
        bool cont;

        while (pos < len && next_line(data, len, pos, final, &llen, &cont, &adv)) {
                emit(data + pos, llen, cont, ctx);
                pos += adv;
        }
        return pos;
}

size_t logfmt_complete(const char *data, size_t len, bool final)
{
        const char *nl = final ? NULL : memrchr(data, '\n', len);
        size_t pos = final ? len : nl ? (size_t)(nl - data) + 1 : 0;

        while (len - pos > LOGFMT_MAX_LINE)
                pos += cut_point(data + pos);
        return pos;
}

size_t logfmt_lines(const struct logfmt_affix *a, const char *data, size_t len, bool final,
                    struct logbuf *out)
{
        size_t pos = 0, llen, adv, start = out->len;
        size_t fixed = a->head_len + a->tail_len + sizeof(LOGFMT_CONT);
        bool cont;

        while (pos < len && next_line(data, len, pos, final, &llen, &cont, &adv)) {
                char *o;

                if (logbuf_reserve(out, llen + fixed) < 0) {
                        out->len = start;
                        return (size_t)-1;
                }
                o = out->p + out->len;
                memcpy(o, a->head, a->head_len);
                o += a->head_len;
                memcpy(o, data + pos, llen);
                o += llen;
                if (cont) {
                        memcpy(o, LOGFMT_CONT, sizeof(LOGFMT_CONT) - 1);
                        o += sizeof(LOGFMT_CONT) - 1;
                }
                memcpy(o, a->tail, a->tail_len);
                o += a->tail_len;
                *o++ = '\n';
                out->len = (size_t)(o - out->p);
                pos += adv;
        }
        return pos;
}
