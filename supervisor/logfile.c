/* supervisor/logfile.c — rotating file writer for file: log targets. */
#include "supervisor/logfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* Not O_APPEND: splice(2) refuses append-mode targets; room() seeks to
 * the end before each write instead. */
static int file_reopen(struct logfile *f, struct sup_err *err)
{
        struct stat st;
        int fd = open(f->path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);

        if (fd < 0)
                return sup_fail(err, errno, "log file %s: open", f->path);
        if (fstat(fd, &st) < 0 || lseek(fd, 0, SEEK_END) < 0) {
                int e = errno;
                close(fd);
                return sup_fail(err, e, "log file %s", f->path);
        }
        f->fd = fd;
        f->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
        if (!S_ISREG(st.st_mode))
                f->max_size = 0;        /* a fifo or device: nothing to rotate */
        return 0;
}

int logfile_defer(struct logfile *f, const char *path, uint64_t max_size, unsigned keep,
                  struct sup_err *err)
{
        memset(f, 0, sizeof(*f));
        f->fd = -1;
        f->path = strdup(path);
        if (!f->path)
                return sup_fail(err, ENOMEM, "log file %s", path);
        f->max_size = max_size;
        f->keep = keep;
        return 0;
}

int logfile_open_now(struct logfile *f, struct sup_err *err)
{
        return f->fd >= 0 ? 0 : file_reopen(f, err);
}

int logfile_open(struct logfile *f, const char *path, uint64_t max_size, unsigned keep,
                 struct sup_err *err)
{
        if (logfile_defer(f, path, max_size, keep, err) < 0)
                return -1;
        if (file_reopen(f, err) < 0) {
                free(f->path);
                f->path = NULL;
                return -1;
        }
        return 0;
}

void logfile_close(struct logfile *f)
{
        if (f->fd >= 0)
                close(f->fd);
        f->fd = -1;
        free(f->path);
        f->path = NULL;
}

static void rotated_name(char *out, size_t cap, const char *path, unsigned i)
{
        snprintf(out, cap, "%s.%u", path, i);
}

static int logfile_rotate(struct logfile *f, struct sup_err *err)
{
        size_t cap = strlen(f->path) + 16;
        char from[cap], to[cap];

        if (f->fd >= 0)
                close(f->fd);
        f->fd = -1;
        if (f->keep == 0) {
                if (unlink(f->path) < 0 && errno != ENOENT)
                        return sup_fail(err, errno, "log file %s: rotate: unlink", f->path);
        } else {
                for (unsigned i = f->keep; i > 1; i--) {
                        rotated_name(from, cap, f->path, i - 1);
                        rotated_name(to, cap, f->path, i);
                        if (rename(from, to) < 0 && errno != ENOENT)
                                return sup_fail(err, errno, "log file %s: rotate: rename %s",
                                                f->path, from);
                }
                rotated_name(to, cap, f->path, 1);
                if (rename(f->path, to) < 0 && errno != ENOENT)
                        return sup_fail(err, errno, "log file %s: rotate: rename", f->path);
        }
        return file_reopen(f, err);
}

/* How much may go into the current file before it must rotate; rotates
 * first when it is full. 0 with err on failure. */
static size_t room(struct logfile *f, size_t want, struct sup_err *err)
{
        off_t end;

        if (f->fd < 0 && file_reopen(f, err) < 0)
                return 0;
        /* Several services may share one file (numprocs workers with one
         * stdout_logfile, which supervisord's O_APPEND allows): write at
         * its end, whoever wrote last. supd writes alone, so no race. */
        if ((end = lseek(f->fd, 0, SEEK_END)) >= 0)
                f->size = (uint64_t)end;
        if (f->max_size == 0)
                return want;
        if (f->size >= f->max_size && logfile_rotate(f, err) < 0)
                return 0;
        return f->max_size - f->size < want ? (size_t)(f->max_size - f->size) : want;
}

ssize_t logfile_write(struct logfile *f, const char *buf, size_t len, struct sup_err *err)
{
        size_t done = 0;

        while (done < len) {
                size_t n = room(f, len - done, err);
                ssize_t w;

                if (n == 0)
                        return done ? (ssize_t)done : -1;
                w = write(f->fd, buf + done, n);
                if (w < 0 && errno == EINTR)
                        continue;
                if (w <= 0) {
                        if (done)
                                return (ssize_t)done;
                        return sup_fail(err, w < 0 ? errno : ENOSPC, "log file %s: write", f->path);
                }
                done += (size_t)w;
                f->size += (uint64_t)w;
        }
        return (ssize_t)done;
}

/* A full file rotates only when there is something to put in the new one
 * (as logfile_write does): 1 when the pipe holds bytes, 0 at EOF, -1
 * (EAGAIN) when it is empty. */
static int pipe_has_data(int pipe_fd)
{
        struct pollfd pf = { .fd = pipe_fd, .events = POLLIN };
        int avail = 0;

        if (ioctl(pipe_fd, FIONREAD, &avail) == 0 && avail > 0)
                return 1;
        if (poll(&pf, 1, 0) == 1 && (pf.revents & POLLHUP))
                return 0;
        errno = EAGAIN;
        return -1;
}

ssize_t logfile_splice(struct logfile *f, int pipe_fd, size_t len, struct sup_err *err)
{
        size_t n;
        ssize_t w;

        /* nothing to write: no rotation, and a deferred file stays uncreated */
        if (f->fd < 0 || (f->max_size && f->size >= f->max_size)) {
                int has = pipe_has_data(pipe_fd);

                if (has <= 0)
                        return has;
        }
        n = room(f, len, err);

        if (n == 0) {
                errno = err->errnum ? err->errnum : EIO;
                return -1;
        }
        do
                w = splice(pipe_fd, NULL, f->fd, NULL, n, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
        while (w < 0 && errno == EINTR);
        if (w < 0 && errno == EAGAIN)
                return -1;
        if (w < 0) {
                int e = errno;
                sup_fail(err, e, "log file %s: splice", f->path);
                errno = e;
                return -1;
        }
        f->size += (uint64_t)w;
        return w;
}
