/* The supervisor for real, in-process: real loop, real runtime spawns of
 * /bin/sh services, our own reaping. Each test runs in a forked child (the
 * supervisor is a process-wide singleton) with a scratch directory; services
 * leave timestamp files there, and assertions compare their order. */
#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "common/sigconf.h"
#include "confd/confd.h"
#include "runtime/runtime.h"
#include "supervisor/supervisor.h"
#include "supervisor/svc.h"

static struct ev_loop *loop;
static char dir[64];
static int done_code = -1;
static struct svc_spec *specs[16];
static size_t n_specs;
static struct sup_config cfg;

static char *xstrdup(const char *s) { return strdup(s); }

static struct svc_spec *service(const char *name, const char *cmd)
{
        struct svc_spec *sp = calloc(1, sizeof(*sp));
        char **argv = calloc(4, sizeof(char *));

        argv[0] = xstrdup("/bin/sh");
        argv[1] = xstrdup("-c");
        argv[2] = xstrdup(cmd);
        sp->name = xstrdup(name);
        sp->argv = argv;
        sp->umask = -1;
        sp->autostart = true;
        sp->priority = 999;
        sp->restart = RESTART_ON_FAILURE;
        sp->success_exit[0] = 1;
        sp->restart_delay = 50;
        sp->restart_delay_max = 400;
        sp->start_retries = 3;
        sp->stop_signal = SIGTERM;
        sp->stop_timeout = 2000;
        sp->out.kind = LOG_TO_CONSOLE;
        sp->err.kind = LOG_TO_CONSOLE;
        specs[n_specs++] = sp;
        return sp;
}

static char **names(const char *a, const char *b)
{
        char **l = calloc(3, sizeof(char *));
        l[0] = a ? xstrdup(a) : NULL;
        l[1] = b ? xstrdup(b) : NULL;
        return l;
}

static void on_child(struct ev_loop *l, ev_child *w, int revents)
{
        (void)l;
        (void)revents;
        supervisor_child_exited(w->rpid, w->rstatus);
}

static void on_done(int code)
{
        done_code = code;
        ev_break(loop, EVBREAK_ALL);
}

static void on_deadline(struct ev_loop *l, ev_timer *w, int revents)
{
        (void)w;
        (void)revents;
        fprintf(stderr, "  deadline passed\n");
        ev_break(l, EVBREAK_ALL);
}

static ev_child child_w;

static void start(void)
{
        struct sup_err err = { 0 };

        cfg.services = specs;
        cfg.n_services = n_specs;
        cfg.shutdown_timeout = 5000;
        ev_child_init(&child_w, on_child, 0, 0);
        ev_child_start(loop, &child_w);
        for (size_t i = 0; i < n_specs; i++)
                CHECK(rt_prepare(specs[i], &err) == 0);
        if (supervisor_start(loop, &cfg, NULL, on_done, &err) < 0) {
                fprintf(stderr, "  supervisor_start: %s\n", err.msg);
                check_failed_now = 1;
        }
}

/* Run the loop until cond() holds or `secs` pass. */
static int (*wait_cond)(void);
static void on_check(struct ev_loop *l, ev_prepare *w, int revents)
{
        (void)w;
        (void)revents;
        if (wait_cond && wait_cond())
                ev_break(l, EVBREAK_ALL);
}

static void on_poll(struct ev_loop *l, ev_timer *w, int revents)
{
        (void)l;
        (void)w;
        (void)revents;          /* only wakes the loop: marks are files, not events */
}

static bool run_until(int (*cond)(void), double secs)
{
        ev_timer t, poll;
        ev_prepare p;

        wait_cond = cond;
        ev_timer_init(&t, on_deadline, secs, 0.);
        ev_timer_start(loop, &t);
        ev_timer_init(&poll, on_poll, 0.02, 0.02);
        ev_timer_start(loop, &poll);
        ev_prepare_init(&p, on_check);
        ev_prepare_start(loop, &p);
        if (!cond || !cond())
                ev_run(loop, 0);
        ev_timer_stop(loop, &t);
        ev_timer_stop(loop, &poll);
        ev_prepare_stop(loop, &p);
        wait_cond = NULL;
        return !cond || cond();
}

static double stamp(const char *name)
{
        char path[128];
        double v = -1;
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", dir, name);
        f = fopen(path, "r");
        if (!f)
                return -1;
        if (fscanf(f, "%lf", &v) != 1)
                v = -1;
        fclose(f);
        return v;
}

static int count_lines(const char *name)
{
        char path[128], line[64];
        int n = 0;
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", dir, name);
        f = fopen(path, "r");
        if (!f)
                return 0;
        while (fgets(line, sizeof(line), f))
                n++;
        fclose(f);
        return n;
}

static const char *state_of(const char *name)
{
        struct svc *s = table_find(name);
        return s ? svc_state_name(s->state) : "none";
}

static int is_done(void) { return done_code >= 0; }

static const char *want_name, *want_state;
static int in_state(void) { return strcmp(state_of(want_name), want_state) == 0; }

static bool wait_state(const char *name, const char *state, double secs)
{
        want_name = name;
        want_state = state;
        return run_until(in_state, secs);
}

/* Fork; the child runs the scenario and reports through its exit status. */
static void in_child(void (*scenario)(void))
{
        pid_t pid;
        int st;
        char sock[96];

        fflush(NULL);
        pid = fork();
        if (pid == 0) {
                sigconf_capture(&sigconf_inherited);
                snprintf(dir, sizeof(dir), "/tmp/sup-sched.XXXXXX");
                if (!mkdtemp(dir))
                        _exit(3);
                setenv("D", dir, 1);
                snprintf(sock, sizeof(sock), "%s/ctl.sock", dir);
                setenv("SUP_SOCKET", sock, 1);
                setenv("H", "build/helpers", 1);
                loop = ev_default_loop(0);
                scenario();
                if (!is_done()) {
                        supervisor_shutdown();
                        run_until(is_done, 10);
                }
                char cmd[128];
                snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
                if (system(cmd) != 0)
                        check_failed_now = 1;
                _exit(check_failed_now);
        }
        CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

#define NOW "$(date +%s.%N)"

/* ---- dependencies --------------------------------------------------- */

static int web_running(void) { return stamp("app.start") > 0; }

static void order_scenario(void)
{
        struct svc_spec *init, *web, *app;

        init = service("init", "sleep 0.2; echo " NOW " > $D/init.done");
        init->type = SVC_ONESHOT;
        web = service("web", "echo " NOW " > $D/web.start; sleep 0.3; echo >&3; exec sleep 100");
        web->after = names("init", NULL);
        web->ready = READY_FD;
        web->ready_fd = 3;
        app = service("app", "echo " NOW " > $D/app.start; exec sleep 100");
        app->after = names("web", NULL);
        start();
        CHECK_STR(table_find("web")->reason, "waiting for init");
        CHECK(run_until(web_running, 5));
        CHECK(stamp("init.done") > 0);
        CHECK(stamp("web.start") >= stamp("init.done"));
        CHECK(stamp("app.start") >= stamp("web.start") + 0.29);      /* after the newline */
        CHECK_STR(state_of("init"), "EXITED");
        supervisor_shutdown();
        CHECK(run_until(is_done, 5));
        CHECK_INT(done_code, 0);
}
TEST(start_order_follows_after_oneshots_and_fd_readiness) { in_child(order_scenario); }

static int app_blocked(void) { return strstr(table_find("app")->reason, "failed") != NULL; }

static void dep_failed_scenario(void)
{
        struct svc_spec *db, *app;

        db = service("db", "exit 3");
        db->restart = RESTART_NEVER;
        db->type = SVC_ONESHOT;
        app = service("app", "touch $D/app.started; exec sleep 100");
        app->after = names("db", NULL);
        start();
        CHECK(run_until(app_blocked, 5));
        CHECK_STR(table_find("app")->reason, "dependency db failed");
        CHECK_STR(state_of("app"), "STOPPED");
        CHECK(stamp("app.started") < 0 && access("app.started", F_OK) != 0);
}
TEST(a_failed_dependency_keeps_dependents_down_with_a_reason) { in_child(dep_failed_scenario); }

static int app_stopped_db_fatal(void)
{
        return strcmp(state_of("db"), "FATAL") == 0 && strcmp(state_of("app"), "STOPPED") == 0;
}

static void requires_scenario(void)
{
        struct svc_spec *db, *app;

        db = service("db", "echo >&3; sleep 0.3; exit 1");
        db->ready = READY_FD;
        db->ready_fd = 3;
        db->start_retries = 1;
        app = service("app", "exec sleep 100");
        app->after = names("db", NULL);
        app->requires = names("db", NULL);
        start();
        CHECK(run_until(app_stopped_db_fatal, 5));
        CHECK(table_find("app")->restarts == 0);
}
TEST(requires_stops_the_dependent_when_the_dependency_dies_for_good) { in_child(requires_scenario); }

/* ---- restarts ------------------------------------------------------- */

static int crash_fatal(void) { return strcmp(state_of("crash"), "FATAL") == 0; }

static void backoff_scenario(void)
{
        struct svc_spec *c = service("crash", "echo " NOW " >> $D/starts; exit 1");

        c->start_retries = 4;
        c->restart_delay = 100;
        c->restart_delay_max = 1000;
        start();
        CHECK(run_until(crash_fatal, 5));
        CHECK_STR(table_find("crash")->reason, "exited 1 (4 failures in a row)");
        CHECK_INT(table_find("crash")->restarts, 3);
        CHECK_INT(count_lines("starts"), 4);

        /* gaps grow: >= 0.1, 0.2, 0.4 s */
        double t[4] = { 0 };
        char path[128];
        snprintf(path, sizeof(path), "%s/starts", dir);
        FILE *f = fopen(path, "r");
        for (int i = 0; f && i < 4; i++)
                CHECK(fscanf(f, "%lf", &t[i]) == 1);
        if (f)
                fclose(f);
        CHECK(t[1] - t[0] >= 0.1);
        CHECK(t[2] - t[1] >= 0.2);
        CHECK(t[3] - t[2] >= 0.4);
        CHECK(t[3] - t[2] > t[1] - t[0]);
}
TEST(crash_loop_backs_off_then_gives_up) { in_child(backoff_scenario); }

static int restarted_running(void)
{
        struct svc *s = table_find("svc");
        return s->state == ST_RUNNING && s->restarts == 1;
}

static void request_scenario(void)
{
        struct sup_err err;
        struct svc *s;

        service("svc", "exec sleep 100");
        start();
        s = table_find("svc");
        CHECK(wait_state("svc", "RUNNING", 5));
        pid_t first = s->pid;
        CHECK(first > 0);
        CHECK(svc_request_restart(s, &err) == 0);
        CHECK(run_until(restarted_running, 5));
        CHECK(s->pid != first && s->pid > 0);
        CHECK(kill(first, 0) != 0);
        CHECK(svc_request_stop(s, &err) == 0);
        CHECK(wait_state("svc", "STOPPED", 5));
        CHECK(s->pid == 0);
        CHECK(svc_request_start(s, &err) == 0);
        CHECK(wait_state("svc", "RUNNING", 5));
}
TEST(operator_restart_gives_a_new_pid) { in_child(request_scenario); }

/* ---- critical / shutdown ------------------------------------------ */

static void critical_scenario(void)
{
        struct svc_spec *c = service("app", "sleep 0.2; exit 7");

        c->critical = true;
        c->restart = RESTART_NEVER;
        service("other", "exec sleep 100");
        start();
        CHECK(run_until(is_done, 5));
        CHECK_INT(done_code, 7);
        CHECK_STR(state_of("other"), "STOPPED");
}
TEST(critical_exit_ends_the_run_with_its_code) { in_child(critical_scenario); }

static void reverse_scenario(void)
{
        struct svc_spec *db, *web;

        db = service("db", "trap 'echo " NOW " > $D/db.stop; exit 0' TERM; echo >&3; while :; do sleep 0.05; done");
        db->ready = READY_FD;
        db->ready_fd = 3;
        web = service("web", "trap 'sleep 0.2; echo " NOW " > $D/web.stop; exit 0' TERM; echo >&3; while :; do sleep 0.05; done");
        web->ready = READY_FD;
        web->ready_fd = 3;
        web->after = names("db", NULL);
        start();
        CHECK(wait_state("web", "RUNNING", 5));
        supervisor_shutdown();
        CHECK(run_until(is_done, 5));
        CHECK_INT(done_code, 0);
        CHECK(stamp("web.stop") > 0 && stamp("db.stop") > stamp("web.stop"));
}
TEST(shutdown_stops_in_reverse_order) { in_child(reverse_scenario); }

/* Shutdown waits for higher priorities; a dependency still outranks one:
 * db (priority 900) is what web (priority 1) comes after, so web stops
 * first and db after it, and cache (500) before both. No deadlock. */
static void priority_stop_scenario(void)
{
#define STOPS(n) "trap 'sleep 0.1; echo " NOW " > $D/" n ".stop; exit 0' TERM; " \
                 "echo >&3; while :; do sleep 0.05; done"
        struct svc_spec *sp[3] = { service("db", STOPS("db")), service("web", STOPS("web")),
                                   service("cache", STOPS("cache")) };
        static const int prio[3] = { 900, 1, 500 };
#undef STOPS

        for (int i = 0; i < 3; i++) {
                sp[i]->ready = READY_FD;
                sp[i]->ready_fd = 3;
                sp[i]->priority = sp[i]->group_priority = prio[i];
        }
        sp[1]->after = names("db", NULL);
        start();
        CHECK(wait_state("web", "RUNNING", 5));
        CHECK(wait_state("cache", "RUNNING", 5));
        supervisor_shutdown();
        CHECK(run_until(is_done, 5));
        CHECK_INT(done_code, 0);
        CHECK(stamp("cache.stop") > 0);
        CHECK(stamp("web.stop") > stamp("cache.stop"));
        CHECK(stamp("db.stop") > stamp("web.stop"));
}
TEST(shutdown_waits_for_higher_priorities_but_dependencies_win) { in_child(priority_stop_scenario); }

static void kill_scenario(void)
{
        struct svc_spec *s = service("stubborn", "trap '' TERM; echo >&3; while :; do sleep 0.05; done");

        s->ready = READY_FD;
        s->ready_fd = 3;
        s->stop_timeout = 200;
        start();
        CHECK(wait_state("stubborn", "RUNNING", 5));
        supervisor_shutdown();
        CHECK(run_until(is_done, 5));
        CHECK_INT(done_code, 1);
        CHECK(WIFSIGNALED(table_find("stubborn")->exit_status));
}
TEST(stop_timeout_kills_and_exit_code_is_1) { in_child(kill_scenario); }

/* ---- readiness ---------------------------------------------------- */

static int both_running(void) { return stamp("after.start") > 0; }

static void notify_scenario(void)
{
        struct svc_spec *n, *a;

        n = service("notified", "sleep 0.3; echo " NOW " > $D/notify.sent; $H/sd_notify STATUS=warm READY=1; exec sleep 100");
        n->ready = READY_NOTIFY;
        a = service("after", "echo " NOW " > $D/after.start; exec sleep 100");
        a->after = names("notified", NULL);
        start();
        CHECK_STR(state_of("notified"), "STARTING");
        CHECK(run_until(both_running, 5));
        CHECK(stamp("after.start") >= stamp("notify.sent"));
        CHECK_STR(table_find("notified")->status_text, "warm");
}
TEST(notify_readiness_gates_dependents) { in_child(notify_scenario); }

static void delay_scenario(void)
{
        struct svc_spec *d, *a;

        d = service("slow", "echo " NOW " > $D/slow.start; exec sleep 100");
        d->ready = READY_DELAY;
        d->ready_delay = 1500;
        a = service("after", "echo " NOW " > $D/after.start; exec sleep 100");
        a->after = names("slow", NULL);
        start();
        CHECK(run_until(both_running, 5));
        /* the delay counts from the spawn, slow's mark from a little later */
        CHECK(stamp("after.start") >= stamp("slow.start") + 1.0);
}
TEST(delay_readiness_gates_dependents) { in_child(delay_scenario); }

static void setup_fail_scenario(void)
{
        struct svc_spec *s = service("missing", "true");

        free(s->argv[0]);
        s->argv[0] = xstrdup("/nonexistent/binary");
        s->start_retries = 2;
        start();
        CHECK(wait_state("missing", "FATAL", 5));
        CHECK(strstr(table_find("missing")->reason, "/nonexistent/binary") != NULL);
}
TEST(exec_failure_is_the_reason) { in_child(setup_fail_scenario); }

int main(int argc, char **argv) { return check_main(argc, argv); }
