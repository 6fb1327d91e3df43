/* supervisor/supervisor.h — the service table and what cmd/ may ask of it.
 *
 * cmd/supd_config.c owns the loop, the signal watchers and the reaping; it
 * hands every reaped pid to supervisor_child_exited() and every signal to
 * the calls below. The supervisor decides, and calls the runtime to act.
 * When the run is over (requested shutdown finished, or a critical service
 * ended it) it calls the done callback once with supd's exit code; cmd/
 * then sweeps orphans and exits. */
#ifndef SUP_SUPERVISOR_SUPERVISOR_H
#define SUP_SUPERVISOR_SUPERVISOR_H

#include <stdbool.h>
#include <sys/types.h>

#include <ev.h>

#include "common/err.h"
#include "confd/spec.h"

typedef void (*supervisor_done_fn)(int exit_code);

/* Take ownership of cfg, open the control socket, start what autostarts.
 * The caller has prepared every spec (rt_init, then rt_prepare: a bad
 * seccomp profile is a config error before anything runs); a reload
 * prepares the specs it loads itself. cfg_path is what SIGHUP/`supctl
 * reload` re-reads (NULL: reload refused). */
int supervisor_start(struct ev_loop *loop, struct sup_config *cfg, const char *cfg_path,
                     supervisor_done_fn done, struct sup_err *err);

/* A pid was reaped. True when it was (the main pid of) a service. */
bool supervisor_child_exited(pid_t pid, int wait_status);

/* SIGTERM/SIGINT/`supctl shutdown`: stop everything in reverse order. */
void supervisor_shutdown(void);

/* `supctl reread`/`avail`: the same comparison as a reload, applied to
 * nothing. fn is called per service of the file (IN_USE unchanged, CHANGED,
 * AVAILABLE = not running yet) and per running one the file dropped
 * (DISAPPEARED, spec of the running one). A bad config: -1, err says why. */
enum reread_kind { REREAD_IN_USE, REREAD_CHANGED, REREAD_AVAILABLE, REREAD_DISAPPEARED };
typedef void (*reread_fn)(const struct svc_spec *sp, enum reread_kind kind, void *ctx);
int supervisor_reread(reread_fn fn, void *ctx, struct sup_err *err);

/* SIGHUP/`supctl reload`/`update`: re-read; start new, stop removed,
 * restart changed. On a bad config nothing changes and err says why;
 * summary gets one line such as "added 1, removed 0, changed 2, unchanged
 * 5"; fn (may be NULL) is told of each service added (AVAILABLE), changed
 * and removed (DISAPPEARED) as the reload applies it. */
int supervisor_reload(char *summary, size_t summary_len, reread_fn fn, void *ctx,
                      struct sup_err *err);

/* Any other catchable signal sent to supd: to the main service when there
 * is one, else to every running service. */
void supervisor_forward_signal(int sig);

/* Before exit: write out what the services' output queues still hold, as
 * far as the destinations take it, at most until deadline (ev_now-based
 * seconds). */
void supervisor_flush_logs(double deadline);

#endif
