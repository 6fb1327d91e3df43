/* Unit tests of confd's loading: defaults, includes, duplicates across
 * files, INI details (long lines, continuations, comments), the main
 * service, spec comparison and the `supd --check` print. */
#include <signal.h>

#include "tests/unit/confd_util.h"

TEST(service_defaults_per_spec)
{
        struct sup_config *c = load("[service:x]\ncommand = /bin/x\n");
        const struct svc_spec *s;

        CHECK(c != NULL);
        if (!c)
                return;
        CHECK_INT(c->shutdown_timeout, 10000);
        CHECK_STR(c->log_format, "{name} | {line}");
        CHECK(c->socket == NULL);
        s = c->services[0];
        CHECK_STR(s->name, "x");
        CHECK_STR(s->file, "t.ini");
        CHECK_INT(s->line, 1);
        CHECK(!s->from_supervisord);
        CHECK_INT(s->type, SVC_SIMPLE);
        CHECK_INT(s->restart, RESTART_ON_FAILURE);
        CHECK_INT(s->restart_delay, 100);
        CHECK_INT(s->restart_delay_max, 30000);
        CHECK_INT(s->start_retries, 5);
        CHECK_INT(s->stop_signal, SIGTERM);
        CHECK_INT(s->stop_timeout, 10000);
        CHECK_INT(s->out.kind, LOG_TO_CONSOLE);
        CHECK_INT(s->err.kind, LOG_TO_STDOUT);
        CHECK_INT(s->out.max_size, 10 << 20);
        CHECK_INT(s->out.keep, 5);
        CHECK(svc_exit_is_success(s, 0) && !svc_exit_is_success(s, 1));
        CHECK(s->autostart);
        CHECK_INT(s->priority, 999);
        CHECK_INT(s->umask, -1);
        CHECK_INT(s->ready, READY_NONE);
        CHECK_INT(s->start_secs, 0);
        CHECK(!s->critical && !s->main);
        CHECK(s->user == NULL && s->directory == NULL && s->environment == NULL);
        CHECK_INT(s->sandbox.namespaces, 0);
        CHECK_INT(s->sandbox.seccomp, SECCOMP_NONE);
        CHECK(!s->sandbox.caps_set);
        CHECK_INT(s->sandbox.n_rlimits, 0);
        confd_free(c);
}

TEST(supd_section)
{
        struct sup_config *c = load("[supd]\nsocket = /run/x.sock\nsocket_group = ops\n"
                                    "shutdown_timeout = 3s\nlog_format = {time} {name}: {line}\n");

        CHECK(c != NULL);
        if (c) {
                CHECK_STR(c->socket, "/run/x.sock");
                CHECK_STR(c->socket_group, "ops");
                CHECK_INT(c->shutdown_timeout, 3000);
                CHECK_STR(c->log_format, "{time} {name}: {line}");
                CHECK_INT(c->n_services, 0);
        }
        confd_free(c);
}

TEST(includes_glob_relative_to_the_including_file)
{
        struct sup_config *c;
        char top[256];

        tmp_make();
        tmp_write("etc/sup.ini", "[supd]\ninclude = conf.d/*.ini more/one.ini\n"
                                 "[service:a]\ncommand = a\n");
        tmp_write("etc/conf.d/b.ini", "[service:b]\ncommand = b\nafter = a\n");
        tmp_write("etc/conf.d/c.ini", "[service:c]\ncommand = c\n");
        tmp_write("etc/conf.d/ignored.txt", "[service:z]\ncommand = z\n");
        tmp_write("etc/more/one.ini", "[supd]\ninclude = nested/*.ini\n");
        tmp_write("etc/more/nested/d.ini", "[service:d]\ncommand = d\n");
        snprintf(top, sizeof(top), "%s/etc/sup.ini", tmp_dir);
        confd_diag_free(&d);
        c = confd_load_file(top, &d);
        CHECK(c != NULL);
        if (!c) {
                dump_diag();
        } else {
                CHECK_INT(c->n_services, 4);
                CHECK_STR(c->services[0]->name, "a");
                CHECK_STR(c->services[1]->name, "b");  /* glob results sorted */
                CHECK_STR(c->services[2]->name, "c");
                CHECK_STR(c->services[3]->name, "d");  /* includes nest */
                CHECK(strstr(svc(c, "b")->file, "etc/conf.d/b.ini") != NULL);
                CHECK_INT(svc(c, "b")->line, 1);
                CHECK_STR(c->path, top);
        }
        confd_free(c);
        tmp_clean();
}

TEST(empty_glob_is_fine_missing_file_is_not)
{
        struct sup_config *c;
        char top[256];

        tmp_make();
        tmp_write("sup.ini", "[supd]\ninclude = conf.d/*.ini\n[service:a]\ncommand = a\n");
        snprintf(top, sizeof(top), "%s/sup.ini", tmp_dir);
        confd_diag_free(&d);
        c = confd_load_file(top, &d);
        CHECK(c != NULL && c->n_services == 1);
        confd_free(c);
        tmp_write("sup.ini", "[supd]\ninclude = extra.ini\n[service:a]\ncommand = a\n");
        confd_diag_free(&d);
        c = confd_load_file(top, &d);
        CHECK(c == NULL);
        CHECK_ERROR_HAS("sup.ini:2: [supd] include: no such file: ");
        CHECK_ERROR_HAS("/extra.ini");
        tmp_clean();
}

TEST(duplicate_service_across_files_names_both_places)
{
        struct sup_config *c;
        char top[256], want[512];

        tmp_make();
        tmp_write("sup.ini", "[supd]\ninclude = conf.d/*.ini\n\n[service:web]\ncommand = a\n");
        tmp_write("conf.d/web.ini", "; again\n[service:web]\ncommand = b\n");
        snprintf(top, sizeof(top), "%s/sup.ini", tmp_dir);
        confd_diag_free(&d);
        c = confd_load_file(top, &d);
        CHECK(c == NULL);
        CHECK_INT(d.n_errors, 1);
        snprintf(want, sizeof(want), "%s/conf.d/web.ini:2: [service:web]: service \"web\" is "
                 "defined twice; first at %s:4", tmp_dir, top);
        if (d.n_errors)
                CHECK_STR(d.errors[0], want);
        confd_free(c);
        tmp_clean();
}

TEST(include_loop_is_an_error_not_a_hang)
{
        struct sup_config *c;
        char top[256];

        tmp_make();
        tmp_write("a.ini", "[supd]\ninclude = b.ini\n");
        tmp_write("b.ini", "[supd]\ninclude = a.ini\n");
        snprintf(top, sizeof(top), "%s/a.ini", tmp_dir);
        confd_diag_free(&d);
        c = confd_load_file(top, &d);
        CHECK(c == NULL);
        CHECK_ERROR_HAS("b.ini:2: [supd] include: ");
        CHECK_ERROR_HAS("a.ini is included more than once (an include loop?)");
        tmp_clean();
}

TEST(supd_key_set_in_two_files)
{
        struct sup_config *c;
        char top[256];

        tmp_make();
        tmp_write("a.ini", "[supd]\nshutdown_timeout = 5s\ninclude = b.ini\n");
        tmp_write("b.ini", "[supd]\nshutdown_timeout = 6s\n");
        snprintf(top, sizeof(top), "%s/a.ini", tmp_dir);
        confd_diag_free(&d);
        c = confd_load_file(top, &d);
        CHECK(c == NULL);
        CHECK_ERROR_HAS("b.ini:2: [supd] shutdown_timeout: already set at ");
        CHECK_ERROR_HAS("a.ini:2");
        tmp_clean();
}

TEST(supervisord_include_section)
{
        struct sup_config *c;
        char top[256];

        tmp_make();
        tmp_write("supervisord.conf", "[supervisord]\nnodaemon=true\n[include]\n"
                                      "files = %(here)s/conf.d/*.conf other/*.conf\n");
        tmp_write("conf.d/a.conf", "[program:a]\ncommand=a\n");
        tmp_write("other/b.conf", "[program:b]\ncommand=b\n");
        snprintf(top, sizeof(top), "%s/supervisord.conf", tmp_dir);
        confd_diag_free(&d);
        c = confd_load_file(top, &d);
        CHECK(c != NULL && c->n_services == 2);
        if (!c)
                dump_diag();
        confd_free(c);
        tmp_clean();
}

TEST(long_lines_are_read_whole)
{
        char text[8192], arg[3000];
        struct sup_config *c;

        memset(arg, 'q', sizeof(arg) - 1);
        arg[sizeof(arg) - 1] = '\0';
        snprintf(text, sizeof(text), "[service:a-service-with-a-rather-long-name-that-inih-would-cut]\n"
                 "command = /bin/echo %s ; comment\nuser = nobody\n", arg);
        c = load(text);
        CHECK(c != NULL);
        if (c) {
                const struct svc_spec *s = c->services[0];

                CHECK_STR(s->name, "a-service-with-a-rather-long-name-that-inih-would-cut");
                CHECK_INT(strlen(s->argv[1]), sizeof(arg) - 1);
                CHECK(s->argv[2] == NULL);
                CHECK_STR(s->user, "nobody");
        }
        confd_free(c);
}

TEST(comments_and_continuation_lines)
{
        struct sup_config *c = load("# a comment\n; another\n[service:x] \n"
                                    "command = /bin/x --a # inline comment\n"
                                    "    --b ; inline too\n"
                                    "\tc\n"
                                    "environment = A=1\n  B=2\n"
                                    "user=u;not a comment\n");

        CHECK(c != NULL);
        if (!c) {
                dump_diag();
                return;
        }
        CHECK_STR(c->services[0]->argv[0], "/bin/x");
        CHECK_STR(c->services[0]->argv[1], "--a");
        CHECK_STR(c->services[0]->argv[2], "--b");
        CHECK_STR(c->services[0]->argv[3], "c");
        CHECK(c->services[0]->argv[4] == NULL);
        CHECK_STR(c->services[0]->environment[1], "B=2");
        CHECK_STR(c->services[0]->user, "u;not a comment");
        confd_free(c);
}

TEST(crlf_and_bom)
{
        struct sup_config *c = load("\xEF\xBB\xBF[service:x]\r\ncommand = /bin/x\r\nuser = u\r\n");

        CHECK(c != NULL);
        if (c) {
                CHECK_STR(c->services[0]->argv[0], "/bin/x");
                CHECK_STR(c->services[0]->user, "u");
        }
        confd_free(c);
}

TEST(main_service_is_critical_and_never_restarts)
{
        struct sup_config *c = load("[service:side]\ncommand = side\n");
        char *argv[] = { "app", "--serve", NULL };
        struct svc_spec *m;

        CHECK(c != NULL);
        if (!c)
                return;
        m = confd_add_main(c, argv);
        CHECK(m != NULL);
        if (m) {
                CHECK_STR(m->name, "main");
                CHECK(m->main && m->critical);
                CHECK_INT(m->restart, RESTART_NEVER);
                CHECK_STR(m->argv[1], "--serve");
                CHECK(m->argv[2] == NULL);
                CHECK_INT(m->stop_timeout, 10000);
                CHECK_INT(c->n_services, 2);
        }
        CHECK(confd_add_main(c, argv) == NULL);         /* only one "main" */
        confd_free(c);
        c = confd_empty();
        CHECK(c && c->n_services == 0 && c->shutdown_timeout == 10000);
        CHECK(confd_add_main(c, argv) != NULL);
        confd_free(c);
}

TEST(spec_equal_sees_every_change)
{
        static const char *variants[] = {
                "command = /bin/x -v", "user = nobody", "environment = A=2", "restart = always",
                "stop_timeout = 11s", "stdout = null", "namespaces = pid", "limit_nofile = 10",
                "capabilities = CAP_KILL", "seccomp = default", "memory_max = 1G", "ready = notify",
                "success_exit = 0 1", "critical = yes", "log_keep = 1", "priority = 1", "priority = 5:999",
        };
        struct sup_config *a = load("[service:x]\ncommand = /bin/x\nenvironment = A=1\n");
        struct sup_config *b = load("; same, written differently\n[service:x]\n"
                                    "environment = A=1\ncommand = \"/bin/x\"\n");

        CHECK(a && b);
        if (a && b)
                CHECK(confd_spec_equal(a->services[0], b->services[0]));
        confd_free(b);
        for (size_t i = 0; a && i < sizeof(variants) / sizeof(variants[0]); i++) {
                char text[256];

                snprintf(text, sizeof(text), "[service:x]\n%s%s%s\n",
                         strncmp(variants[i], "command", 7) ? "command = /bin/x\n" : "",
                         strncmp(variants[i], "environment", 11) ? "environment = A=1\n" : "",
                         variants[i]);
                b = load(text);
                CHECK(b != NULL);
                if (b && confd_spec_equal(a->services[0], b->services[0])) {
                        fprintf(stderr, "  not seen: %s\n", variants[i]);
                        check_failed_now = 1;
                }
                confd_free(b);
        }
        confd_free(a);
}

/* What --check prints is itself a valid config describing the same services. */
TEST(print_round_trips)
{
        static const char *text =
                "[supd]\nsocket = /run/s.sock\nshutdown_timeout = 1500ms\n"
                "[service:db]\ncommand = postgres -D \"/var/lib/pg data\"\ntype = oneshot\n"
                "ready = fd:5\nenvironment = A=1 B=\"two words\" C=\"q\\\"uote\" "
                "\"K\\\\EY=v\"\n"
                "namespaces = mount user uts\nhostname = db\nuser_map = 0 100000 65536\n"
                "bind = /data:/data /etc/ssl:/etc/ssl:ro\nlimit_nofile = 1024:4096\n"
                "limit_core = infinity\ncapabilities = CAP_CHOWN\nseccomp = default\n"
                "seccomp_deny = mount\nmemory_max = 256M\ncpu_max = 0.5\npids_max = 10\n"
                "masked_paths = /proc/kcore\nstdout = file:/var/log/db.log\nstderr = console\n"
                "[program:web]\ncommand = nginx -g 'daemon off;'\nstdout_logfile=/dev/stdout\n"
                "numprocs = 2\nprocess_name = web%(process_num)d\nrequires = db\npriority = 3\n"
                "[group:front]\nprograms = web\npriority = 7\n"
                "[service:api]\ncommand = api\nhealth_check = http:8080/healthz\n"
                "health_http_status = 204\nhealth_action = report\nwatchdog = 5s\n"
                "[service:job]\ncommand = job\nhealth_check = sh -c 'test -e \"/run/ok\"'\n"
                "health_interval = 2s\nhealth_retries = 1\n";
        struct sup_config *a = load(text), *b;
        FILE *f;
        char *out = NULL;
        size_t len = 0;

        CHECK(a != NULL);
        if (!a) {
                dump_diag();
                return;
        }
        f = open_memstream(&out, &len);
        confd_print(f, a);
        fclose(f);
        b = load(out);
        CHECK(b != NULL);
        if (!b) {
                dump_diag();
                fprintf(stderr, "%s", out);
        } else {
                CHECK_INT(b->n_services, a->n_services);
                CHECK_STR(b->socket, a->socket);
                CHECK_INT(b->shutdown_timeout, 1500);
                for (size_t i = 0; i < a->n_services && i < b->n_services; i++) {
                        if (!confd_spec_equal(a->services[i], b->services[i])) {
                                fprintf(stderr, "  %s differs after print\n", a->services[i]->name);
                                check_failed_now = 1;
                        }
                }
        }
        confd_free(a);
        confd_free(b);
        free(out);
}

TEST(loads_leave_nothing_behind_on_errors)
{
        /* run under ASan's leak checker: every path frees what it built */
        struct sup_config *c = load("[service:a]\ncommand = a\nbind = /x:/y\nafter = b\n"
                                    "environment = A=1 B\n[service:b]\ncommand = \"b\n"
                                    "[program:p]\ncommand = %(nope)s\nnumprocs = 3\n"
                                    "process_name = p%(process_num)d\n");

        CHECK(c == NULL);
        CHECK(d.n_errors >= 4);
}

int main(int argc, char **argv)
{
        int rc = check_main(argc, argv);

        confd_diag_free(&d);
        return rc;
}
