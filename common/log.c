#include "common/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int log_verbosity = LOG_INFO;

static const char *prog = "supd";
static log_sink_fn sink;
static log_prefix_fn prefix;

static const char *const level_names[] = { "error", "warning", "info", "debug" };

void log_set_prog(const char *name) { prog = name; }
void log_set_sink(log_sink_fn fn) { sink = fn; }
void log_set_prefix(log_prefix_fn fn) { prefix = fn; }

static void write_stderr(const char *line, size_t len)
{
        /* One write per line keeps lines whole on a pipe (<= PIPE_BUF).
         * EAGAIN on a full non-blocking stderr loses the line rather than
         * stalling PID 1. */
        while (len > 0) {
                ssize_t n = write(STDERR_FILENO, line, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return;
                line += n;
                len -= (size_t)n;
        }
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
        char line[1024];
        va_list ap;
        int n, saved = errno;

        if ((int)lvl > log_verbosity)
                return;
        if (prefix)
                n = prefix(lvl, line, sizeof(line) / 2);
        else
                n = snprintf(line, sizeof(line), "%s: %s: ", prog, level_names[lvl]);
        if (n < 0 || n >= (int)sizeof(line) / 2)
                n = 0;
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
