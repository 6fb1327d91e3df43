/* supervisor/events.h — supervisord's event listeners: [eventlistener:NAME]
 * services that read events on their stdin and answer on their stdout.
 *
 * The protocol (docs/supervisord.md, Event listeners): the listener writes
 * "READY\n"; supd writes one header line "ver:3.0 server:ID serial:N
 * pool:NAME poolserial:N eventname:TYPE len:L\n" and L bytes of payload;
 * the listener answers "RESULT 2\nOK" (done) or "RESULT 4\nFAIL" (send it
 * again later), then "READY\n" for the next. Each pool (the listeners of
 * one section) holds up to buffer_size events while none of its processes
 * is ready; the oldest is dropped past that.
 *
 * Events sent: PROCESS_STATE_* for every service (supervisord's sequence:
 * a running process that dies is EXITED even when it will restart), TICK_5,
 * TICK_60, TICK_3600 (a timer exists only while some pool takes them),
 * SUPERVISOR_STATE_CHANGE_RUNNING and _STOPPING, PROCESS_GROUP_ADDED and
 * _REMOVED. Callers: supervisor.c (start), run.c (the end), reload.c,
 * process.c (a listener's pipes at spawn, its state at forget). */
#ifndef SUP_SUPERVISOR_EVENTS_H
#define SUP_SUPERVISOR_EVENTS_H

#include <stdbool.h>

#include <ev.h>

#include "common/err.h"
#include "supervisor/svc.h"

/* The table exists, nothing started yet: make the pools, watch the state
 * changes, send PROCESS_GROUP_ADDED for each group and
 * SUPERVISOR_STATE_CHANGE_RUNNING. identifier: the header's server:. */
void events_start(struct ev_loop *loop, const char *identifier);

/* After a reload swapped the table: pools for new listeners, groups added
 * and removed, the tick timer as the pools now need it. */
void events_sync(const char *identifier);

/* The run is ending: SUPERVISOR_STATE_CHANGE_STOPPING. */
void events_stopping(void);

/* A listener is about to be spawned: the child's stdin and stdout (pipes
 * whose other ends supd keeps). Then events_spawned() says whether the
 * process exists; the child's ends are closed either way. */
int events_listener_pipes(struct svc *s, int *child_in, int *child_out, struct sup_err *err);
void events_spawned(struct svc *s, bool ok);

/* The service object is about to be freed. */
void events_forget(struct svc *s);

#endif
