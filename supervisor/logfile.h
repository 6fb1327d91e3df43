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

#include <stdint.h>
#include <sys/types.h>

#include "common/err.h"

struct logfile {
        char *path;
        int fd;                 /* -1 while closed (after a failed reopen) */
        uint64_t size, max_size;
        unsigned keep;
};

int logfile_open(struct logfile *f, const char *path, uint64_t max_size, unsigned keep,
                 struct sup_err *err);
/* The same without creating the file yet (a service's log file appears
 * when it first starts); logfile_open_now() creates it, 0 when open. */
int logfile_defer(struct logfile *f, const char *path, uint64_t max_size, unsigned keep,
                  struct sup_err *err);
int logfile_open_now(struct logfile *f, struct sup_err *err);
void logfile_close(struct logfile *f);

/* Write up to len bytes, rotating at the bound. Returns bytes written
 * (maybe fewer than len), or -1 with err when nothing could be written
 * (ENOSPC, EIO, reopen failed: retry later). */
ssize_t logfile_write(struct logfile *f, const char *buf, size_t len, struct sup_err *err);

/* The same, moving up to len bytes straight from a non-blocking pipe with
 * splice(2). Returns bytes moved; 0 at EOF (no writer left); -1 with errno
 * EAGAIN when the pipe is empty; -1 with err (and errno) on a file error. */
ssize_t logfile_splice(struct logfile *f, int pipe_fd, size_t len, struct sup_err *err);

#endif
