/* supervisor/state.c — the per-service state machine, as one table.
 *
 * Every transition is a cell of transitions[state][event]; an empty cell
 * means the event means nothing in that state (a late READY after an exit,
 * a STOP of something already down). Actions are small and act only through
 * struct svc_ops, so tests/unit/test_state.c drives the table without
 * processes. Restart policy and backoff decisions live in settle(). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "common/log.h"
#include "common/signame.h"
#include "supervisor/svc_int.h"

static const struct svc_ops *ops;

void svc_set_ops(const struct svc_ops *o) { ops = o; }

static const char *const state_names[SVC_NSTATES] = {
        [ST_STOPPED] = "STOPPED",   [ST_STARTING] = "STARTING", [ST_RUNNING] = "RUNNING",
        [ST_BACKOFF] = "BACKOFF",   [ST_STOPPING] = "STOPPING", [ST_EXITED] = "EXITED",
        [ST_FATAL] = "FATAL",
};

const char *svc_state_name(enum svc_state st)
{
        return (unsigned)st < SVC_NSTATES ? state_names[st] : "UNKNOWN";
}

const char *svc_health_name(enum svc_health h)
{
        static const char *const names[] = {
                [SH_NONE] = "-", [SH_STARTING] = "starting", [SH_HEALTHY] = "healthy",
                [SH_UNHEALTHY] = "unhealthy",
        };

        return (unsigned)h <= SH_UNHEALTHY ? names[h] : "-";
}

bool svc_is_down(const struct svc *s)
{
        return s->state == ST_STOPPED || s->state == ST_EXITED || s->state == ST_FATAL;
}

bool svc_exited_ok(const struct svc *s)
{
        return s->have_exit && WIFEXITED(s->exit_status) &&
               svc_exit_is_success(s->spec, WEXITSTATUS(s->exit_status));
}

void svc_describe_exit(const struct svc *s, char *buf, size_t len)
{
        char sn[SIG_NAME_LEN];

        if (!s->have_exit)
                snprintf(buf, len, "never started");
        else if (s->oom_killed)
                snprintf(buf, len, "killed by the OOM killer");
        else if (s->reaper_stuck)
                snprintf(buf, len, "killed: its reaper (PID 1 of its PID namespace) was stopped "
                         "or traced");
        else if (WIFEXITED(s->exit_status))
                snprintf(buf, len, "exited %d", WEXITSTATUS(s->exit_status));
        else if (WIFSIGNALED(s->exit_status))
                snprintf(buf, len, "killed by %s", sig_name(WTERMSIG(s->exit_status), sn));
        else
                snprintf(buf, len, "status 0x%x", s->exit_status);
}

static void set_state(struct svc *s, enum svc_state st)
{
        enum svc_state from = s->state;

        ops->disarm(s);
        s->state = st;
        s->state_since = ops->now();
        if (ops->changed)
                ops->changed(s, from);
}

/* supervisord: a [program:] that leaves before startsecs "exited too
 * quickly", a failed start whatever the code. With startsecs=0 it never
 * does: it was RUNNING at once. */
static bool left_too_quickly(const struct svc *s, enum svc_state was)
{
        const struct svc_spec *sp = s->spec;

        return was == ST_STARTING && sp->from_supervisord && sp->type != SVC_ONESHOT &&
               (sp->start_secs > 0 || sp->ready != READY_NONE);
}

/* Whether the exit that just happened counts as a success. */
static bool exit_ok(const struct svc *s, enum svc_state was)
{
        if (s->priv->setup_failed || s->oom_killed || s->reaper_stuck || !svc_exited_ok(s))
                return false;
        return !left_too_quickly(s, was);
}

static void act_spawn(struct svc *s);
static void act_ready(struct svc *s);

/* supervisord retries a [program:] that did not start (spawn error, or
 * gone before startsecs) startretries times, then FATAL, whatever
 * autorestart says: autorestart is about a process that ran. */
static bool start_failed_retried(const struct svc *s)
{
        return s->spec->from_supervisord && s->spec->type != SVC_ONESHOT;
}

/* The process is gone (or never came): restart, give up, or rest. retry:
 * restart on failure whatever the policy (start_failed_retried). */
static void settle(struct svc *s, bool ok, bool retry)
{
        const struct svc_spec *sp = s->spec;
        struct svc_private *p = s->priv;
        char what[160];
        bool again;
        double delay;

        if (p->fault[0])
                snprintf(what, sizeof(what), "%s", p->fault);
        else if (!p->setup_failed && s->have_exit)
                svc_describe_exit(s, what, sizeof(what));
        else
                snprintf(what, sizeof(what), "%s", s->reason[0] ? s->reason : "failed to start");

        s->failures = ok ? 0 : s->failures + 1;
        if (p->fault[0])
                again = p->fault_restart;
        else if (sp->type == SVC_ONESHOT && ok)
                again = false;          /* a oneshot that succeeded is done */
        else
                again = sp->restart == RESTART_ALWAYS ||
                        ((sp->restart == RESTART_ON_FAILURE || retry) && !ok);

        p->done_ok = !again && ok;
        p->fault[0] = '\0';
        if (!again) {
                if (ok)
                        s->reason[0] = '\0';
                else
                        snprintf(s->reason, sizeof(s->reason), "%s", what);
                set_state(s, ST_EXITED);
                return;
        }
        if (!ok && sp->start_retries && s->failures >= sp->start_retries) {
                snprintf(s->reason, sizeof(s->reason), "%s (%u failure%s in a row)", what,
                         s->failures, s->failures == 1 ? "" : "s");
                log_warn("gave up: %s entered FATAL: %s", sp->name, s->reason);
                set_state(s, ST_FATAL);
                return;
        }
        p->quick++;
        delay = backoff_delay(sp, p->quick);
        snprintf(s->reason, sizeof(s->reason), "%s; restarting in %.3gs", what, delay);
        set_state(s, ST_BACKOFF);
        /* No delay: the replacement starts now, not one loop pass later.
         * A spawn that failed before a process existed still goes through
         * the timer, so a spawn failing at once cannot recurse; one stopped
         * meanwhile (shutdown, supctl stop) is not respawned. */
        if (delay <= 0 && !p->setup_failed && p->goal != GOAL_DOWN) {
                act_spawn(s);
                return;
        }
        ops->arm(s, delay);
}

static void act_spawn(struct svc *s)
{
        const struct svc_spec *sp = s->spec;
        struct svc_private *p = s->priv;
        struct sup_err err = { 0 };
        int rc;

        if (p->spawned_once)
                s->restarts++;
        p->spawned_once = true;
        p->setup_failed = false;
        p->killed = false;
        s->exited_before |= s->have_exit;
        s->have_exit = false;           /* exit_status stays: status shows it meanwhile */
        s->status_text[0] = '\0';
        s->started_at = ops->now();
        rc = ops->spawn(s, &err);
        if (rc < 0) {
                /* nothing was started: a failure like any other */
                log_error("%s: %s", sp->name, err.msg);
                snprintf(s->reason, sizeof(s->reason), "%s", err.msg);
                p->setup_failed = true;
                settle(s, false, start_failed_retried(s));
                return;
        }
        s->reason[0] = '\0';
        set_state(s, ST_STARTING);
        if (sp->type == SVC_ONESHOT)
                return;                         /* ready = exited with success */
        if (sp->ready == READY_DELAY)
                ops->arm(s, (double)sp->ready_delay / 1000.0);
        else if (sp->ready == READY_NONE && sp->start_secs > 0)
                ops->arm(s, (double)sp->start_secs / 1000.0);
        else if (sp->ready == READY_NONE && rc == 1)
                act_ready(s);           /* exec'd already: no status EOF to wait for */
}

static void act_ready(struct svc *s)
{
        if (s->spec->type == SVC_ONESHOT)
                return;
        s->priv->ready_at = ops->now();
        s->reason[0] = '\0';
        set_state(s, ST_RUNNING);
}

/* A long, healthy run forgives earlier failures. */
static void forgive_long_run(struct svc *s, bool was_running)
{
        struct svc_private *p = s->priv;

        if (was_running && ops->now() - p->ready_at >= backoff_window(s->spec)) {
                s->failures = 0;
                p->quick = 0;
        }
}

static void act_exit(struct svc *s)
{
        enum svc_state was = s->state;
        bool ok = exit_ok(s, was);

        ops->release(s);
        forgive_long_run(s, was == ST_RUNNING);
        settle(s, ok, left_too_quickly(s, was) ||
                              (s->priv->setup_failed && start_failed_retried(s)));
}

static void act_term(struct svc *s)
{
        ops->signal(s, s->spec->stop_signal ? s->spec->stop_signal : SIGTERM);
        set_state(s, ST_STOPPING);
        ops->arm(s, (double)s->spec->stop_timeout / 1000.0);
}

static void act_kill(struct svc *s)
{
        const struct svc_private *p = s->priv;
        int sent = p->fault[0] && p->fault_signal ? p->fault_signal : s->spec->stop_signal;
        char sn[SIG_NAME_LEN];

        log_warn("%s: still running %.3gs after %s, sending SIGKILL", s->spec->name,
                 (double)s->spec->stop_timeout / 1000.0, sig_name(sent ? sent : SIGTERM, sn));
        s->priv->killed = true;
        ops->signal(s, SIGKILL);
}

/* A health check or the watchdog gave up on the running process: stop it
 * like a stop (signal, stop_timeout, SIGKILL); its exit then settles as a
 * failure whose reason is the fault (act_stopped). */
static void act_fail(struct svc *s)
{
        struct svc_private *p = s->priv;
        int sig = p->fault_signal ? p->fault_signal
                                  : s->spec->stop_signal ? s->spec->stop_signal : SIGTERM;

        char sn[SIG_NAME_LEN];

        log_warn("%s: %s: stopping it (%s)%s", s->spec->name, p->fault, sig_name(sig, sn),
                 p->fault_restart ? " to restart it" : "");
        ops->signal(s, sig);
        set_state(s, ST_STOPPING);
        ops->arm(s, (double)s->spec->stop_timeout / 1000.0);
}

static void act_stopped(struct svc *s)
{
        if (s->state == ST_STOPPING && s->priv->fault[0]) {
                ops->release(s);
                forgive_long_run(s, s->priv->ready_at >= s->started_at);
                settle(s, false, false);
                return;
        }
        if (s->state == ST_STOPPING)
                ops->release(s);
        s->reason[0] = '\0';
        set_state(s, ST_STOPPED);
}

typedef void (*svc_action)(struct svc *s);

static const svc_action transitions[SVC_NSTATES][SVC_NEVENTS] = {
        /*                 SE_START    SE_READY   SE_EXIT       SE_STOP       SE_TIMER   SE_FAIL */
        [ST_STOPPED]  = { act_spawn,  NULL,      NULL,         NULL,         NULL,      NULL     },
        [ST_STARTING] = { NULL,       act_ready, act_exit,     act_term,     act_ready, act_fail },
        [ST_RUNNING]  = { NULL,       NULL,      act_exit,     act_term,     NULL,      act_fail },
        [ST_BACKOFF]  = { act_spawn,  NULL,      NULL,         act_stopped,  act_spawn, NULL     },
        [ST_STOPPING] = { NULL,       NULL,      act_stopped,  NULL,         act_kill,  NULL     },
        [ST_EXITED]   = { act_spawn,  NULL,      NULL,         NULL,         NULL,      NULL     },
        [ST_FATAL]    = { act_spawn,  NULL,      NULL,         NULL,         NULL,      NULL     },
};

void svc_event(struct svc *s, enum svc_event ev)
{
        svc_action act;

        if ((unsigned)s->state >= SVC_NSTATES || (unsigned)ev >= SVC_NEVENTS)
                return;
        act = transitions[s->state][ev];
        if (act)
                act(s);
}
