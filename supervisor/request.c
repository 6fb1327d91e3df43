/* supervisor/request.c — what an operator may ask of the run: start, stop,
 * restart or signal a service, forward a signal, shut down. Start, stop,
 * restart and shutdown change goals and kick the scheduler; signals go
 * straight to the processes. Nothing here waits. */
#include <errno.h>
#include <signal.h>

#include "supervisor/run_int.h"

void supervisor_shutdown(void)
{
        run_end(-1);
        sched_kick();
}

static int check_request(struct svc *s, struct sup_err *err)
{
        if (!s || !run_state.started)
                return sup_fail(err, ENOENT, "no such service");
        if (run_state.shutting)
                return sup_fail(err, ESHUTDOWN, "%s: supd is shutting down", s->spec->name);
        return 0;
}

static void forgive(struct svc *s)
{
        s->failures = 0;
        s->priv->quick = 0;
}

int svc_request_start(struct svc *s, struct sup_err *err)
{
        if (check_request(s, err) < 0)
                return -1;
        forgive(s);
        switch (s->state) {
        case ST_STARTING:
        case ST_RUNNING:
                return 0;
        case ST_BACKOFF:                /* the operator is waiting: no delay */
                svc_event(s, SE_START);
                break;
        case ST_STOPPING:
                s->priv->goal = GOAL_DOWN;
                s->priv->restart_after_stop = true;
                break;
        default:
                s->priv->goal = GOAL_UP;
                break;
        }
        sched_kick();
        return 0;
}

int svc_request_stop(struct svc *s, struct sup_err *err)
{
        if (check_request(s, err) < 0)
                return -1;
        s->priv->goal = svc_alive(s) ? GOAL_DOWN : GOAL_NONE;
        s->priv->restart_after_stop = false;
        sched_kick();
        return 0;
}

int svc_request_restart(struct svc *s, struct sup_err *err)
{
        if (check_request(s, err) < 0)
                return -1;
        if (!svc_alive(s))
                return svc_request_start(s, err);
        forgive(s);
        s->priv->goal = GOAL_DOWN;
        s->priv->restart_after_stop = true;
        sched_kick();
        return 0;
}

int svc_signal(struct svc *s, int sig, struct sup_err *err)
{
        if (!s || !run_state.started)
                return sup_fail(err, ENOENT, "no such service");
        if (!s->priv->have_proc)
                return sup_fail(err, ESRCH, "%s: not running", s->spec->name);
        if (rt_signal(&s->priv->proc, sig, err) < 0)
                return sup_wrap(err, "%s", s->spec->name);
        return 0;
}

void supervisor_forward_signal(int sig)
{
        size_t n, i;
        struct svc **list = table_list(&n);

        if (!run_state.started)
                return;
        for (i = 0; i < n; i++)
                if (list[i]->spec->main) {
                        if (list[i]->pid > 0)
                                kill(list[i]->pid, sig);
                        return;
                }
        for (i = 0; i < n; i++)
                if (list[i]->priv->have_proc)
                        kill(list[i]->pid, sig);
}
