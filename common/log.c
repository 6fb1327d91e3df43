#include "common/log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

int log_verbosity = LOG_INFO;

static const char *prog = "supd";
static log_sink_fn sink;
static log_prefix_fn prefix;

static const char *const level_names[] = { "error", "warning", "info", "debug" };

void log_set_prog(const char *name) { prog = name; }
void log_set_sink(log_sink_fn fn) { sink = fn; }
void log_set_prefix(log_prefix_fn fn) { prefix = fn; }

/* A private non-blocking description of stderr for one message, so a
 * full pipe or a stopped terminal reader never blocks PID 1 and the
 * shared description (a terminal, the pipe to `docker logs`) keeps its
 * flags. Opened per message: messages without a sink are few, and a
 * cached fd would be closed by pid1_close_inherited_fds. -1 when stderr
 * needs none (a regular file, a socket) or /proc is missing. */
static int stderr_nonblocking(const struct stat *st)
{
        char path[32];

        if (!S_ISFIFO(st->st_mode) && !S_ISCHR(st->st_mode))
                return -1;
        snprintf(path, sizeof(path), "/proc/self/fd/%d", STDERR_FILENO);
        return open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
}

static ssize_t write_once(int fd, bool sock, const char *line, size_t len)
{
        ssize_t n;

        do
                n = sock ? send(fd, line, len, MSG_DONTWAIT | MSG_NOSIGNAL) : write(fd, line, len);
        while (n < 0 && errno == EINTR);
        return n;
}

/* One write per line keeps lines whole on a pipe (<= PIPE_BUF). A line
 * stderr cannot take now is dropped and counted, never waited for. When
 * neither a private description nor MSG_DONTWAIT is possible (no /proc),
 * poll says whether the pipe has room first. */
static void write_stderr(const char *line, size_t len)
{
        static unsigned long dropped;
        struct stat st;
        struct pollfd pf = { .fd = STDERR_FILENO, .events = POLLOUT };
        bool sock;
        int fd;
        ssize_t n;

        if (fstat(STDERR_FILENO, &st) < 0)
                return;
        sock = S_ISSOCK(st.st_mode);
        fd = stderr_nonblocking(&st);
        if (fd < 0 && !sock && !S_ISREG(st.st_mode) && (poll(&pf, 1, 0) != 1 || !(pf.revents & POLLOUT))) {
                dropped++;
                return;
        }
        if (dropped) {
                char note[96];
                int m = snprintf(note, sizeof(note), "%s: warning: %lu messages dropped (stderr full)\n",
                                 prog, dropped);

                if (write_once(fd >= 0 ? fd : STDERR_FILENO, sock, note, (size_t)m) == m)
                        dropped = 0;
        }
        n = write_once(fd >= 0 ? fd : STDERR_FILENO, sock, line, len);
        if (n < (ssize_t)len)
                dropped++;      /* EAGAIN, or a part: the rest is not waited for */
        if (fd >= 0)
                close(fd);
}

int log_prefix(enum log_level lvl, char *buf, size_t len)
{
        int n;

        if (prefix)
                n = prefix(lvl, buf, len);
        else
                n = snprintf(buf, len, "%s: %s: ", prog, level_names[lvl]);
        return n < 0 || (size_t)n >= len ? 0 : n;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
        char line[1024];
        va_list ap;
        int n, saved = errno;

        if ((int)lvl > log_verbosity)
                return;
        n = log_prefix(lvl, line, sizeof(line) / 2);
        va_start(ap, fmt);
        n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
        va_end(ap);
        if (n > (int)sizeof(line) - 2)
                n = (int)sizeof(line) - 2;
        line[n++] = '\n';
        line[n] = '\0';
        (sink ? sink : write_stderr)(line, (size_t)n);
        errno = saved;
}
