/* Unit tests of the supervisord compatibility: real-world supervisord.conf
 * files of Docker images (tests/unit/data/supervisord/) translate to the
 * right specs, and supervisord's keys, defaults and expansions map onto
 * ours. Run from the repository root (tests/run.sh does). */
#include <signal.h>

#include "tests/unit/confd_util.h"

#define DATA "tests/unit/data/supervisord/"

static struct sup_config *load_data(const char *rel)
{
        struct sup_config *c;

        confd_diag_free(&d);
        c = confd_load_file(rel, &d);
        if (!c)
                dump_diag();
        return c;
}

TEST(nginx_php_fpm_runs_unchanged)
{
        struct sup_config *c = load_data(DATA "nginx-php-fpm.conf");
        const struct svc_spec *php, *nginx;

        CHECK(c != NULL);
        if (!c)
                return;
        CHECK_INT(d.n_warnings, 0);     /* boilerplate is accepted quietly */
        CHECK_INT(c->n_services, 2);
        CHECK_STR(c->socket, "/var/run/supervisor.sock");
        php = svc(c, "php-fpm");
        nginx = svc(c, "nginx");
        CHECK(php && nginx);
        if (!php || !nginx)
                goto out;
        CHECK(php->from_supervisord);
        CHECK_STR(php->argv[0], "php-fpm8.2");
        CHECK_STR(php->argv[1], "-F");
        CHECK_STR(nginx->argv[2], "daemon off;");
        CHECK_INT(php->out.kind, LOG_TO_CONSOLE);       /* /dev/stdout, maxbytes=0 */
        CHECK_INT(php->err.kind, LOG_TO_CONSOLE);       /* /dev/stderr */
        CHECK_INT(php->restart, RESTART_NEVER);         /* autorestart=false */
        CHECK_INT(php->start_retries, 1);               /* startretries=0: one failure is FATAL */
        CHECK_INT(php->start_secs, 1000);
        CHECK_INT(php->stop_timeout, 10000);
        CHECK_INT(php->stop_signal, SIGTERM);
        CHECK_INT(php->priority, 999);
        CHECK_INT(nginx->priority, 900);
        CHECK_INT(php->umask, 022);                     /* [supervisord] umask default */
        CHECK(svc_exit_is_success(php, 0) && !svc_exit_is_success(php, 2));
        CHECK(php->autostart);
out:
        confd_free(c);
}

TEST(app_cron_and_numprocs_workers)
{
        struct sup_config *c = load_data(DATA "app-cron-worker.conf");
        const struct svc_spec *web, *w0, *w2, *cron;

        CHECK(c != NULL);
        if (!c)
                return;
        CHECK_INT(c->n_services, 5);
        web = svc(c, "web");
        w0 = svc(c, "worker:worker_00");        /* supervisorctl's group:process */
        w2 = svc(c, "worker:worker_02");
        cron = svc(c, "cron");
        CHECK(web && w0 && w2 && cron && !svc(c, "worker:worker_03") && !svc(c, "worker_00"));
        if (!web || !w0 || !w2 || !cron)
                goto out;
        CHECK_STR(web->directory, "/app");
        CHECK_STR(web->user, "app");
        CHECK_INT(web->restart, RESTART_ALWAYS);
        CHECK_INT(web->start_secs, 5000);
        CHECK_INT(web->stop_timeout, 30000);
        CHECK_INT(web->out.kind, LOG_TO_CONSOLE);       /* /dev/fd/1 */
        CHECK_INT(web->err.kind, LOG_TO_STDOUT);        /* redirect_stderr */
        CHECK_STR(web->environment[0], "RAILS_ENV=production");
        CHECK_STR(web->environment[1], "PORT=3000");
        CHECK_INT(w0->restart, RESTART_ON_FAILURE);     /* unexpected */
        CHECK(svc_exit_is_success(w0, 0) && svc_exit_is_success(w0, 2));
        CHECK(!svc_exit_is_success(w0, 1));
        CHECK_INT(w0->stop_signal, SIGQUIT);
        CHECK_INT(w2->stop_timeout, 60000);
        CHECK_STR(w2->argv[0], "bundle");
        CHECK_INT(cron->priority, 100);
        CHECK_INT(cron->out.kind, LOG_TO_NULL);         /* NONE */
        CHECK_INT(cron->err.kind, LOG_TO_CONSOLE);
        CHECK_INT(cron->umask, 022);
out:
        confd_free(c);
}

TEST(includes_env_expansion_here_and_groups)
{
        struct sup_config *c;
        const struct svc_spec *api, *queue;
        char here[4096], want[4200];

        setenv("API_PORT", "8080", 1);
        c = load_data(DATA "with-includes/supervisord.conf");
        CHECK(c != NULL);
        if (!c)
                return;
        CHECK_STR(c->socket, "/var/run/supervisor.sock");
        CHECK_STR(c->socket_group, "supervisor");       /* chown=root:supervisor */
        api = svc(c, "backend:api");    /* [group:backend] programs=api,queue */
        queue = svc(c, "backend:queue");
        CHECK(api && queue && c->n_services == 2);
        if (!api || !queue)
                goto out;
        CHECK(getcwd(here, sizeof(here)) != NULL);
        snprintf(want, sizeof(want), "%s/" DATA "with-includes/conf.d/api.yaml", here);
        CHECK_STR(api->argv[0], "/opt/app/bin/api");
        CHECK_STR(api->argv[2], want);                  /* %(here)s: the including file's dir */
        CHECK_STR(api->argv[4], "8080");                /* %(ENV_API_PORT)s */
        CHECK_STR(api->directory, "/opt/app");          /* [supervisord] environment */
        CHECK_INT(api->out.kind, LOG_TO_FILE);
        CHECK_STR(api->out.path, "/var/log/api/out.log");
        CHECK_INT(api->out.max_size, 10 << 20);
        CHECK_INT(api->out.keep, 3);
        CHECK_INT(api->err.kind, LOG_TO_FILE);
        CHECK_INT(api->err.max_size, 50 << 20);         /* supervisord default */
        CHECK_INT(api->err.keep, 10);
        CHECK_INT(api->stop_signal, SIGINT);
        CHECK_INT(api->umask, 027);                     /* from [supervisord] */
        CHECK(strv_has(api->environment, "APP_HOME=/opt/app"));
        CHECK(strv_has(api->environment, "LANG=C.UTF-8"));
        /* continuation lines; %(program_name)s */
        CHECK_STR(queue->argv[1], "--workers");
        CHECK_STR(queue->argv[4], "queue");
        CHECK(queue->argv[5] == NULL);
        CHECK_INT(queue->start_retries, 11);
        CHECK_INT(queue->umask, 002);
out:
        confd_free(c);
}

TEST(celery_numprocs_start_eventlistener_and_env_bool)
{
        struct sup_config *c;
        const struct svc_spec *g, *c1, *c2, *beat, *l;

        setenv("BEAT_ENABLED", "false", 1);
        c = load_data(DATA "celery-beat-flower.conf");
        CHECK(c != NULL);
        if (!c)
                return;
        CHECK_INT(c->n_services, 5);    /* the eventlistener runs */
        CHECK(!diag_has(d.warnings, d.n_warnings, "user"));     /* user=root: nothing lost */
        CHECK_WARNING_HAS("[supervisord] minfds: not applied");
        g = svc(c, "gunicorn");
        c1 = svc(c, "celery:celery-1");
        c2 = svc(c, "celery:celery-2");
        beat = svc(c, "beat");
        l = svc(c, "processes");
        CHECK(g && c1 && c2 && beat && l && !svc(c, "celery:celery-0"));
        if (!g || !c1 || !c2 || !beat || !l)
                goto out;
        CHECK(strv_has(l->listen_events, "PROCESS_STATE_EXITED"));
        CHECK(strv_has(l->listen_events, "PROCESS_STATE_FATAL"));
        CHECK_INT(l->listen_buffer, 10);
        CHECK_INT(l->priority, -1);                     /* listeners start first */
        CHECK_INT(l->out.kind, LOG_TO_NULL);            /* stdout is the protocol */
        CHECK_INT(g->err.kind, LOG_TO_STDOUT);
        CHECK_INT(g->priority, 10);
        CHECK_STR(c1->argv[5], "worker1@%h");           /* %(process_num)d and %% */
        CHECK_STR(c2->argv[5], "worker2@%h");
        CHECK_INT(c2->stop_timeout, 600000);
        CHECK(!beat->autostart);                        /* %(ENV_BEAT_ENABLED)s = false */
        CHECK_INT(beat->out.kind, LOG_TO_CONSOLE);      /* AUTO */
out:
        confd_free(c);
}

TEST(legacy_daemons_file_logs_and_mixed_case_keys)
{
        struct sup_config *c = load_data(DATA "legacy-daemons.conf");
        const struct svc_spec *sshd, *rsyslog, *app;

        CHECK(c != NULL);
        if (!c)
                return;
        sshd = svc(c, "sshd");
        rsyslog = svc(c, "rsyslog");
        app = svc(c, "app");
        CHECK(sshd && rsyslog && app);
        if (!sshd || !rsyslog || !app)
                goto out;
        CHECK_INT(sshd->out.kind, LOG_TO_FILE);         /* Stdout_Logfile: keys ignore case */
        CHECK_STR(sshd->out.path, "/var/log/sshd.log");
        CHECK_INT(sshd->out.max_size, 1 << 20);
        CHECK_INT(sshd->out.keep, 2);
        CHECK_INT(sshd->err.kind, LOG_TO_STDOUT);
        CHECK_INT(rsyslog->out.kind, LOG_TO_NULL);      /* OFF */
        CHECK_INT(rsyslog->err.kind, LOG_TO_NULL);      /* NONE */
        CHECK_INT(rsyslog->start_secs, 0);
        CHECK_INT(rsyslog->restart, RESTART_ALWAYS);    /* yes */
        CHECK_STR(app->argv[1], "-Xmx512m");            /* [supervisord] environment, split */
        CHECK_STR(app->argv[2], "-Dfile.encoding=UTF-8");
        CHECK_STR(app->user, "nobody");
        CHECK_INT(app->umask, 02);
        CHECK_INT(app->start_secs, 10000);
        CHECK_INT(app->start_retries, 6);
        CHECK_INT(app->stop_signal, SIGTERM);
        CHECK(svc_exit_is_success(app, 143));
        CHECK_INT(app->err.max_size, 5 << 20);
        CHECK_INT(app->err.keep, 1);
        CHECK(strv_has(app->environment, "HOME=/tmp"));
        CHECK(strv_has(app->environment, "JAVA_OPTS=-Xmx512m -Dfile.encoding=UTF-8"));
        CHECK_WARNING_HAS("stdout_capture_maxbytes: capture mode is not supported");
out:
        confd_free(c);
}

TEST(program_defaults_are_supervisords)
{
        struct sup_config *c = load("[program:x]\ncommand = /bin/x\n");
        const struct svc_spec *s;

        CHECK(c != NULL);
        if (!c)
                return;
        s = c->services[0];
        CHECK_INT(s->start_secs, 1000);
        CHECK_INT(s->start_retries, 4);                 /* startretries 3 + the first try */
        CHECK_INT(s->restart, RESTART_ON_FAILURE);      /* autorestart unexpected */
        CHECK_INT(s->stop_timeout, 10000);
        CHECK_INT(s->stop_signal, SIGTERM);
        CHECK_INT(s->priority, 999);
        CHECK(s->autostart);
        CHECK_INT(s->out.kind, LOG_TO_CONSOLE);         /* AUTO */
        CHECK_INT(s->err.kind, LOG_TO_CONSOLE);
        CHECK_INT(s->umask, -1);                        /* no [supervisord] section */
        CHECK_INT(s->restart_delay, 1000);
        confd_free(c);
}

TEST(autorestart_mapping)
{
        struct sup_config *c = load("[program:a]\ncommand=x\nautorestart=true\n"
                                    "[program:b]\ncommand=x\nautorestart=false\n"
                                    "[program:c]\ncommand=x\nautorestart=unexpected\n");

        CHECK(c != NULL);
        if (c) {
                CHECK_INT(svc(c, "a")->restart, RESTART_ALWAYS);
                CHECK_INT(svc(c, "b")->restart, RESTART_NEVER);
                CHECK_INT(svc(c, "c")->restart, RESTART_ON_FAILURE);
        }
        confd_free(c);
}

TEST(sup_extensions_in_program_sections)
{
        struct sup_config *c = load("[program:db]\ncommand=postgres\n"
                                    "[program:app]\ncommand=app\ncritical=true\nrequires=db\n");

        CHECK(c != NULL);
        if (c) {
                CHECK(svc(c, "app")->critical);
                CHECK_STR(svc(c, "app")->after[0], "db");
        }
        confd_free(c);
}

TEST(stderr_logfile_with_redirect_warns)
{
        struct sup_config *c = load("[program:a]\ncommand=x\nredirect_stderr=true\n"
                                    "stderr_logfile=/var/log/a.err\n");

        CHECK(c != NULL);
        if (c)
                CHECK_INT(c->services[0]->err.kind, LOG_TO_STDOUT);
        CHECK_WARNING_HAS("t.ini:4: [program:a] stderr_logfile: ignored, redirect_stderr is true");
        confd_free(c);
}

TEST(warnings_are_given_once_by_name)
{
        struct sup_config *c = load("[program:a]\ncommand=x\nstdout_events_enabled=true\n"
                                    "[program:b]\ncommand=x\nstdout_events_enabled=true\n"
                                    "[inet_http_server]\nport=:9001\n");

        CHECK(c != NULL);
        CHECK_INT(d.n_warnings, 2);
        CHECK_WARNING_HAS("t.ini:3: [program:a] stdout_events_enabled: events are not supported");
        CHECK_WARNING_HAS("t.ini:7: [inet_http_server]: not supported");
        confd_free(c);
}

TEST(supervisord_environment_feeds_later_expansions)
{
        struct sup_config *c = load("[supervisord]\nenvironment=A=\"1\",B=\"2\"\n"
                                    "environment=C=\"%(ENV_A)s%(ENV_B)s\",D=x,E=y,F=z,G=w\n"
                                    "logfile=%(ENV_C)s\n"
                                    "[program:p]\ncommand=run %(ENV_C)s\n");

        CHECK(c != NULL);
        if (c)
                CHECK_STR(c->services[0]->argv[1], "12");
        confd_free(c);
}

TEST(group_name_expansion)
{
        struct sup_config *c = load("[group:g]\nprograms=a\n"
                                    "[program:a]\ncommand=run %(group_name)s %(program_name)s\n");

        CHECK(c != NULL);
        if (c) {
                CHECK_STR(c->services[0]->argv[1], "g");
                CHECK_STR(c->services[0]->argv[2], "a");
        }
        confd_free(c);
}

TEST(groups_name_their_programs_and_must_name_real_ones)
{
        struct sup_config *c = load("[group:web]\nprograms=nginx,php\npriority=5\n"
                                    "[program:nginx]\ncommand=nginx\n"
                                    "[program:php]\ncommand=php-fpm\nnumprocs=2\n"
                                    "process_name=php%(process_num)d\n"
                                    "[program:cron]\ncommand=cron -f\n");

        CHECK(c != NULL);
        if (c) {
                CHECK_INT(c->n_services, 4);
                CHECK_STR(c->services[0]->name, "web:nginx");
                CHECK_STR(c->services[1]->name, "web:php0");
                CHECK_STR(c->services[2]->name, "web:php1");
                CHECK_STR(c->services[3]->name, "cron");
                /* supervisord orders by the group's priority, then the program's;
                 * a program outside a group is a group of its own */
                CHECK_INT(c->services[0]->group_priority, 5);
                CHECK_INT(c->services[0]->priority, 999);
                CHECK_INT(c->services[3]->group_priority, 999);
        }
        confd_free(c);
        c = load("[group:web]\nprograms=nginx,missing\n[program:nginx]\ncommand=nginx\n");
        CHECK(c == NULL);
        CHECK_ERROR_HAS("t.ini:2: [group:web] programs: names a program that has no [program:] "
                        "section");
        confd_free(c);
}

TEST(group_priority_defaults_to_999_and_must_be_an_integer)
{
        struct sup_config *c = load("[group:g]\nprograms=a\n"
                                    "[program:a]\ncommand=a\npriority=5\n"
                                    "[program:b]\ncommand=b\npriority=7\n");

        CHECK(c != NULL);
        if (c) {
                CHECK_INT(c->services[0]->group_priority, 999);
                CHECK_INT(c->services[0]->priority, 5);
                CHECK_INT(c->services[1]->group_priority, 7);
        }
        confd_free(c);
        c = load("[group:g]\nprograms=a\npriority=soon\n[program:a]\ncommand=a\n");
        CHECK(c == NULL);
        CHECK_ERROR_HAS("t.ini:3: [group:g] priority:");
        confd_free(c);
        /* GROUP:N is --check's spelling, not supervisord's */
        c = load("[program:a]\ncommand=a\npriority=5:1\n");
        CHECK(c == NULL);
        confd_free(c);
        c = load("[service:g:a]\ncommand=a\npriority=5:1\n");
        CHECK(c != NULL);
        if (c) {
                CHECK_INT(c->services[0]->group_priority, 5);
                CHECK_INT(c->services[0]->priority, 1);
        }
        confd_free(c);
}

TEST(eventlistener_sections)
{
        struct sup_config *c = load("[eventlistener:watch]\ncommand=python3 l.py\n"
                                    "events=process_state_fatal,TICK_60 PROCESS_STATE_FATAL\n"
                                    "buffer_size=3\n");
        const struct svc_spec *l;

        CHECK(c != NULL);
        l = c ? svc(c, "watch") : NULL;
        CHECK(l != NULL);
        if (l) {
                CHECK(l->listen_events[0] && l->listen_events[1] && !l->listen_events[2]);
                CHECK(strv_has(l->listen_events, "PROCESS_STATE_FATAL"));
                CHECK(strv_has(l->listen_events, "TICK_60"));
                CHECK_INT(l->listen_buffer, 3);
                CHECK_INT(l->out.kind, LOG_TO_NULL);
                CHECK_INT(l->err.kind, LOG_TO_CONSOLE);
        }
        confd_free(c);
        CHECK_ONE_ERROR("[eventlistener:w]\ncommand=x\n",
                        "t.ini:1: [eventlistener:w] events: missing; an event listener needs the "
                        "event types it takes");
        CHECK_ONE_ERROR("[eventlistener:w]\ncommand=x\nevents=PROCESS_STATE_DIED\n",
                        "t.ini:3: [eventlistener:w] events: unknown event type PROCESS_STATE_DIED "
                        "(expected supervisord's names: PROCESS_STATE_FATAL, TICK_60, ...)");
        CHECK_ONE_ERROR("[eventlistener:w]\ncommand=x\nevents=TICK_5\nredirect_stderr=true\n",
                        "t.ini:4: [eventlistener:w] redirect_stderr: not allowed in an event "
                        "listener: its stdout carries the event protocol");
        c = load("[eventlistener:w]\ncommand=x\nevents=PROCESS_LOG\n");
        CHECK_WARNING_HAS("supd never sends PROCESS_LOG events");
        confd_free(c);
        /* a native service can be one too */
        c = load("[service:w]\ncommand=x\nevents=PROCESS_STATE\n");
        CHECK(c && c->services[0]->listen_events && c->services[0]->out.kind == LOG_TO_NULL);
        confd_free(c);
}

TEST(include_files_are_globs_a_missing_path_matches_nothing)
{
        struct sup_config *c = load("[include]\nfiles = /nonexistent/sup-x.conf "
                                    "/nonexistent/*.conf\n[program:a]\ncommand=a\n");

        CHECK(c != NULL);
        if (!c)
                dump_diag();
        confd_free(c);
}

TEST(pidfile_identifier_and_quit)
{
        struct sup_config *c = load("[supervisord]\npidfile=/run/supervisord.pid\n"
                                    "identifier=box1\n[program:a]\ncommand=a\n");

        CHECK(c != NULL);
        if (c) {
                CHECK_STR(c->pidfile, "/run/supervisord.pid");
                CHECK_STR(c->identifier, "box1");
                CHECK(c->supervisord);
        }
        confd_free(c);
        c = load("[service:a]\ncommand=a\n");
        CHECK(c && !c->pidfile && !c->supervisord);
        confd_free(c);
}

TEST(every_console_spelling_is_the_console)
{
        static const char *paths[] = { "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1",
                                       "/proc/1/fd/1", "/dev/stderr", "/proc/1/fd/2" };

        for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
                char text[200];
                struct sup_config *c;

                snprintf(text, sizeof(text), "[program:a]\ncommand=a\nstdout_logfile=%s\n"
                         "stderr_logfile=%s\n", paths[i], paths[i]);
                c = load(text);
                CHECK(c && c->services[0]->out.kind == LOG_TO_CONSOLE &&
                      c->services[0]->err.kind == LOG_TO_CONSOLE);
                confd_free(c);
        }
}

int main(int argc, char **argv)
{
        int rc = check_main(argc, argv);

        confd_diag_free(&d);
        return rc;
}
