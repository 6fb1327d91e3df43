/* supervisor/logring.h — the last lines of a service, in memory.
 *
 * A byte ring of records [u32 length][bytes]; pushing evicts the oldest
 * lines past max_lines or max_bytes. A line longer than a quarter of the
 * ring is kept truncated to that. */
#ifndef SUP_SUPERVISOR_LOGRING_H
#define SUP_SUPERVISOR_LOGRING_H

#include <stddef.h>
#include <stdint.h>

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

/* The last n lines (all when n == 0 or n > lines), oldest first. */
typedef void (*logring_fn)(const char *line, size_t len, void *ctx);
void logring_tail(const struct logring *r, unsigned n, logring_fn emit, void *ctx);

#endif
