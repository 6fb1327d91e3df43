/* supervisor/logring.c — ring of recent lines for `supctl logs`. */
#include "supervisor/logring.h"

#include <stdlib.h>
#include <string.h>

/* Every record's header. */
struct rec_hdr {
        uint32_t len;
        uint32_t tag;
        uint64_t seq;
        struct timespec when;
};
#define HDR sizeof(struct rec_hdr)

static uint64_t next_seq;               /* shared: one order across rings */

int logring_init(struct logring *r, size_t max_bytes, unsigned max_lines)
{
        memset(r, 0, sizeof(*r));
        r->buf = malloc(max_bytes);
        if (!r->buf)
                return -1;
        r->cap = max_bytes;
        r->max_lines = max_lines;
        return 0;
}

void logring_free(struct logring *r)
{
        free(r->buf);
        memset(r, 0, sizeof(*r));
}

/* `supctl clear`: forget every line, keep the buffer. */
void logring_clear(struct logring *r)
{
        r->head = r->used = 0;
        r->lines = 0;
}

/* Copy in/out across the wrap. */
static void ring_put(struct logring *r, size_t at, const void *src, size_t n)
{
        size_t first;

        at %= r->cap;
        first = r->cap - at < n ? r->cap - at : n;
        memcpy(r->buf + at, src, first);
        memcpy(r->buf, (const char *)src + first, n - first);
}

static void ring_get(const struct logring *r, size_t at, void *dst, size_t n)
{
        size_t first;

        at %= r->cap;
        first = r->cap - at < n ? r->cap - at : n;
        memcpy(dst, r->buf + at, first);
        memcpy((char *)dst + first, r->buf, n - first);
}

static void evict_oldest(struct logring *r)
{
        struct rec_hdr h;

        ring_get(r, r->head, &h, HDR);
        r->head = (r->head + HDR + h.len) % r->cap;
        r->used -= HDR + h.len;
        r->lines--;
}

/* h carries the tag and time; its length and sequence are set here. */
static void push_rec(struct logring *r, const char *line, size_t len, struct rec_hdr h)
{
        if (!r->buf)
                return;
        if (len > r->cap / 4 - HDR)
                len = r->cap / 4 - HDR;
        while (r->lines > 0 && (r->used + HDR + len > r->cap || r->lines >= r->max_lines))
                evict_oldest(r);
        h.len = (uint32_t)len;
        h.seq = next_seq++;
        ring_put(r, r->head + r->used, &h, HDR);
        ring_put(r, r->head + r->used + HDR, line, len);
        r->used += HDR + len;
        r->lines++;
}

static struct rec_hdr hdr_now(unsigned tag)
{
        struct rec_hdr h = { .tag = tag };

        clock_gettime(CLOCK_REALTIME, &h.when);
        return h;
}

void logring_push(struct logring *r, const char *line, size_t len)
{
        push_rec(r, line, len, hdr_now(0));
}

void logring_push_lines(struct logring *r, const char *data, size_t len)
{
        logring_push_lines_tagged(r, data, len, 0);
}

void logring_push_lines_tagged(struct logring *r, const char *data, size_t len, unsigned tag)
{
        struct rec_hdr h;

        size_t start = len, kept_bytes = 0;
        unsigned kept = 0;
        const char *p;

        if (!r->buf || len == 0)
                return;
        /* Walk back from the end to the first line that will survive. */
        if (data[len - 1] == '\n')
                start = len - 1;
        while (start > 0 && kept < r->max_lines && kept_bytes < r->cap) {
                p = memrchr(data, '\n', start);
                size_t from = p ? (size_t)(p - data) + 1 : 0;
                kept_bytes += start - from + HDR;
                kept++;
                start = p ? from - 1 : 0;
                if (!p)
                        break;
        }
        if (start > 0)
                start++;        /* skip the '\n' we stopped on */
        h = hdr_now(tag);
        for (size_t pos = start; pos < len;) {
                const char *nl = memchr(data + pos, '\n', len - pos);
                size_t l = nl ? (size_t)(nl - (data + pos)) : len - pos;

                push_rec(r, data + pos, l, h);
                pos += l + 1;
        }
}

void logring_tail_lines(const struct logring *r, unsigned n, logring_rec_fn emit, void *ctx)
{
        size_t at = r->head;
        unsigned skip = (n == 0 || n >= r->lines) ? 0 : r->lines - n;
        char *line = r->buf ? malloc(r->cap) : NULL;

        if (!line)
                return;
        for (unsigned i = 0; i < r->lines; i++) {
                struct rec_hdr h;

                ring_get(r, at, &h, HDR);
                if (i >= skip) {
                        struct logring_line l = { line, h.len, h.tag, h.seq, h.when };

                        ring_get(r, at + HDR, line, h.len);
                        emit(&l, ctx);
                }
                at = (at + HDR + h.len) % r->cap;
        }
        free(line);
}

struct plain_ctx {
        logring_fn emit;
        void *ctx;
};

static void plain_emit(const struct logring_line *l, void *ctx)
{
        const struct plain_ctx *p = ctx;

        p->emit(l->line, l->len, p->ctx);
}

void logring_tail(const struct logring *r, unsigned n, logring_fn emit, void *ctx)
{
        struct plain_ctx p = { emit, ctx };

        logring_tail_lines(r, n, plain_emit, &p);
}
