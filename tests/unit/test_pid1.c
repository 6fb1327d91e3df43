/* Unit tests of pid1/ and cmd/: exit codes, option parsing, and pid1_run_child in a
 * forked process that inherited a running default loop (the runtime's case). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ev.h>

#include "check.h"
#include "common/exitcode.h"
#include "common/log.h"
#include "pid1/pid1.h"
#include "cmd/supd_int.h"

TEST(exit_code_of_every_exit_status)
{
        for (int c = 0; c < 256; c++)
                CHECK_INT(exitcode_of_status(W_EXITCODE(c, 0)), c);
}

TEST(exit_code_of_signal_death_is_128_plus_n)
{
        CHECK_INT(exitcode_of_status(SIGHUP), 129);
        CHECK_INT(exitcode_of_status(SIGINT), 130);
        CHECK_INT(exitcode_of_status(SIGKILL), 137);
        CHECK_INT(exitcode_of_status(SIGTERM), 143);
        CHECK_INT(exitcode_of_status(SIGSEGV | 0x80), 139);    /* with core dump */
        CHECK_INT(exitcode_of_status(SIGRTMAX), 128 + SIGRTMAX);
}

TEST(exec_errors_are_127_or_126)
{
        CHECK_INT(exitcode_of_exec_errno(ENOENT), 127);
        CHECK_INT(exitcode_of_exec_errno(ENOTDIR), 127);
        CHECK_INT(exitcode_of_exec_errno(EACCES), 126);
        CHECK_INT(exitcode_of_exec_errno(ENOEXEC), 126);
        CHECK_INT(exitcode_of_exec_errno(EISDIR), 126);
}

static int parse(struct supd_args *a, char **argv)
{
        int argc = 0;

        while (argv[argc])
                argc++;
        return supd_args_parse(argc, argv, a);
}

TEST(options_stop_at_first_non_option)
{
        struct supd_args a;
        char *argv[] = { "supd", "-g", "ls", "-l", "-t", NULL };

        CHECK_INT(parse(&a, argv), 0);
        CHECK(a.to_group);
        CHECK_STR(a.command[0], "ls");
        CHECK_STR(a.command[1], "-l");
        CHECK_INT(a.grace_ms, PID1_GRACE_MS_DEFAULT);
}

TEST(options_with_values_and_clusters)
{
        struct supd_args a;
        char *argv1[] = { "supd", "-vvg", "-t500ms", "-c", "x.ini", "--", "-cmd", NULL };
        char *argv2[] = { "supd", "-qqq", "-t", "1.5", "--check", NULL };

        CHECK_INT(parse(&a, argv1), 0);
        CHECK_INT(a.verbosity, LOG_DEBUG);
        CHECK(a.to_group);
        CHECK_INT(a.grace_ms, 500);
        CHECK_STR(a.config, "x.ini");
        CHECK_STR(a.command[0], "-cmd");
        CHECK_INT(parse(&a, argv2), 0);
        CHECK_INT(a.verbosity, LOG_ERROR);
        CHECK_INT(a.grace_ms, 1500);
        CHECK(a.check);
        CHECK(a.command == NULL);
}

TEST(durations_take_units)
{
        struct supd_args a;
        const char *ok[][2] = { { "2", "2000" }, { "250ms", "250" }, { "3s", "3000" },
                                { "1m", "60000" }, { "1h", "3600000" }, { "0", "0" } };

        for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
                char *argv[] = { "supd", "-t", (char *)ok[i][0], "true", NULL };

                CHECK_INT(parse(&a, argv), 0);
                CHECK_INT(a.grace_ms, atoi(ok[i][1]));
        }
}

TEST(usage_errors_are_refused)
{
        struct supd_args a;
        const char *bad[][3] = { { "-x", NULL }, { "-t", NULL }, { "-t", "soon" }, { "-t", "-1" },
                                 { "-t", "5d" }, { "--nope", NULL },
                                 { "-c", NULL }, { "--", NULL } };

        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                char *argv[] = { "supd", (char *)bad[i][0], (char *)bad[i][1], NULL };

                CHECK_INT(parse(&a, argv), -1);
        }
}

TEST(rewrites_exit_codes_pdeath_job_control_and_leftovers)
{
        struct supd_args a;
        char *argv[] = { "supd", "-r", "USR1:SIGUSR2", "-r15:0", "-r", "40:1", "-e", "3", "-e255",
                         "-p", "TERM", "-j", "--leftovers=leave", "--", "app", NULL };
        char *plain[] = { "supd", "app", NULL };

        CHECK_INT(parse(&a, argv), 0);
        CHECK_INT(a.rewrite[SIGUSR1], SIGUSR2);
        CHECK_INT(a.rewrite[SIGTERM], PID1_SIG_DROP);
        CHECK_INT(a.rewrite[40], SIGHUP);
        CHECK_INT(a.rewrite[SIGINT], 0);
        CHECK_INT(zero_codes_apply(&a.zero, 3), 0);
        CHECK_INT(zero_codes_apply(&a.zero, 255), 0);
        CHECK_INT(zero_codes_apply(&a.zero, 4), 4);
        CHECK_INT(a.pdeath_sig, SIGTERM);
        CHECK(a.job_control);
        CHECK_INT(a.leftovers, PID1_LEFTOVERS_LEAVE);
        CHECK_STR(a.command[0], "app");
        CHECK_INT(parse(&a, plain), 0);
        CHECK_INT(a.leftovers, -1);             /* not given: the config decides */
        CHECK(!a.job_control && a.pdeath_sig == 0);
}

TEST(bad_rewrites_codes_and_leftovers_are_refused)
{
        struct supd_args a;
        const char *bad[][2] = { { "-r", "USR1" }, { "-r", "USR1:NOPE" }, { "-r", "NOPE:1" },
                                 { "-r", "KILL:TERM" }, { "-r", "65:1" }, { "-e", "256" },
                                 { "-e", "-1" }, { "-e", "" }, { "-p", "NOPE" },
                                 { "--leftovers=maybe", NULL }, { "--leftovers", NULL } };

        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                char *argv[] = { "supd", (char *)bad[i][0], (char *)bad[i][1], "true", NULL };

                if (!bad[i][1])
                        argv[2] = "true", argv[3] = NULL;
                CHECK_INT(parse(&a, argv), -1);
        }
        /* -r and -j are for one command, not for a config. */
        char *cfg_r[] = { "supd", "-r", "1:2", "-c", "x.ini", NULL };
        char *cfg_j[] = { "supd", "-j", "-c", "x.ini", "--", "app", NULL };
        CHECK_INT(parse(&a, cfg_r), -1);
        CHECK_INT(parse(&a, cfg_j), -1);
}

TEST(peer_names_pick_their_command_lines)
{
        CHECK(compat_main_for("tini") == compat_tini_main);
        CHECK(compat_main_for("/usr/bin/tini-static") == compat_tini_main);
        CHECK(compat_main_for("/sbin/docker-init") == compat_tini_main);
        CHECK(compat_main_for("dumb-init") == compat_dumb_init_main);
        CHECK(compat_main_for("/usr/sbin/supd") == NULL);
        CHECK(compat_main_for("tini-x") == NULL);
        CHECK(compat_main_for(NULL) == NULL);
}

static int reaped_code = -1;

static void on_reaped(struct ev_loop *loop, ev_child *w, int revents)
{
        reaped_code = exitcode_of_status(w->rstatus);
        ev_break(loop, EVBREAK_ALL);
}

static void on_timeout(struct ev_loop *loop, ev_timer *w, int revents)
{
        ev_break(loop, EVBREAK_ALL);
}

/* The runtime's case: a clone of a supd whose default loop is running, with
 * a child watcher and SIGCHLD on its signalfd, becomes its child's init. */
TEST(run_child_in_a_fork_that_inherited_the_default_loop)
{
        struct ev_loop *loop = ev_default_loop(EVBACKEND_EPOLL | EVFLAG_SIGNALFD);
        ev_child cw;
        ev_timer tw;
        pid_t ns_init, after;
        int status = 0;

        CHECK(loop != NULL);
        ev_child_init(&cw, on_reaped, 0, 0);
        ev_child_start(loop, &cw);
        ev_run(loop, EVRUN_NOWAIT);
        ns_init = fork();
        if (ns_init == 0) {
                struct pid1_opts o = { .grace_ms = 200 };
                struct sup_err err;
                pid_t c;

                pid1_become_reaper(&err);       /* as the namespace's PID 1 would be */
                c = fork();
                if (c == 0) {
                        if (fork() == 0)        /* a straggler, TERMed at the end */
                                pause();
                        _exit(7);
                }
                _exit(pid1_run_child(c, &o));
        }
        CHECK(waitpid(ns_init, &status, 0) == ns_init);
        CHECK(WIFEXITED(status));
        CHECK_INT(WEXITSTATUS(status), 7);
        /* And the parent's loop still reaps: its signalfd was left alone. */
        after = fork();
        if (after == 0)
                _exit(5);
        ev_child_stop(loop, &cw);
        ev_child_set(&cw, after, 0);
        ev_child_start(loop, &cw);
        ev_timer_init(&tw, on_timeout, 10., 0.);
        ev_timer_start(loop, &tw);
        ev_run(loop, 0);
        CHECK_INT(reaped_code, 5);
        ev_timer_stop(loop, &tw);
        ev_child_stop(loop, &cw);
        ev_loop_destroy(loop);
}

/* The children of pid, as /proc lists them (zombies included): how many. */
static int children_of(pid_t pid)
{
        char path[64], buf[256];
        FILE *f;
        int n = 0;

        snprintf(path, sizeof(path), "/proc/%ld/task/%ld/children", (long)pid, (long)pid);
        f = fopen(path, "re");
        if (!f)
                return -1;
        while (fscanf(f, "%255s", buf) == 1)
                n++;
        fclose(f);
        return n;
}

/* The child of a run that lets the kernel reap: makes orphans that exit
 * while it runs, waits (10 s at most) until its parent has no child but it
 * left, and dies of SIGKILL, whose status must come back as 137. */
static void orphan_maker(pid_t init)
{
        for (int i = 0; i < 20; i++) {
                pid_t mid = fork();

                if (mid == 0) {
                        if (fork() == 0)
                                _exit(0);       /* an orphan, once mid is gone */
                        _exit(0);
                }
                waitpid(mid, NULL, 0);
        }
        for (int ms = 0; ms < 10000 && children_of(init) != 1; ms++)
                usleep(1000);
        if (children_of(init) != 1)
                _exit(1);                       /* zombies left: code 1, not 137 */
        kill(getpid(), SIGKILL);
        _exit(2);
}

/* supd --'s case: orphans are released at their exit (SIGCHLD ignored on a
 * kernel that keeps the exit status on the pidfd; waited for on an older
 * one), none stays a zombie, and the child's own status is exact. */
TEST(run_child_reaps_orphans_and_keeps_the_childs_status)
{
        pid_t init = fork();
        int status = 0;

        if (init == 0) {
                struct pid1_opts o = { .grace_ms = 200, .autoreap = true };
                struct sup_err err;
                pid_t c;

                pid1_become_reaper(&err);
                pid1_block_signals();
                c = fork();
                if (c == 0)
                        orphan_maker(getppid());
                _exit(pid1_run_child(c, &o));
        }
        CHECK(waitpid(init, &status, 0) == init);
        CHECK(WIFEXITED(status));
        CHECK_INT(WEXITSTATUS(status), 128 + SIGKILL);
}

int main(int argc, char **argv) { return check_main(argc, argv); }
