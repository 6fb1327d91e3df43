/* supervisor/control.c — the control socket: listen, accept, check the
 * peer, read one request, write the reply, never block.
 *
 * Every client is a small state machine driven by its own watchers: read
 * the request line (deadline CONTROL_REQ_TIMEOUT), hand it to the verbs
 * given at control_start (control_cmd.c's), write the reply out as the
 * peer takes it (a peer that takes nothing for CONTROL_STALL_TIMEOUT is
 * dropped; `logs -f` readers lose lines instead). Clients are freed only
 * at the end of their own callbacks, so code running inside a supervisor
 * or log-router callback can queue replies without pulling a client out
 * from under anyone. */
#include "supervisor/control.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/log.h"
#include "runtime/runtime.h"
#include "supervisor/control_int.h"
#include "supervisor/svc_int.h"
#include "confd/confd.h"

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS 59
#endif

static struct {
        struct ev_loop *loop;
        bool running;
        int lfd;
        ev_io lio;
        ev_timer retry;                 /* accept paused after EMFILE */
        ev_timer evict_timer;           /* the table is full: when a silent client is due */
        double backlog_since;           /* clients wait in the backlog since, or 0 */
        bool accept_paused;
        char *path;
        dev_t dev;
        ino_t ino;
        uid_t own_uid;
        bool have_group;
        gid_t gid;
        char *group_name;
        int watch;
        struct control_client *clients;
        unsigned nclients;
        const struct control_handlers *verbs;
        int depth;                      /* nesting of our callbacks */
        bool free_pending;              /* control_stop ran inside a callback */
} srv = { .lfd = -1, .watch = -1 };

struct ev_loop *control_loop(void) { return srv.loop; }

const char *control_socket_path(const struct sup_config *cfg)
{
        const char *env = getenv("SUP_SOCKET");

        if (env && *env)
                return env;
        if (cfg && cfg->socket && *cfg->socket)
                return cfg->socket;
        return control_default_socket();
}

/* ---- access ---- */

static bool gid_in_list(gid_t gid, const gid_t *list, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (list[i] == gid)
                        return true;
        return false;
}

/* The peer's supplementary groups from /proc/PID/status; only when the
 * kernel has no SO_PEERGROUPS and the peer is in our pid namespace. */
static bool proc_groups_have(pid_t pid, gid_t gid)
{
        char path[64], line[4096];
        bool found = false;
        FILE *f;

        if (pid <= 0)
                return false;
        snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
        f = fopen(path, "re");
        if (!f)
                return false;
        while (!found && fgets(line, sizeof(line), f)) {
                char *p = line, *end;

                if (strncmp(line, "Groups:", 7) != 0)
                        continue;
                for (p += 7;; p = end) {
                        unsigned long g = strtoul(p, &end, 10);
                        if (end == p)
                                break;
                        if ((gid_t)g == gid)
                                found = true;
                }
                break;
        }
        fclose(f);
        return found;
}

static bool peer_in_group(int fd, const struct ucred *cr, gid_t gid)
{
        gid_t small[64], *list = small;
        socklen_t len = sizeof(small);
        bool in;

        if (cr->gid == gid)
                return true;
        /* SO_PEERGROUPS: the groups at connect time, translated into our
         * user namespace, and it works for peers outside our pid namespace. */
        if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, list, &len) < 0) {
                if (errno != ERANGE)
                        return proc_groups_have(cr->pid, gid);
                list = malloc(len);
                if (!list || getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, list, &len) < 0) {
                        free(list);
                        return false;
                }
        }
        in = gid_in_list(gid, list, len / sizeof(gid_t));
        if (list != small)
                free(list);
        return in;
}

/* ---- peers inside a sandbox ---- */

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif

/* What tells a sandboxed process from one of ours: its namespaces, how
 * confined it is (seccomp filters, no_new_privs, bounding set: none of
 * which a process can undo) and its session. */
struct peer_view {
        char pid[64], mnt[64];
        int filters;                    /* seccomp filters stacked on it */
        bool nnp;
        unsigned long long capbnd;
        pid_t sid;
};

static struct peer_view own_view;

static void status_fields(int dir, struct peer_view *v)
{
        char buf[4096], *line, *save = NULL;
        int fd = openat(dir, "status", O_RDONLY | O_CLOEXEC);
        ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

        if (fd >= 0)
                close(fd);
        v->capbnd = ~0ULL;
        buf[n > 0 ? n : 0] = '\0';
        for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                if (sscanf(line, "Seccomp_filters: %d", &v->filters) == 1)
                        continue;
                if (strncmp(line, "NoNewPrivs:", 11) == 0)
                        v->nnp = atoi(line + 11) != 0;
                else if (strncmp(line, "CapBnd:", 7) == 0)
                        v->capbnd = strtoull(line + 7, NULL, 16);
        }
}

/* The session: field 6 of stat, after the command in parentheses. */
static pid_t session_of(int dir)
{
        char buf[1024], *p;
        int fd = openat(dir, "stat", O_RDONLY | O_CLOEXEC), sid = -1;
        ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

        if (fd >= 0)
                close(fd);
        if (n <= 0)
                return -1;
        buf[n] = '\0';
        p = strrchr(buf, ')');
        if (!p || sscanf(p + 1, " %*c %*d %*d %d", &sid) != 1)
                return -1;
        return (pid_t)sid;
}

/* Through a directory fd of /proc/PID, so every file read is the same
 * process's; false when the process is not visible or not readable. */
static bool view_of(pid_t pid, struct peer_view *v)
{
        char path[32];
        ssize_t a, b;
        int dir;

        memset(v, 0, sizeof(*v));
        if (pid == 0)
                snprintf(path, sizeof(path), "/proc/self");
        else
                snprintf(path, sizeof(path), "/proc/%d", (int)pid);
        dir = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dir < 0)
                return false;
        a = readlinkat(dir, "ns/pid", v->pid, sizeof(v->pid) - 1);
        b = readlinkat(dir, "ns/mnt", v->mnt, sizeof(v->mnt) - 1);
        if (a > 0 && b > 0) {
                status_fields(dir, v);
                v->sid = session_of(dir);
        }
        close(dir);
        if (a <= 0 || b <= 0)
                return false;
        v->pid[a] = v->mnt[b] = '\0';
        return true;
}

static bool ns_same(const struct peer_view *a, const struct peer_view *b)
{
        return strcmp(a->pid, b->pid) == 0 && strcmp(a->mnt, b->mnt) == 0;
}

/* Confined further than supd: a process started by an operator (a shell,
 * `docker exec`) inherits supd's confinement or none, never more. */
static const char *more_confined(const struct peer_view *v)
{
        if (v->filters > own_view.filters)
                return "a seccomp filter";
        if (v->nnp && !own_view.nnp)
                return "no_new_privileges";
        if ((v->capbnd & own_view.capbnd) != own_view.capbnd)
                return "a smaller capability bounding set";
        return NULL;
}

/* The service whose namespaces the peer is in (its main pid, the reaper
 * with a PID namespace, is in them), or NULL. */
static const struct svc *service_of_ns(const struct peer_view *peer)
{
        struct peer_view v;

        for (size_t i = 0; i < table_count(); i++) {
                const struct svc *s = table_at(i);

                if (s->pid > 0 && view_of(s->pid, &v) && ns_same(&v, peer))
                        return s;
        }
        return NULL;
}

/* The sandboxed service a peer sharing supd's namespaces belongs to: it
 * sits in the service's own cgroup, or in its session (the service's main
 * pid leads one), or NULL. */
static const struct svc *service_holding(pid_t pid, const struct peer_view *peer)
{
        for (size_t i = 0; i < table_count(); i++) {
                const struct svc *s = table_at(i);

                if (s->pid <= 0 || !confd_sandboxed(s->spec))
                        continue;
                if (peer->sid == s->pid ||
                    (s->priv->have_proc && rt_cgroup_holds(&s->priv->proc, pid)))
                        return s;
        }
        return NULL;
}

static const char *refuse(char *why, size_t len, pid_t pid, const struct svc *s, const char *how)
{
        snprintf(why, len, "supd: permission denied: pid %d is inside the sandbox of %s%s%s%s "
                 "(control_access = no)", (int)pid, s ? "service " : "a service",
                 s ? s->spec->name : "", how ? ": it has " : "", how ? how : "");
        return why;
}

/* A peer in another PID or mount namespace than supd's is inside a
 * service's sandbox (a process of an outer namespace has pid 0 here); so
 * is one in a sandboxed service's cgroup or session, or one more confined
 * than supd (a service sandboxed by seccomp, capabilities or
 * no_new_privileges alone shares supd's namespaces). The pidfd
 * (SO_PEERPIDFD) makes sure the pid we read /proc for is still the peer's:
 * alive after the reads, so not reused. Returns the refusal, or NULL to
 * let the peer in. */
static const char *sandboxed_peer(struct control_client *c, char *why, size_t len)
{
        socklen_t plen = sizeof(int);
        struct peer_view v;
        const struct svc *s;
        const char *how;
        int pidfd = -1;
        bool seen;

        if (c->cred.pid <= 0 || !own_view.pid[0])
                return NULL;
        if (getsockopt(c->fd, SOL_SOCKET, SO_PEERPIDFD, &pidfd, &plen) < 0)
                pidfd = -1;
        seen = view_of(c->cred.pid, &v);
        s = seen && ns_same(&v, &own_view) ? service_holding(c->cred.pid, &v) : NULL;
        if (pidfd >= 0) {
                if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0)
                        seen = false;   /* gone: the pid may be another's now */
                close(pidfd);
        }
        if (!seen) {
                snprintf(why, len, "supd: permission denied: cannot tell which namespaces pid %d "
                         "is in", (int)c->cred.pid);
                return why;
        }
        if (!ns_same(&v, &own_view)) {
                s = service_of_ns(&v);
                return s && s->spec->sandbox.control_access ? NULL :
                       refuse(why, len, c->cred.pid, s, NULL);
        }
        how = more_confined(&v);
        if (s)
                return s->spec->sandbox.control_access ? NULL :
                       refuse(why, len, c->cred.pid, s, how);
        return how ? refuse(why, len, c->cred.pid, NULL, how) : NULL;
}

static void client_check_access(struct control_client *c)
{
        socklen_t len = sizeof(c->cred);

        if (getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &c->cred, &len) < 0) {
                snprintf(c->deny, sizeof(c->deny), "supd: permission denied: cannot tell who you are (%s)",
                         strerror(errno));
                return;
        }
        if (c->cred.uid == 0 || c->cred.uid == srv.own_uid ||
            (srv.have_group && peer_in_group(c->fd, &c->cred, srv.gid))) {
                c->allowed = !sandboxed_peer(c, c->deny, sizeof(c->deny));
                return;
        }
        if (srv.have_group)
                snprintf(c->deny, sizeof(c->deny),
                         "supd: permission denied: uid %u is not allowed (socket_group=%s)",
                         (unsigned)c->cred.uid, srv.group_name);
        else
                snprintf(c->deny, sizeof(c->deny),
                         "supd: permission denied: uid %u is not allowed (only uid 0 and %u; no socket_group set)",
                         (unsigned)c->cred.uid, (unsigned)srv.own_uid);
}

/* ---- replies ---- */

int control_reply_raw(struct control_client *c, enum ctl_stream st, const char *text, size_t len)
{
        return ctl_reply(&c->out, st, text, len);
}

int control_reply(struct control_client *c, enum ctl_stream st, const char *fmt, ...)
{
        va_list ap;
        int rc;

        va_start(ap, fmt);
        rc = ctl_vreplyf(&c->out, st, fmt, ap);
        va_end(ap);
        return rc;
}

/* Lines ending in '\n' as "out" lines, queued CONTROL_BODY_CHUNK at a
 * time as the peer takes them: a status of any number of services streams
 * out instead of failing the reply's bound. The text is ours now. */
void control_reply_body(struct control_client *c, struct ctl_buf *text)
{
        ctl_buf_free(&c->body);
        c->body = *text;
        c->body_off = 0;
        *text = (struct ctl_buf){ 0 };
}

static void body_feed(struct control_client *c)
{
        while (c->body_off < c->body.len && c->out.len < CONTROL_BODY_CHUNK) {
                const char *line = c->body.data + c->body_off;
                const char *nl = memchr(line, '\n', c->body.len - c->body_off);
                size_t n = nl ? (size_t)(nl - line) : c->body.len - c->body_off;

                if (ctl_reply(&c->out, CTL_OUT, line, n) < 0)
                        return;
                c->body_off += n + (nl ? 1 : 0);
        }
        if (c->body_off < c->body.len)
                return;
        ctl_buf_free(&c->body);
        c->body_off = 0;
        if (c->done_deferred) {
                c->done_deferred = false;
                ctl_reply_done(&c->out, c->done_code);
                c->closing = true;
        }
}

static void client_write(struct control_client *c)
{
        bool moved = false;

        while (!c->gone && (body_feed(c), c->out.len > 0)) {
                ssize_t n = send(c->fd, c->out.data, c->out.len, MSG_DONTWAIT | MSG_NOSIGNAL);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                        break;
                if (n <= 0) {
                        c->gone = true;         /* EPIPE, ECONNRESET: the peer left */
                        break;
                }
                ctl_buf_consume(&c->out, (size_t)n);
                moved = true;
        }
        if (c->gone || c->out.len == 0) {
                ev_io_stop(srv.loop, &c->wio);
                ev_timer_stop(srv.loop, &c->stall_timer);
                return;
        }
        ev_io_start(srv.loop, &c->wio);
        /* A follower that does not read loses lines instead (control_cmd.c). */
        if (!c->follow_slot && !c->follow_all && (moved || !ev_is_active(&c->stall_timer)))
                ev_timer_again(srv.loop, &c->stall_timer);      /* (re)start the stall clock */
}

/* Write what is queued now; if the client is finished, have its own
 * watcher come round to free it (we may be inside someone else's code). */
void control_flush(struct control_client *c)
{
        client_write(c);
        if (c->gone || (c->closing && c->out.len == 0))
                ev_feed_event(srv.loop, &c->wio, EV_WRITE);
}

void control_done(struct control_client *c, int code)
{
        if (c->closing || c->done_deferred)
                return;
        ev_timer_stop(srv.loop, &c->req_timer);
        if (c->body_off < c->body.len) {
                c->done_deferred = true;        /* body_feed sends it last */
                c->done_code = code;
        } else {
                ctl_reply_done(&c->out, code);
                c->closing = true;
        }
        control_flush(c);
}

void control_arm_deadline(struct control_client *c, double seconds)
{
        ev_timer_stop(srv.loop, &c->req_timer);
        ev_timer_set(&c->req_timer, seconds, 0);
        ev_timer_start(srv.loop, &c->req_timer);
}

/* ---- clients ---- */

static void server_teardown(void);

static void accept_resume(void)
{
        if (srv.running && srv.accept_paused && srv.nclients < CONTROL_MAX_CLIENTS &&
            !ev_is_active(&srv.retry)) {
                srv.accept_paused = false;
                ev_io_start(srv.loop, &srv.lio);
        }
}

static void client_free(struct control_client *c)
{
        srv.verbs->release(c);
        ev_io_stop(srv.loop, &c->rio);
        ev_io_stop(srv.loop, &c->wio);
        ev_timer_stop(srv.loop, &c->req_timer);
        ev_timer_stop(srv.loop, &c->stall_timer);
        close(c->fd);
        if (c->prev)
                c->prev->next = c->next;
        else
                srv.clients = c->next;
        if (c->next)
                c->next->prev = c->prev;
        ctl_buf_free(&c->out);
        ctl_buf_free(&c->body);
        free(c);
        srv.nclients--;
        accept_resume();
}

static void enter(void)
{
        srv.depth++;
}

/* Leave one of our callbacks: free the client when it is finished, and the
 * whole server when control_stop() ran meanwhile. */
static void leave(struct control_client *c)
{
        if (c && srv.running && (c->gone || (c->closing && c->out.len == 0)))
                client_free(c);
        if (--srv.depth == 0 && srv.free_pending)
                server_teardown();
}

static void reply_error_and_close(struct control_client *c, int code, const char *msg)
{
        control_reply(c, CTL_ERR, "%s", msg);
        control_done(c, code);
}

static void client_got_request(struct control_client *c, const struct ctl_request *req)
{
        c->have_request = true;
        ev_timer_stop(srv.loop, &c->req_timer);
        if (!c->allowed) {
                reply_error_and_close(c, CTL_EXIT_UNKNOWN, c->deny);
                return;
        }
        srv.verbs->dispatch(c, req);
}

static void client_parse(struct control_client *c, bool eof)
{
        static struct ctl_request req;          /* 10 kB; one parse at a time */
        struct sup_err err = { 0 };
        ssize_t n = ctl_parse_request(c->in, c->in_len, eof, &req, &err);

        if (n > 0) {
                client_got_request(c, &req);
        } else if (n < 0) {
                c->have_request = true;
                ev_timer_stop(srv.loop, &c->req_timer);
                if (c->allowed)
                        sup_wrap(&err, "supd: bad request");
                reply_error_and_close(c, c->allowed ? CTL_EXIT_USAGE : CTL_EXIT_UNKNOWN,
                                      c->allowed ? err.msg : c->deny);
                if (c->allowed)
                        log_debug("control: bad request from uid %u: %s", (unsigned)c->cred.uid, err.msg);
        }
}

/* EOF: the peer either closed (POLLHUP) or only shut down its writing side
 * (a script's `shutdown(SHUT_WR)`); the second still wants the reply. */
static bool peer_hung_up(int fd)
{
        struct pollfd p = { .fd = fd, .events = POLLIN };

        return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR));
}

/* Take what the peer sent: the request, or after it, bytes to ignore. */
static void client_read(struct control_client *c)
{
        char sink[512];
        ssize_t n;

        if (!c->have_request)
                n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, MSG_DONTWAIT);
        else
                n = recv(c->fd, sink, sizeof(sink), MSG_DONTWAIT);   /* one request per connection */
        if (n > 0 && !c->have_request) {
                c->in_len += (size_t)n;
                client_parse(c, false);
        } else if (n == 0) {
                if (!c->have_request)
                        client_parse(c, true);
                if (peer_hung_up(c->fd))
                        c->gone = true;
                else
                        ev_io_stop(srv.loop, &c->rio);
        } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                c->gone = true;
        }
}

static void on_read(struct ev_loop *loop, ev_io *w, int revents)
{
        struct control_client *c = w->data;

        enter();
        client_read(c);
        leave(c);
}

static void on_write(struct ev_loop *loop, ev_io *w, int revents)
{
        struct control_client *c = w->data;

        enter();
        client_write(c);
        leave(c);
}

static void on_req_timer(struct ev_loop *loop, ev_timer *w, int revents)
{
        struct control_client *c = w->data;

        enter();
        if (!c->have_request) {
                char msg[128];

                snprintf(msg, sizeof(msg), "supd: bad request: timed out (no complete line within %.0fs)",
                         CONTROL_REQ_TIMEOUT);
                c->have_request = true;
                reply_error_and_close(c, c->allowed ? CTL_EXIT_USAGE : CTL_EXIT_UNKNOWN,
                                      c->allowed ? msg : c->deny);
        } else {
                srv.verbs->deadline(c);
        }
        leave(c);
}

static void on_stall(struct ev_loop *loop, ev_timer *w, int revents)
{
        struct control_client *c = w->data;

        enter();
        log_debug("control: dropping uid %u: reply not read for %.0fs", (unsigned)c->cred.uid,
                  CONTROL_STALL_TIMEOUT);
        c->gone = true;
        leave(c);
}

static void client_new(int fd)
{
        struct control_client *c = calloc(1, sizeof(*c));

        if (!c) {
                close(fd);
                return;
        }
        c->fd = fd;
        /* A client taken from a backlog that built up while the table was
         * full counts as connected when that began: 200 silent clients
         * queued there are not each given a fresh grace before a status
         * queued behind them is read. Its request, if sent, is read first
         * anyway (evict_idle). */
        c->since = srv.backlog_since ? srv.backlog_since : ev_now(srv.loop);
        c->follow_handle = -1;
        ctl_buf_init(&c->out, CONTROL_OUT_LIMIT);
        ev_io_init(&c->rio, on_read, fd, EV_READ);
        ev_io_init(&c->wio, on_write, fd, EV_WRITE);
        ev_timer_init(&c->req_timer, on_req_timer, CONTROL_REQ_TIMEOUT, 0);
        ev_timer_init(&c->stall_timer, on_stall, 0, CONTROL_STALL_TIMEOUT);
        c->rio.data = c->wio.data = c->req_timer.data = c->stall_timer.data = c;
        client_check_access(c);
        c->next = srv.clients;
        if (c->next)
                c->next->prev = c;
        srv.clients = c;
        srv.nclients++;
        ev_io_start(srv.loop, &c->rio);
        ev_timer_start(srv.loop, &c->req_timer);
}

static struct control_client *oldest_silent(void)
{
        struct control_client *old = NULL;

        for (struct control_client *c = srv.clients; c; c = c->next)
                if (!c->have_request && !c->gone && !c->closing)
                        old = c;        /* newest first: the last one is the oldest */
        return old;
}

/* The table is full. Idle clients must not hold it: the client silent
 * longest is read once more (an honest supctl has sent its request with
 * the connection, and is served), then closed once it had
 * CONTROL_IDLE_GRACE. Returns true when a slot is free now; else
 * evict_timer fires when the oldest is due. */
static bool evict_idle(void)
{
        struct control_client *old;

        while ((old = oldest_silent())) {
                double due;

                client_read(old);
                if (old->gone || (old->closing && old->out.len == 0)) {
                        client_free(old);       /* answered or gone: its slot is free */
                        return true;
                }
                if (old->have_request)
                        continue;               /* being served: not idle */
                due = old->since + CONTROL_IDLE_GRACE - ev_now(srv.loop);
                if (due > 0) {
                        ev_timer_stop(srv.loop, &srv.evict_timer);
                        ev_timer_set(&srv.evict_timer, due, 0);
                        ev_timer_start(srv.loop, &srv.evict_timer);
                        return false;
                }
                log_debug("control: closing a client silent for %.2fs: the table is full",
                          ev_now(srv.loop) - old->since);
                client_free(old);
                return true;
        }
        return false;
}

static void on_accept(struct ev_loop *loop, ev_io *w, int revents)
{
        enter();
        while (srv.running) {
                int fd;

                if (srv.nclients >= CONTROL_MAX_CLIENTS && !evict_idle()) {
                        /* the rest wait in the listen backlog */
                        ev_io_stop(loop, &srv.lio);
                        srv.accept_paused = true;
                        if (!srv.backlog_since)
                                srv.backlog_since = ev_now(loop);
                        break;
                }
                fd = accept4(srv.lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (fd >= 0) {
                        client_new(fd);
                        continue;
                }
                if (errno == EAGAIN || errno == EWOULDBLOCK)
                        srv.backlog_since = 0;  /* nobody waits any more */
                if (errno == EINTR || errno == ECONNABORTED)
                        continue;
                if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                        /* the socket stays readable: pause rather than spin */
                        log_warn("control: accept: %s; pausing for 1s", strerror(errno));
                        ev_io_stop(loop, &srv.lio);
                        srv.accept_paused = true;
                        ev_timer_set(&srv.retry, 1.0, 0);
                        ev_timer_start(loop, &srv.retry);
                } else if (errno != EAGAIN && errno != EWOULDBLOCK) {
                        log_warn("control: accept: %s", strerror(errno));
                }
                break;
        }
        leave(NULL);
}

static void on_retry(struct ev_loop *loop, ev_timer *w, int revents)
{
        enter();
        accept_resume();
        leave(NULL);
}

/* The oldest silent client is due: accept again, evicting it if needed. */
static void on_evict_due(struct ev_loop *loop, ev_timer *w, int revents)
{
        if (!srv.running || !srv.accept_paused || ev_is_active(&srv.retry))
                return;
        srv.accept_paused = false;
        ev_io_start(loop, &srv.lio);
        on_accept(loop, &srv.lio, EV_READ);
}

/* ---- state changes from the supervisor ---- */

static void on_change(struct svc *s, enum svc_state from, void *ctx)
{
        enter();
        for (struct control_client *c = srv.clients; c; c = c->next)
                if (c->act != ACT_NONE && c->issued && !c->closing)
                        srv.verbs->judge(c);
        leave(NULL);
}

/* ---- the socket file ---- */

/* Is anybody answering on path? Decides between "stale, replace it" and
 * "another supd is running". A full backlog (EAGAIN) counts as alive. */
static bool socket_alive(const char *path)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        bool alive;

        if (fd < 0)
                return false;
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
        alive = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 || errno == EAGAIN ||
                errno == EINPROGRESS;
        close(fd);
        return alive;
}

static int prepare_path(const char *path, struct sup_err *err)
{
        char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
        struct stat st;
        char *slash;

        snprintf(dir, sizeof(dir), "%s", path);
        slash = strrchr(dir, '/');
        if (slash && slash != dir) {
                *slash = '\0';
                /* /run may be missing in a minimal image; one level only */
                if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                        return sup_fail(err, errno, "control socket %s: mkdir %s", path, dir);
        }
        if (lstat(path, &st) < 0)
                return errno == ENOENT ? 0 : sup_fail(err, errno, "control socket %s", path);
        if (!S_ISSOCK(st.st_mode))
                return sup_fail(err, EEXIST, "control socket %s: exists and is not a socket", path);
        if (socket_alive(path))
                return sup_fail(err, EADDRINUSE, "control socket %s: another supd is answering on it",
                                path);
        if (unlink(path) < 0 && errno != ENOENT)
                return sup_fail(err, errno, "control socket %s: removing the stale socket", path);
        return 0;
}

static int resolve_group(const char *name, struct sup_err *err)
{
        struct group *gr;
        char *end;
        unsigned long g;

        srv.have_group = false;
        if (!name || !*name)
                return 0;
        errno = 0;
        gr = getgrnam(name);
        if (gr) {
                srv.gid = gr->gr_gid;
        } else {
                g = strtoul(name, &end, 10);
                if (*end || end == name)
                        return sup_fail(err, errno, "socket_group %s: no such group", name);
                srv.gid = (gid_t)g;
        }
        srv.group_name = strdup(name);
        if (!srv.group_name)
                return sup_fail(err, ENOMEM, "socket_group");
        srv.have_group = true;
        return 0;
}

static int open_socket(const char *path, struct sup_err *err)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        struct stat st;
        mode_t old;
        int fd;

        if (strlen(path) >= sizeof(sa.sun_path))
                return sup_fail(err, ENAMETOOLONG, "control socket %s", path);
        strcpy(sa.sun_path, path);
        if (prepare_path(path, err) < 0)
                return -1;
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return sup_fail(err, errno, "control socket: socket");
        /* Born 0600: there is no moment where others could connect. */
        old = umask(0177);
        if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
                int e = errno;
                umask(old);
                close(fd);
                return sup_fail(err, e, "control socket %s: bind", path);
        }
        umask(old);
        if (srv.have_group && (chown(path, (uid_t)-1, srv.gid) < 0 || chmod(path, 0660) < 0)) {
                int e = errno;
                unlink(path);
                close(fd);
                return sup_fail(err, e, "control socket %s: group %s", path, srv.group_name);
        }
        if (listen(fd, SOMAXCONN) < 0 || stat(path, &st) < 0) {
                int e = errno;
                unlink(path);
                close(fd);
                return sup_fail(err, e, "control socket %s: listen", path);
        }
        srv.dev = st.st_dev;
        srv.ino = st.st_ino;
        return fd;
}

int control_start(struct ev_loop *loop, const struct sup_config *cfg,
                  const struct control_handlers *handlers, struct sup_err *err)
{
        const char *path = control_socket_path(cfg);

        if (srv.running)
                return sup_fail(err, EALREADY, "control socket: already started");
        srv.loop = loop;
        srv.verbs = handlers;
        srv.own_uid = geteuid();
        if (resolve_group(cfg ? cfg->socket_group : NULL, err) < 0)
                return -1;
        srv.path = strdup(path);
        if (!srv.path)
                return sup_fail(err, ENOMEM, "control socket");
        srv.lfd = open_socket(path, err);
        if (srv.lfd < 0)
                goto fail;
        if (!view_of(0, &own_view))
                memset(&own_view, 0, sizeof(own_view));
        rt_hide_control_socket(path);
        srv.watch = table_watch(on_change, NULL);
        if (srv.watch < 0) {
                sup_fail(err, ENOMEM, "control socket: watching services");
                unlink(path);
                close(srv.lfd);
                srv.lfd = -1;
                goto fail;
        }
        ev_io_init(&srv.lio, on_accept, srv.lfd, EV_READ);
        ev_timer_init(&srv.retry, on_retry, 1.0, 0);
        ev_timer_init(&srv.evict_timer, on_evict_due, CONTROL_IDLE_GRACE, 0);
        ev_io_start(loop, &srv.lio);
        srv.running = true;
        srv.free_pending = false;
        log_debug("control: listening on %s", path);
        return 0;
fail:
        free(srv.path);
        free(srv.group_name);
        srv.path = srv.group_name = NULL;
        return -1;
}

static void server_teardown(void)
{
        srv.free_pending = false;
        while (srv.clients)
                client_free(srv.clients);       /* running is false: accepting stays off */
        free(srv.path);
        free(srv.group_name);
        srv.path = srv.group_name = NULL;
}

void control_stop(void)
{
        struct stat st;

        if (!srv.running)
                return;
        srv.running = false;
        ev_io_stop(srv.loop, &srv.lio);
        ev_timer_stop(srv.loop, &srv.retry);
        ev_timer_stop(srv.loop, &srv.evict_timer);
        close(srv.lfd);
        srv.lfd = -1;
        /* Only our own file: another supd may have taken the path since. */
        if (stat(srv.path, &st) == 0 && st.st_dev == srv.dev && st.st_ino == srv.ino)
                unlink(srv.path);
        if (srv.watch >= 0)
                table_unwatch(srv.watch);
        srv.watch = -1;
        /* Last words for whoever still waits (followers, pending actions). */
        for (struct control_client *c = srv.clients; c; c = c->next) {
                ctl_buf_free(&c->body);         /* a long reply ends here */
                c->body_off = 0;
                c->done_deferred = false;
                if (!c->closing) {
                        if (c->have_request && c->allowed)
                                ctl_reply(&c->out, CTL_ERR, "supd: exiting", strlen("supd: exiting"));
                        ctl_reply_done(&c->out, c->follow_slot || c->follow_all ? CTL_EXIT_OK : CTL_EXIT_FAILED);
                        c->closing = true;
                }
                client_write(c);
        }
        if (srv.depth > 0)
                srv.free_pending = true;
        else
                server_teardown();
}
