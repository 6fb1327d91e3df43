/* cmd/cmdline.h — what the three programs' command lines share: the
 * version, and the one-line usage error ("supctl: unknown option --jsn
 * (did you mean --json?); see supctl --help"). */
#ifndef SUP_CMD_CMDLINE_H
#define SUP_CMD_CMDLINE_H

#include <getopt.h>

#ifndef SUP_VERSION
#define SUP_VERSION "0.1.0"
#endif

/* "PROG VERSION" on stdout; returns 0 (the exit code). */
int cmdline_version(const char *prog);

/* "PROG: WHAT; see PROG --help" on stderr, one line; returns 2. */
int cmdline_usage_error(const char *prog, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* After getopt_long returned '?' or ':' (optstring starting with "+:"):
 * the option it stopped at, named, with the closest of longopts when one
 * is near. Returns 2. */
int cmdline_bad_option(const char *prog, int c, char *const argv[], const struct option *longopts);

#endif
