/* Unit tests of supervisor/status.c: the status table, JSON and exit rules. */
#include <signal.h>
#include <string.h>

#include "supervisor/status.h"
#include "tests/unit/check.h"

static struct svc_spec specs[8];
static struct svc svcs[8];

static struct svc *mk(int i, const char *name, enum svc_state st)
{
        memset(&specs[i], 0, sizeof(specs[i]));
        memset(&svcs[i], 0, sizeof(svcs[i]));
        specs[i].name = (char *)name;
        specs[i].type = SVC_SIMPLE;
        specs[i].autostart = true;
        specs[i].success_exit[0] = 1;   /* exit 0 */
        svcs[i].spec = &specs[i];
        svcs[i].state = st;
        return &svcs[i];
}

/* The buffer as a C string (tests only). */
static const char *text(struct ctl_buf *b)
{
        ctl_buf_add(b, "", 1);
        b->len--;
        return b->data;
}

TEST(uptime_reads_like_supervisorctl)
{
        char b[32];

        status_uptime_str(0, b, sizeof(b));
        CHECK_STR(b, "0:00:00");
        status_uptime_str(61.9, b, sizeof(b));
        CHECK_STR(b, "0:01:01");
        status_uptime_str(12 * 3600 + 3 * 60 + 59, b, sizeof(b));
        CHECK_STR(b, "12:03:59");
        status_uptime_str(3 * 86400 + 4 * 3600 + 5 * 60 + 6, b, sizeof(b));
        CHECK_STR(b, "3d04:05:06");
        status_uptime_str(-1, b, sizeof(b));
        CHECK_STR(b, "-");
}

TEST(exit_shows_code_or_signal_name)
{
        struct svc *s = mk(0, "web", ST_EXITED);
        char b[32];

        status_exit_str(s, b, sizeof(b));
        CHECK_STR(b, "-");
        s->have_exit = true;
        s->exit_status = 3 << 8;        /* exited 3 */
        status_exit_str(s, b, sizeof(b));
        CHECK_STR(b, "3");
        s->exit_status = SIGKILL;       /* killed by 9 */
        status_exit_str(s, b, sizeof(b));
        CHECK_STR(b, "SIGKILL");
        s->oom_killed = true;
        status_exit_str(s, b, sizeof(b));
        CHECK_STR(b, "SIGKILL(oom)");
        s->oom_killed = false;
        s->exit_status = SIGRTMIN + 2;
        status_exit_str(s, b, sizeof(b));
        CHECK_STR(b, "SIGRTMIN+2");
}

TEST(exit_of_the_previous_process_stays_while_a_restart_runs)
{
        struct svc *list[1];
        struct ctl_buf b;
        char e[32];

        /* The supervisor clears have_exit at each spawn and keeps the last
         * exit: EXIT and JSON show that one until the new process exits. */
        list[0] = mk(0, "web", ST_RUNNING);
        svcs[0].pid = 43;
        svcs[0].restarts = 1;
        svcs[0].exited_before = true;
        svcs[0].exit_status = SIGKILL;
        svcs[0].oom_killed = true;
        status_exit_str(list[0], e, sizeof(e));
        CHECK_STR(e, "SIGKILL(oom)");
        ctl_buf_init(&b, 1 << 16);
        CHECK_INT(status_json(list, 1, 0, &b), 0);
        CHECK(strstr(text(&b), "\"exit\": {\"signal\": \"SIGKILL\", \"signo\": 9}, \"oom_killed\": true") != NULL);
        ctl_buf_free(&b);
        /* The current process's own exit, once there, wins. */
        svcs[0].have_exit = true;
        svcs[0].exit_status = 2 << 8;
        svcs[0].oom_killed = false;
        svcs[0].state = ST_BACKOFF;
        status_exit_str(list[0], e, sizeof(e));
        CHECK_STR(e, "2");
        ctl_buf_init(&b, 1 << 16);
        CHECK_INT(status_json(list, 1, 0, &b), 0);
        CHECK(strstr(text(&b), "\"exit\": {\"code\": 2}, \"oom_killed\": false") != NULL);
        ctl_buf_free(&b);
}

TEST(up_means_running_or_oneshot_done_well)
{
        struct svc *s = mk(0, "web", ST_RUNNING);

        CHECK(status_is_up(s));
        s->state = ST_STARTING;
        CHECK(!status_is_up(s));
        s->state = ST_EXITED;
        s->have_exit = true;
        s->exit_status = 0;
        CHECK(!status_is_up(s));        /* a simple service that exited is not up */
        specs[0].type = SVC_ONESHOT;
        CHECK(status_is_up(s));
        s->exit_status = 1 << 8;
        CHECK(!status_is_up(s));
        specs[0].success_exit[0] |= 2;  /* success_exit = 0 1 */
        CHECK(status_is_up(s));
        s->exit_status = SIGTERM;
        CHECK(!status_is_up(s));
        s->state = ST_FATAL;
        CHECK(!status_is_up(s));
}

TEST(table_aligns_columns_and_shows_reasons)
{
        struct svc *list[3];
        struct ctl_buf b;

        list[0] = mk(0, "web", ST_RUNNING);
        svcs[0].pid = 42;
        svcs[0].started_at = 1000;
        list[1] = mk(1, "database", ST_BACKOFF);
        svcs[1].restarts = 3;
        svcs[1].have_exit = true;
        svcs[1].exit_status = 1 << 8;
        strcpy(svcs[1].reason, "exited too quickly (status 1), retry in 0.4s");
        list[2] = mk(2, "cron", ST_STOPPED);
        svcs[2].have_exit = true;
        svcs[2].exit_status = SIGKILL;
        ctl_buf_init(&b, 1 << 16);
        CHECK_INT(status_table(list, 3, 1061.2, &b), 0);
        CHECK_STR(text(&b),
                  "NAME      STATE    PID  UPTIME   RESTARTS  EXIT     HEALTH  MEM  TASKS  CPU  INFO\n"
                  "web       RUNNING  42   0:01:01  0         -        -       -    -      -\n"
                  "database  BACKOFF  -    -        3         1        -       -    -      -    "
                  "exited too quickly (status 1), retry in 0.4s\n"
                  "cron      STOPPED  -    -        0         SIGKILL  -       -    -      -\n");
        ctl_buf_free(&b);
}

TEST(table_shows_status_text_and_cleans_control_bytes)
{
        struct svc *list[1];
        struct ctl_buf b;

        list[0] = mk(0, "w\x1b[31m", ST_RUNNING);
        svcs[0].pid = 7;
        svcs[0].started_at = 5;
        strcpy(svcs[0].status_text, "ready\nto serve \xc3\xa9");
        ctl_buf_init(&b, 1 << 16);
        CHECK_INT(status_table(list, 1, 5, &b), 0);
        CHECK_STR(text(&b),
                  "NAME    STATE    PID  UPTIME   RESTARTS  EXIT  HEALTH  MEM  TASKS  CPU  INFO\n"
                  "w?[31m  RUNNING  7    0:00:00  0         -     -       -    -      -    ready?to serve \xc3\xa9\n");
        ctl_buf_free(&b);
}

TEST(health_and_cost_columns)
{
        struct svc *list[2];
        struct ctl_buf b;
        char buf[32];

        list[0] = mk(0, "web", ST_RUNNING);
        svcs[0].pid = 42;
        svcs[0].started_at = 100;
        svcs[0].health = SH_HEALTHY;
        strcpy(svcs[0].health_output, "HTTP/1.0 200 OK");
        svcs[0].cost = (struct svc_cost){ .known = true, .from_cgroup = true,
                                          .memory_bytes = 1536 * 1024, .tasks = 3,
                                          .cpu_ns = 1250000000ull };
        list[1] = mk(1, "db", ST_RUNNING);
        svcs[1].pid = 43;
        svcs[1].started_at = 100;
        svcs[1].health = SH_UNHEALTHY;
        svcs[1].health_failures = 4;
        strcpy(svcs[1].health_output, "exit 1: no \"db\"");
        ctl_buf_init(&b, 1 << 16);
        CHECK_INT(status_table(list, 2, 100, &b), 0);
        CHECK_STR(text(&b),
                  "NAME  STATE    PID  UPTIME   RESTARTS  EXIT  HEALTH     MEM   TASKS  CPU     INFO\n"
                  "web   RUNNING  42   0:00:00  0         -     healthy    1.5M  3      1.250s  HTTP/1.0 200 OK\n"
                  "db    RUNNING  43   0:00:00  0         -     unhealthy  -     -      -       exit 1: no \"db\"\n");
        b.len = 0;
        CHECK_INT(status_json(list + 1, 1, 100, &b), 0);
        CHECK(strstr(text(&b), ", \"health\": {\"status\": \"unhealthy\", \"failing_streak\": 4, "
                               "\"checks\": 0, \"output\": \"exit 1: no \\\"db\\\"\"}, \"memory_bytes\": null,") != NULL);
        CHECK(strstr(text(&b), "\"up\": false}") != NULL);
        b.len = 0;
        CHECK_INT(status_json(list, 1, 100, &b), 0);
        CHECK(strstr(text(&b), "\"memory_bytes\": 1572864, \"tasks\": 3, \"cpu_ns\": 1250000000, "
                               "\"cost_from\": \"cgroup\"") != NULL);
        ctl_buf_free(&b);
        CHECK(status_is_up(list[0]));
        CHECK(!status_is_up(list[1]));          /* unhealthy: supctl status exits 3 */
        status_bytes_str(512, buf, sizeof(buf));
        CHECK_STR(buf, "512B");
        status_bytes_str(20ull << 30, buf, sizeof(buf));
        CHECK_STR(buf, "20G");
        status_cpu_str(3600ull * 1000000000ull, buf, sizeof(buf));
        CHECK_STR(buf, "1:00:00");
}

/* What scripts written for supervisorctl parse: its columns and words. */
TEST(supervisorctl_lines)
{
        struct svc *list[4];
        struct ctl_buf b;
        double now = 1000000;

        list[0] = mk(0, "web", ST_RUNNING);
        list[0]->pid = 7;
        list[0]->started_at = now - (86400 + 3723);
        list[1] = mk(1, "queue:worker", ST_FATAL);
        strcpy(list[1]->reason, "exec: no such file");
        list[2] = mk(2, "cron", ST_STOPPED);
        list[3] = mk(3, "boot", ST_BACKOFF);
        ctl_buf_init(&b, 4096);
        CHECK(status_supervisorctl(list, 4, now, &b) == 0);
        CHECK_STR(text(&b),
                  "web                              RUNNING   pid 7, uptime 1 day, 1:02:03\n"
                  "queue:worker                     FATAL     exec: no such file\n"
                  "cron                             STOPPED   Not started\n"
                  "boot                             BACKOFF   Exited too quickly (process log may "
                  "have details)\n");
        ctl_buf_free(&b);
}

TEST(empty_table_is_just_the_header)
{
        struct ctl_buf b;

        ctl_buf_init(&b, 1024);
        CHECK_INT(status_table(NULL, 0, 0, &b), 0);
        CHECK_STR(text(&b), "NAME  STATE  PID  UPTIME  RESTARTS  EXIT  HEALTH  MEM  TASKS  CPU  INFO\n");
        ctl_buf_free(&b);
}

TEST(json_string_escapes_everything_needed)
{
        struct ctl_buf b;

        ctl_buf_init(&b, 1024);
        CHECK_INT(ctl_json_string(&b, "a\"b\\c\n\t\x01\x7f", 9), 0);
        CHECK_STR(text(&b), "\"a\\\"b\\\\c\\n\\t\\u0001\\u007f\"");
        b.len = 0;
        /* valid UTF-8 (2, 3 and 4 bytes) passes through */
        CHECK_INT(ctl_json_string(&b, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9), 0);
        CHECK_STR(text(&b), "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
        b.len = 0;
        /* stray continuation, overlong, surrogate, truncated, > U+10FFFF, 0xff */
        CHECK_INT(ctl_json_string(&b, "\x80|\xc0\xaf|\xed\xa0\x80|\xe2\x82|\xf4\x90\x80\x80|\xff", 18), 0);
        CHECK_STR(text(&b), "\"\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd|\\ufffd\\ufffd|"
                            "\\ufffd\\ufffd\\ufffd\\ufffd|\\ufffd\"");
        b.len = 0;
        /* embedded NUL is a control byte like any other */
        CHECK_INT(ctl_json_string(&b, "a\0b", 3), 0);
        CHECK_STR(text(&b), "\"a\\u0000b\"");
        ctl_buf_free(&b);
}

TEST(json_document_has_the_spec_fields)
{
        struct svc *list[2];
        struct ctl_buf b;

        list[0] = mk(0, "web", ST_RUNNING);
        svcs[0].pid = 42;
        svcs[0].started_at = 100;
        svcs[0].state_since = 100.5;
        list[1] = mk(1, "job", ST_FATAL);
        specs[1].type = SVC_ONESHOT;
        specs[1].critical = true;
        svcs[1].have_exit = true;
        svcs[1].exit_status = SIGKILL;
        svcs[1].oom_killed = true;
        svcs[1].failures = 5;
        svcs[1].state_since = 150;
        strcpy(svcs[1].reason, "gave up: \"5\" failures");
        ctl_buf_init(&b, 1 << 16);
        CHECK_INT(status_json(list, 2, 161.25, &b), 0);
        CHECK_STR(text(&b),
                  "{\"services\": [\n"
                  "  {\"name\": \"web\", \"state\": \"RUNNING\", \"pid\": 42, \"uptime_s\": 61.2, "
                  "\"since_s\": 60.8, \"restarts\": 0, \"failures\": 0, \"exit\": null, "
                  "\"oom_killed\": false, \"reason\": null, \"log_held\": null, \"status_text\": null, "
                  "\"health\": null, \"memory_bytes\": null, \"tasks\": null, \"cpu_ns\": null, "
                  "\"type\": \"simple\", \"critical\": false, \"autostart\": true, \"up\": true},\n"
                  "  {\"name\": \"job\", \"state\": \"FATAL\", \"pid\": null, \"uptime_s\": null, "
                  "\"since_s\": 11.2, \"restarts\": 0, \"failures\": 5, "
                  "\"exit\": {\"signal\": \"SIGKILL\", \"signo\": 9}, \"oom_killed\": true, "
                  "\"reason\": \"gave up: \\\"5\\\" failures\", \"log_held\": null, \"status_text\": null, "
                  "\"health\": null, \"memory_bytes\": null, \"tasks\": null, \"cpu_ns\": null, "
                  "\"type\": \"oneshot\", \"critical\": true, \"autostart\": true, \"up\": false}\n"
                  "]}\n");
        b.len = 0;
        CHECK_INT(status_json(NULL, 0, 0, &b), 0);
        CHECK_STR(text(&b), "{\"services\": []}\n");
        ctl_buf_free(&b);
}

TEST(json_exit_code_object)
{
        struct svc *list[1];
        struct ctl_buf b;

        list[0] = mk(0, "once", ST_EXITED);
        svcs[0].have_exit = true;
        svcs[0].exit_status = 2 << 8;
        ctl_buf_init(&b, 1 << 16);
        CHECK_INT(status_json(list, 1, 0, &b), 0);
        CHECK(strstr(text(&b), "\"exit\": {\"code\": 2}") != NULL);
        ctl_buf_free(&b);
}

TEST(full_buffer_is_reported)
{
        struct svc *list[1];
        struct ctl_buf b;

        list[0] = mk(0, "web", ST_RUNNING);
        ctl_buf_init(&b, 40);
        CHECK_INT(status_table(list, 1, 0, &b), -1);
        b.len = 0;
        CHECK_INT(status_json(list, 1, 0, &b), -1);
        ctl_buf_free(&b);
}

int main(int argc, char **argv) { return check_main(argc, argv); }
