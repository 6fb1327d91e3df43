/* supervisor/ctlproto.c — parse and format the "sup1" control protocol. */
#include "supervisor/ctlproto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- buffer ---- */

void ctl_buf_init(struct ctl_buf *b, size_t limit)
{
        memset(b, 0, sizeof(*b));
        b->limit = limit;
}

void ctl_buf_free(struct ctl_buf *b)
{
        free(b->data);
        b->data = NULL;
        b->len = b->cap = 0;
}

static int buf_reserve(struct ctl_buf *b, size_t need)
{
        size_t cap;
        char *p;

        if (need <= b->cap)
                return 0;
        cap = b->cap ? b->cap : 256;
        while (cap < need)
                cap *= 2;
        if (cap > b->limit)
                cap = b->limit;
        p = realloc(b->data, cap);
        if (!p)
                return -1;
        b->data = p;
        b->cap = cap;
        return 0;
}

/* Append within `limit` bytes of total size. */
static int buf_add_within(struct ctl_buf *b, const void *p, size_t n, size_t limit)
{
        if (n > limit || b->len > limit - n || buf_reserve(b, b->len + n) < 0) {
                b->full = true;
                return -1;
        }
        if (n)
                memcpy(b->data + b->len, p, n);
        b->len += n;
        return 0;
}

int ctl_buf_add(struct ctl_buf *b, const void *p, size_t n)
{
        return buf_add_within(b, p, n, b->limit);
}

int ctl_buf_printf(struct ctl_buf *b, const char *fmt, ...)
{
        char small[512], *big = NULL;
        va_list ap;
        int n, rc;

        va_start(ap, fmt);
        n = vsnprintf(small, sizeof(small), fmt, ap);
        va_end(ap);
        if (n < 0)
                return -1;
        if ((size_t)n < sizeof(small))
                return ctl_buf_add(b, small, (size_t)n);
        big = malloc((size_t)n + 1);
        if (!big) {
                b->full = true;
                return -1;
        }
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
        rc = ctl_buf_add(b, big, (size_t)n);
        free(big);
        return rc;
}

void ctl_buf_consume(struct ctl_buf *b, size_t n)
{
        if (n >= b->len) {
                b->len = 0;
                return;
        }
        memmove(b->data, b->data + n, b->len - n);
        b->len -= n;
}

/* ---- requests ---- */

static bool tok_plain(unsigned char c)
{
        return c > 0x20 && c < 0x7f && c != '%';
}

ssize_t ctl_escape(const char *tok, char *out, size_t outlen)
{
        static const char hex[] = "0123456789ABCDEF";
        size_t o = 0;

        for (const unsigned char *p = (const unsigned char *)tok; *p; p++) {
                size_t need = tok_plain(*p) ? 1 : 3;

                if (o + need >= outlen)
                        return -1;
                if (need == 1) {
                        out[o++] = (char)*p;
                } else {
                        out[o++] = '%';
                        out[o++] = hex[*p >> 4];
                        out[o++] = hex[*p & 15];
                }
        }
        if (o >= outlen)
                return -1;
        out[o] = '\0';
        return (ssize_t)o;
}

static bool verb_ok(const char *v)
{
        size_t n = strlen(v);

        if (n == 0 || n >= CTL_VERB_MAX)
                return false;
        for (; *v; v++)
                if (!((*v >= 'a' && *v <= 'z') || *v == '-'))
                        return false;
        return true;
}

ssize_t ctl_format_request(char *out, size_t outlen, const char *verb, int argc,
                           char *const argv[], struct sup_err *err)
{
        size_t o;
        ssize_t n;

        if (!verb_ok(verb))
                return sup_fail(err, 0, "bad verb \"%s\"", verb);
        if (argc < 0 || argc > CTL_ARGS_MAX)
                return sup_fail(err, 0, "too many arguments (at most %d)", CTL_ARGS_MAX);
        if (outlen > CTL_REQ_MAX + 1)
                outlen = CTL_REQ_MAX + 1;       /* the line with '\n', plus the NUL */
        n = snprintf(out, outlen, "%s %s", CTL_VERSION, verb);
        if (n < 0 || (size_t)n >= outlen)
                return sup_fail(err, 0, "request too long");
        o = (size_t)n;
        for (int i = 0; i < argc; i++) {
                if (o + 1 >= outlen)
                        return sup_fail(err, 0, "request too long (at most %d bytes)", CTL_REQ_MAX);
                out[o++] = ' ';
                n = ctl_escape(argv[i], out + o, outlen - o);
                if (n < 0)
                        return sup_fail(err, 0, "request too long (at most %d bytes)", CTL_REQ_MAX);
                o += (size_t)n;
        }
        if (o + 1 >= outlen)
                return sup_fail(err, 0, "request too long (at most %d bytes)", CTL_REQ_MAX);
        out[o++] = '\n';
        out[o] = '\0';
        return (ssize_t)o;
}

static int hexval(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* Unescape the token line[0..n) into *dst (NUL-terminated). */
static int tok_unescape(const char *line, size_t n, char **dst, struct sup_err *err)
{
        char *o = *dst;

        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char)line[i];

                if (c == '%') {
                        int hi, lo;

                        if (i + 2 >= n)
                                return sup_fail(err, 0, "bad escape at end of token");
                        hi = hexval(line[i + 1]);
                        lo = hexval(line[i + 2]);
                        if (hi < 0 || lo < 0)
                                return sup_fail(err, 0, "bad escape \"%%%c%c\"",
                                                tok_plain((unsigned char)line[i + 1]) ? line[i + 1] : '?',
                                                tok_plain((unsigned char)line[i + 2]) ? line[i + 2] : '?');
                        if (hi == 0 && lo == 0)
                                return sup_fail(err, 0, "%%00 is not allowed in a token");
                        *o++ = (char)(hi << 4 | lo);
                        i += 2;
                } else if (!tok_plain(c)) {
                        return sup_fail(err, 0, "byte 0x%02x must be escaped", c);
                } else {
                        *o++ = (char)c;
                }
        }
        *o++ = '\0';
        *dst = o;
        return 0;
}

/* Parse one complete line (without '\n'). */
static int parse_line(const char *line, size_t n, struct ctl_request *req, struct sup_err *err)
{
        size_t vlen = strlen(CTL_VERSION), i, start;
        char *st = req->store;
        int tok = 0;

        memset(req->verb, 0, sizeof(req->verb));
        req->argc = 0;
        req->argv[0] = NULL;
        if (n < vlen || memcmp(line, CTL_VERSION, vlen) != 0 || (n > vlen && line[vlen] != ' '))
                return sup_fail(err, 0, "not a %s request (protocol version mismatch?)", CTL_VERSION);
        if (n == vlen)
                return sup_fail(err, 0, "missing verb");
        for (i = vlen + 1, start = i; i <= n; i++) {
                if (i < n && line[i] != ' ')
                        continue;
                if (i == start)
                        return sup_fail(err, 0, "empty token (two spaces, or a trailing space)");
                if (tok == 0) {
                        char *v = st;

                        if (tok_unescape(line + start, i - start, &st, err) < 0)
                                return sup_wrap(err, "verb");
                        if (!verb_ok(v))
                                return sup_fail(err, 0, "bad verb");
                        strcpy(req->verb, v);
                } else {
                        if (req->argc >= CTL_ARGS_MAX)
                                return sup_fail(err, 0, "too many arguments (at most %d)", CTL_ARGS_MAX);
                        req->argv[req->argc] = st;
                        if (tok_unescape(line + start, i - start, &st, err) < 0)
                                return sup_wrap(err, "argument %d", req->argc + 1);
                        req->argc++;
                }
                tok++;
                start = i + 1;
        }
        req->argv[req->argc] = NULL;
        return 0;
}

ssize_t ctl_parse_request(const char *buf, size_t len, bool eof, struct ctl_request *req,
                          struct sup_err *err)
{
        const char *nl = memchr(buf, '\n', len < CTL_REQ_MAX ? len : CTL_REQ_MAX);

        if (!nl) {
                if (len >= CTL_REQ_MAX)
                        return sup_fail(err, 0, "request too long (at most %d bytes)", CTL_REQ_MAX);
                if (eof)
                        return sup_fail(err, 0, len ? "incomplete request (no newline before end of input)"
                                                    : "empty request");
                return 0;
        }
        if (parse_line(buf, (size_t)(nl - buf), req, err) < 0)
                return -1;
        return nl - buf + 1;
}

/* ---- replies ---- */

static const char *const stream_tag[] = { [CTL_OUT] = "out ", [CTL_ERR] = "err ", [CTL_DONE] = "done " };

int ctl_reply(struct ctl_buf *b, enum ctl_stream st, const char *text, size_t len)
{
        size_t keep = b->limit > CTL_BUF_RESERVE ? b->limit - CTL_BUF_RESERVE : 0;
        size_t start = b->len;

        if (st == CTL_DONE)
                return -1;
        if (buf_add_within(b, stream_tag[st], 4, keep) < 0 ||
            buf_add_within(b, text, len, keep) < 0 ||
            buf_add_within(b, "\n", 1, keep) < 0) {
                b->len = start;
                b->full = true;
                return -1;
        }
        for (size_t i = start + 4; i < b->len - 1; i++)
                if (b->data[i] == '\n')
                        b->data[i] = ' ';
        return 0;
}

int ctl_vreplyf(struct ctl_buf *b, enum ctl_stream st, const char *fmt, va_list ap)
{
        char line[1024];
        int n = vsnprintf(line, sizeof(line), fmt, ap);

        if (n < 0)
                return -1;
        if ((size_t)n >= sizeof(line))
                n = sizeof(line) - 1;   /* messages are short; a long one is cut */
        return ctl_reply(b, st, line, (size_t)n);
}

int ctl_replyf(struct ctl_buf *b, enum ctl_stream st, const char *fmt, ...)
{
        va_list ap;
        int rc;

        va_start(ap, fmt);
        rc = ctl_vreplyf(b, st, fmt, ap);
        va_end(ap);
        return rc;
}

int ctl_reply_done(struct ctl_buf *b, int code)
{
        char line[32];
        int n = snprintf(line, sizeof(line), "done %d\n", code & 255);

        return buf_add_within(b, line, (size_t)n, b->limit);
}

int ctl_parse_reply(const char *line, size_t len, enum ctl_stream *st, const char **text,
                    size_t *tlen, int *code)
{
        if (len >= 4 && (memcmp(line, "out ", 4) == 0 || memcmp(line, "err ", 4) == 0)) {
                *st = line[0] == 'o' ? CTL_OUT : CTL_ERR;
                *text = line + 4;
                *tlen = len - 4;
                return 0;
        }
        if (len > 5 && len <= 8 && memcmp(line, "done ", 5) == 0) {
                int c = 0;

                for (size_t i = 5; i < len; i++) {
                        if (line[i] < '0' || line[i] > '9')
                                return -1;
                        c = c * 10 + (line[i] - '0');
                }
                if (c > 255)
                        return -1;
                *st = CTL_DONE;
                *code = c;
                return 0;
        }
        return -1;
}

/* ---- JSON strings (status --json, its errors, supctl's errors) ---- */

/* Length of the valid UTF-8 sequence at p (1..4), or 0 when invalid:
 * overlong forms, surrogates and values above U+10FFFF are invalid. */
static size_t utf8_len(const unsigned char *p, size_t avail)
{
        unsigned cp;
        size_t n;

        if (p[0] < 0x80)
                return 1;
        if (p[0] >= 0xc2 && p[0] <= 0xdf)
                n = 2, cp = p[0] & 0x1f;
        else if (p[0] >= 0xe0 && p[0] <= 0xef)
                n = 3, cp = p[0] & 0x0f;
        else if (p[0] >= 0xf0 && p[0] <= 0xf4)
                n = 4, cp = p[0] & 0x07;
        else
                return 0;
        if (n > avail)
                return 0;
        for (size_t i = 1; i < n; i++) {
                if ((p[i] & 0xc0) != 0x80)
                        return 0;
                cp = cp << 6 | (p[i] & 0x3f);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
                return 0;
        return n;
}

int ctl_json_string(struct ctl_buf *out, const char *s, size_t len)
{
        const unsigned char *p = (const unsigned char *)s;
        int rc = ctl_buf_add(out, "\"", 1);

        for (size_t i = 0; i < len && rc == 0;) {
                unsigned char c = p[i];
                size_t n;

                if (c == '"' || c == '\\') {
                        char esc[2] = { '\\', (char)c };
                        rc = ctl_buf_add(out, esc, 2);
                        i++;
                } else if (c < 0x20 || c == 0x7f) {
                        const char *named = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r"
                                          : c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;
                        rc = named ? ctl_buf_add(out, named, 2) : ctl_buf_printf(out, "\\u%04x", c);
                        i++;
                } else if ((n = utf8_len(p + i, len - i)) > 0) {
                        rc = ctl_buf_add(out, p + i, n);
                        i += n;
                } else {
                        rc = ctl_buf_add(out, "\\ufffd", 6);
                        i++;
                }
        }
        return rc < 0 ? -1 : ctl_buf_add(out, "\"", 1);
}
