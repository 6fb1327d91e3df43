/* supervisor/logfile.c — rotating file writer for file: log targets. */
#include "supervisor/logfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* The directory must be supd's own: a directory another user may write
 * to lets that user swap names under root (logrotate refuses such
 * parents too). Its owner must be our euid, and no one else may write
 * to it (group write is fine for our own group). A sticky directory of
 * ours (/tmp) passes: there no one else may rename or remove our files,
 * and a name someone made first is refused when opened (a symlink, a file
 * not ours or with other links), so supervisord configs that log to /tmp
 * keep working. */
static int dir_check(struct logfile *f, const char *dir, struct sup_err *err)
{
        struct stat st;
        bool others_write;

        if (fstat(f->dirfd, &st) < 0)
                return sup_fail(err, errno, "log directory %s", dir);
        others_write = st.st_uid != geteuid() ||
                       (!(st.st_mode & S_ISVTX) &&
                        ((st.st_mode & S_IWOTH) || ((st.st_mode & S_IWGRP) && st.st_gid != getegid())));
        if (!others_write || f->shared_dir)
                return 0;
        return sup_fail(err, EPERM,
                        "log directory %s: writable by others (owner uid %u, group %u, mode %04o): "
                        "refused, since supd would write there as root; make it owned and writable "
                        "by uid %u only, or set log_dir_shared = yes",
                        dir, (unsigned)st.st_uid, (unsigned)st.st_gid,
                        (unsigned)(st.st_mode & 07777), (unsigned)geteuid());
}

/* (Re)open the directory by path: at the start, and when it was removed
 * and made again. Checked every time, so a swapped directory is seen. */
static int dir_open(struct logfile *f, struct sup_err *err)
{
        size_t dlen = (size_t)(f->base - f->path);
        char dir[dlen + 2];
        int fd;

        if (dlen == 0)
                snprintf(dir, sizeof(dir), ".");
        else if (dlen == 1)
                snprintf(dir, sizeof(dir), "/");
        else
                snprintf(dir, sizeof(dir), "%.*s", (int)(dlen - 1), f->path);
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return sup_fail(err, errno, "log file %s: directory %s", f->path, dir);
        if (f->dirfd >= 0)
                close(f->dirfd);
        f->dirfd = fd;
        if (dir_check(f, dir, err) < 0) {
                close(f->dirfd);
                f->dirfd = -1;
                return -1;
        }
        return 0;
}

/* Open the file in our directory, never through a symlink (O_NOFOLLOW:
 * ELOOP), never a name someone else made (it must be a regular file owned
 * by us, or a FIFO or device an operator put there). O_RDWR: `supctl logs`
 * reads the tail back through this fd. Not O_APPEND: splice(2) refuses
 * append-mode targets; supd is the only writer, so the offset is ours. */
static int file_reopen(struct logfile *f, struct sup_err *err)
{
        struct stat st;
        int fd;

        if (f->dirfd < 0 && dir_open(f, err) < 0)
                return -1;
        fd = openat(f->dirfd, f->base, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
                    0640);
        if (fd < 0 && errno == ENOENT && dir_open(f, err) == 0)        /* directory made again */
                fd = openat(f->dirfd, f->base,
                            O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0640);
        if (fd < 0 && errno == ELOOP)
                return sup_fail(err, ELOOP, "log file %s: a symlink, never followed", f->path);
        if (fd < 0)
                return sup_fail(err, errno, "log file %s: open", f->path);
        if (fstat(fd, &st) < 0 || lseek(fd, 0, SEEK_END) < 0) {
                int e = errno;
                close(fd);
                return sup_fail(err, e, "log file %s", f->path);
        }
        if (S_ISREG(st.st_mode) && st.st_uid != geteuid() && !f->shared_dir) {
                close(fd);
                return sup_fail(err, EPERM, "log file %s: owned by uid %u, not by supd; refused",
                                f->path, (unsigned)st.st_uid);
        }
        if (S_ISREG(st.st_mode) && st.st_nlink > 1) {      /* a hard link to someone's file */
                close(fd);
                return sup_fail(err, EPERM, "log file %s: has %lu hard links; refused", f->path,
                                (unsigned long)st.st_nlink);
        }
        if (S_ISREG(st.st_mode))
                fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        f->fd = fd;
        f->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
        f->regular = S_ISREG(st.st_mode);
        if (!S_ISREG(st.st_mode))
                f->max_size = 0;        /* a fifo or device: nothing to rotate */
        return 0;
}

int logfile_defer(struct logfile *f, const char *path, uint64_t max_size, unsigned keep,
                  bool shared_dir, struct sup_err *err)
{
        const char *slash;

        memset(f, 0, sizeof(*f));
        f->fd = f->dirfd = -1;
        f->path = strdup(path);
        if (!f->path)
                return sup_fail(err, ENOMEM, "log file %s", path);
        slash = strrchr(f->path, '/');
        f->base = slash ? slash + 1 : f->path;
        f->max_size = max_size;
        f->keep = keep;
        f->shared_dir = shared_dir;
        /* The file waits for the service's first start; its directory is
         * opened and checked now, so an unsafe or missing one stops the
         * start (or the reload) before any service runs. */
        if (!*f->base)
                sup_fail(err, EISDIR, "log file %s: names a directory", path);
        else if (dir_open(f, err) == 0)
                return 0;
        logfile_close(f);
        return -1;
}

int logfile_open_now(struct logfile *f, struct sup_err *err)
{
        return f->fd >= 0 ? 0 : file_reopen(f, err);
}

int logfile_open(struct logfile *f, const char *path, uint64_t max_size, unsigned keep,
                 bool shared_dir, struct sup_err *err)
{
        if (logfile_defer(f, path, max_size, keep, shared_dir, err) < 0)
                return -1;
        if (file_reopen(f, err) == 0)
                return 0;
        logfile_close(f);
        return -1;
}

int logfile_clear(struct logfile *f, struct sup_err *err)
{
        if (f->fd < 0 || !f->regular)
                return 0;
        if (ftruncate(f->fd, 0) < 0 || lseek(f->fd, 0, SEEK_SET) < 0)
                return sup_fail(err, errno, "%s: cannot clear", f->path);
        f->size = 0;
        return 0;
}

void logfile_close(struct logfile *f)
{
        if (f->fd >= 0)
                close(f->fd);
        if (f->dirfd >= 0)
                close(f->dirfd);
        f->fd = f->dirfd = -1;
        free(f->path);
        f->path = NULL;
}

static void rotated_name(char *out, size_t cap, const char *base, unsigned i)
{
        snprintf(out, cap, "%s.%u", base, i);
}

/* Names only inside our directory fd: renameat never follows a symlink in
 * the last component (it renames the link itself). */
static int logfile_rotate(struct logfile *f, struct sup_err *err)
{
        size_t cap = strlen(f->base) + 16;
        char from[cap], to[cap];

        if (f->fd >= 0)
                close(f->fd);
        f->fd = -1;
        if (f->keep == 0) {
                if (unlinkat(f->dirfd, f->base, 0) < 0 && errno != ENOENT)
                        return sup_fail(err, errno, "log file %s: rotate: unlink", f->path);
        } else {
                for (unsigned i = f->keep; i > 1; i--) {
                        rotated_name(from, cap, f->base, i - 1);
                        rotated_name(to, cap, f->base, i);
                        if (renameat(f->dirfd, from, f->dirfd, to) < 0 && errno != ENOENT)
                                return sup_fail(err, errno, "log file %s: rotate: rename %s",
                                                f->path, from);
                }
                rotated_name(to, cap, f->base, 1);
                if (renameat(f->dirfd, f->base, f->dirfd, to) < 0 && errno != ENOENT)
                        return sup_fail(err, errno, "log file %s: rotate: rename", f->path);
        }
        return file_reopen(f, err);
}

/* Our file was unlinked (its directory removed, or someone deleted it):
 * bytes written there would be lost to everyone, so open a new one. */
static int file_check_linked(struct logfile *f, struct sup_err *err)
{
        struct stat st;

        if (!f->regular || fstat(f->fd, &st) < 0 || st.st_nlink > 0)
                return 0;
        close(f->fd);
        f->fd = -1;
        return file_reopen(f, err);
}

/* How much may go into the current file before it must rotate; rotates
 * first when it is full. 0 with err on failure. */
static size_t room(struct logfile *f, size_t want, struct sup_err *err)
{
        off_t end;

        if (f->fd < 0 && file_reopen(f, err) < 0)
                return 0;
        if (file_check_linked(f, err) < 0)
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

                if (n == 0 && done)
                        return (ssize_t)done;
                if (n == 0)
                        return err->msg[0] ? -1 : sup_fail(err, EIO, "log file %s: no room after rotating",
                                                           f->path);
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
                if (!err->msg[0])
                        sup_fail(err, errno, "log file %s", f->path);
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

/* Up to cap bytes from the end of the current file, through our own fd:
 * never by path, which could name something else by now. */
ssize_t logfile_tail(const struct logfile *f, char *buf, size_t cap, off_t *from_out)
{
        off_t end, from;

        if (f->fd < 0 || !f->regular)
                return 0;
        end = (off_t)f->size;
        from = end > (off_t)cap ? end - (off_t)cap : 0;
        *from_out = from;
        return pread(f->fd, buf, (size_t)(end - from), from);
}
