/* common/log.h — supd's own diagnostics (never a service's output).
 *
 * One line per message, prefixed with the program ("supd: ") and the level,
 * to stderr in one write(). -v raises the level, -q lowers it. In config
 * mode the log router installs a sink that queues the lines for a slow
 * console, so PID 1 never blocks on them; without a sink (single-command
 * mode, suprun, before the router starts) each line is written through a
 * private non-blocking description of stderr (sockets: MSG_DONTWAIT), and
 * a line stderr cannot take at once is dropped and counted, never waited
 * for. */
#ifndef SUP_COMMON_LOG_H
#define SUP_COMMON_LOG_H

#include <stddef.h>

enum log_level { LOG_ERROR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

extern int log_verbosity;      /* messages with level <= this are printed; default LOG_INFO */

void log_set_prog(const char *prog);    /* "supd", "suprun", ... */

/* Writes a line's prefix into buf (at most len bytes, NUL-terminated) and
 * returns its length; for a program answering to another's name, whose
 * users grep for that program's prefix. NULL: "PROG: LEVEL: ". */
typedef int (*log_prefix_fn)(enum log_level lvl, char *buf, size_t len);
void log_set_prefix(log_prefix_fn fn);

/* A sink receives each finished line (with its '\n'). Default: stderr. */
typedef void (*log_sink_fn)(const char *line, size_t len);
void log_set_sink(log_sink_fn sink);

/* The prefix log_msg() gives a line of this level ("supd: warning: ", or
 * what log_set_prefix's function writes); its length, 0 when it does not fit. */
int log_prefix(enum log_level lvl, char *buf, size_t len);

void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) do { if (log_verbosity >= LOG_DEBUG) log_msg(LOG_DEBUG, __VA_ARGS__); } while (0)

#endif
