/* The in-memory ring of recent lines. */
#include "check.h"

#include "supervisor/logring.h"

static char got[4096];
static void collect(const char *line, size_t len, void *ctx)
{
        (void)ctx;
        strncat(got, line, len);
        strcat(got, "|");
}

TEST(keeps_last_lines_in_order)
{
        struct logring r;

        CHECK(logring_init(&r, 1024, 3) == 0);
        logring_push(&r, "a", 1);
        logring_push(&r, "b", 1);
        logring_push(&r, "c", 1);
        logring_push(&r, "d", 1);
        got[0] = 0;
        logring_tail(&r, 0, collect, NULL);
        CHECK_STR(got, "b|c|d|");
        got[0] = 0;
        logring_tail(&r, 2, collect, NULL);
        CHECK_STR(got, "c|d|");
        logring_free(&r);
}

TEST(wraps_by_bytes)
{
        struct logring r;
        char line[40];

        CHECK(logring_init(&r, 480, 100) == 0);
        for (int i = 0; i < 50; i++) {
                int n = snprintf(line, sizeof(line), "line-%02d-xxxxxxxx", i);
                logring_push(&r, line, (size_t)n);
        }
        got[0] = 0;
        logring_tail(&r, 0, collect, NULL);
        CHECK(r.used <= 480);
        CHECK(strstr(got, "line-49-xxxxxxxx|") != NULL);
        CHECK(strstr(got, "line-39") == NULL);
        CHECK_INT(r.lines, 10);         /* 10 × (32-byte header + 16) = 480 bytes */
        logring_free(&r);
}

TEST(push_lines_takes_only_survivors)
{
        struct logring r;
        const char *data = "1\n2\n3\n4\n5\nrest";

        CHECK(logring_init(&r, 1024, 3) == 0);
        logring_push_lines(&r, data, strlen(data));
        got[0] = 0;
        logring_tail(&r, 0, collect, NULL);
        CHECK_STR(got, "4|5|rest|");
        logring_push_lines(&r, "\n\n", 2);
        got[0] = 0;
        logring_tail(&r, 0, collect, NULL);
        CHECK_STR(got, "rest|||");
        logring_free(&r);
}

TEST(long_line_truncated)
{
        struct logring r;
        char big[600];

        memset(big, 'z', sizeof(big));
        CHECK(logring_init(&r, 1024, 10) == 0);
        logring_push(&r, big, sizeof(big));
        CHECK_INT(r.lines, 1);
        CHECK_INT(r.used, 256);
        logring_free(&r);
}

static uint64_t seqs[8];
static unsigned tags[8], nrec;
static void collect_rec(const struct logring_line *l, void *ctx)
{
        (void)ctx;
        if (nrec < 8) {
                seqs[nrec] = l->seq;
                tags[nrec++] = l->tag;
        }
        strncat(got, l->line, l->len);
        strcat(got, "|");
}

/* Two rings pushed in turn: their sequence numbers give the turns back. */
TEST(sequence_orders_lines_across_rings)
{
        struct logring a, b;

        CHECK(logring_init(&a, 1024, 10) == 0);
        CHECK(logring_init(&b, 1024, 10) == 0);
        logring_push_lines_tagged(&a, "a1\n", 3, 0);
        logring_push_lines_tagged(&b, "b2\n", 3, 1);
        logring_push_lines_tagged(&a, "a3\n", 3, 1);
        got[0] = 0;
        nrec = 0;
        logring_tail_lines(&a, 0, collect_rec, NULL);
        logring_tail_lines(&b, 0, collect_rec, NULL);
        CHECK_STR(got, "a1|a3|b2|");
        CHECK(seqs[0] < seqs[2] && seqs[2] < seqs[1]);
        CHECK_INT(tags[0], 0);
        CHECK_INT(tags[1], 1);
        CHECK_INT(tags[2], 1);
        logring_free(&a);
        logring_free(&b);
}

int main(int argc, char **argv) { return check_main(argc, argv); }
