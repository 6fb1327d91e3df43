/* supervisor/logroute.c — slots, pipes and the router.
 *
 * Each slot owns two pipes (stdout, stderr) for the service's whole life;
 * the slot keeps the write ends open too, so a restart never shows EOF and
 * nothing written just before a crash is lost. Read ends are non-blocking
 * and watched by the loop. Every read goes, per stream, to:
 *   console  formatted whole lines, one chunk per read, into the shared
 *            queue of supd's stdout (or stderr): lines never interleave;
 *   file     the bytes as they are, through the rotating writer;
 *   null     nowhere;
 * and always into the slot's ring of recent lines and to followers.
 *
 * Backpressure: a stream counts its bytes still waiting at a destination
 * (console queue, or a file write that failed). Past PAUSE_AT it stops
 * reading its pipe, so the service blocks on its own write; below
 * RESUME_AT it reads again. supd itself never blocks: see console_setup().
 */
#include "supervisor/logroute.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "supervisor/logfile.h"
#include "supervisor/logfmt.h"
#include "supervisor/logring.h"

#define READ_MAX        (128 * 1024)    /* one read; a full default pipe is 64 KiB */
#define FULL_PIPE       (64 * 1024)     /* a default pipe, full */
#define BUSY_CONSOLE    (1024 * 1024)   /* what a console pipe grows to when it fills up */
#define BUSY_PIPE       PAUSE_AT        /* and a service's pipe: no more than we would queue */
#define PAUSE_AT        (256 * 1024)    /* per stream, waiting at its destination */
#define RESUME_AT       (64 * 1024)
#define OWN_MAX         (256 * 1024)    /* supd's own queued messages */
#define RING_BYTES      (64 * 1024)
#define RING_LINES      200
#define READS_PER_WAKE  4               /* then let other services have the loop */
#define EXIT_READS      4               /* at a reap: a full pipe and then some */
#define RETRY_S         1.0             /* a failing file target is retried this often */
#define IOV_BATCH       64
#define SPLICE_MAX      (1024 * 1024)   /* per splice; the file's rotation bound caps it too */
#define CHUNK_CAP       (160 * 1024)    /* a formatted read fits; spares are reused */
#define CHUNK_SPARES    8

struct log_stream;

struct chunk {
        struct chunk *next;
        struct log_stream *owner;       /* NULL: supd's own message */
        size_t cap, len, off;
        char data[];
};

enum con_mode { CON_WRITE, CON_SEND, CON_DEAD };

struct console {
        const char *what;
        int fd;
        bool own_fd;
        bool grown;                     /* a pipe: it got BUSY_CONSOLE */
        enum con_mode mode;
        ev_io w;
        struct chunk *head, *tail;
        size_t own_queued;
        unsigned long own_dropped;
};

struct follower {
        logroute_line_fn fn;
        void *ctx;
        bool used;
        int stream;             /* LOGROUTE_BOTH, or the one it wants */
};

struct log_stream {
        struct logroute_slot *slot;
        const char *label;              /* {stream} */
        int rfd, wfd;
        ev_io rw;
        bool paused, eof, flush_when_empty;
        bool grown;                     /* its pipe got BUSY_PIPE */
        enum log_kind kind;
        struct console *con;
        struct logfile file;
        struct logfmt_affix affix;
        long affix_ms;                  /* when {time}: the ms the affix was built for */
        char *partial;                  /* LOGFMT_MAX_LINE bytes, allocated on first use */
        size_t partial_len;
        size_t pending;                 /* bytes waiting at the destination */
        bool stalled, stall_warned;     /* the file target failed: retry later */
        int held_errno;                 /* why it is stalled, for status */
        char *stall;                    /* file bytes a failed write left, or NULL */
        size_t stall_len, stall_off;
        ev_timer retry;
};

struct logroute_slot {
        char *name;
        struct log_stream st[2];
        bool merged, closing;
        bool files_opened;              /* its files exist: it was started once */
        struct logring ring;
        struct follower *fol;
        int nfol;
        struct logroute_slot *prev, *next;
};

static struct ev_loop *loop;
static struct logfmt *fmt;
static struct console con_out = { .what = "stdout", .fd = -1, .mode = CON_DEAD };
static struct console con_err = { .what = "stderr", .fd = -1, .mode = CON_DEAD };
static struct logroute_slot *slots;
static char *gbuf;                      /* [partial line][fresh read] */
static struct logbuf scratch;           /* formatted console output */
static struct chunk *spares;            /* reused: no malloc/brk churn per read */
static int nspares;

static void stream_update(struct log_stream *st);
static void slot_maybe_free(struct logroute_slot *slot);
static bool stream_pump(struct log_stream *st, int reads);

/* ---- console --------------------------------------------------------- */

/* A pipe that filled up moves more per read and write from now on: fewer
 * wake-ups of the service, of us and of the console's reader (200 MB of
 * lines: ~11,000 context switches in the pipeline, ~1,000 after). Only
 * busy pipes grow, so quiet services keep the default's kernel memory; a
 * service's to no more than we would queue for it anyway (PAUSE_AT), the
 * console (one pipe) to 1 MiB. Failing is harmless (not a pipe, or over
 * pipe-max-size for an unprivileged supd). */
static void pipe_grow(int fd, int size, bool *grown)
{
        if (*grown)
                return;
        *grown = true;
        /* F_SETPIPE_SZ sets, it does not grow: a console pipe the runtime
         * (or a service, its own) made bigger stays as it is. */
        if (fcntl(fd, F_GETPIPE_SZ) < size)
                fcntl(fd, F_SETPIPE_SZ, size);
}

static ssize_t console_write(struct console *c, const struct iovec *iov, int n)
{
        ssize_t w;

        if (c->mode == CON_SEND) {
                struct msghdr mh = { .msg_iov = (struct iovec *)iov, .msg_iovlen = (size_t)n };
                do
                        w = sendmsg(c->fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
                while (w < 0 && errno == EINTR);
                return w;
        }
        do
                w = writev(c->fd, iov, n);
        while (w < 0 && errno == EINTR);
        return w;
}

static void credit(struct console *c, struct log_stream *owner, size_t n)
{
        if (!owner) {
                c->own_queued -= n;
                return;
        }
        owner->pending -= n;
        stream_update(owner);
        slot_maybe_free(owner->slot);
}

static struct chunk *chunk_get(size_t len)
{
        struct chunk *ch;

        if (len <= CHUNK_CAP && spares) {
                ch = spares;
                spares = ch->next;
                nspares--;
        } else {
                size_t cap = len > CHUNK_CAP ? len : CHUNK_CAP;

                ch = malloc(sizeof(*ch) + cap);
                if (!ch)
                        return NULL;
                ch->cap = cap;
        }
        ch->next = NULL;
        ch->len = ch->off = 0;
        return ch;
}

static void chunk_put(struct chunk *ch)
{
        if (ch->cap != CHUNK_CAP || nspares >= CHUNK_SPARES) {
                free(ch);
                return;
        }
        ch->next = spares;
        spares = ch;
        nspares++;
}

static void chunk_pop(struct console *c)
{
        struct chunk *ch = c->head;

        c->head = ch->next;
        if (!c->head)
                c->tail = NULL;
        chunk_put(ch);
}

/* The reader is gone (EPIPE) or the fd is broken: nothing can be
 * delivered, so discard rather than hold every service forever. */
static void console_kill(struct console *c, int errnum)
{
        ev_io_stop(loop, &c->w);
        c->mode = CON_DEAD;
        while (c->head) {
                struct chunk *ch = c->head;
                struct log_stream *owner = ch->owner;
                size_t left = ch->len - ch->off;

                chunk_pop(c);
                credit(c, owner, left);
        }
        if (c == &con_out)
                log_warn("console %s unusable, service output to it is discarded: %s",
                         c->what, strerror(errnum));
}

static void console_drain(struct console *c)
{
        while (c->head && c->mode != CON_DEAD) {
                struct iovec iov[IOV_BATCH];
                struct chunk *ch;
                int n = 0;
                ssize_t w;

                for (ch = c->head; ch && n < IOV_BATCH; ch = ch->next)
                        iov[n++] = (struct iovec){ ch->data + ch->off, ch->len - ch->off };
                w = console_write(c, iov, n);
                if (w < 0 && errno == EAGAIN)
                        break;
                if (w < 0) {
                        console_kill(c, errno);
                        return;
                }
                while (w > 0) {
                        size_t left, take;
                        struct log_stream *owner;

                        ch = c->head;
                        left = ch->len - ch->off;
                        take = (size_t)w < left ? (size_t)w : left;
                        owner = ch->owner;
                        ch->off += take;
                        w -= (ssize_t)take;
                        if (ch->off == ch->len)
                                chunk_pop(c);
                        credit(c, owner, take);
                }
        }
        if (c->head)
                ev_io_start(loop, &c->w);
        else
                ev_io_stop(loop, &c->w);
}

static void console_cb(struct ev_loop *l, ev_io *w, int revents)
{
        (void)l;
        (void)revents;
        console_drain(w->data);
}

/* Queue whole lines (written at once when nothing is queued before them).
 * Never called from console_drain, so it may run from any callback. */
static void console_push(struct console *c, struct log_stream *owner, const char *data, size_t len)
{
        struct chunk *ch;

        if (c->mode == CON_DEAD || len == 0)
                return;
        if (!owner && c->own_queued + len > OWN_MAX) {
                c->own_dropped++;
                return;
        }
        if (!c->head) {
                struct iovec iov = { (void *)data, len };
                ssize_t w = console_write(c, &iov, 1);

                if (w < 0 && errno != EAGAIN) {
                        console_kill(c, errno);
                        return;
                }
                if (w > 0) {
                        data += w;
                        len -= (size_t)w;
                }
                if (len == 0)
                        return;
                if (c->mode == CON_WRITE)
                        pipe_grow(c->fd, BUSY_CONSOLE, &c->grown);      /* full: a pipe, or a slow tty */
        }
        ch = c->tail;
        if (ch && ch->owner == owner && ch->cap - ch->len >= len) {
                memcpy(ch->data + ch->len, data, len);  /* same owner: extend */
                ch->len += len;
        } else {
                ch = chunk_get(len);
                if (!ch) {
                        if (!owner)
                                c->own_dropped++;
                        return;         /* out of memory: this chunk is lost, supd goes on */
                }
                ch->owner = owner;
                ch->len = len;
                memcpy(ch->data, data, len);
                if (c->tail)
                        c->tail->next = ch;
                else
                        c->head = ch;
                c->tail = ch;
        }
        if (owner) {
                owner->pending += len;
                stream_update(owner);
        } else {
                c->own_queued += len;
        }
        ev_io_start(loop, &c->w);
}

/* Make fd writable without ever blocking PID 1, and without setting
 * O_NONBLOCK on a file description others share (a terminal or the pipe
 * to `docker logs` is shared with whoever started us): pipes, FIFOs and
 * terminals are reopened through /proc/self/fd, which gives us a private
 * description to make non-blocking; sockets are written with
 * MSG_DONTWAIT; regular files do not block. Only when reopening fails
 * (no /proc) is O_NONBLOCK set on the shared description. */
static void console_setup(struct console *c, int fd)
{
        struct stat st;
        char path[64];
        int nfd;

        c->fd = fd;
        c->mode = CON_DEAD;
        if (fstat(fd, &st) < 0)
                return;
        c->mode = CON_WRITE;
        if (S_ISSOCK(st.st_mode)) {
                c->mode = CON_SEND;
        } else if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
                snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
                nfd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
                if (nfd >= 0) {
                        c->fd = nfd;
                        c->own_fd = true;
                } else {
                        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
                }
        }
        ev_io_init(&c->w, console_cb, c->fd, EV_WRITE);
        c->w.data = c;
}

/* supd's own messages: queued behind service lines already queued, so a
 * message never lands inside a service's line. */
static void own_sink(const char *line, size_t len)
{
        char buf[LOGFMT_TIME_LEN + 1 + 1024];
        struct timespec ts;

        /* {time} in log_format: supd's lines carry the same clock, first. */
        if (!fmt || !logfmt_has_time(fmt) || len > sizeof(buf) - LOGFMT_TIME_LEN - 1) {
                console_push(&con_err, NULL, line, len);
                return;
        }
        clock_gettime(CLOCK_REALTIME, &ts);
        logfmt_time(&ts, buf);
        buf[LOGFMT_TIME_LEN] = ' ';
        memcpy(buf + LOGFMT_TIME_LEN + 1, line, len);
        console_push(&con_err, NULL, buf, LOGFMT_TIME_LEN + 1 + len);
}

/* ---- streams ----------------------------------------------------------- */

static void stream_update(struct log_stream *st)
{
        bool want;

        if (st->rfd < 0 || st->eof)
                want = false;
        else if (st->stalled)
                want = false;
        else
                want = st->paused ? st->pending <= RESUME_AT : st->pending < PAUSE_AT;
        if (want && !ev_is_active(&st->rw)) {
                ev_io_start(loop, &st->rw);
                if (st->flush_when_empty)       /* see logroute_slot_child_exited */
                        ev_feed_event(loop, &st->rw, EV_READ);
        } else if (!want && ev_is_active(&st->rw)) {
                ev_io_stop(loop, &st->rw);
        }
        st->paused = !want;
}

struct follow_from {
        struct logroute_slot *slot;
        int stream;
};

static void follow_emit(const char *line, size_t len, bool cont, void *ctx)
{
        struct follow_from *from = ctx;
        struct logroute_slot *slot = from->slot;

        (void)cont;
        for (int i = 0; i < slot->nfol; i++) {
                const struct follower *f = &slot->fol[i];
                if (f->used && (f->stream == LOGROUTE_BOTH || f->stream == from->stream))
                        f->fn(line, len, f->ctx);
        }
}

/* `supctl logs -f` with no name: every slot's lines, formatted as the
 * console formats them. */
static struct follower *all_fol;
static int all_nfol;

static bool any_used(const struct follower *f, int n)
{
        for (int i = 0; i < n; i++)
                if (f[i].used)
                        return true;
        return false;
}

static bool has_followers(const struct logroute_slot *slot)
{
        return any_used(slot->fol, slot->nfol) || any_used(all_fol, all_nfol);
}

static void all_emit(const char *line, size_t len, bool cont, void *ctx)
{
        const struct logfmt_affix *a = ctx;
        static struct logbuf b;

        (void)cont;
        b.len = 0;
        if (logbuf_reserve(&b, a->head_len + len + a->tail_len) < 0)
                return;
        memcpy(b.p, a->head, a->head_len);
        memcpy(b.p + a->head_len, line, len);
        memcpy(b.p + a->head_len + len, a->tail, a->tail_len);
        b.len = a->head_len + len + a->tail_len;
        for (int i = 0; i < all_nfol; i++)
                if (all_fol[i].used)
                        all_fol[i].fn(b.p, b.len, all_fol[i].ctx);
}

static void follow_all_take(struct log_stream *st, const char *data, size_t len)
{
        struct logfmt_affix a = { 0 };
        char t[LOGFMT_TIME_LEN + 1];
        struct timespec ts;

        if (!fmt || !any_used(all_fol, all_nfol))
                return;
        if (logfmt_has_time(fmt)) {
                clock_gettime(CLOCK_REALTIME, &ts);
                logfmt_time(&ts, t);
        }
        if (logfmt_affix_set(fmt, st->slot->name, st->label, logfmt_has_time(fmt) ? t : NULL, &a) == 0)
                logfmt_split(data, len, true, all_emit, &a);
        logfmt_affix_free(&a);
}

static void refresh_time(struct log_stream *st)
{
        struct timespec ts;
        char t[LOGFMT_TIME_LEN + 1];
        long ms;

        clock_gettime(CLOCK_REALTIME, &ts);
        ms = (long)(ts.tv_sec % 1000000) * 1000 + ts.tv_nsec / 1000000;
        if (ms == st->affix_ms && st->affix.head)
                return;
        logfmt_time(&ts, t);
        if (logfmt_affix_set(fmt, st->slot->name, st->label, t, &st->affix) == 0)
                st->affix_ms = ms;
}

static void stall_retry_cb(struct ev_loop *l, ev_timer *w, int revents);

/* A file write came up short: keep the rest (len bytes; 0 when they are
 * still in the pipe, after a splice), stop reading, retry later. */
static void file_stall(struct log_stream *st, const char *rest, size_t len, const struct sup_err *e)
{
        if (len > 0) {
                st->stall = malloc(len);
                if (!st->stall) {
                        log_error("%s: %s: %zu bytes lost (out of memory)", st->slot->name, e->msg, len);
                        return;
                }
                memcpy(st->stall, rest, len);
                st->stall_len = len;
                st->stall_off = 0;
                st->pending += len;
        }
        st->stalled = true;
        st->held_errno = e->errnum ? e->errnum : EIO;
        if (!st->stall_warned)
                log_warn("%s: %s; holding %s output and retrying", st->slot->name,
                         e->msg[0] ? e->msg : strerror(st->held_errno), st->label);
        st->stall_warned = true;
        ev_timer_set(&st->retry, RETRY_S, 0);
        ev_timer_start(loop, &st->retry);
        stream_update(st);
}

static void to_file(struct log_stream *st, const char *data, size_t len)
{
        struct sup_err e = { 0 };
        ssize_t w;

        if (len == 0)
                return;
        w = logfile_write(&st->file, data, len, &e);
        if (w < 0)
                w = 0;
        if ((size_t)w < len)
                file_stall(st, data + w, len - (size_t)w, &e);
}

static void stall_retry_cb(struct ev_loop *l, ev_timer *w, int revents)
{
        struct log_stream *st = w->data;
        struct sup_err e = { 0 };
        ssize_t n;

        (void)l;
        (void)revents;
        if (!st->stalled)
                return;
        st->stalled = false;
        if (!st->stall) {               /* splice: the bytes wait in the pipe */
                stream_update(st);
                return;
        }
        n = st->kind == LOG_TO_FILE
                ? logfile_write(&st->file, st->stall + st->stall_off, st->stall_len - st->stall_off, &e)
                : (ssize_t)(st->stall_len - st->stall_off);     /* target changed: let it go */
        if (n > 0) {
                st->stall_off += (size_t)n;
                st->pending -= (size_t)n;
        }
        if (st->stall_off < st->stall_len) {
                st->stalled = true;
                if (e.errnum)
                        st->held_errno = e.errnum;
                ev_timer_set(&st->retry, RETRY_S, 0);
                ev_timer_start(loop, &st->retry);
                return;
        }
        free(st->stall);
        st->stall = NULL;
        st->stall_warned = false;
        log_info("%s: %s output flows again", st->slot->name, st->label);
        stream_update(st);
        slot_maybe_free(st->slot);
}

/* data[0..len) = the partial line kept from before, then fresh bytes from
 * fresh_off on. Route it; keep the unfinished line for next time. */
static void stream_take(struct log_stream *st, char *data, size_t len, size_t fresh_off, bool final)
{
        struct logroute_slot *slot = st->slot;
        size_t done;

        if (st->kind == LOG_TO_CONSOLE) {
                if (logfmt_has_time(fmt))
                        refresh_time(st);
                scratch.len = 0;
                done = logfmt_lines(&st->affix, data, len, final, &scratch);
                if (done == (size_t)-1) {
                        log_error("%s: out of memory formatting output; %zu bytes lost",
                                  slot->name, len);
                        st->partial_len = 0;
                        return;
                }
                console_push(st->con, st, scratch.p, scratch.len);
        } else {
                done = logfmt_complete(data, len, final);
                if (st->kind == LOG_TO_FILE)
                        to_file(st, data + fresh_off, len - fresh_off);
        }
        if (st->kind != LOG_TO_FILE)    /* a file is its own record: see logroute_slot_tail */
                logring_push_lines_tagged(&slot->ring, data, done, (unsigned)(st - slot->st));
        if (any_used(slot->fol, slot->nfol)) {
                struct follow_from from = { slot, (int)(st - slot->st) };
                logfmt_split(data, done, true, follow_emit, &from);
        }
        follow_all_take(st, data, done);
        st->partial_len = len - done;
        if (st->partial_len == 0)
                return;
        if (!st->partial)
                st->partial = malloc(LOGFMT_MAX_LINE);
        if (st->partial)
                memmove(st->partial, data + done, st->partial_len);
        else
                st->partial_len = 0;
}

static void stream_flush_partial(struct log_stream *st)
{
        if (st->partial_len == 0)
                return;
        memcpy(gbuf, st->partial, st->partial_len);
        /* The bytes already reached a file target when they were read. */
        stream_take(st, gbuf, st->partial_len, st->partial_len, true);
}

static void stream_eof(struct log_stream *st)
{
        stream_flush_partial(st);
        st->eof = true;
        ev_io_stop(loop, &st->rw);
        close(st->rfd);
        st->rfd = -1;
        slot_maybe_free(st->slot);
}

/* A file target nobody follows: move the bytes with splice(2), never
 * through our memory (logroute_slot_tail then reads the file's end). Returns 1
 * when bytes moved, 0 when the pipe is empty or the file failed, -1 at
 * EOF (the slot may be gone). */
static int stream_splice(struct log_stream *st)
{
        struct sup_err e = { 0 };
        ssize_t n;

        st->partial_len = 0;    /* only kept for the ring, which the file replaces */
        n = logfile_splice(&st->file, st->rfd, SPLICE_MAX, &e);
        if (n > 0) {
                if (st->stall_warned) {
                        st->stall_warned = false;
                        log_info("%s: %s output flows again", st->slot->name, st->label);
                }
                return 1;
        }
        if (n == 0) {
                stream_eof(st);
                return -1;
        }
        st->flush_when_empty = false;   /* no partial line is kept here */
        if (errno != EAGAIN)
                file_stall(st, NULL, 0, &e);
        return 0;
}

/* Read what is there (a few reads at most). Returns false when the stream
 * ended (the slot may be gone). */
static bool stream_pump(struct log_stream *st, int reads)
{
        for (int i = 0; i < reads; i++) {
                size_t plen = st->partial_len;
                ssize_t n;

                if (st->rfd < 0 || st->eof || st->stalled || st->pending >= PAUSE_AT)
                        return true;
                if (st->kind == LOG_TO_FILE && !has_followers(st->slot)) {
                        int r = stream_splice(st);

                        if (r > 0)
                                continue;
                        return r == 0;
                }
                if (plen)
                        memcpy(gbuf, st->partial, plen);
                n = read(st->rfd, gbuf + plen, READ_MAX);
                if (n >= FULL_PIPE)
                        pipe_grow(st->rfd, BUSY_PIPE, &st->grown);
                if (n > 0) {
                        stream_take(st, gbuf, plen + (size_t)n, plen, false);
                        continue;
                }
                if (n == 0) {
                        stream_eof(st);
                        return false;
                }
                if (errno == EINTR)
                        continue;
                if (errno == EAGAIN) {
                        if (st->flush_when_empty) {
                                st->flush_when_empty = false;
                                stream_flush_partial(st);
                        }
                        return true;
                }
                log_error("%s: reading %s: %s", st->slot->name, st->label, strerror(errno));
                stream_eof(st);
                return false;
        }
        return true;
}

static void stream_read_cb(struct ev_loop *l, ev_io *w, int revents)
{
        (void)l;
        (void)revents;
        stream_pump(w->data, READS_PER_WAKE);
}

static int stream_set_target(struct log_stream *st, const struct log_target *t, struct sup_err *e)
{
        struct logfile nf;
        enum log_kind kind = t ? t->kind : LOG_TO_NULL;

        if (kind == LOG_TO_STDOUT)
                kind = LOG_TO_NULL;     /* merged: this pipe gets no writer */
        if (kind == LOG_TO_FILE) {
                if (!t->path || !*t->path)
                        return sup_fail(e, EINVAL, "%s: %s: file target without a path",
                                        st->slot->name, st->label);
                int rc = st->slot->files_opened
                                 ? logfile_open(&nf, t->path, t->max_size, t->keep, t->shared_dir, e)
                                 : logfile_defer(&nf, t->path, t->max_size, t->keep, t->shared_dir, e);

                if (rc < 0)
                        return sup_wrap(e, "%s: %s", st->slot->name, st->label);
        }
        if (st->kind == LOG_TO_FILE)
                logfile_close(&st->file);
        if (kind == LOG_TO_FILE)
                st->file = nf;
        st->kind = kind;
        return 0;
}

static int stream_init(struct logroute_slot *slot, struct log_stream *st, int idx, struct sup_err *e)
{
        st->slot = slot;
        st->label = idx == 0 ? "stdout" : "stderr";
        st->con = idx == 0 ? &con_out : &con_err;
        st->kind = LOG_TO_NULL;
        st->rfd = st->wfd = -1;
        st->affix_ms = -1;
        ev_io_init(&st->rw, stream_read_cb, -1, EV_READ);
        st->rw.data = st;
        ev_init(&st->retry, stall_retry_cb);
        st->retry.data = st;
        if (logfmt_affix_set(fmt, slot->name, st->label, NULL, &st->affix) < 0)
                return sup_fail(e, ENOMEM, "%s: log format", slot->name);
        return 0;
}

/* A pipe exists only while the service runs, or while what it wrote is
 * still being read or held: a service that never starts costs no fd. A
 * pipe released earlier whose read end still waits for EOF (a leftover
 * process of the last run holds its write end) is read once more and
 * given up for the new one. */
static int stream_pipe_open(struct log_stream *st, struct sup_err *e)
{
        int fds[2];

        if (st->wfd >= 0)
                return 0;
        if (st->rfd >= 0) {
                stream_pump(st, READS_PER_WAKE);
                ev_io_stop(loop, &st->rw);
                if (st->rfd >= 0)
                        close(st->rfd);
                st->rfd = -1;
        }
        if (pipe2(fds, O_CLOEXEC) < 0)
                return sup_fail(e, errno, "%s: %s pipe", st->slot->name, st->label);
        st->rfd = fds[0];
        st->wfd = fds[1];
        st->eof = false;
        st->grown = false;
        /* Only our read end: the service's write end stays blocking, which
         * is what makes it wait when we stop reading. */
        fcntl(st->rfd, F_SETFL, fcntl(st->rfd, F_GETFL) | O_NONBLOCK);
        ev_io_set(&st->rw, st->rfd, EV_READ);
        stream_update(st);
        return 0;
}

/* Our write end goes: the read end reaches EOF once everything written is
 * read, and the pipe is closed then (stream_eof). */
static void stream_pipe_release(struct log_stream *st)
{
        if (st->wfd < 0)
                return;
        close(st->wfd);
        st->wfd = -1;
        if (!st->paused && st->rfd >= 0)
                ev_feed_event(loop, &st->rw, EV_READ);
}

static void stream_release(struct log_stream *st)
{
        ev_io_stop(loop, &st->rw);
        ev_timer_stop(loop, &st->retry);
        if (st->rfd >= 0)
                close(st->rfd);
        if (st->wfd >= 0)
                close(st->wfd);
        st->rfd = st->wfd = -1;
        if (st->kind == LOG_TO_FILE)
                logfile_close(&st->file);
        st->kind = LOG_TO_NULL;
        logfmt_affix_free(&st->affix);
        free(st->partial);
        free(st->stall);
        st->partial = st->stall = NULL;
}

/* What holds one stream back, in an operator's words, or "" when it flows. */
static void stream_held(const struct log_stream *st, char *buf, size_t len)
{
        const char *name;

        buf[0] = '\0';
        if (st->stalled && st->kind == LOG_TO_FILE) {
                name = strerrorname_np(st->held_errno);
                snprintf(buf, len, "log held: %s on %s", name ? name : strerror(st->held_errno),
                         st->file.path);
        } else if (st->rfd >= 0 && !st->eof && st->paused && st->kind == LOG_TO_CONSOLE &&
                   st->pending >= RESUME_AT) {
                snprintf(buf, len, "log held: console %s not taking output", st->con->what);
        }
}

/* ---- slots ------------------------------------------------------------- */

static void slot_free(struct logroute_slot *slot)
{
        for (int i = 0; i < slot->nfol; i++)
                if (slot->fol[i].used)
                        slot->fol[i].fn(NULL, 0, slot->fol[i].ctx);     /* the end */
        for (int i = 0; i < 2; i++)
                stream_release(&slot->st[i]);
        if (slot->prev)
                slot->prev->next = slot->next;
        else if (slots == slot)
                slots = slot->next;
        if (slot->next)
                slot->next->prev = slot->prev;
        logring_free(&slot->ring);
        free(slot->fol);
        free(slot->name);
        free(slot);
}

static void slot_maybe_free(struct logroute_slot *slot)
{
        if (!slot->closing)
                return;
        for (int i = 0; i < 2; i++)
                if (slot->st[i].rfd >= 0 || slot->st[i].pending > 0 || slot->st[i].stalled)
                        return;
        slot_free(slot);
}

int logroute_init(struct ev_loop *l, const char *log_format, struct sup_err *err)
{
        if (loop)
                return sup_fail(err, EALREADY, "log router: already initialised");
        if (logfmt_parse(log_format, &fmt, err) < 0)
                return -1;
        gbuf = malloc(LOGFMT_MAX_LINE + READ_MAX);
        if (!gbuf) {
                logfmt_free(fmt);
                fmt = NULL;
                return sup_fail(err, ENOMEM, "log router");
        }
        loop = l;
        console_setup(&con_out, STDOUT_FILENO);
        console_setup(&con_err, STDERR_FILENO);
        log_set_sink(own_sink);
        return 0;
}

struct logroute_slot *logroute_slot_new(const char *name, const struct log_target *out,
                              const struct log_target *err, struct sup_err *e)
{
        struct logroute_slot *slot;

        if (!loop) {
                sup_fail(e, EINVAL, "%s: log router not initialised", name);
                return NULL;
        }
        slot = calloc(1, sizeof(*slot));
        if (!slot || !(slot->name = strdup(name)) || logring_init(&slot->ring, RING_BYTES, RING_LINES) < 0) {
                if (slot)
                        free(slot->name);
                free(slot);
                sup_fail(e, ENOMEM, "%s: log slot", name);
                return NULL;
        }
        slot->st[0].rfd = slot->st[0].wfd = slot->st[1].rfd = slot->st[1].wfd = -1;
        if (stream_init(slot, &slot->st[0], 0, e) < 0 || stream_init(slot, &slot->st[1], 1, e) < 0 ||
            logroute_slot_reconfigure(slot, out, err, e) < 0) {
                slot_free(slot);
                return NULL;
        }
        slot->next = slots;
        if (slots)
                slots->prev = slot;
        slots = slot;
        stream_update(&slot->st[0]);
        stream_update(&slot->st[1]);
        return slot;
}

int logroute_slot_open_files(struct logroute_slot *slot, struct sup_err *e)
{
        for (int i = 0; i < 2; i++) {
                struct log_stream *st = &slot->st[i];

                if (st->kind == LOG_TO_FILE && logfile_open_now(&st->file, e) < 0)
                        return sup_wrap(e, "%s: %s", slot->name, st->label);
        }
        slot->files_opened = true;
        return 0;
}

int logroute_slot_child_fds(struct logroute_slot *slot, int *out_w, int *err_w, struct sup_err *e)
{
        if (slot->closing)
                return sup_fail(e, EBADF, "%s: log slot closed", slot->name);
        if (stream_pipe_open(&slot->st[0], e) < 0 ||
            (!slot->merged && stream_pipe_open(&slot->st[1], e) < 0))
                return -1;
        *out_w = slot->st[0].wfd;
        *err_w = slot->merged ? slot->st[0].wfd : slot->st[1].wfd;
        return 0;
}

int logroute_slot_reconfigure(struct logroute_slot *slot, const struct log_target *out,
                         const struct log_target *err, struct sup_err *e)
{
        bool merged = err && err->kind == LOG_TO_STDOUT;
        struct log_target console = { .kind = LOG_TO_CONSOLE };

        if (out && out->kind == LOG_TO_STDOUT)
                return sup_fail(e, EINVAL, "%s: stdout cannot go to stdout", slot->name);
        if (stream_set_target(&slot->st[0], out ? out : &console, e) < 0)
                return -1;
        if (stream_set_target(&slot->st[1], merged ? NULL : err ? err : &console, e) < 0)
                return -1;
        slot->merged = merged;
        return 0;
}

void logroute_slot_close(struct logroute_slot *slot)
{
        if (!slot || slot->closing)
                return;
        slot->closing = true;
        logroute_slot_release(slot);
        slot_maybe_free(slot);
}

void logroute_slot_release(struct logroute_slot *slot)
{
        for (int i = 0; slot && i < 2; i++)
                stream_pipe_release(&slot->st[i]);     /* read to EOF even if nobody wakes us */
}

/* Read the pipe now, not on the next loop pass: the caller's "exited" line
 * must come after the last lines the process wrote. A pipe holds at most
 * 64 KiB and the slot keeps its write end, so this neither blocks nor ends
 * the slot; bytes a leftover grandchild writes later come on the next pass. */
void logroute_slot_child_exited(struct logroute_slot *slot)
{
        for (int i = 0; i < 2; i++) {
                struct log_stream *st = &slot->st[i];

                if (st->eof || st->rfd < 0)
                        continue;
                st->flush_when_empty = true;
                if (!st->paused)
                        stream_pump(st, EXIT_READS);
        }
}

void logroute_drain(void)
{
        if (loop)
                logroute_flush(ev_time() - 1);
}

bool logroute_slot_held(const struct logroute_slot *slot, char *buf, size_t len)
{
        buf[0] = '\0';
        if (!slot)
                return false;
        for (int i = 0; i < 2 && !buf[0]; i++)
                stream_held(&slot->st[i], buf, len);
        return buf[0] != '\0';
}

struct tail_ctx {
        logroute_line_fn emit;
        void *ctx;
};

static void tail_emit(const char *line, size_t len, void *ctx)
{
        struct tail_ctx *t = ctx;

        t->emit(line, len, t->ctx);
}

/* The whole lines among the last RING_BYTES of a log file, read through
 * the file's own fd (see logfile_tail). */
static void tail_file(const struct logfile *f, struct logring *into)
{
        char *buf = malloc(RING_BYTES), *nl;
        size_t start = 0;
        off_t from = 0;
        ssize_t n = buf ? logfile_tail(f, buf, RING_BYTES, &from) : -1;

        if (n > 0) {
                if (from > 0 && (nl = memchr(buf, '\n', (size_t)n)))
                        start = (size_t)(nl - buf) + 1;    /* a cut line: skip it */
                logring_push_lines(into, buf + start, (size_t)n - start);
        }
        free(buf);
}

static void ring_copy(const char *line, size_t len, void *ctx)
{
        logring_push(ctx, line, len);
}

/* File targets are read back from their files (their bytes never pass
 * through supd when spliced), then the ring of the other streams. */
int logroute_slot_clear(struct logroute_slot *slot, struct sup_err *err)
{
        logring_clear(&slot->ring);
        for (int i = 0; i < 2; i++)
                if (slot->st[i].kind == LOG_TO_FILE && logfile_clear(&slot->st[i].file, err) < 0)
                        return -1;
        return 0;
}

struct ring_pick {
        struct logring *into;
        unsigned tag;
};

static void ring_copy_tagged(const struct logring_line *l, void *ctx)
{
        struct ring_pick *p = ctx;

        if (l->tag == p->tag)
                logring_push(p->into, l->line, l->len);
}

/* One stream: its file, or the kept lines it wrote. */
static void tail_stream(struct logroute_slot *slot, int stream, unsigned n, struct tail_ctx *t)
{
        struct logring one;
        struct ring_pick pick = { &one, (unsigned)stream };

        if (logring_init(&one, RING_BYTES * 2, RING_LINES) < 0)
                return;
        if (slot->st[stream].kind == LOG_TO_FILE)
                tail_file(&slot->st[stream].file, &one);
        else
                logring_tail_lines(&slot->ring, 0, ring_copy_tagged, &pick);
        logring_tail(&one, n, tail_emit, t);
        logring_free(&one);
}

void logroute_slot_tail(struct logroute_slot *slot, int stream, unsigned n, logroute_line_fn emit,
                        void *ctx)
{
        struct tail_ctx t = { emit, ctx };
        struct logring all;

        if (stream == 0 || stream == 1) {
                tail_stream(slot, stream, n, &t);
                return;
        }
        if (slot->st[0].kind != LOG_TO_FILE && slot->st[1].kind != LOG_TO_FILE) {
                logring_tail(&slot->ring, n, tail_emit, &t);
                return;
        }
        if (logring_init(&all, RING_BYTES * 3, RING_LINES) < 0)
                return;
        for (int i = 0; i < 2; i++)
                if (slot->st[i].kind == LOG_TO_FILE)
                        tail_file(&slot->st[i].file, &all);
        logring_tail(&slot->ring, 0, ring_copy, &all);
        logring_tail(&all, n, tail_emit, &t);
        logring_free(&all);
}

/* ---- every service's backlog, merged ---- */

struct merged_line {
        const struct logroute_slot *slot;
        struct logring_line l;          /* l.line: our copy */
};

struct merge {
        const struct logroute_slot *slot;
        struct merged_line *v;
        size_t n, cap;
        bool failed;
};

static void merge_take(const struct logring_line *l, void *ctx)
{
        struct merge *m = ctx;
        struct merged_line *v;
        char *copy;

        if (m->failed)
                return;
        if (m->n == m->cap) {
                v = realloc(m->v, sizeof(*v) * (m->cap ? m->cap * 2 : 64));
                if (!v) {
                        m->failed = true;
                        return;
                }
                m->v = v;
                m->cap = m->cap ? m->cap * 2 : 64;
        }
        copy = malloc(l->len ? l->len : 1);
        if (!copy) {
                m->failed = true;
                return;
        }
        memcpy(copy, l->line, l->len);
        m->v[m->n] = (struct merged_line){ m->slot, *l };
        m->v[m->n++].l.line = copy;
}

static int by_seq(const void *a, const void *b)
{
        uint64_t x = ((const struct merged_line *)a)->l.seq, y = ((const struct merged_line *)b)->l.seq;

        return x < y ? -1 : x > y;
}

/* One backlog line as the console shows it: the affix of its service,
 * stream and arrival time around it. */
static void merged_emit(const struct merged_line *ml, struct logbuf *b, logroute_line_fn emit, void *ctx)
{
        struct logfmt_affix a = { 0 };
        char t[LOGFMT_TIME_LEN + 1];

        if (!fmt) {
                emit(ml->l.line, ml->l.len, ctx);
                return;
        }
        logfmt_time(&ml->l.when, t);
        b->len = 0;
        if (logfmt_affix_set(fmt, ml->slot->name, ml->slot->st[ml->l.tag & 1].label, t, &a) == 0 &&
            logbuf_reserve(b, a.head_len + ml->l.len + a.tail_len) == 0) {
                memcpy(b->p, a.head, a.head_len);
                memcpy(b->p + a.head_len, ml->l.line, ml->l.len);
                memcpy(b->p + a.head_len + ml->l.len, a.tail, a.tail_len);
                emit(b->p, a.head_len + ml->l.len + a.tail_len, ctx);
        }
        logfmt_affix_free(&a);
}

/* The last n lines of every service's ring (at most n from each), merged
 * back into the order supd read them. Streams logged to a file are not
 * in a ring and are left out. -1: out of memory, nothing emitted. */
int logroute_tail_all(unsigned n, logroute_line_fn emit, void *ctx)
{
        struct merge m = { 0 };
        struct logbuf b = { 0 };
        size_t from;

        for (const struct logroute_slot *s = slots; s && n; s = s->next) {
                m.slot = s;
                logring_tail_lines(&s->ring, n, merge_take, &m);
        }
        if (!m.failed) {
                qsort(m.v, m.n, sizeof(*m.v), by_seq);
                from = m.n > n ? m.n - n : 0;
                for (size_t i = from; i < m.n; i++)
                        merged_emit(&m.v[i], &b, emit, ctx);
        }
        for (size_t i = 0; i < m.n; i++)
                free((char *)m.v[i].l.line);
        free(m.v);
        logbuf_free(&b);
        return m.failed ? -1 : 0;
}

int logroute_slot_follow(struct logroute_slot *slot, int stream, logroute_line_fn emit, void *ctx)
{
        struct follower *f;

        for (int i = 0; i < slot->nfol; i++) {
                if (!slot->fol[i].used) {
                        slot->fol[i] = (struct follower){ emit, ctx, true, stream };
                        return i;
                }
        }
        f = realloc(slot->fol, sizeof(*f) * (size_t)(slot->nfol + 1));
        if (!f)
                return -1;
        slot->fol = f;
        slot->fol[slot->nfol] = (struct follower){ emit, ctx, true, stream };
        return slot->nfol++;
}

void logroute_slot_unfollow(struct logroute_slot *slot, int handle)
{
        if (handle >= 0 && handle < slot->nfol)
                slot->fol[handle].used = false;
}

int logroute_follow_all(logroute_line_fn emit, void *ctx)
{
        struct follower *f;

        for (int i = 0; i < all_nfol; i++) {
                if (!all_fol[i].used) {
                        all_fol[i] = (struct follower){ emit, ctx, true, LOGROUTE_BOTH };
                        return i;
                }
        }
        f = realloc(all_fol, sizeof(*f) * (size_t)(all_nfol + 1));
        if (!f)
                return -1;
        all_fol = f;
        all_fol[all_nfol] = (struct follower){ emit, ctx, true, LOGROUTE_BOTH };
        return all_nfol++;
}

void logroute_unfollow_all(int handle)
{
        if (handle >= 0 && handle < all_nfol)
                all_fol[handle].used = false;
}

static bool consoles_busy(void)
{
        return (con_out.head && con_out.mode != CON_DEAD) || (con_err.head && con_err.mode != CON_DEAD);
}

/* Pull what the pipes hold into the queues (bounded as usual), flush
 * unfinished lines, write out what the consoles take; wait for them with
 * poll() only until the deadline. */
void logroute_flush(double deadline)
{
        if (!loop)
                return;
        for (;;) {
                bool more = false;
                struct pollfd pf[2];
                int n = 0;
                double left;

                for (struct logroute_slot *s = slots, *next; s; s = next) {
                        next = s->next;
                        for (int i = 0; i < 2; i++) {
                                struct log_stream *st = &s->st[i];

                                if (st->rfd < 0 || st->eof)
                                        continue;
                                st->flush_when_empty = true;
                                if (!stream_pump(st, 64))
                                        break;  /* slot may be gone */
                                if (st->pending >= PAUSE_AT || st->flush_when_empty)
                                        more = true;
                        }
                }
                console_drain(&con_out);
                console_drain(&con_err);
                if (!more && !consoles_busy())
                        return;
                left = deadline - ev_time();
                if (left <= 0)
                        return;
                if (con_out.head && con_out.mode != CON_DEAD)
                        pf[n++] = (struct pollfd){ .fd = con_out.fd, .events = POLLOUT };
                if (con_err.head && con_err.mode != CON_DEAD)
                        pf[n++] = (struct pollfd){ .fd = con_err.fd, .events = POLLOUT };
                poll(pf, (nfds_t)n, left < 0.05 ? (int)(left * 1000) + 1 : 50);
        }
}
