/* supervisor/logroute.h — services' stdout/stderr to console, files, null.
 *
 * Each service has a slot that owns its pipes for its whole life, across
 * restarts, so nothing written just before a crash is lost. The router
 * never blocks PID 1: writes are non-blocking with a bounded queue per
 * slot; when the queue is full it stops reading that slot's pipe and the
 * service blocks on its own write (pipe backpressure).
 *
 * Console lines follow log_format; a line is never cut by another
 * service's line or by supd's own messages (which go through the same
 * stderr queue). A line longer than 16 KiB is cut into pieces, each but
 * the last ending with " [continued]". An unfinished line is held until
 * its newline, until the service exits (logroute_slot_child_exited) or until
 * the slot closes. file: targets get the bytes exactly as written, rotated
 * at log_max_size (see supervisor/logfile.h); null discards. For
 * logroute_slot_tail the last lines (200 / 64 KiB) of console and null
 * streams are kept in memory; a file target is its own record and is read
 * back. stderr = stdout shares one pipe, so order is kept. */
#ifndef SUP_SUPERVISOR_LOGROUTE_H
#define SUP_SUPERVISOR_LOGROUTE_H

#include <stdbool.h>
#include <stddef.h>

#include <ev.h>

#include "common/err.h"
#include "confd/spec.h"

/* Once: the loop and the console line format ("{name} | {line}"). Also
 * routes supd's own log_msg() lines through the console queue. */
int logroute_init(struct ev_loop *loop, const char *log_format, struct sup_err *err);

struct logroute_slot;

struct logroute_slot *logroute_slot_new(const char *name, const struct log_target *out,
                              const struct log_target *err, struct sup_err *e);

/* Write ends for the next child: dup2 them onto 1 and 2. Owned by the slot.
 * The pipes are made here when the service has none (EMFILE: -1 with e,
 * and the spawn fails and is retried). */
int logroute_slot_child_fds(struct logroute_slot *slot, int *out_w, int *err_w, struct sup_err *e);
/* Create its log files, before each start (those already open stay):
 * a service never started has none. */
int logroute_slot_open_files(struct logroute_slot *slot, struct sup_err *e);

/* The service rests (stopped, exited, failed): the pipes go once what is
 * in them is read; the next spawn makes new ones. */
void logroute_slot_release(struct logroute_slot *slot);

/* Reload changed the targets. */
int logroute_slot_reconfigure(struct logroute_slot *slot, const struct log_target *out,
                         const struct log_target *err, struct sup_err *e);

/* The service is gone for good: drain what is buffered, then free. */
void logroute_slot_close(struct logroute_slot *slot);

/* The last lines kept in memory, oldest first, each without its '\n'. */
typedef void (*logroute_line_fn)(const char *line, size_t len, void *ctx);
/* `supctl clear`: empty the lines kept in memory and the log files,
 * through supd's own fds. */
int logroute_slot_clear(struct logroute_slot *slot, struct sup_err *err);
/* stream: LOGROUTE_BOTH, or 0 (stdout) / 1 (stderr) alone: that stream's
 * file when it has one, else the kept lines that came from it. A stderr
 * merged into stdout has no lines of its own. */
enum { LOGROUTE_BOTH = -1 };
void logroute_slot_tail(struct logroute_slot *slot, int stream, unsigned n, logroute_line_fn emit,
                        void *ctx);

/* Live lines of the stream (or both) from now on, until unfollowed.
 * Returns a handle >= 0, or -1 (out of memory). When the slot closes for
 * good, emit is called once with line == NULL: the handle is then gone (do
 * not unfollow it). */
int logroute_slot_follow(struct logroute_slot *slot, int stream, logroute_line_fn emit, void *ctx);
void logroute_slot_unfollow(struct logroute_slot *slot, int handle);

/* Every service's live lines from now on (services a reload adds too),
 * each formatted as log_format formats the console ("web | ready"), until
 * unfollowed. A handle >= 0, or -1 (out of memory). */
int logroute_follow_all(logroute_line_fn emit, void *ctx);

/* The last n lines of every service kept in memory, merged in the order
 * they came, each formatted as the console formats it. -1: out of memory
 * (nothing emitted). */
int logroute_tail_all(unsigned n, logroute_line_fn emit, void *ctx);
void logroute_unfollow_all(int handle);

/* The service's process was reaped: once its pipe is read empty, an
 * unfinished last line is written out as a line of its own instead of
 * being joined to what the next process writes. */
void logroute_slot_child_exited(struct logroute_slot *slot);

/* Read every pipe and queue what it held, without waiting for the
 * consoles: before a line that says everything ended. */
void logroute_drain(void);

/* Whether a stream is held back (a file write failing, a console not
 * taking output): "log held: ENOSPC on /var/log/app.log" into buf. NULL
 * slot: false. */
bool logroute_slot_held(const struct logroute_slot *slot, char *buf, size_t len);

/* Before exit: flush every queue as far as the destinations take it, at most
 * until the deadline (ev_now-based seconds). */
void logroute_flush(double deadline);

#endif
