/* supervisor/status.h — `supctl status` rows and JSON, from struct svc values.
 *
 * Pure formatting: a service table and "now" (ev_now() seconds) in, text
 * out; nothing here looks at a clock or the kernel. The table layout follows
 * supervisorctl (name, state, then details) with fixed columns so a script
 * can cut it, and the JSON uses the field names docs/protocol.md lists. */
#ifndef SUP_SUPERVISOR_STATUS_H
#define SUP_SUPERVISOR_STATUS_H

#include <stdbool.h>
#include <stddef.h>

#include "supervisor/ctlproto.h"
#include "supervisor/svc.h"

/* Up for `supctl status` exit code purposes: RUNNING and not unhealthy, or
 * a oneshot that EXITED with a success code. */
bool status_is_up(const struct svc *s);

/* Whether a `supctl status` that names no service counts it: all but a
 * service never meant to run (autostart = no, never started), so a probe
 * of the whole set does not fail forever on it. Named services count. */
bool status_counts_unnamed(const struct svc *s);

/* "-" (no exit yet), "0", "137"... or "SIGKILL"; oom kills add "(oom)". */
void status_exit_str(const struct svc *s, char *buf, size_t len);

/* "812K", "1.5M", "20G"; "3.142s" (CPU time under 100 s), else as uptime. */
void status_bytes_str(unsigned long long n, char *buf, size_t len);
void status_cpu_str(unsigned long long ns, char *buf, size_t len);

/* "0:00:05", "12:03:59", "3d04:05:06"; "-" for a negative value. */
void status_uptime_str(double secs, char *buf, size_t len);

/* The aligned table, header first, each line ending in '\n'. 0 or -1 when
 * the buffer is full. */
int status_table(struct svc *const *svcs, size_t n, double now, struct ctl_buf *out);

/* supervisorctl's own lines, for scripts that parse them: the name padded
 * to the longest (at least 30) plus 3, the state to 10, then "pid N,
 * uptime H:MM:SS", the reason of a BACKOFF or FATAL, the stop time of an
 * EXITED or STOPPED one ("Dec 07 01:02 PM", local time) or "Not started". */
int status_supervisorctl(struct svc *const *svcs, size_t n, double now, struct ctl_buf *out);

/* {"services": [...]} over several lines, each ending in '\n'. */
int status_json(struct svc *const *svcs, size_t n, double now, struct ctl_buf *out);

#endif
