/* cmd/supd_config.c — `supd -c FILE [-- COMMAND]`: hand the services to the
 * supervisor, own the loop, the signals and the reaping.
 *
 * Signals: TERM/INT stop everything (QUIT too for a supervisord config, as
 * supervisord does), HUP reloads, TTIN/TTOU are dropped (tini), every
 * other catchable one goes to the supervisor to forward.
 * Every reaped pid goes to supervisor_child_exited(). When the supervisor
 * is done, every process left gets TERM, then KILL after [supd]
 * shutdown_timeout ([supd] leftovers = sweep, the default), or is left be
 * (leftovers = leave). */
#include "cmd/supd_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <ev.h>

#include "common/exitcode.h"
#include "common/log.h"
#include "common/signame.h"
#include "confd/confd.h"
#include "pid1/pid1.h"
#include "pid1/sweep.h"
#include "runtime/runtime.h"
#include "supervisor/supervisor.h"

static struct {
        struct ev_loop *loop;
        int sfd;
        ev_io sig_w;
        ev_child child_w;
        struct pid1_sweep sweep;
        ev_timer sweep_w;               /* the sweep's next deadline */
        bool sweeping;
        bool leave_leftovers;
        unsigned shutdown_ms;
        bool quit_shuts_down;
        int exit_code;
} cm = { .sfd = -1, .exit_code = 1 };

static void sweep_done(struct pid1_sweep *sw)
{
        ev_break(cm.loop, EVBREAK_ALL);
}

/* The sweep keeps no timer: after each call into it, wait for what it
 * says next. */
static void sweep_rearm(void)
{
        int ms = pid1_sweep_timeout_ms(&cm.sweep);

        ev_timer_stop(cm.loop, &cm.sweep_w);
        if (ms < 0)
                return;
        ev_now_update(cm.loop);         /* the deadline is from now, not the loop's cached time */
        ev_timer_set(&cm.sweep_w, ms / 1000.0, 0.);
        ev_timer_start(cm.loop, &cm.sweep_w);
}

static void on_sweep_deadline(struct ev_loop *loop, ev_timer *w, int revents)
{
        pid1_sweep_tick(&cm.sweep);
        sweep_rearm();
}

static void on_done(int code)
{
        if (cm.sweeping)
                return;
        cm.sweeping = true;
        cm.exit_code = code;
        if (cm.leave_leftovers) {
                log_debug("services down: leaving what is left ([supd] leftovers = leave)");
                ev_break(cm.loop, EVBREAK_ALL);
                return;
        }
        pid1_sweep_start(&cm.sweep, cm.shutdown_ms, sweep_done);
        sweep_rearm();
}

static void reload(void)
{
        char summary[256] = "";
        struct sup_err err;

        if (supervisor_reload(summary, sizeof(summary), NULL, NULL, &err) < 0)
                log_error("reload: %s", err.msg);
        else
                log_info("reloaded: %s", summary);
}

static void handle_signal(int sig)
{
        if (cm.sweeping) {
                pid1_sweep_signal(&cm.sweep, sig);
                return sweep_rearm();
        }
        switch (sig) {
        case SIGQUIT:
                if (!cm.quit_shuts_down)
                        return supervisor_forward_signal(sig);
                /* fall through */
        case SIGTERM:
        case SIGINT:
                return supervisor_shutdown();
        case SIGHUP:
                return reload();
        case SIGTTIN:
        case SIGTTOU:
                log_debug("ignored %s", sig_name(sig, (char[SIG_NAME_LEN]){ 0 }));
                return;
        default:
                return supervisor_forward_signal(sig);
        }
}

static void on_signals(struct ev_loop *loop, ev_io *w, int revents)
{
        struct signalfd_siginfo si;

        while (read(cm.sfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
                if (!pid1_signal_is_own(&si))
                        handle_signal((int)si.ssi_signo);
}

static void never_cb(struct ev_loop *loop, ev_periodic *w, int revents) { }

/* Zero idle wakeups. libev caps every sleep at ~60 s (MAX_BLOCKTIME), to
 * notice a clock that jumped, unless a timerfd tells it of jumps: then an
 * idle sleep lasts ~17 days (MAX_BLOCKTIME2, libev >= 4.32). It opens that
 * timerfd with the first ev_periodic (ev(3), EVFLAG_NOTIMERFD), so one
 * started and stopped here is enough. libev still computes every sleep from
 * its own timer heap, so no deadline of ours can be slept through. */
static void loop_sleep_uncapped(struct ev_loop *loop)
{
        ev_periodic p;

        ev_periodic_init(&p, never_cb, 0., 0., 0);
        ev_periodic_start(loop, &p);
        ev_periodic_stop(loop, &p);
}

/* libev reaps every child, orphans included, and calls this for each. */
static void on_child(struct ev_loop *loop, ev_child *w, int revents)
{
        if (!supervisor_child_exited(w->rpid, w->rstatus))
                log_debug("reaped orphan %ld (exit code %d)", (long)w->rpid,
                          exitcode_of_status(w->rstatus));
        if (cm.sweeping) {
                pid1_sweep_reaped(&cm.sweep);
                sweep_rearm();
        }
}

static int loop_open(void)
{
        sigset_t set;

        pid1_block_signals();
        cm.loop = ev_default_loop(EVBACKEND_EPOLL | EVFLAG_SIGNALFD | EVFLAG_NOENV);
        if (!cm.loop)
                return log_error("cannot create the event loop"), -1;
        loop_sleep_uncapped(cm.loop);
        pid1_signal_set(&set);
        sigdelset(&set, SIGCHLD);       /* libev's own signalfd reads it */
        cm.sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
        if (cm.sfd < 0)
                return log_error("signalfd: %m"), -1;
        ev_init(&cm.sweep_w, on_sweep_deadline);
        ev_io_init(&cm.sig_w, on_signals, cm.sfd, EV_READ);
        ev_io_start(cm.loop, &cm.sig_w);
        ev_child_init(&cm.child_w, on_child, 0, 0);
        ev_child_start(cm.loop, &cm.child_w);
        return 0;
}

static struct sup_config *load(const char *path)
{
        struct confd_diag diag = { 0 };
        struct sup_config *cfg = confd_load_file(path, &diag);

        confd_diag_log(&diag);
        confd_diag_free(&diag);
        return cfg;
}

static int prepare(struct sup_config *cfg)
{
        struct sup_err err;

        if (rt_init(&err) < 0)
                return log_error("%s", err.msg), 1;
        for (size_t i = 0; i < cfg->n_services; i++)
                if (rt_prepare(cfg->services[i], &err) < 0)
                        return log_error("service %s", err.msg), 2;  /* "web: why" */
        return 0;
}

int supd_config_main(const struct supd_args *a)
{
        const char *path = a->config ? a->config : getenv("SUP_CONFIG");
        struct sup_config *cfg;
        struct sup_err err;
        char *pidfile = NULL;
        int rc;

        if (!path || !*path)
                path = SUPD_DEFAULT_CONFIG;
        if (!(cfg = load(path)))
                return 2;
        if (a->check) {
                rc = supd_check_host(cfg) < 0 ? 2 : 0;
                confd_print(stdout, cfg);
                confd_free(cfg);
                return fflush(stdout) == 0 ? rc : 1;
        }
        if (a->to_group || a->grace_set)
                log_warn("-g and -t apply to single-command mode; in config mode see "
                         "[supd] shutdown_timeout and the services' stop keys");
        if (a->command && !confd_add_main(cfg, a->command)) {
                confd_free(cfg);
                return log_error("cannot add the main command"), 1;
        }
        if ((rc = prepare(cfg)) != 0) {
                confd_free(cfg);
                return rc;
        }
        cm.leave_leftovers = a->leftovers >= 0 ? a->leftovers == PID1_LEFTOVERS_LEAVE
                                               : cfg->leave_leftovers;
        if (a->pdeath_sig && prctl(PR_SET_PDEATHSIG, a->pdeath_sig) < 0)
                log_warn("prctl(PR_SET_PDEATHSIG, %d): %m", a->pdeath_sig);
        cm.shutdown_ms = cfg->shutdown_timeout > UINT32_MAX ? UINT32_MAX
                                                            : (unsigned)cfg->shutdown_timeout;
        cm.quit_shuts_down = cfg->supervisord;
        if (pid1_become_reaper(&err) < 0)
                log_warn("%s: orphans will not be reaped", err.msg);
        if (loop_open() < 0) {
                confd_free(cfg);
                return 1;
        }
        if (cfg->pidfile && !(pidfile = strdup(cfg->pidfile)))
                log_error("pidfile: out of memory");
        if (supervisor_start(cm.loop, cfg, path, on_done, &err) < 0) {
                log_error("%s", err.msg);
                rc = 1;
        } else {
                /* once the socket is ours (not another supd's), before the
                 * loop runs: a listener may signal it at its first event.
                 * As supervisord, one that cannot be written is said and
                 * not fatal. */
                if (pidfile && supd_pidfile_write(pidfile) < 0) {
                        free(pidfile);
                        pidfile = NULL;
                }
                ev_run(cm.loop, 0);
                /* What services wrote last is still queued for a slow console. */
                supervisor_flush_logs(ev_time() + 1.0);
                rc = zero_codes_apply(&a->zero, cm.exit_code);
        }
        if (pidfile)
                supd_pidfile_remove(pidfile);
        free(pidfile);
        return rc;
}
