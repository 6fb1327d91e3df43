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

        CHECK(logring_init(&r, 128, 100) == 0);
        for (int i = 0; i < 50; i++) {
                int n = snprintf(line, sizeof(line), "line-%02d-xxxxxxxx", i);
                logring_push(&r, line, (size_t)n);
        }
        got[0] = 0;
        logring_tail(&r, 0, collect, NULL);
        CHECK(r.used <= 128);
        CHECK(strstr(got, "line-49-xxxxxxxx|") != NULL);
        CHECK(strstr(got, "line-40") == NULL);
        CHECK_INT(r.lines, 6);          /* 6 × (4 + 16) = 120 bytes */
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

int main(int argc, char **argv) { return check_main(argc, argv); }
