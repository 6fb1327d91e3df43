/* The state table driven by events, with fake side effects: no processes. */
#include <signal.h>
#include <sys/wait.h>

#include "check.h"
#include "common/exitcode.h"
#include "supervisor/svc_int.h"

static double fake_now;
static int spawn_fail;          /* next spawns fail before a process exists */
static int spawns, next_pid = 100;
static int last_sig, n_sigs;
static double armed = -1;       /* seconds, -1 = disarmed */
static int releases, changes;

static int f_spawn(struct svc *s, struct sup_err *err)
{
        if (spawn_fail)
                return sup_fail(err, 2, "exec %s", s->spec->argv[0]);
        spawns++;
        s->pid = next_pid++;
        return 0;
}
static void f_signal(struct svc *s, int sig) { (void)s; last_sig = sig; n_sigs++; }
static void f_arm(struct svc *s, double after) { (void)s; armed = after; }
static void f_disarm(struct svc *s) { (void)s; armed = -1; }
static void f_release(struct svc *s) { (void)s; releases++; }
static double f_now(void) { return fake_now; }
static void f_changed(struct svc *s, enum svc_state from) { (void)s; (void)from; changes++; }

static const struct svc_ops fake_ops = {
        f_spawn, f_signal, f_arm, f_disarm, f_release, f_now, f_changed,
};

static char *argv_true[] = { "/bin/true", NULL };

static struct svc_spec *spec_new(void)
{
        static struct svc_spec sp;

        memset(&sp, 0, sizeof(sp));
        sp.name = "web";
        sp.argv = argv_true;
        sp.type = SVC_SIMPLE;
        sp.restart = RESTART_ON_FAILURE;
        sp.success_exit[0] = 1;         /* exit 0 */
        sp.restart_delay = 100;
        sp.restart_delay_max = 1000;
        sp.start_retries = 3;
        sp.stop_signal = SIGTERM;
        sp.stop_timeout = 2000;
        return &sp;
}

static struct svc *fresh(struct svc_spec *sp)
{
        svc_set_ops(&fake_ops);
        fake_now = 1000;
        spawns = n_sigs = last_sig = releases = changes = spawn_fail = 0;
        armed = -1;
        return svc_new(sp);
}

static void exit_with(struct svc *s, int code)
{
        s->have_exit = true;
        s->exit_status = W_EXITCODE(code, 0);
        s->pid = 0;
        svc_event(s, SE_EXIT);
}

static void die_of(struct svc *s, int sig)
{
        s->have_exit = true;
        s->exit_status = sig;   /* WIFSIGNALED form */
        s->pid = 0;
        svc_event(s, SE_EXIT);
}

TEST(start_then_ready_runs)
{
        struct svc *s = fresh(spec_new());

        svc_event(s, SE_START);
        CHECK_INT(s->state, ST_STARTING);
        CHECK_INT(spawns, 1);
        CHECK(s->pid == 100);
        CHECK(armed < 0);               /* ready=none: no deadline */
        svc_event(s, SE_READY);
        CHECK_INT(s->state, ST_RUNNING);
        CHECK_INT(changes, 2);
        svc_free(s);
}

TEST(respawn_keeps_the_previous_exit_for_status)
{
        struct svc *s = fresh(spec_new());

        svc_event(s, SE_START);
        CHECK(!s->exited_before);
        die_of(s, SIGSEGV);
        CHECK_INT(s->state, ST_BACKOFF);
        svc_event(s, SE_TIMER);                 /* respawned */
        CHECK_INT(s->state, ST_STARTING);
        CHECK(!s->have_exit);                   /* the running process has not exited */
        CHECK(s->exited_before);
        CHECK(WIFSIGNALED(s->exit_status) && WTERMSIG(s->exit_status) == SIGSEGV);
        exit_with(s, 4);
        svc_event(s, SE_TIMER);
        CHECK(!s->have_exit);
        CHECK(WIFEXITED(s->exit_status) && WEXITSTATUS(s->exit_status) == 4);
        svc_free(s);
}

TEST(events_a_state_does_not_take_are_ignored)
{
        struct svc *s = fresh(spec_new());

        svc_event(s, SE_READY);
        svc_event(s, SE_EXIT);
        svc_event(s, SE_TIMER);
        svc_event(s, SE_STOP);
        CHECK_INT(s->state, ST_STOPPED);
        CHECK_INT(changes, 0);
        svc_event(s, SE_START);
        svc_event(s, SE_READY);
        svc_event(s, SE_START);         /* already running */
        CHECK_INT(spawns, 1);
        CHECK_STR(svc_state_name(s->state), "RUNNING");
        svc_free(s);
}

TEST(crash_backs_off_with_growing_delays_then_fatal)
{
        struct svc_spec *sp = spec_new();
        struct svc *s = fresh(sp);
        double d1, d2;

        svc_event(s, SE_START);
        exit_with(s, 1);
        CHECK_INT(s->state, ST_BACKOFF);
        CHECK_INT(s->failures, 1);
        d1 = armed;
        CHECK(d1 > 0.099 && d1 < 0.101);
        CHECK(strstr(s->reason, "exited 1") != NULL);
        svc_event(s, SE_TIMER);
        CHECK_INT(s->state, ST_STARTING);
        CHECK_INT(s->restarts, 1);
        exit_with(s, 1);
        d2 = armed;
        CHECK(d2 > d1 * 1.9);
        svc_event(s, SE_TIMER);
        exit_with(s, 1);
        CHECK_INT(s->state, ST_FATAL);
        CHECK_STR(s->reason, "exited 1 3 times in a row");
        CHECK(armed < 0);
        CHECK_INT(releases, 3);
        svc_event(s, SE_TIMER);         /* FATAL is never left by itself */
        CHECK_INT(s->state, ST_FATAL);
        svc_event(s, SE_START);         /* only by a request */
        CHECK_INT(s->state, ST_STARTING);
        svc_free(s);
}

TEST(delay_is_capped_at_restart_delay_max)
{
        struct svc_spec *sp = spec_new();

        sp->restart_delay = 100;
        sp->restart_delay_max = 500;
        CHECK(backoff_delay(sp, 1) == 0.1);
        CHECK(backoff_delay(sp, 2) == 0.2);
        CHECK(backoff_delay(sp, 3) == 0.4);
        CHECK(backoff_delay(sp, 4) == 0.5);
        CHECK(backoff_delay(sp, 40) == 0.5);
}

TEST(long_run_resets_failures_and_backoff)
{
        struct svc_spec *sp = spec_new();
        struct svc *s = fresh(sp);

        svc_event(s, SE_START);
        exit_with(s, 1);
        svc_event(s, SE_TIMER);
        exit_with(s, 1);
        CHECK_INT(s->failures, 2);
        svc_event(s, SE_TIMER);
        svc_event(s, SE_READY);
        fake_now += backoff_window(sp) + 0.5;
        exit_with(s, 1);
        CHECK_INT(s->state, ST_BACKOFF);   /* not FATAL: the run was long */
        CHECK_INT(s->failures, 1);
        CHECK(armed > 0.099 && armed < 0.101);
        svc_free(s);
}

TEST(success_exit_with_on_failure_rests_in_exited)
{
        struct svc *s = fresh(spec_new());

        svc_event(s, SE_START);
        svc_event(s, SE_READY);
        exit_with(s, 0);
        CHECK_INT(s->state, ST_EXITED);
        CHECK_STR(s->reason, "");
        CHECK_INT(s->failures, 0);
        svc_free(s);
}

TEST(restart_always_restarts_a_clean_exit)
{
        struct svc_spec *sp = spec_new();
        struct svc *s;

        sp->restart = RESTART_ALWAYS;
        s = fresh(sp);
        svc_event(s, SE_START);
        exit_with(s, 0);
        CHECK_INT(s->state, ST_BACKOFF);
        CHECK_INT(s->failures, 0);
        svc_free(s);
}

TEST(restart_never_keeps_the_failure_reason)
{
        struct svc_spec *sp = spec_new();
        struct svc *s;

        sp->restart = RESTART_NEVER;
        s = fresh(sp);
        svc_event(s, SE_START);
        die_of(s, SIGSEGV);
        CHECK_INT(s->state, ST_EXITED);
        CHECK_STR(s->reason, "killed by SIGSEGV");
        CHECK_INT(exitcode_of_status(s->exit_status), 128 + SIGSEGV);
        svc_free(s);
}

TEST(success_exit_codes_come_from_the_spec)
{
        struct svc_spec *sp = spec_new();
        struct svc *s;

        sp->success_exit[0] = 0;
        sp->success_exit[3 / 8] |= 1 << 3;
        s = fresh(sp);
        svc_event(s, SE_START);
        exit_with(s, 3);
        CHECK_INT(s->state, ST_EXITED);
        svc_event(s, SE_START);
        exit_with(s, 0);
        CHECK_INT(s->state, ST_BACKOFF);
        svc_free(s);
}

TEST(oneshot_is_done_when_it_exits_with_success)
{
        struct svc_spec *sp = spec_new();
        struct svc *s;

        sp->type = SVC_ONESHOT;
        sp->restart = RESTART_ALWAYS;
        s = fresh(sp);
        svc_event(s, SE_START);
        svc_event(s, SE_READY);         /* readiness of a oneshot is its exit */
        CHECK_INT(s->state, ST_STARTING);
        exit_with(s, 0);
        CHECK_INT(s->state, ST_EXITED);
        CHECK_INT(spawns, 1);
        svc_free(s);
}

TEST(stop_signals_then_kills_after_timeout)
{
        struct svc *s = fresh(spec_new());

        svc_event(s, SE_START);
        svc_event(s, SE_READY);
        svc_event(s, SE_STOP);
        CHECK_INT(s->state, ST_STOPPING);
        CHECK_INT(last_sig, SIGTERM);
        CHECK(armed > 1.99 && armed < 2.01);
        svc_event(s, SE_STOP);          /* a second stop changes nothing */
        CHECK_INT(n_sigs, 1);
        svc_event(s, SE_TIMER);
        CHECK_INT(last_sig, SIGKILL);
        CHECK(s->priv->killed);
        die_of(s, SIGKILL);
        CHECK_INT(s->state, ST_STOPPED);
        CHECK_INT(releases, 1);
        CHECK(armed < 0);
        svc_free(s);
}

TEST(stop_in_backoff_cancels_the_restart)
{
        struct svc *s = fresh(spec_new());

        svc_event(s, SE_START);
        exit_with(s, 1);
        CHECK(armed > 0);
        svc_event(s, SE_STOP);
        CHECK_INT(s->state, ST_STOPPED);
        CHECK(armed < 0);
        CHECK_INT(n_sigs, 0);
        svc_free(s);
}

TEST(ready_delay_and_start_secs_arm_a_deadline)
{
        struct svc_spec *sp = spec_new();
        struct svc *s;

        sp->ready = READY_DELAY;
        sp->ready_delay = 250;
        s = fresh(sp);
        svc_event(s, SE_START);
        CHECK(armed > 0.249 && armed < 0.251);
        svc_event(s, SE_TIMER);
        CHECK_INT(s->state, ST_RUNNING);
        svc_free(s);

        sp = spec_new();
        sp->start_secs = 1000;
        sp->from_supervisord = true;
        s = fresh(sp);
        svc_event(s, SE_START);
        CHECK(armed > 0.999 && armed < 1.001);
        exit_with(s, 0);                /* left before startsecs: a failure */
        CHECK_INT(s->state, ST_BACKOFF);
        CHECK_INT(s->failures, 1);
        svc_free(s);
}

TEST(spawn_failure_counts_as_a_failure)
{
        struct svc_spec *sp = spec_new();
        struct svc *s;

        sp->start_retries = 2;
        s = fresh(sp);
        spawn_fail = 1;
        svc_event(s, SE_START);
        CHECK_INT(s->state, ST_BACKOFF);
        CHECK(strstr(s->reason, "exec /bin/true") != NULL);
        svc_event(s, SE_TIMER);
        CHECK_INT(s->state, ST_FATAL);
        CHECK(strstr(s->reason, "2 times in a row") != NULL);
        CHECK_INT(releases, 0);
        svc_free(s);
}

TEST(setup_failure_reason_survives_the_exit)
{
        struct svc *s = fresh(spec_new());

        svc_event(s, SE_START);
        s->priv->setup_failed = true;
        snprintf(s->reason, sizeof(s->reason), "mount /data: No such file or directory");
        exit_with(s, 127);
        CHECK_INT(s->state, ST_BACKOFF);
        CHECK(strstr(s->reason, "mount /data") == s->reason);
        svc_free(s);
}

TEST(oom_kill_is_named)
{
        struct svc *s = fresh(spec_new());

        svc_event(s, SE_START);
        s->oom_killed = true;
        die_of(s, SIGKILL);
        CHECK(strstr(s->reason, "OOM") != NULL);
        svc_free(s);
}

TEST(fail_stops_then_restarts_with_the_fault_as_reason)
{
        struct svc_spec *sp = spec_new();
        struct svc *s = fresh(sp);

        sp->restart = RESTART_NEVER;            /* a fault with restart set overrides it */
        svc_event(s, SE_START);
        svc_event(s, SE_READY);
        strcpy(s->priv->fault, "watchdog timeout");
        s->priv->fault_signal = SIGABRT;
        s->priv->fault_restart = true;
        svc_event(s, SE_FAIL);
        CHECK_INT(s->state, ST_STOPPING);
        CHECK_INT(last_sig, SIGABRT);
        CHECK(armed == 2.0);                    /* stop_timeout, then SIGKILL */
        svc_event(s, SE_TIMER);
        CHECK_INT(last_sig, SIGKILL);
        die_of(s, SIGKILL);
        CHECK_INT(s->state, ST_BACKOFF);
        CHECK(strncmp(s->reason, "watchdog timeout; restarting in", 31) == 0);
        CHECK_INT(s->failures, 1);
        CHECK(s->priv->fault[0] == '\0');
        svc_event(s, SE_TIMER);
        CHECK_INT(s->state, ST_STARTING);
        svc_free(s);
}

TEST(fail_without_restart_rests_exited_and_fail_is_ignored_when_down)
{
        struct svc *s = fresh(spec_new());

        svc_event(s, SE_FAIL);                  /* STOPPED: nothing to fail */
        CHECK_INT(s->state, ST_STOPPED);
        CHECK_INT(n_sigs, 0);
        svc_event(s, SE_START);
        strcpy(s->priv->fault, "unhealthy: 3 failed checks in a row (exit 1)");
        s->priv->fault_restart = false;
        svc_event(s, SE_FAIL);                  /* STARTING takes it too */
        CHECK_INT(s->state, ST_STOPPING);
        CHECK_INT(last_sig, SIGTERM);           /* stop_signal by default */
        exit_with(s, 143);
        CHECK_INT(s->state, ST_EXITED);
        CHECK_STR(s->reason, "unhealthy: 3 failed checks in a row (exit 1)");
        CHECK(!s->priv->done_ok);
        svc_free(s);
}

TEST(state_names_are_supervisords)
{
        CHECK_STR(svc_state_name(ST_STOPPED), "STOPPED");
        CHECK_STR(svc_state_name(ST_STARTING), "STARTING");
        CHECK_STR(svc_state_name(ST_BACKOFF), "BACKOFF");
        CHECK_STR(svc_state_name(ST_STOPPING), "STOPPING");
        CHECK_STR(svc_state_name(ST_EXITED), "EXITED");
        CHECK_STR(svc_state_name(ST_FATAL), "FATAL");
        CHECK_STR(svc_state_name(SVC_NSTATES), "UNKNOWN");
}

int main(int argc, char **argv) { return check_main(argc, argv); }
