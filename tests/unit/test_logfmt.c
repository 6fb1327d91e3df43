/* Console line formatting: fields, partial and long lines, bytes as-is. */
#include "check.h"

#include "supervisor/logfmt.h"

static char *fmt_all(const char *format, const char *data, size_t len, bool final, size_t *done)
{
        struct logfmt *f;
        struct logfmt_affix a = { 0 };
        struct logbuf out = { 0 };
        struct sup_err err;

        if (logfmt_parse(format, &f, &err) < 0)
                return NULL;
        logfmt_affix_set(f, "web", "stderr", "T", &a);
        *done = logfmt_lines(&a, data, len, final, &out);
        logbuf_reserve(&out, 1);
        out.p[out.len] = '\0';
        logfmt_affix_free(&a);
        logfmt_free(f);
        return out.p;
}

TEST(default_format_prefixes_name)
{
        size_t done;
        char *s = fmt_all(NULL, "a\nbc\n", 5, false, &done);

        CHECK_STR(s, "web | a\nweb | bc\n");
        CHECK_INT(done, 5);
        free(s);
}

TEST(all_fields_expand)
{
        size_t done;
        char *s = fmt_all("{time} {name}[{stream}]: {line} <{name}>", "x\n", 2, false, &done);

        CHECK_STR(s, "T web[stderr]: x <web>\n");
        free(s);
}

TEST(plain_format_and_literal_braces)
{
        struct logfmt *f;
        struct sup_err err;
        size_t done;
        char *s;

        CHECK(logfmt_parse("{line}", &f, &err) == 0);
        CHECK(logfmt_is_plain(f));
        CHECK(!logfmt_has_time(f));
        logfmt_free(f);
        s = fmt_all("{\"svc\": \"{name}\"} {line}", "x\n", 2, false, &done);
        CHECK_STR(s, "{\"svc\": \"web\"} x\n");
        free(s);
}

TEST(unknown_field_is_an_error)
{
        struct logfmt *f;
        struct sup_err err;

        CHECK(logfmt_parse("{nmae} {line}", &f, &err) == -1);
        CHECK(strstr(err.msg, "{nmae}") != NULL);
}

TEST(line_appended_when_format_lacks_it)
{
        size_t done;
        char *s = fmt_all("[{name}] ", "x\n", 2, false, &done);

        CHECK_STR(s, "[web] x\n");
        free(s);
}

TEST(partial_line_is_kept_until_final)
{
        size_t done;
        char *s = fmt_all(NULL, "a\npart", 6, false, &done);

        CHECK_STR(s, "web | a\n");
        CHECK_INT(done, 2);
        free(s);
        s = fmt_all(NULL, "part", 4, true, &done);
        CHECK_STR(s, "web | part\n");
        CHECK_INT(done, 4);
        free(s);
        CHECK_INT(logfmt_complete("a\npart", 6, false), 2);
        CHECK_INT(logfmt_complete("a\npart", 6, true), 6);
}

TEST(long_line_is_cut_and_marked)
{
        size_t len = LOGFMT_MAX_LINE * 2 + 10, done;
        char *in = malloc(len + 1), *s, *nl;

        memset(in, 'x', len);
        in[len] = '\n';
        s = fmt_all("{line}", in, len + 1, false, &done);
        CHECK_INT(done, len + 1);
        nl = strchr(s, '\n');
        CHECK(nl && (size_t)(nl - s) == LOGFMT_MAX_LINE + strlen(LOGFMT_CONT));
        CHECK(nl && memcmp(nl - strlen(LOGFMT_CONT), LOGFMT_CONT, strlen(LOGFMT_CONT)) == 0);
        CHECK_INT(strlen(s), len + 3 + 2 * strlen(LOGFMT_CONT));
        free(s);
        /* Unterminated: whole pieces go, at most one piece stays. */
        CHECK_INT(logfmt_complete(in, len, false), 2 * LOGFMT_MAX_LINE);
        s = fmt_all("{line}", in, len, false, &done);
        CHECK_INT(done, 2 * LOGFMT_MAX_LINE);
        free(s);
        free(in);
}

TEST(cut_keeps_utf8_sequences_whole)
{
        size_t len = LOGFMT_MAX_LINE + 100, done;
        char *in = malloc(len + 1), *s;

        memset(in, 'x', len);
        memcpy(in + LOGFMT_MAX_LINE - 1, "\xe2\x82\xac", 3);   /* € straddles the bound */
        in[len] = '\n';
        s = fmt_all("{line}", in, len + 1, false, &done);
        CHECK(memcmp(s + LOGFMT_MAX_LINE - 1, LOGFMT_CONT, strlen(LOGFMT_CONT)) == 0);
        CHECK(strstr(s, "\n\xe2\x82\xac") != NULL);
        free(s);
        free(in);
}

TEST(bytes_pass_unchanged)
{
        size_t done;
        char in[] = "\xff\xfe\x01\t\r\n";
        char *s = fmt_all("{line}", in, sizeof(in) - 1, false, &done);

        CHECK(memcmp(s, in, sizeof(in) - 1) == 0);
        free(s);
}

TEST(time_is_rfc3339_utc_millis)
{
        struct timespec ts = { .tv_sec = 1700000000, .tv_nsec = 123456789 };
        char t[LOGFMT_TIME_LEN + 1];

        logfmt_time(&ts, t);
        CHECK_STR(t, "2023-11-14T22:13:20.123Z");
}

static int nlines;
static void count(const char *l, size_t n, bool cont, void *ctx) { (void)l; (void)n; (void)cont; (void)ctx; nlines++; }

TEST(split_empty_lines)
{
        nlines = 0;
        CHECK_INT(logfmt_split("\n\n\n", 3, false, count, NULL), 3);
        CHECK_INT(nlines, 3);
}

int main(int argc, char **argv) { return check_main(argc, argv); }
