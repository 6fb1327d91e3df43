/* supervisor/ready.c — readiness signals: sd_notify datagrams and fd:N.
 *
 * notify: each notify service gets its own SOCK_DGRAM socket, autobound in
 * the abstract namespace (a unique "@xxxxx" name, no file to clean up, no
 * collision between supds), so a READY=1 is attributed by the socket it
 * arrived on even when the sender (systemd-notify, a helper) has already
 * exited and can no longer be traced. SO_PASSCRED still lets us refuse a
 * datagram from a live process that is provably not the service's (neither
 * its main pid nor a descendant of it).
 *
 * fd:N: s6's protocol. A pipe whose write end the runtime places at fd N in
 * the child; a newline on it means ready.
 *
 * Each event ends with the hook given at ready_init() (the scheduler's
 * kick): like process.c, ready.c sits below the scheduler. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/log.h"
#include "supervisor/health.h"
#include "supervisor/run_int.h"

static struct ev_loop *loop;
static void (*after_event)(void);

void ready_init(struct ev_loop *l, void (*after)(void))
{
        loop = l;
        after_event = after;
}

/* Parent pid of pid from /proc/PID/stat, 0 when it cannot be read. */
static pid_t parent_of(pid_t pid)
{
        char path[64], buf[512], *p;
        ssize_t n;
        int fd;
        long pp;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return 0;
        n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n <= 0)
                return 0;
        buf[n] = '\0';
        p = strrchr(buf, ')');          /* comm may hold spaces and parens */
        if (!p || sscanf(p + 1, " %*c %ld", &pp) != 1)
                return 0;
        return (pid_t)pp;
}

/* False only when the sender is alive and provably outside the service's
 * tree. A sender that is gone (or no credentials) is vouched for by the
 * private socket it wrote to. */
static bool sender_belongs(const struct svc *s, pid_t sender)
{
        pid_t p = sender;

        if (sender <= 0 || s->pid <= 0)
                return true;
        for (int depth = 0; depth < 64 && p > 1; depth++) {
                if (p == s->pid)
                        return true;
                p = parent_of(p);
                if (p == 0)
                        return true;
        }
        return false;
}

static void handle_line(struct svc *s, const char *line, size_t len)
{
        if (len == 10 && memcmp(line, "WATCHDOG=1", 10) == 0) {
                health_watchdog_ping(s);
        } else if (len == 16 && memcmp(line, "WATCHDOG=trigger", 16) == 0) {
                health_watchdog_trigger(s);
        } else if (len > 14 && len < 40 && memcmp(line, "WATCHDOG_USEC=", 14) == 0) {
                char num[32];
                char *end;
                unsigned long long usec;

                memcpy(num, line + 14, len - 14);
                num[len - 14] = '\0';
                usec = strtoull(num, &end, 10);
                if (*end == '\0' && num[0] >= '0' && num[0] <= '9')
                        health_watchdog_set(s, usec);
        } else if (len == 7 && memcmp(line, "READY=1", 7) == 0 && s->spec->ready == READY_NOTIFY) {
                if (s->state == ST_STARTING)
                        log_info("%s: ready (notify)", s->spec->name);
                svc_event(s, SE_READY);
        } else if (len >= 7 && memcmp(line, "STATUS=", 7) == 0) {
                size_t n = len - 7 < sizeof(s->status_text) - 1 ? len - 7 : sizeof(s->status_text) - 1;
                memcpy(s->status_text, line + 7, n);
                s->status_text[n] = '\0';
        }
        /* MAINPID=, STOPPING=1...: not used */
}

static void notify_cb(struct ev_loop *l, ev_io *w, int revents)
{
        struct svc *s = w->data;
        char buf[4096], cbuf[CMSG_SPACE(sizeof(struct ucred))];
        struct iovec iov = { buf, sizeof(buf) - 1 };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
                             .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
        struct cmsghdr *c;
        pid_t sender = 0;
        ssize_t n;

        (void)l;
        (void)revents;
        for (int burst = 0; burst < 16; burst++) {
                mh.msg_controllen = sizeof(cbuf);
                n = recvmsg(w->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC | MSG_TRUNC);
                if (n < 0)
                        break;
                /* close any fds sent along (FDSTORE): we keep none */
                for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
                        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
                                struct ucred uc;
                                memcpy(&uc, CMSG_DATA(c), sizeof(uc));
                                sender = uc.pid;
                        } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                                int *fds = (int *)CMSG_DATA(c);
                                size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                                for (size_t i = 0; i < k; i++)
                                        close(fds[i]);
                        }
                }
                if ((size_t)n >= sizeof(buf) - 1)
                        continue;       /* oversized: ignore */
                if (!sender_belongs(s, sender)) {
                        log_warn("%s: notify message from pid %d ignored: not the service's", s->spec->name,
                                 (int)sender);
                        continue;
                }
                buf[n] = '\0';
                for (char *line = buf, *end; line < buf + n; line = end + 1) {
                        end = memchr(line, '\n', (size_t)(buf + n - line));
                        if (!end)
                                end = buf + n;
                        handle_line(s, line, (size_t)(end - line));
                }
        }
        after_event();
}

int ready_notify_open(struct svc *s, struct sup_err *err)
{
        struct svc_private *p = s->priv;
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        socklen_t len = sizeof(sa_family_t);
        int one = 1, fd;

        if (p->notify_w.fd >= 0)
                return 0;
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return sup_fail(err, errno, "%s: notify socket", s->spec->name);
        if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)) < 0 ||
            bind(fd, (struct sockaddr *)&sa, len) < 0) {          /* autobind: "\0xxxxx" */
                close(fd);
                return sup_fail(err, errno, "%s: notify socket", s->spec->name);
        }
        len = sizeof(sa);
        if (getsockname(fd, (struct sockaddr *)&sa, &len) < 0 || len <= sizeof(sa_family_t) + 1) {
                close(fd);
                return sup_fail(err, errno, "%s: notify socket name", s->spec->name);
        }
        size_t nlen = len - sizeof(sa_family_t) - 1;
        if (nlen > sizeof(p->notify_name) - 2)
                nlen = sizeof(p->notify_name) - 2;
        p->notify_name[0] = '@';
        memcpy(p->notify_name + 1, sa.sun_path + 1, nlen);
        p->notify_name[nlen + 1] = '\0';
        ev_io_init(&p->notify_w, notify_cb, fd, EV_READ);
        p->notify_w.data = s;
        ev_io_start(loop, &p->notify_w);
        return 0;
}

void ready_notify_close(struct svc *s)
{
        struct svc_private *p = s->priv;

        if (p->notify_w.fd < 0)
                return;
        ev_io_stop(loop, &p->notify_w);
        close(p->notify_w.fd);
        p->notify_w.fd = -1;
        p->notify_name[0] = '\0';
}

static void fd_cb(struct ev_loop *l, ev_io *w, int revents)
{
        struct svc *s = w->data;
        char buf[256];
        ssize_t n;

        (void)l;
        (void)revents;
        n = read(w->fd, buf, sizeof(buf));
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
                return;
        if (n > 0 && !memchr(buf, '\n', (size_t)n))
                return;                 /* not yet: s6 waits for the newline */
        if (n > 0) {
                log_info("%s: ready (fd %d)", s->spec->name, s->spec->ready_fd);
                svc_event(s, SE_READY);
        }
        /* ready, or EOF/error without it: either way this pipe is done */
        ready_fd_close(s);
        after_event();
}

void ready_fd_watch(struct svc *s, int read_fd)
{
        struct svc_private *p = s->priv;

        fcntl(read_fd, F_SETFL, fcntl(read_fd, F_GETFL) | O_NONBLOCK);
        ev_io_init(&p->ready_w, fd_cb, read_fd, EV_READ);
        p->ready_w.data = s;
        ev_io_start(loop, &p->ready_w);
}

void ready_fd_close(struct svc *s)
{
        struct svc_private *p = s->priv;

        if (p->ready_w.fd < 0)
                return;
        ev_io_stop(loop, &p->ready_w);
        close(p->ready_w.fd);
        p->ready_w.fd = -1;
}
