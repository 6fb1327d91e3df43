/* supervisor/logroute.h — services' stdout/stderr to console, files, null.
 *
 * Each service has a slot that owns its pipes for its whole life, across
 * restarts, so nothing written just before a crash is lost. The router
 * never blocks PID 1: writes are non-blocking with a bounded queue per
 * slot; when the queue is full it stops reading that slot's pipe and the
 * service blocks on its own write (pipe backpressure). */
#ifndef SUP_SUPERVISOR_LOGROUTE_H
#define SUP_SUPERVISOR_LOGROUTE_H

#include <stddef.h>

#include <ev.h>

#include "common/err.h"
#include "confd/spec.h"

/* Once: the loop and the console line format ("{name} | {line}"). Also
 * routes supd's own log_msg() lines through the console queue. */
int logroute_init(struct ev_loop *loop, const char *log_format, struct sup_err *err);

struct log_slot;

struct log_slot *log_slot_new(const char *name, const struct log_target *out,
                              const struct log_target *err, struct sup_err *e);

/* Write ends for the next child: dup2 them onto 1 and 2. Owned by the slot. */
int log_slot_child_fds(struct log_slot *slot, int *out_w, int *err_w);

/* Reload changed the targets. */
int log_slot_reconfigure(struct log_slot *slot, const struct log_target *out,
                         const struct log_target *err, struct sup_err *e);

/* The service is gone for good: drain what is buffered, then free. */
void log_slot_close(struct log_slot *slot);

/* The last lines kept in memory, oldest first, each without its '\n'. */
typedef void (*log_line_fn)(const char *line, size_t len, void *ctx);
void log_slot_tail(struct log_slot *slot, unsigned n, log_line_fn emit, void *ctx);

/* Live lines from now on, until unfollowed. Returns a handle >= 0. */
int log_slot_follow(struct log_slot *slot, log_line_fn emit, void *ctx);
void log_slot_unfollow(struct log_slot *slot, int handle);

/* Before exit: flush every queue as far as the destinations take it, at most
 * until the deadline (ev_now-based seconds). */
void logroute_flush(double deadline);

#endif
