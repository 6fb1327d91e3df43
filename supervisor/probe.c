/* supervisor/probe.c — one health check, never blocking supd's loop.
 *
 * exec: the command runs in the service's sandbox (rt_exec_in) with its
 * stdout and stderr on one pipe, read as it comes (the first bytes are
 * kept, the rest drained); its exit is the verdict, at the reap. A check
 * still running at its deadline gets SIGKILL, with everything it started
 * (it leads its own process group), and fails as "timed out".
 * tcp: a non-blocking connect to 127.0.0.1:PORT in the service's network
 * namespace (rt_socket_in); connected = healthy.
 * http: the same connect, then "GET PATH HTTP/1.0" and the status line of
 * the answer, which must carry the expected code. No TLS, loopback only. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/exitcode.h"
#include "common/sigconf.h"
#include "supervisor/health.h"

static struct ev_loop *loop;
static probe_done_fn done;
static int devnull = -1;

void probe_init(struct ev_loop *l, probe_done_fn fn)
{
        loop = l;
        done = fn;
}

static void io_close(struct health_run *h)
{
        if (h->io.fd < 0)
                return;
        ev_io_stop(loop, &h->io);
        close(h->io.fd);
        h->io.fd = -1;
}

/* A check's socket ends with a reset, not a FIN exchange: cheaper for both
 * ends and no TIME_WAIT left behind by a check every few seconds. */
static void sock_abort(struct health_run *h)
{
        struct linger reset = { .l_onoff = 1, .l_linger = 0 };

        if (h->io.fd >= 0)
                setsockopt(h->io.fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
}

static void finish(struct health_run *h, bool ok, const char *what)
{
        if (h->svc->spec->health.kind != HEALTH_EXEC)
                sock_abort(h);
        io_close(h);
        h->busy = false;
        done(h, ok, what);
}

/* The kept output as one line of text for INFO: trailing blanks gone. */
static const char *output_text(struct health_run *h)
{
        while (h->out_len && (h->out[h->out_len - 1] == '\n' || h->out[h->out_len - 1] == ' ' ||
                              h->out[h->out_len - 1] == '\r' || h->out[h->out_len - 1] == '\t'))
                h->out_len--;
        h->out[h->out_len] = '\0';
        return h->out;
}

/* ---- exec ---- */

static void pipe_cb(struct ev_loop *l, ev_io *w, int revents)
{
        struct health_run *h = w->data;
        char sink[4096];
        ssize_t n;

        (void)l;
        (void)revents;
        for (int burst = 0; burst < 4; burst++) {
                size_t room = sizeof(h->out) - 1 - h->out_len;

                n = room ? read(w->fd, h->out + h->out_len, room) : read(w->fd, sink, sizeof(sink));
                if (n > 0 && room)
                        h->out_len += (size_t)n;
                if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
                        io_close(h);    /* EOF: the verdict waits for the reap */
                        return;
                }
                if (n < 0)
                        return;
        }
}

static void exec_start(struct health_run *h)
{
        struct svc *s = h->svc;
        const struct health_spec *hs = &s->spec->health;
        struct rt_stdio io = { .in = -1, .out = -1, .err = -1, .ready_fd = -1,
                               .sigconf = &sigconf_inherited };
        struct sup_err err = { 0 };
        struct rt_proc proc;
        int out[2];

        if (devnull < 0)
                devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (pipe2(out, O_CLOEXEC) < 0) {
                finish(h, false, "health check: output pipe failed");
                return;
        }
        io.in = devnull;
        io.out = io.err = out[1];
        if (rt_exec_in(s->spec, &s->priv->proc, hs->argv, &io, &proc, &err) < 0) {
                close(out[0]);
                close(out[1]);
                finish(h, false, err.msg);
                return;
        }
        close(out[1]);
        /* our ends only: the check writes to a blocking pipe like any program's stdout */
        fcntl(out[0], F_SETFL, O_NONBLOCK);
        fcntl(proc.status_fd, F_SETFL, O_NONBLOCK);
        if (proc.pidfd >= 0)
                close(proc.pidfd);      /* its pid stays ours until we reap it */
        h->pid = proc.pid;
        h->status_fd = proc.status_fd;
        ev_io_init(&h->io, pipe_cb, out[0], EV_READ);
        h->io.data = h;
        ev_io_start(loop, &h->io);
}

bool probe_reaped(struct health_run *h, int wait_status)
{
        const struct health_spec *hs = &h->svc->spec->health;
        struct sup_err err = { 0 };
        char what[sizeof(h->out) + 64];
        int code = exitcode_of_status(wait_status);
        bool setup_failed;

        h->pid = 0;
        if (h->io.fd >= 0)
                pipe_cb(loop, &h->io, EV_READ);         /* what is left in the pipe */
        setup_failed = h->status_fd >= 0 && rt_read_status(h->status_fd, NULL, &err) < 0;
        if (h->status_fd >= 0)
                close(h->status_fd);
        h->status_fd = -1;
        if (!h->busy)
                return true;            /* cancelled meanwhile */
        if (h->timed_out)
                snprintf(what, sizeof(what), "timed out after %.3gs", (double)hs->timeout / 1000.0);
        else if (setup_failed)
                snprintf(what, sizeof(what), "%s", err.msg);
        else if (code == 0)
                snprintf(what, sizeof(what), "%s", output_text(h));
        else
                snprintf(what, sizeof(what), "exit %d%s%s", code, h->out_len ? ": " : "",
                         output_text(h));
        finish(h, !h->timed_out && !setup_failed && code == 0, what);
        return true;
}

/* ---- tcp, http ---- */

static void http_read(struct health_run *h)
{
        unsigned expected = h->svc->spec->health.http_status, code;
        char *eol, line[96];
        ssize_t n;

        n = recv(h->io.fd, h->out + h->out_len, sizeof(h->out) - 1 - h->out_len, MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
                return;
        if (n > 0)
                h->out_len += (size_t)n;
        h->out[h->out_len] = '\0';
        eol = strstr(h->out, "\r\n");
        if (!eol && n > 0 && h->out_len < sizeof(h->out) - 1)
                return;                 /* the status line is not complete yet */
        if (!eol) {
                finish(h, false, n < 0 ? strerror(errno) : "no HTTP status line in the answer");
                return;
        }
        *eol = '\0';
        snprintf(line, sizeof(line), "%s", h->out);
        if (sscanf(h->out, "HTTP/%*u.%*u %u", &code) != 1) {
                finish(h, false, "no HTTP status line in the answer");
                return;
        }
        if (code == expected) {
                finish(h, true, line);
                return;
        }
        snprintf(h->out, sizeof(h->out), "%s (expected %u)", line, expected);
        finish(h, false, h->out);
}

static void http_send(struct health_run *h)
{
        const struct health_spec *hs = &h->svc->spec->health;
        char req[512];
        int len = snprintf(req, sizeof(req),
                           "GET %s HTTP/1.0\r\nHost: 127.0.0.1:%u\r\nUser-Agent: supd\r\n"
                           "Connection: close\r\n\r\n", hs->path ? hs->path : "/", hs->port);

        /* a fresh socket's buffer takes a request this small at once */
        if (len >= (int)sizeof(req) || send(h->io.fd, req, (size_t)len, MSG_DONTWAIT | MSG_NOSIGNAL) != len) {
                finish(h, false, "sending the request failed");
                return;
        }
        ev_io_stop(loop, &h->io);
        ev_io_set(&h->io, h->io.fd, EV_READ);
        ev_io_start(loop, &h->io);
}

static void connected(struct health_run *h)
{
        const struct health_spec *hs = &h->svc->spec->health;
        char what[96];
        socklen_t len = sizeof(int);
        int e = 0;

        if (getsockopt(h->io.fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
                e = errno;
        if (e) {
                snprintf(what, sizeof(what), "connect 127.0.0.1:%u: %s", hs->port, strerror(e));
                finish(h, false, what);
                return;
        }
        if (hs->kind == HEALTH_TCP) {
                snprintf(what, sizeof(what), "connected to 127.0.0.1:%u", hs->port);
                finish(h, true, what);
                return;
        }
        http_send(h);
}

static void sock_cb(struct ev_loop *l, ev_io *w, int revents)
{
        struct health_run *h = w->data;

        (void)l;
        if (revents & EV_WRITE)
                connected(h);
        else
                http_read(h);
}

static void sock_start(struct health_run *h)
{
        struct svc *s = h->svc;
        struct sockaddr_in sa = { .sin_family = AF_INET,
                                  .sin_port = htons((uint16_t)s->spec->health.port),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        struct sup_err err = { 0 };
        int fd = rt_socket_in(s->spec, &s->priv->proc, AF_INET, SOCK_STREAM, &err);

        if (fd < 0) {
                finish(h, false, err.msg);
                return;
        }
        ev_io_init(&h->io, sock_cb, fd, EV_WRITE);
        h->io.data = h;
        if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
                connected(h);
                return;
        }
        if (errno != EINPROGRESS) {     /* loopback answers at once: refused is known now */
                char what[96];

                snprintf(what, sizeof(what), "connect 127.0.0.1:%u: %s", s->spec->health.port,
                         strerror(errno));
                finish(h, false, what);
                return;
        }
        ev_io_start(loop, &h->io);
}

/* ---- the check ---- */

void probe_start(struct health_run *h, double now)
{
        const struct health_spec *hs = &h->svc->spec->health;

        h->busy = true;
        h->timed_out = false;
        h->out_len = 0;
        h->out[0] = '\0';
        h->deadline = now + (double)hs->timeout / 1000.0;
        if (hs->kind == HEALTH_EXEC)
                exec_start(h);
        else
                sock_start(h);
}

void probe_timeout(struct health_run *h)
{
        const struct health_spec *hs = &h->svc->spec->health;
        char what[64];

        if (h->pid > 0) {
                h->timed_out = true;
                io_close(h);
                kill(-h->pid, SIGKILL);         /* the verdict comes with the reap */
                return;
        }
        snprintf(what, sizeof(what), "timed out after %.3gs", (double)hs->timeout / 1000.0);
        finish(h, false, what);
}

void probe_cancel(struct health_run *h)
{
        io_close(h);
        if (h->pid > 0)
                kill(-h->pid, SIGKILL);         /* reaped as an orphan of ours */
        h->pid = 0;
        if (h->status_fd >= 0)
                close(h->status_fd);
        h->status_fd = -1;
        h->busy = false;
}
