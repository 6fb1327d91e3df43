/* supervisor/logring.h — the last lines of a service, in memory.
 *
 * A byte ring of records [header][bytes]; pushing evicts the oldest
 * lines past max_lines or max_bytes. A line longer than a quarter of the
 * ring is kept truncated to that. The header keeps the line's stream tag,
 * when it arrived and a sequence number shared by every ring of the
 * process, so that the rings of several services merge back into the
 * order their lines came in (`supctl logs -f` with no name). */
#ifndef SUP_SUPERVISOR_LOGRING_H
#define SUP_SUPERVISOR_LOGRING_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct logring {
        char *buf;
        size_t cap, head, used;         /* bytes; head = oldest record */
        unsigned lines, max_lines;
};

int logring_init(struct logring *r, size_t max_bytes, unsigned max_lines);
void logring_free(struct logring *r);
void logring_push(struct logring *r, const char *line, size_t len);
void logring_clear(struct logring *r);

/* Push every '\n'-ended line of data[0..len) (a last unterminated piece
 * counts as a line); only the lines that would survive are copied. */
void logring_push_lines(struct logring *r, const char *data, size_t len);
/* The same, each line tagged (0 stdout, 1 stderr for the log router). */
void logring_push_lines_tagged(struct logring *r, const char *data, size_t len, unsigned tag);

/* The last n lines (all when n == 0 or n > lines), oldest first. */
typedef void (*logring_fn)(const char *line, size_t len, void *ctx);
void logring_tail(const struct logring *r, unsigned n, logring_fn emit, void *ctx);

/* The last n lines with what the header knows of them, oldest first. */
struct logring_line {
        const char *line;
        size_t len;
        unsigned tag;
        uint64_t seq;                   /* order across every ring */
        struct timespec when;           /* CLOCK_REALTIME at the push */
};
typedef void (*logring_rec_fn)(const struct logring_line *l, void *ctx);
void logring_tail_lines(const struct logring *r, unsigned n, logring_rec_fn emit, void *ctx);

#endif
