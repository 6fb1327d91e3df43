/* supervisor/logfile.h — a service's log file, rotated by size.
 *
 * Bytes are written as they come (no formatting). When the file would
 * grow past max_size, it is rotated first like logrotate does:
 * PATH.(keep-1) → PATH.keep, …, PATH → PATH.1, then a new PATH. The cut
 * falls exactly at the size bound, so a line may straddle PATH.1 and PATH;
 * concatenating PATH.keep … PATH.1 PATH gives the exact stream. keep = 0
 * removes the old file. No fsync: PID 1 does not wait for the disk. */
#ifndef SUP_SUPERVISOR_LOGFILE_H
#define SUP_SUPERVISOR_LOGFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/err.h"

struct logfile {
        char *path;             /* for messages; the file is only ever named by base */
        const char *base;       /* the last component of path, relative to dirfd */
        int dirfd;              /* its directory, opened once and checked */
        int fd;                 /* -1 while closed (after a failed reopen) */
        uint64_t size, max_size;
        unsigned keep;
        bool shared_dir;        /* log_dir_shared: others may write the directory */
        bool regular;           /* a regular file (not a FIFO or a device) */
};

/* Open PATH for appending. Its directory is opened once and checked: it
 * must be supd's own and writable by no one else (else EPERM naming the
 * directory and its owner), unless shared_dir. PATH itself is never
 * followed when it is a symlink (ELOOP), and rotation renames inside the
 * directory fd, so nothing can be swapped in by a name. */
int logfile_open(struct logfile *f, const char *path, uint64_t max_size, unsigned keep,
                 bool shared_dir, struct sup_err *err);
/* The same without creating the file yet (a service's log file appears
 * when it first starts): the directory is opened and checked now.
 * logfile_open_now() creates the file, 0 when open. */
int logfile_defer(struct logfile *f, const char *path, uint64_t max_size, unsigned keep,
                  bool shared_dir, struct sup_err *err);
int logfile_open_now(struct logfile *f, struct sup_err *err);
void logfile_close(struct logfile *f);

/* Empty the file through the fd supd holds (never by its name, which a
 * service may have swapped); a FIFO or device, or a closed file, is left. */
int logfile_clear(struct logfile *f, struct sup_err *err);

/* Write up to len bytes, rotating at the bound. Returns bytes written
 * (maybe fewer than len), or -1 with err when nothing could be written
 * (ENOSPC, EIO, reopen failed: retry later). */
ssize_t logfile_write(struct logfile *f, const char *buf, size_t len, struct sup_err *err);

/* The same, moving up to len bytes straight from a non-blocking pipe with
 * splice(2). Returns bytes moved; 0 at EOF (no writer left); -1 with errno
 * EAGAIN when the pipe is empty; -1 with err (and errno) on a file error. */
ssize_t logfile_splice(struct logfile *f, int pipe_fd, size_t len, struct sup_err *err);

/* The last bytes of the current file (at most cap), read through the open
 * fd; *from = their offset. Returns the count, 0 for a FIFO or device. */
ssize_t logfile_tail(const struct logfile *f, char *buf, size_t cap, off_t *from);

#endif
