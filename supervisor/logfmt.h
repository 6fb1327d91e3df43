/* supervisor/logfmt.h — console line formatting for the log router.
 *
 * A format such as "{time} {name}[{stream}] {line}" is split at {line}
 * into the text before it (head) and after it (tail); per service stream
 * both are expanded once ({name}, {stream}) and again per batch only when
 * {time} is used. Fields: {name} {line} {time} (RFC 3339 UTC with
 * milliseconds) {stream} (stdout|stderr). Other braces are literal text;
 * an unknown {word} is an error. Without {line} the line goes at the end.
 *
 * Lines: a line longer than LOGFMT_MAX_LINE bytes is cut into pieces of at
 * most that size (at a UTF-8 character boundary when one is near); every
 * piece but the last ends with LOGFMT_CONT. Bytes are copied as they are. */
#ifndef SUP_SUPERVISOR_LOGFMT_H
#define SUP_SUPERVISOR_LOGFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "common/err.h"

#define LOGFMT_MAX_LINE 16384
#define LOGFMT_CONT " [continued]"
#define LOGFMT_TIME_LEN 24      /* "2026-11-29T01:52:25.123Z" */

struct logfmt;

int logfmt_parse(const char *fmt, struct logfmt **out, struct sup_err *err);
void logfmt_free(struct logfmt *f);
bool logfmt_has_time(const struct logfmt *f);
/* True when the format is exactly "{line}": lines pass unchanged. */
bool logfmt_is_plain(const struct logfmt *f);

/* The expanded text around {line} for one stream. */
struct logfmt_affix {
        char *head, *tail;
        size_t head_len, tail_len;
};

/* (Re)build a's head and tail; time may be NULL when the format has none. */
int logfmt_affix_set(const struct logfmt *f, const char *name, const char *stream,
                     const char *time, struct logfmt_affix *a);
void logfmt_affix_free(struct logfmt_affix *a);

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" + NUL into out. */
void logfmt_time(const struct timespec *ts, char out[LOGFMT_TIME_LEN + 1]);

/* A growable byte buffer. */
struct logbuf {
        char *p;
        size_t len, cap;
};
int logbuf_reserve(struct logbuf *b, size_t more);
void logbuf_free(struct logbuf *b);

/* Calls emit for each line (or piece) of data[0..len) that is complete:
 * ended by '\n', or a LOGFMT_MAX_LINE piece of a longer line, or — when
 * final — the unterminated rest. Returns the bytes consumed; the caller
 * keeps data[ret..len) (at most LOGFMT_MAX_LINE bytes) as the partial line for the next call. emit gets the line without '\n'
 * and cont = true for a piece that continues in the next one. */
typedef void (*logfmt_line_fn)(const char *line, size_t len, bool cont, void *ctx);
size_t logfmt_split(const char *data, size_t len, bool final, logfmt_line_fn emit, void *ctx);

/* What logfmt_split would consume, without looking at each line. */
size_t logfmt_complete(const char *data, size_t len, bool final);

/* logfmt_split + formatting: appends head line [LOGFMT_CONT] tail '\n' for
 * each line to out. Returns the bytes consumed, or (size_t)-1 when out of
 * memory (out is then unchanged beyond its previous length). */
size_t logfmt_lines(const struct logfmt_affix *a, const char *data, size_t len, bool final,
                    struct logbuf *out);

#endif
