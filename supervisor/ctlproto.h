/* supervisor/ctlproto.h — the supctl ⇄ supd wire protocol, version "sup1".
 *
 * Pure: bytes in, bytes out; no sockets here (control.c and cmd/supctl.c
 * own those). The full description for operators is docs/protocol.md.
 *
 * Request, one line, at most CTL_REQ_MAX bytes with its '\n':
 *
 *      sup1 VERB [ARG...]\n
 *
 * tokens separated by one space; in each token every byte outside
 * 0x21..0x7e, and '%' itself, is written %XX (two hex digits). %00 is
 * refused. At most CTL_ARGS_MAX arguments.
 *
 * Reply, any number of lines then exactly one final line:
 *
 *      out TEXT\n      a line for the client's stdout
 *      err TEXT\n      a line for the client's stderr
 *      done CODE\n     the end; CODE is supctl's exit status (0..255)
 *
 * TEXT is raw bytes without '\n'. After "done" the server closes. */
#ifndef SUP_SUPERVISOR_CTLPROTO_H
#define SUP_SUPERVISOR_CTLPROTO_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/err.h"

#define CTL_VERSION "sup1"
#define CTL_REQ_MAX 8192                /* bytes, '\n' included */
#define CTL_ARGS_MAX 256
#define CTL_VERB_MAX 32

/* supctl exit codes (supervisorctl/LSB). */
enum {
        CTL_EXIT_OK = 0,
        CTL_EXIT_FAILED = 1,            /* an action failed (reload: bad config) */
        CTL_EXIT_USAGE = 2,
        CTL_EXIT_NOT_RUNNING = 3,       /* some listed service is not up */
        CTL_EXIT_UNKNOWN = 4,           /* unknown name, no connection, refused */
};

/* A bounded, growable byte buffer. Ordinary appends keep CTL_BUF_RESERVE
 * bytes free so the final "done" line always fits. */
#define CTL_BUF_RESERVE 64

struct ctl_buf {
        char *data;
        size_t len, cap;
        size_t limit;           /* never holds more than this */
        bool full;              /* an append was refused since the last reset */
};

void ctl_buf_init(struct ctl_buf *b, size_t limit);
void ctl_buf_free(struct ctl_buf *b);
/* Append all of p or nothing (then full = true). 0 or -1. */
int ctl_buf_add(struct ctl_buf *b, const void *p, size_t n);
int ctl_buf_printf(struct ctl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Drop the first n bytes (they were written out). */
void ctl_buf_consume(struct ctl_buf *b, size_t n);
/* A JSON string literal for bytes s[0..len): quotes, escapes for '"', '\\'
 * and control characters, valid UTF-8 passed through, invalid bytes as
 * \ufffd. Returns 0 or -1 (buffer full). */
int ctl_json_string(struct ctl_buf *out, const char *s, size_t len);

/* ---- requests ---- */

struct ctl_request {
        char verb[CTL_VERB_MAX];
        int argc;
        char *argv[CTL_ARGS_MAX + 1];   /* NULL-terminated, point into store */
        char store[CTL_REQ_MAX];
};

/* Escape one token into out (NUL-terminated). Returns the escaped length,
 * or -1 when it does not fit. */
ssize_t ctl_escape(const char *tok, char *out, size_t outlen);

/* The request line for VERB ARGS, '\n' included, NUL-terminated. Returns
 * its length or -1 with err (too long, too many arguments, bad verb). */
ssize_t ctl_format_request(char *out, size_t outlen, const char *verb, int argc,
                           char *const argv[], struct sup_err *err);

/* Look for one request at the start of buf[0..len). Returns the bytes it
 * used (> 0), 0 when the line is not complete yet (and may still be), or -1
 * with err when it is malformed, oversized, or incomplete at eof. */
ssize_t ctl_parse_request(const char *buf, size_t len, bool eof, struct ctl_request *req,
                          struct sup_err *err);

/* ---- replies ---- */

enum ctl_stream { CTL_OUT, CTL_ERR, CTL_DONE };

/* Append one "out" or "err" line (a '\n' inside text ends nothing: it is
 * written as a space). All or nothing: -1 when the buffer is full. */
int ctl_reply(struct ctl_buf *b, enum ctl_stream st, const char *text, size_t len);
int ctl_replyf(struct ctl_buf *b, enum ctl_stream st, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
int ctl_vreplyf(struct ctl_buf *b, enum ctl_stream st, const char *fmt, va_list ap);
/* The final line; uses the reserve, so it fits whenever the buffer was
 * only filled through ctl_reply*(). */
int ctl_reply_done(struct ctl_buf *b, int code);

/* Client side: classify one reply line (without its '\n'). For out/err,
 * *text and *tlen are the payload; for done, *code. -1 when malformed. */
int ctl_parse_reply(const char *line, size_t len, enum ctl_stream *st, const char **text,
                    size_t *tlen, int *code);

#endif
