/* Unit tests of supervisor/ctlproto.c: the "sup1" request and reply lines. */
#include <string.h>

#include "supervisor/ctlproto.h"
#include "tests/unit/check.h"

static struct ctl_request req;
static struct sup_err err;

static ssize_t parse(const char *s, bool eof)
{
        memset(&err, 0, sizeof(err));
        return ctl_parse_request(s, strlen(s), eof, &req, &err);
}

TEST(parses_verb_and_arguments)
{
        CHECK_INT(parse("sup1 status --json web db\n", false), 26);
        CHECK_STR(req.verb, "status");
        CHECK_INT(req.argc, 3);
        CHECK_STR(req.argv[0], "--json");
        CHECK_STR(req.argv[1], "web");
        CHECK_STR(req.argv[2], "db");
        CHECK(req.argv[3] == NULL);
}

TEST(parses_a_bare_verb)
{
        CHECK_INT(parse("sup1 reload\n", false), 12);
        CHECK_STR(req.verb, "reload");
        CHECK_INT(req.argc, 0);
        CHECK(req.argv[0] == NULL);
}

TEST(consumes_only_the_first_line)
{
        CHECK_INT(parse("sup1 shutdown\nsup1 reload\n", false), 14);
        CHECK_STR(req.verb, "shutdown");
}

TEST(unescapes_percent_sequences)
{
        CHECK(parse("sup1 start a%20b%25c%0Ad%c3%a9\n", false) > 0);
        CHECK_STR(req.argv[0], "a b%c\nd\xc3\xa9");
}

TEST(half_written_request_waits_then_fails_at_eof)
{
        CHECK_INT(parse("sup1 sta", false), 0);
        CHECK_INT(parse("sup1 sta", true), -1);
        CHECK(strstr(err.msg, "incomplete request") != NULL);
        CHECK_INT(parse("", true), -1);
        CHECK(strstr(err.msg, "empty request") != NULL);
}

TEST(oversized_request_is_refused_without_a_newline)
{
        static char big[CTL_REQ_MAX + 100];

        memset(big, 'a', sizeof(big) - 1);
        memcpy(big, "sup1 status ", 12);
        CHECK_INT(parse(big, false), -1);
        CHECK(strstr(err.msg, "too long") != NULL);
        /* exactly the limit without '\n' is already too long */
        big[CTL_REQ_MAX] = '\0';
        CHECK_INT(parse(big, false), -1);
        /* one byte short: may still become a request */
        big[CTL_REQ_MAX - 1] = '\0';
        CHECK_INT(parse(big, false), 0);
        /* newline beyond the limit does not count */
        big[CTL_REQ_MAX - 1] = 'a';
        big[CTL_REQ_MAX] = '\n';
        big[CTL_REQ_MAX + 1] = '\0';
        CHECK_INT(parse(big, false), -1);
}

TEST(garbage_is_refused_with_a_reason)
{
        CHECK_INT(parse("GET / HTTP/1.1\r\n", false), -1);
        CHECK(strstr(err.msg, "not a sup1 request") != NULL);
        CHECK_INT(parse("sup2 status\n", false), -1);
        CHECK_INT(parse("sup1\n", false), -1);
        CHECK(strstr(err.msg, "missing verb") != NULL);
        CHECK_INT(parse("sup1 \n", false), -1);
        CHECK_INT(parse("sup1 status  web\n", false), -1);
        CHECK(strstr(err.msg, "empty token") != NULL);
        CHECK_INT(parse("sup1 status web \n", false), -1);
        CHECK_INT(parse("sup1 STATUS\n", false), -1);
        CHECK_INT(parse("sup1 status w\teb\n", false), -1);
        CHECK(strstr(err.msg, "0x09") != NULL);
        CHECK_INT(parse("sup1 status web\r\n", false), -1);
        CHECK_INT(parse("sup1 status \xff\n", false), -1);
        CHECK_INT(parse("sup1 status a%zz\n", false), -1);
        CHECK(strstr(err.msg, "bad escape") != NULL);
        CHECK_INT(parse("sup1 status a%4\n", false), -1);
        CHECK_INT(parse("sup1 status a%\n", false), -1);
        CHECK_INT(parse("sup1 status a%00b\n", false), -1);
        CHECK(strstr(err.msg, "%00") != NULL);
        CHECK_INT(ctl_parse_request("sup1 st\0tus\n", 12, false, &req, &err), -1);
}

TEST(too_many_arguments_are_refused)
{
        static char line[CTL_REQ_MAX];
        size_t o = 0;

        o += (size_t)snprintf(line, sizeof(line), "sup1 start");
        for (int i = 0; i < CTL_ARGS_MAX + 1; i++)
                o += (size_t)snprintf(line + o, sizeof(line) - o, " a");
        snprintf(line + o, sizeof(line) - o, "\n");
        CHECK_INT(parse(line, false), -1);
        CHECK(strstr(err.msg, "too many arguments") != NULL);
}

TEST(format_then_parse_round_trips_any_bytes)
{
        char line[CTL_REQ_MAX + 1];
        char *args[] = { "web", "two words", "100%", "tab\there", "\xe2\x82\xac", "-n" };
        ssize_t n = ctl_format_request(line, sizeof(line), "logs", 6, args, &err);

        CHECK(n > 0);
        CHECK_STR(line, "sup1 logs web two%20words 100%25 tab%09here %E2%82%AC -n\n");
        CHECK_INT(parse(line, false), n);
        CHECK_INT(req.argc, 6);
        for (int i = 0; i < 6 && i < req.argc; i++)
                CHECK_STR(req.argv[i], args[i]);
}

TEST(format_refuses_what_the_server_would)
{
        static char huge[CTL_REQ_MAX];
        char line[CTL_REQ_MAX + 1];
        char *args[] = { huge };

        memset(huge, 'x', sizeof(huge) - 1);
        CHECK_INT(ctl_format_request(line, sizeof(line), "status", 1, args, &err), -1);
        CHECK(strstr(err.msg, "too long") != NULL);
        CHECK_INT(ctl_format_request(line, sizeof(line), "Bad Verb", 0, NULL, &err), -1);
        CHECK_INT(ctl_format_request(line, 8, "status", 0, NULL, &err), -1);
}

TEST(escape_reports_overflow)
{
        char out[4];

        CHECK_INT(ctl_escape("abc", out, sizeof(out)), 3);
        CHECK_STR(out, "abc");
        CHECK_INT(ctl_escape("abcd", out, sizeof(out)), -1);
        CHECK_INT(ctl_escape("a b", out, sizeof(out)), -1);
}

TEST(reply_lines_round_trip)
{
        struct ctl_buf b;
        enum ctl_stream st;
        const char *text;
        size_t tlen;
        int code = -1;

        ctl_buf_init(&b, 4096);
        CHECK_INT(ctl_replyf(&b, CTL_OUT, "web: %s", "started"), 0);
        CHECK_INT(ctl_reply(&b, CTL_ERR, "a\nb", 3), 0);
        CHECK_INT(ctl_reply_done(&b, 3), 0);
        CHECK_INT(b.len, strlen("out web: started\nerr a b\ndone 3\n"));
        CHECK(b.len > 0 && memcmp(b.data, "out web: started\nerr a b\ndone 3\n", b.len) == 0);

        CHECK_INT(ctl_parse_reply("out web: started", 16, &st, &text, &tlen, &code), 0);
        CHECK_INT(st, CTL_OUT);
        CHECK_INT(tlen, 12);
        CHECK_INT(ctl_parse_reply("err ", 4, &st, &text, &tlen, &code), 0);
        CHECK_INT(st, CTL_ERR);
        CHECK_INT(tlen, 0);
        CHECK_INT(ctl_parse_reply("done 3", 6, &st, &text, &tlen, &code), 0);
        CHECK_INT(st, CTL_DONE);
        CHECK_INT(code, 3);
        CHECK_INT(ctl_parse_reply("done 256", 8, &st, &text, &tlen, &code), -1);
        CHECK_INT(ctl_parse_reply("done x", 6, &st, &text, &tlen, &code), -1);
        CHECK_INT(ctl_parse_reply("done ", 5, &st, &text, &tlen, &code), -1);
        CHECK_INT(ctl_parse_reply("hello", 5, &st, &text, &tlen, &code), -1);
        ctl_buf_free(&b);
}

TEST(full_buffer_keeps_room_for_done)
{
        struct ctl_buf b;
        char line[100];
        int added = 0;

        memset(line, 'x', sizeof(line));
        ctl_buf_init(&b, 1000);
        while (ctl_reply(&b, CTL_OUT, line, sizeof(line)) == 0)
                added++;
        CHECK_INT(added, 8);            /* 8 × 105 bytes; a 9th would eat the reserve */
        CHECK(b.full);
        CHECK_INT(b.len, 840);          /* the refused line left nothing behind */
        CHECK_INT(ctl_reply_done(&b, 0), 0);
        CHECK(b.len <= b.limit);
        ctl_buf_consume(&b, 105);
        CHECK_INT(b.len, 840 - 105 + 7);
        ctl_buf_consume(&b, 100000);
        CHECK_INT(b.len, 0);
        ctl_buf_free(&b);
}

TEST(long_printf_goes_through_the_heap_path)
{
        struct ctl_buf b;
        char big[2000];

        memset(big, 'y', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        ctl_buf_init(&b, 1 << 20);
        CHECK_INT(ctl_buf_printf(&b, "<%s>", big), 0);
        CHECK_INT(b.len, 2001);
        ctl_buf_free(&b);
}

int main(int argc, char **argv) { return check_main(argc, argv); }
