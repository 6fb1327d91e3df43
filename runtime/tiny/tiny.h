/* runtime/tiny/tiny.h — what the files of the tiny init share.
 *
 * The tiny init is a program of its own, built freestanding (no libc, no
 * loader) from the C files of runtime/tiny/ and embedded in ours (runtime/tiny/image.S):
 * PID 1 of a service's PID namespace, and supd's own PID 1 in
 * single-command mode once the command runs. */
#ifndef SUP_RUNTIME_TINY_TINY_H
#define SUP_RUNTIME_TINY_TINY_H

#include <stdarg.h>

#include "common/log.h"
#include "pid1/pid1.h"
#include "runtime/tiny/sys.h"

/* The kernel's values, the same on x86_64 and aarch64 (O_DIRECTORY is not:
 * sys.h). */
#define WNOHANG         1
#define WUNTRACED       2
#define WEXITED         4
#define WNOWAIT         0x01000000
#define WALL            0x40000000      /* __WALL: clone children too */
#define AT_FDCWD        (-100)
#define O_RDONLY        0
#define O_WRONLY        1
#define O_NOCTTY        0400
#define O_NONBLOCK      04000
#define O_CLOEXEC       02000000
#define EINTR           4
#define ECHILD          10

/* Set in a service's PID namespace (sup-reaper): open no path there, since
 * the service may have mounted what it likes over /proc. As its init,
 * kill(-1) reaches every process without a walk. */
extern int tiny_no_files;

/* say.c: messages as common/log.c writes them (its levels), never blocking. */
void say_setup(int verbosity, const char (*prefix)[PID1_PREFIX_LEN]);
void say(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "SIGTERM", "SIGRTMIN+3" or "signal 32", as common/signame.c names them. */
const char *say_signal(int sig, char buf[24]);
/* A system call's -errno in words, as strerror(3) puts the common ones. */
const char *say_errno(long ret, char buf[24]);
/* Append s, or v in decimal, at p but never at or past end (no NUL);
 * where the text stops. */
char *put_str(char *p, char *end, const char *s);
char *put_num(char *p, char *end, long v);
__attribute__((noreturn)) void leave(int code);
long now_ms(void);

/* walk.c: the processes we answer for, as pid1/reap.c finds them (as PID 1
 * with tiny_no_files: kill(-1) alone). */
int walk_signal_all(int sig);
int walk_has_children(void);

/* init.c: pid1_run_child() of pid1/run.c for the plan; the exit code, the
 * plan's zero codes applied. */
int init_run(const struct pid1_plan *plan);
/* A wait status as a shell exit code: the code, or 128 + the signal. */
int exitcode_of(int status);

#endif
