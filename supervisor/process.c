/* supervisor/process.c — the real side effects behind the state table.
 *
 * Spawning through the runtime with the service's log pipes, readiness
 * channel and NOTIFY_SOCKET; watching the child's setup verdict
 * (status_fd); one ev_timer per service for its current deadline; and
 * process_exited(), what the reaped main pid of a service leaves to do. It
 * sits below the scheduler: state changes and the end of every event from
 * the loop go to the hooks given at process_init(). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/signame.h"
#include "common/sigconf.h"
#include "supervisor/events.h"
#include "supervisor/health.h"
#include "supervisor/logroute.h"
#include "supervisor/run_int.h"

static struct ev_loop *loop;
static struct process_hooks hooks;
static int devnull = -1;

static void status_close(struct svc_private *p)
{
        if (p->status_w.fd >= 0)
                ev_io_stop(loop, &p->status_w);
        p->status_w.fd = -1;
        if (p->proc.status_fd >= 0)
                close(p->proc.status_fd);
        p->proc.status_fd = -1;
}

/* The reaper outlived its service by RT_REAPER_DEADLINE_MS: it cannot run
 * (stopped, or held by a tracer the service started). Waiting would leave
 * the service RUNNING for ever; killing PID 1 kills the namespace. */
static void reaper_deadline_cb(struct ev_loop *l, ev_timer *w, int revents)
{
        struct svc *s = w->data;

        (void)l;
        (void)revents;
        if (!s->priv->have_proc || s->priv->proc.pid <= 0)
                return;
        log_error("%s: its reaper (pid %d, PID 1 of its PID namespace) did not exit %u ms after "
                  "the service did: stopped or traced; killing it", s->spec->name,
                  (int)s->priv->proc.pid, RT_REAPER_DEADLINE_MS);
        s->reaper_stuck = true;
        kill(s->priv->proc.pid, SIGKILL);
}

static void service_ended_cb(struct ev_loop *l, ev_io *w, int revents)
{
        struct svc *s = w->data;
        struct svc_private *p = s->priv;

        (void)revents;
        ev_io_stop(l, w);
        ev_timer_init(&p->reaper_deadline, reaper_deadline_cb, RT_REAPER_DEADLINE_MS / 1000.0, 0.);
        p->reaper_deadline.data = s;
        ev_timer_start(l, &p->reaper_deadline);
}

static void service_watch(struct svc *s)
{
        struct svc_private *p = s->priv;

        if (p->proc.service_pidfd < 0 || ev_is_active(&p->service_w) ||
            ev_is_active(&p->reaper_deadline))
                return;
        ev_io_init(&p->service_w, service_ended_cb, p->proc.service_pidfd, EV_READ);
        p->service_w.data = s;
        ev_io_start(loop, &p->service_w);
}

static void service_unwatch(struct svc_private *p)
{
        ev_io_stop(loop, &p->service_w);
        ev_timer_stop(loop, &p->reaper_deadline);
}

/* The child's verdict: setup failed (with the step), or execve happened. */
static int status_take(struct svc *s)
{
        struct svc_private *p = s->priv;
        struct sup_err err = { 0 };
        int r = rt_read_status(&p->proc, NULL, &err);

        service_watch(s);
        if (r == 1)
                return 1;
        status_close(p);
        if (r < 0) {
                p->setup_failed = true;
                snprintf(s->reason, sizeof(s->reason), "%s", err.msg);
                log_error("%s: %s", s->spec->name, err.msg);
        }
        return r;
}

static void status_cb(struct ev_loop *l, ev_io *w, int revents)
{
        struct svc *s = w->data;
        const struct svc_spec *sp = s->spec;

        (void)l;
        (void)revents;
        if (status_take(s) != 0)
                return;         /* not yet, or failed: the exit follows */
        if (sp->type != SVC_ONESHOT && sp->ready == READY_NONE && sp->start_secs == 0)
                svc_event(s, SE_READY);
        hooks.after_event();
}

static int open_devnull(void)
{
        if (devnull < 0)
                devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
        return devnull;
}

static int real_spawn(struct svc *s, struct sup_err *err)
{
        const struct svc_spec *sp = s->spec;
        struct svc_private *p = s->priv;
        struct rt_stdio io = { .in = -1, .out = -1, .err = -1, .ready_fd = -1,
                               .sigconf = &sigconf_inherited };
        int rp[2] = { -1, -1 };

        if (s->log && logroute_slot_open_files(s->log, err) < 0)
                return -1;
        if (!sp->main)
                io.in = open_devnull();
        if (s->log && logroute_slot_child_fds(s->log, &io.out, &io.err, err) < 0)
                return -1;      /* EMFILE...: reported as the start's failure, retried */
        if (sp->type != SVC_ONESHOT && sp->ready == READY_FD && sp->ready_fd >= 0) {
                if (pipe2(rp, O_CLOEXEC) < 0)
                        return sup_fail(err, errno, "readiness pipe");
                io.ready_fd = rp[1];
        }
        if (sp->ready == READY_NOTIFY || sp->watchdog) {
                if (ready_notify_open(s, err) < 0)
                        goto fail;
                io.notify_socket = p->notify_name;
                io.watchdog_usec = sp->watchdog * 1000ull;
        }
        if (sp->listen_events && events_listener_pipes(s, &io.in, &io.out, err) < 0)
                goto fail;
        memset(&p->proc, 0, sizeof(p->proc));
        p->proc.pidfd = p->proc.status_fd = p->proc.service_pidfd = -1;
        s->reaper_stuck = false;
        if (rt_spawn(sp, &io, &p->proc, err) < 0) {
                events_spawned(s, false);
                goto fail;
        }
        events_spawned(s, true);
        if (rp[1] >= 0)
                close(rp[1]);
        p->have_proc = true;
        s->pid = p->proc.pid;
        if (p->proc.status_fd >= 0) {
                fcntl(p->proc.status_fd, F_SETFL, fcntl(p->proc.status_fd, F_GETFL) | O_NONBLOCK);
                ev_io_init(&p->status_w, status_cb, p->proc.status_fd, EV_READ);
                p->status_w.data = s;
                ev_io_start(loop, &p->status_w);
        }
        if (rp[0] >= 0)
                ready_fd_watch(s, rp[0]);
        log_info("%s: spawned, pid %d", sp->name, (int)s->pid);
        return p->proc.status_fd < 0;   /* 1: exec'd already (rt_spawn vforked) */
fail:
        if (rp[0] >= 0) {
                close(rp[0]);
                close(rp[1]);
        }
        return -1;
}

static void real_signal(struct svc *s, int sig)
{
        struct sup_err err = { 0 };
        char sn[SIG_NAME_LEN];

        if (!s->priv->have_proc)
                return;
        if (rt_signal(&s->priv->proc, sig, &err) < 0 && err.errnum != ESRCH)
                log_warn("%s: %s: %s", s->spec->name, sig_name(sig, sn), err.msg);
}

static void timer_cb(struct ev_loop *l, ev_timer *w, int revents)
{
        (void)l;
        (void)revents;
        svc_event(w->data, SE_TIMER);
        hooks.after_event();
}

static void real_arm(struct svc *s, double after)
{
        struct svc_private *p = s->priv;

        ev_timer_stop(loop, &p->timer);
        ev_timer_init(&p->timer, timer_cb, after < 0 ? 0 : after, 0.);
        p->timer.data = s;
        ev_timer_start(loop, &p->timer);
}

static void real_disarm(struct svc *s)
{
        ev_timer_stop(loop, &s->priv->timer);
}

static void real_release(struct svc *s)
{
        struct svc_private *p = s->priv;

        status_close(p);
        service_unwatch(p);
        ready_fd_close(s);
        if (p->have_proc)
                rt_release(&p->proc);
        p->have_proc = false;
        s->pid = 0;
}

static double real_now(void)
{
        return ev_now(loop);
}

static struct svc_ops real_ops = {
        .spawn = real_spawn,
        .signal = real_signal,
        .arm = real_arm,
        .disarm = real_disarm,
        .release = real_release,
        .now = real_now,
};

/* A service at rest holds no log pipes (logroute_slot_release). */
static void process_changed(struct svc *s, enum svc_state from)
{
        if (s->log && !svc_alive(s) &&
            (s->state == ST_STOPPED || s->state == ST_EXITED || s->state == ST_FATAL))
                logroute_slot_release(s->log);
        if (hooks.changed)
                hooks.changed(s, from);
}

void process_init(struct ev_loop *l, const struct process_hooks *h)
{
        loop = l;
        hooks = *h;
        real_ops.changed = process_changed;
        ready_init(l, h->after_event);
        svc_set_ops(&real_ops);
}

void process_forget(struct svc *s)
{
        health_forget(s);
        real_disarm(s);
        real_release(s);
        ready_notify_close(s);
        events_forget(s);
}

void process_exited(struct svc *s, int wait_status)
{
        struct svc_private *p = s->priv;
        struct sup_err err = { 0 };
        char what[96];

        s->have_exit = true;
        s->exit_status = wait_status;
        if (p->proc.status_fd >= 0)
                status_take(s);         /* a setup failure names the step */
        s->oom_killed = rt_oom_killed(&p->proc);
        service_unwatch(p);
        /* the service is its whole group/cgroup: nothing of it outlives it */
        if (rt_has_stragglers(&p->proc) && rt_signal(&p->proc, SIGKILL, &err) < 0 &&
            err.errnum != ESRCH)
                log_warn("%s: killing leftover processes: %s", s->spec->name, err.msg);
        if (s->log)
                logroute_slot_child_exited(s->log);
        svc_describe_exit(s, what, sizeof(what));
        log_info("%s: pid %d %s", s->spec->name, (int)s->pid, what);
        s->pid = 0;
        svc_event(s, SE_EXIT);
}
