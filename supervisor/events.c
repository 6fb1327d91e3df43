/* supervisor/events.c — supervisord's event listener protocol (events.h).
 *
 * A pool is the listeners of one [eventlistener:NAME] section (the group
 * part of their names); it has the section's subscription and a queue.
 * An event goes to every pool that takes it, gets its serial (global) and
 * poolserial (per pool), and waits in the pool's queue until one of its
 * processes is RUNNING and has said READY. Each listener process has two
 * pipes, made at its spawn: supd writes its stdin (non-blocking, the rest
 * of a partial write kept), reads its stdout and follows the protocol. A
 * listener that breaks the protocol is UNKNOWN and gets nothing more until
 * its next process, as under supervisord. */
#include "supervisor/events.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "common/nameidx.h"
#include "supervisor/svc_int.h"

#define RESULT_MAX 256          /* a result body longer than this is a broken listener */
#define INBUF 1024

enum listener_state { L_ACKNOWLEDGED, L_READY, L_BUSY, L_UNKNOWN };

struct event {
        unsigned long serial, poolserial;
        const char *type;
        char *payload;
        size_t len;
};

struct pool {
        char *name;
        char **types;                   /* what it takes (the section's events=) */
        unsigned buffer_size;
        struct event **q;               /* oldest first */
        size_t n;
        unsigned long next_serial;      /* poolserial of its next event */
        bool live;                      /* a section of the current config */
        struct pool *next;
};

struct listener {
        struct svc *svc;
        struct pool *pool;
        enum listener_state state;
        int to_child, from_child;       /* supd's ends */
        int child_in, child_out;        /* the child's ends, until the spawn */
        ev_io read_w, write_w;
        char in[INBUF];
        size_t in_len;
        long result_len;                /* -1: the "RESULT N" line is awaited */
        char result[RESULT_MAX];
        size_t result_got;
        struct event *busy;             /* sent, no result yet */
        char *out;                      /* envelope not yet written */
        size_t out_len, out_off;
};

/* Group names in table order. The index makes each lookup O(1): a program
 * outside a group is a group of its own, so a reload of 100,000 of them
 * compares 100,000 names against 100,000, which a scan per name makes
 * quadratic (tests/bench/config.sh, figure 11). */
struct groupset {
        char **v;
        size_t n, cap;
        struct nameidx ix;
};

static struct {
        struct ev_loop *loop;
        char *identifier;
        struct pool *pools;
        unsigned long next_serial;      /* serial of the next event; the first is 0 */
        struct groupset groups;         /* announced with PROCESS_GROUP_ADDED */
        int watch;
        ev_periodic tick;
        unsigned tick_every;            /* 0: no timer */
        long last_slice[3];
} ev = { .watch = -1 };

static const unsigned tick_periods[3] = { 5, 60, 3600 };
static const char *const tick_types[3] = { "TICK_5", "TICK_60", "TICK_3600" };

static void dispatch(struct pool *p);

/* ---- names --------------------------------------------------------------- */

/* "group:process" → its parts; a name without ':' is both. */
static void name_split(const char *name, char *group, size_t glen, const char **process)
{
        const char *colon = strchr(name, ':');

        *process = colon ? colon + 1 : name;
        snprintf(group, glen, "%.*s", colon ? (int)(colon - name) : (int)strlen(name), name);
}

/* A pool that takes `sub` takes `type`: the same name, EVENT, or an
 * abstract type whose name `type` continues with "_" (PROCESS_STATE takes
 * PROCESS_STATE_FATAL, TICK takes TICK_60). */
static bool takes(const char *sub, const char *type)
{
        size_t n = strlen(sub);

        return strcmp(sub, "EVENT") == 0 || strcmp(sub, type) == 0 ||
               (strncmp(sub, type, n) == 0 && type[n] == '_');
}

static bool pool_takes(const struct pool *p, const char *type)
{
        for (size_t i = 0; p->types && p->types[i]; i++)
                if (takes(p->types[i], type))
                        return true;
        return false;
}

/* ---- pools and their queues ---------------------------------------------------- */

static void event_free(struct event *e)
{
        if (e)
                free(e->payload);
        free(e);
}

static struct pool *pool_find(const char *name)
{
        for (struct pool *p = ev.pools; p; p = p->next)
                if (strcmp(p->name, name) == 0)
                        return p;
        return NULL;
}

static void pool_drop_queue(struct pool *p)
{
        for (size_t i = 0; i < p->n; i++)
                event_free(p->q[i]);
        p->n = 0;
}

/* The pool's buffer holds buffer_size events; the oldest goes first. */
static void pool_put(struct pool *p, struct event *e, bool head)
{
        struct event **q;

        if (p->n >= p->buffer_size && p->n > 0) {
                log_error("pool %s event buffer overflowed, discarding event %lu", p->name,
                          p->q[0]->serial);
                event_free(p->q[0]);
                memmove(p->q, p->q + 1, --p->n * sizeof(*p->q));
        }
        q = realloc(p->q, (p->n + 1) * sizeof(*q));
        if (!q) {
                log_error("pool %s: out of memory, event %lu lost", p->name, e->serial);
                event_free(e);
                return;
        }
        p->q = q;
        if (head) {
                memmove(p->q + 1, p->q, p->n * sizeof(*p->q));
                p->q[0] = e;
        } else {
                p->q[p->n] = e;
        }
        p->n++;
}

/* Offer an event to every pool that takes it. */
static void emit(const char *type, const char *payload)
{
        bool numbered = false;
        unsigned long serial = 0;

        for (struct pool *p = ev.pools; p; p = p->next) {
                struct event *e;

                if (!p->live || !pool_takes(p, type))
                        continue;
                if (!numbered) {        /* numbered once some pool takes it */
                        serial = ev.next_serial++;
                        numbered = true;
                }
                e = calloc(1, sizeof(*e));
                if (!e || !(e->payload = strdup(payload))) {
                        free(e);
                        log_error("pool %s: out of memory, event %lu lost", p->name, serial);
                        continue;
                }
                e->serial = serial;
                e->poolserial = p->next_serial++;
                e->type = type;
                e->len = strlen(payload);
                pool_put(p, e, false);
                dispatch(p);
        }
}

/* ---- one listener process -------------------------------------------------------- */

static void listener_set(struct listener *l, enum listener_state st)
{
        if (st == L_UNKNOWN && l->state != L_UNKNOWN)
                log_warn("%s: has entered the UNKNOWN state and will no longer receive events, "
                         "this usually indicates the process violated the eventlistener "
                         "protocol", l->svc->spec->name);
        l->state = st;
}

/* The event it had goes back to the head of its pool's queue. */
static void listener_rebuffer(struct listener *l)
{
        if (!l->busy)
                return;
        if (l->pool && l->pool->live)
                pool_put(l->pool, l->busy, true);
        else
                event_free(l->busy);
        l->busy = NULL;
}

static void write_cb(struct ev_loop *loop, ev_io *w, int revents);

/* Write what is left of the envelope; EAGAIN waits for the pipe. */
static void listener_flush(struct listener *l)
{
        while (l->out_off < l->out_len) {
                ssize_t n = write(l->to_child, l->out + l->out_off, l->out_len - l->out_off);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 && errno == EAGAIN) {
                        if (!ev_is_active(&l->write_w))
                                ev_io_start(ev.loop, &l->write_w);
                        return;
                }
                if (n < 0) {    /* EPIPE: it is going away; its exit rebuffers */
                        log_debug("%s: writing an event: %s", l->svc->spec->name, strerror(errno));
                        ev_io_stop(ev.loop, &l->write_w);
                        free(l->out);
                        l->out = NULL;
                        l->out_len = l->out_off = 0;
                        listener_set(l, L_UNKNOWN);
                        listener_rebuffer(l);
                        return;
                }
                l->out_off += (size_t)n;
        }
        ev_io_stop(ev.loop, &l->write_w);
        free(l->out);
        l->out = NULL;
        l->out_len = l->out_off = 0;
}

static void write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
        (void)loop;
        (void)revents;
        listener_flush(w->data);
}

static int listener_send(struct listener *l, struct event *e)
{
        const char *server = ev.identifier ? ev.identifier : "supervisor";
        char *env;
        int n = asprintf(&env, "ver:3.0 server:%s serial:%lu pool:%s poolserial:%lu "
                         "eventname:%s len:%zu\n%s", server, e->serial, l->pool->name,
                         e->poolserial, e->type, e->len, e->payload);

        if (n < 0) {
                log_error("%s: out of memory for an event", l->svc->spec->name);
                return -1;
        }
        l->out = env;
        l->out_len = (size_t)n;
        l->out_off = 0;
        l->busy = e;
        listener_set(l, L_BUSY);
        listener_flush(l);
        return 0;
}

/* The oldest events to the pool's ready processes, while both last. */
static void dispatch(struct pool *p)
{
        size_t n_svcs = table_count();

        while (p->n > 0) {
                struct listener *l = NULL;
                struct event *e;

                for (size_t i = 0; i < n_svcs && !l; i++) {
                        struct svc *s = table_at(i);
                        struct listener *c = s->priv->listener;

                        if (c && c->pool == p && s->state == ST_RUNNING && c->state == L_READY)
                                l = c;
                }
                if (!l)
                        return;
                e = p->q[0];
                memmove(p->q, p->q + 1, --p->n * sizeof(*p->q));
                if (listener_send(l, e) < 0) {
                        pool_put(p, e, true);
                        return;
                }
        }
}

/* supervisord's default result handler: OK accepts, anything else rejects
 * and the event is sent again. */
static void listener_result(struct listener *l)
{
        bool ok = l->result_got == 2 && memcmp(l->result, "OK", 2) == 0;

        listener_set(l, L_ACKNOWLEDGED);
        if (ok) {
                event_free(l->busy);
                l->busy = NULL;
                return;
        }
        log_warn("%s: event was rejected", l->svc->spec->name);
        listener_rebuffer(l);
}

/* Consume what the listener wrote; false when more bytes are needed. */
static bool listener_step(struct listener *l)
{
        size_t used = 0;

        switch (l->state) {
        case L_UNKNOWN:
                used = l->in_len;
                break;
        case L_ACKNOWLEDGED:
                if (l->in_len < 6)
                        return false;
                used = 6;
                listener_set(l, memcmp(l->in, "READY\n", 6) == 0 ? L_READY : L_UNKNOWN);
                break;
        case L_READY:           /* nothing is due: spurious output */
                used = l->in_len;
                listener_set(l, L_UNKNOWN);
                break;
        case L_BUSY:
                if (l->result_len < 0) {
                        char *nl = memchr(l->in, '\n', l->in_len), *end;
                        long n;

                        if (!nl)
                                return false;
                        *nl = '\0';
                        used = (size_t)(nl - l->in) + 1;
                        n = strncmp(l->in, "RESULT ", 7) == 0 ? strtol(l->in + 7, &end, 10) : -1;
                        if (n < 0 || n > RESULT_MAX || end == l->in + 7 || *end) {
                                log_warn("%s: bad result line: '%.64s'", l->svc->spec->name, l->in);
                                listener_set(l, L_UNKNOWN);
                                listener_rebuffer(l);
                                break;
                        }
                        l->result_len = n;
                        l->result_got = 0;
                } else {
                        size_t want = (size_t)l->result_len - l->result_got;

                        used = want < l->in_len ? want : l->in_len;
                        memcpy(l->result + l->result_got, l->in, used);
                        l->result_got += used;
                }
                if (l->result_len >= 0 && l->result_got == (size_t)l->result_len) {
                        l->result_len = -1;
                        listener_result(l);
                }
                break;
        }
        memmove(l->in, l->in + used, l->in_len - used);
        l->in_len -= used;
        return used > 0;
}

static void read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
        struct listener *l = w->data;
        ssize_t n = read(l->from_child, l->in + l->in_len, sizeof(l->in) - l->in_len);

        (void)loop;
        (void)revents;
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
                return;
        if (n <= 0) {           /* it closed its stdout: its exit follows */
                ev_io_stop(ev.loop, &l->read_w);
                return;
        }
        l->in_len += (size_t)n;
        while (l->in_len > 0 && listener_step(l))
                ;
        if (l->in_len == sizeof(l->in)) {       /* a line that never ends */
                listener_set(l, L_UNKNOWN);
                l->in_len = 0;
        }
        if (l->pool)
                dispatch(l->pool);
}

static void fd_close(int *fd)
{
        if (*fd >= 0)
                close(*fd);
        *fd = -1;
}

/* The process is gone: its pipes go, its event goes back to the pool. */
static void listener_close(struct listener *l)
{
        struct svc *s = l->svc;

        ev_io_stop(ev.loop, &l->read_w);
        ev_io_stop(ev.loop, &l->write_w);
        fd_close(&l->to_child);
        fd_close(&l->from_child);
        fd_close(&l->child_in);
        fd_close(&l->child_out);
        free(l->out);
        listener_rebuffer(l);
        s->priv->listener = NULL;
        free(l);
}

int events_listener_pipes(struct svc *s, int *child_in, int *child_out, struct sup_err *err)
{
        struct listener *l;
        int in[2], out[2];
        char group[128];
        const char *process;

        if (s->priv->listener)
                listener_close(s->priv->listener);
        if (pipe2(in, O_CLOEXEC) < 0)
                return sup_fail(err, errno, "event listener stdin pipe");
        if (pipe2(out, O_CLOEXEC) < 0) {
                close(in[0]);
                close(in[1]);
                return sup_fail(err, errno, "event listener stdout pipe");
        }
        l = calloc(1, sizeof(*l));
        if (!l) {
                close(in[0]);
                close(in[1]);
                close(out[0]);
                close(out[1]);
                return sup_fail(err, ENOMEM, "event listener");
        }
        fcntl(in[1], F_SETFL, O_NONBLOCK);
        fcntl(out[0], F_SETFL, O_NONBLOCK);
        name_split(s->spec->name, group, sizeof(group), &process);
        *l = (struct listener){ .svc = s, .pool = pool_find(group), .state = L_ACKNOWLEDGED,
                                .to_child = in[1], .from_child = out[0], .child_in = in[0],
                                .child_out = out[1], .result_len = -1 };
        ev_io_init(&l->read_w, read_cb, l->from_child, EV_READ);
        ev_io_init(&l->write_w, write_cb, l->to_child, EV_WRITE);
        l->read_w.data = l->write_w.data = l;
        s->priv->listener = l;
        *child_in = l->child_in;
        *child_out = l->child_out;
        return 0;
}

void events_spawned(struct svc *s, bool ok)
{
        struct listener *l = s->priv->listener;

        if (!l)
                return;
        if (!ok) {
                listener_close(l);
                return;
        }
        fd_close(&l->child_in);
        fd_close(&l->child_out);
        ev_io_start(ev.loop, &l->read_w);
}

void events_forget(struct svc *s)
{
        if (s->priv->listener)
                listener_close(s->priv->listener);
}

/* ---- process state events ------------------------------------------------------- */

static const char *const state_types[SVC_NSTATES] = {
        [ST_STOPPED] = "PROCESS_STATE_STOPPED",   [ST_STARTING] = "PROCESS_STATE_STARTING",
        [ST_RUNNING] = "PROCESS_STATE_RUNNING",   [ST_BACKOFF] = "PROCESS_STATE_BACKOFF",
        [ST_STOPPING] = "PROCESS_STATE_STOPPING", [ST_EXITED] = "PROCESS_STATE_EXITED",
        [ST_FATAL] = "PROCESS_STATE_FATAL",
};

static void emit_state(struct svc *s, enum svc_state to, const char *extra)
{
        char group[128], payload[512];
        const char *process;

        name_split(s->spec->name, group, sizeof(group), &process);
        snprintf(payload, sizeof(payload), "processname:%s groupname:%s from_state:%s%s",
                 process, group, svc_state_name(s->priv->event_shown), extra);
        s->priv->event_shown = to;
        emit(state_types[to], payload);
}

static void emit_pid(struct svc *s, enum svc_state to)
{
        char extra[48];

        snprintf(extra, sizeof(extra), " pid:%d", (int)s->priv->event_pid);
        emit_state(s, to, extra);
}

static void emit_tries(struct svc *s, enum svc_state to)
{
        char extra[48];

        snprintf(extra, sizeof(extra), " tries:%u", s->failures);
        emit_state(s, to, extra);
}

static void emit_exited(struct svc *s)
{
        char extra[64];

        snprintf(extra, sizeof(extra), " expected:%d pid:%d", svc_exited_ok(s) ? 1 : 0,
                 (int)s->priv->event_pid);
        emit_state(s, ST_EXITED, extra);
}

/* supd's transition as supervisord's sequence of states: a running
 * process that died is EXITED before its BACKOFF wait (supervisord goes
 * EXITED → STARTING), one that failed to start is BACKOFF before FATAL. */
static void on_change(struct svc *s, enum svc_state from, void *ctx)
{
        struct svc_private *p = s->priv;
        enum svc_state to = s->state;

        (void)from;
        (void)ctx;
        if (s->pid)
                p->event_pid = s->pid;
        switch (to) {
        case ST_STARTING:
                emit_tries(s, to);
                break;
        case ST_RUNNING:
        case ST_STOPPING:
        case ST_STOPPED:
                emit_pid(s, to);
                break;
        case ST_EXITED:
                /* supervisord: no start to wait for (startsecs=0) is RUNNING at once */
                if (p->event_shown == ST_STARTING && s->spec->type != SVC_ONESHOT)
                        emit_pid(s, ST_RUNNING);
                emit_exited(s);
                break;
        case ST_BACKOFF:
                if (p->event_shown == ST_RUNNING)
                        emit_exited(s);
                else
                        emit_tries(s, to);
                break;
        case ST_FATAL:
                if (p->event_shown == ST_RUNNING)
                        emit_exited(s);
                else if (p->event_shown == ST_STARTING)
                        emit_tries(s, ST_BACKOFF);
                emit_state(s, to, "");
                break;
        default:
                break;
        }
        if (p->listener && to != ST_STARTING && to != ST_RUNNING && to != ST_STOPPING)
                listener_close(p->listener);
        else if (p->listener && to == ST_RUNNING && p->listener->pool)
                dispatch(p->listener->pool);
}

/* ---- TICK_5, TICK_60, TICK_3600 ------------------------------------------------- */

static long slice_of(unsigned period, double now)
{
        long t = (long)now;

        return t - t % (long)period;
}

/* supervisord's tick: an event when the clock enters a new slice of the
 * period; when is the slice's start. */
static void tick_cb(struct ev_loop *loop, ev_periodic *w, int revents)
{
        double now = ev_now(loop);

        (void)w;
        (void)revents;
        for (int i = 0; i < 3; i++) {
                char payload[32];
                long slice = slice_of(tick_periods[i], now);

                if (slice == ev.last_slice[i])
                        continue;
                ev.last_slice[i] = slice;
                snprintf(payload, sizeof(payload), "when:%ld", slice);
                emit(tick_types[i], payload);
        }
}

/* The timer runs every N seconds for the shortest period a live pool
 * takes, and not at all when none takes a tick. */
static void tick_update(void)
{
        unsigned every = 0;
        double now = ev_now(ev.loop);

        for (int i = 2; i >= 0; i--)
                for (struct pool *p = ev.pools; p; p = p->next)
                        if (p->live && pool_takes(p, tick_types[i]))
                                every = tick_periods[i];
        if (every == ev.tick_every)
                return;
        ev_periodic_stop(ev.loop, &ev.tick);
        ev.tick_every = every;
        if (!every)
                return;
        for (int i = 0; i < 3; i++)
                ev.last_slice[i] = slice_of(tick_periods[i], now);
        ev_periodic_init(&ev.tick, tick_cb, 0., every, 0);
        ev_periodic_start(ev.loop, &ev.tick);
}

/* ---- pools from the table, groups ------------------------------------------------ */

static void pool_refresh(const struct svc_spec *sp)
{
        char group[128];
        const char *process;
        struct pool *p;
        char **types;

        name_split(sp->name, group, sizeof(group), &process);
        p = pool_find(group);
        if (!p) {
                p = calloc(1, sizeof(*p));
                if (!p || !(p->name = strdup(group))) {
                        free(p);
                        log_error("pool %s: out of memory; its listeners get no events", group);
                        return;
                }
                p->next = ev.pools;
                ev.pools = p;
        }
        if (p->live)
                return;         /* another process of the same pool */
        types = NULL;
        for (size_t i = 0; sp->listen_events[i]; i++) {
                char *dup = strdup(sp->listen_events[i]);
                char **v = dup ? realloc(types, (i + 2) * sizeof(*v)) : NULL;

                if (!v) {
                        free(dup);
                        break;
                }
                types = v;
                types[i] = dup;
                types[i + 1] = NULL;
        }
        for (size_t i = 0; p->types && p->types[i]; i++)
                free(p->types[i]);
        free(p->types);
        p->types = types;
        p->buffer_size = sp->listen_buffer ? sp->listen_buffer : 10;
        p->live = true;
}

static void groupset_free(struct groupset *g)
{
        for (size_t i = 0; i < g->n; i++)
                free(g->v[i]);
        free(g->v);
        nameidx_free(&g->ix);
        *g = (struct groupset){ 0 };
}

static bool groupset_has(const struct groupset *g, const char *name)
{
        return nameidx_get(&g->ix, name) >= 0;
}

/* name, once; false when out of memory. */
static bool groupset_add(struct groupset *g, const char *name)
{
        size_t first;
        char *dup;

        if (groupset_has(g, name))
                return true;
        if (g->n == g->cap) {
                size_t cap = g->cap ? g->cap * 2 : 16;
                char **nv = realloc(g->v, cap * sizeof(*nv));

                if (!nv)
                        return false;
                g->v = nv;
                g->cap = cap;
        }
        if (!(dup = strdup(name)))
                return false;
        if (nameidx_put(&g->ix, dup, g->n, &first) < 0) {
                free(dup);
                return false;
        }
        g->v[g->n++] = dup;
        return true;
}

/* The groups of the table now, each once, in table order. */
static struct groupset table_groups(void)
{
        struct groupset g = { 0 };

        for (size_t i = 0; i < table_count(); i++) {
                char group[128];
                const char *process;

                name_split(table_at(i)->spec->name, group, sizeof(group), &process);
                if (!groupset_add(&g, group))
                        break;
        }
        return g;
}

static void groups_announce(void)
{
        struct groupset now = table_groups();
        char payload[160];

        for (size_t i = 0; i < ev.groups.n; i++) {
                if (groupset_has(&now, ev.groups.v[i]))
                        continue;
                snprintf(payload, sizeof(payload), "groupname:%s\n", ev.groups.v[i]);
                emit("PROCESS_GROUP_REMOVED", payload);
        }
        for (size_t i = 0; i < now.n; i++) {
                if (groupset_has(&ev.groups, now.v[i]))
                        continue;
                snprintf(payload, sizeof(payload), "groupname:%s\n", now.v[i]);
                emit("PROCESS_GROUP_ADDED", payload);
        }
        groupset_free(&ev.groups);
        ev.groups = now;
}

static void pools_sync(const char *identifier)
{
        char *id = identifier ? strdup(identifier) : NULL;

        free(ev.identifier);
        ev.identifier = id;
        for (struct pool *p = ev.pools; p; p = p->next)
                p->live = false;
        for (size_t i = 0; i < table_count(); i++)
                if (table_at(i)->spec->listen_events)
                        pool_refresh(table_at(i)->spec);
        for (struct pool *p = ev.pools; p; p = p->next)
                if (!p->live)
                        pool_drop_queue(p);
        tick_update();
}

void events_start(struct ev_loop *loop, const char *identifier)
{
        ev.loop = loop;
        ev_periodic_init(&ev.tick, tick_cb, 0., 5., 0);
        pools_sync(identifier);
        if (ev.watch < 0)
                ev.watch = table_watch(on_change, NULL);
        groups_announce();
        emit("SUPERVISOR_STATE_CHANGE_RUNNING", "");
}

void events_sync(const char *identifier)
{
        pools_sync(identifier);
        groups_announce();
}

void events_stopping(void)
{
        emit("SUPERVISOR_STATE_CHANGE_STOPPING", "");
}
