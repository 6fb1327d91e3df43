/* runtime/tiny/say.c — the tiny init's messages, its clock and its exit.
 *
 * A line is written as common/log.c writes it: the prefix supd rendered
 * for its level (struct pid1_plan), the text, one write(2). PID 1 never
 * blocks on it: a pipe or terminal is written through a private
 * non-blocking description of stderr (reopened through /proc, except in a
 * service's namespace: tiny_no_files), a socket with MSG_DONTWAIT, anything
 * else only when poll says there is room; a line that does not fit now is
 * dropped. */
#include "runtime/tiny/tiny.h"

#define STATX_TYPE      1
#define AT_EMPTY_PATH   0x1000
#define S_IFMT          0170000
#define S_IFIFO         0010000
#define S_IFCHR         0020000
#define S_IFSOCK        0140000
#define MSG_DONTWAIT    0x40
#define MSG_NOSIGNAL    0x4000
#define POLLOUT         4
#define CLOCK_MONOTONIC 1
#define RTMIN           34      /* glibc's SIGRTMIN: 32 and 33 are its own */

static int say_level = LOG_WARN;
static const char (*say_prefix)[PID1_PREFIX_LEN];

struct ts {
        long sec, nsec;
};

__attribute__((noreturn)) void leave(int code)
{
        for (;;)
                sys1(NR_exit_group, code);
}

long now_ms(void)
{
        struct ts t;

        sys2(NR_clock_gettime, CLOCK_MONOTONIC, &t);
        return t.sec * 1000 + t.nsec / 1000000;
}

void say_setup(int verbosity, const char (*prefix)[PID1_PREFIX_LEN])
{
        say_level = verbosity;
        say_prefix = prefix;
}

/* statx's stx_mode: its layout is the same on every architecture. */
static unsigned stderr_type(void)
{
        unsigned char stx[256];

        if (sys5(NR_statx, 2, "", AT_EMPTY_PATH, STATX_TYPE, stx) < 0)
                return 0;
        return (unsigned)(stx[0x1c] | stx[0x1d] << 8) & S_IFMT;
}

static void write_stderr(const char *line, long len)
{
        unsigned type = stderr_type();
        struct ts now = { 0, 0 };
        struct { int fd; short events, revents; } p = { 2, POLLOUT, 0 };
        long fd;

        if (type == S_IFSOCK) {
                sys6(NR_sendto, 2, (long)line, len, MSG_DONTWAIT | MSG_NOSIGNAL, 0, 0);
                return;
        }
        if ((type == S_IFIFO || type == S_IFCHR) && !tiny_no_files) {
                fd = sys4(NR_openat, AT_FDCWD, "/proc/self/fd/2",
                          O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
                if (fd >= 0) {
                        sys3(NR_write, fd, line, len);
                        sys1(NR_close, fd);
                        return;
                }
        }
        if (sys4(NR_ppoll, &p, 1, &now, 0) == 1 && (p.revents & POLLOUT))
                sys3(NR_write, 2, line, len);
}

char *put_str(char *p, char *end, const char *s)
{
        while (*s && p < end)
                *p++ = *s++;
        return p;
}

char *put_num(char *p, char *end, long v)
{
        unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
        char digits[24];
        int n = 0;

        do
                digits[n++] = (char)('0' + u % 10);
        while ((u /= 10) != 0);
        if (v < 0 && p < end)
                *p++ = '-';
        while (n > 0 && p < end)
                *p++ = digits[--n];
        return p;
}

/* A failed system call's -errno as strerror(3) says the common ones. */
const char *say_errno(long ret, char buf[24])
{
        static const struct { int no; char text[34]; } known[] = {
                { 1, "Operation not permitted" }, { 2, "No such file or directory" },
                { 3, "No such process" }, { 4, "Interrupted system call" },
                { 9, "Bad file descriptor" }, { 10, "No child processes" },
                { 11, "Resource temporarily unavailable" }, { 12, "Cannot allocate memory" },
                { 13, "Permission denied" }, { 14, "Bad address" },
                { 22, "Invalid argument" }, { 24, "Too many open files" },
                { 38, "Function not implemented" },
        };
        char *end = buf + 23;

        for (unsigned i = 0; i < sizeof(known) / sizeof(known[0]); i++)
                if (known[i].no == -ret)
                        return known[i].text;
        *put_num(put_str(buf, end, "error "), end, -ret) = '\0';
        return buf;
}

/* printf's %s, %d, %u, %ld and %%: all our messages use. */
void say(int level, const char *fmt, ...)
{
        char line[512], *p = line, *end = line + sizeof(line) - 1;
        va_list ap;

        if (level > say_level)
                return;
        if (say_prefix)
                p = put_str(p, end, say_prefix[level]);
        va_start(ap, fmt);
        for (; *fmt && p < end; fmt++) {
                if (*fmt != '%') {
                        *p++ = *fmt;
                        continue;
                }
                switch (*++fmt) {
                case 'd': p = put_num(p, end, va_arg(ap, int)); break;
                case 'u': p = put_num(p, end, va_arg(ap, unsigned)); break;
                case 'l': fmt++; p = put_num(p, end, va_arg(ap, long)); break;
                case 's': p = put_str(p, end, va_arg(ap, const char *)); break;
                default: *p++ = *fmt; break;
                }
        }
        va_end(ap);
        *p++ = '\n';
        write_stderr(line, p - line);
}

const char *say_signal(int sig, char buf[24])
{
        static const char names[32][8] = {
                "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1",
                "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP",
                "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH",
                "IO", "PWR", "SYS",
        };
        char *p = buf, *end = buf + 23;

        if (sig > 0 && sig < 32)
                p = put_str(put_str(p, end, "SIG"), end, names[sig]);
        else if (sig >= RTMIN && sig <= PID1_SIG_MAX)
                p = put_num(put_str(p, end, "SIGRTMIN+"), end, sig - RTMIN);
        else
                p = put_num(put_str(p, end, "signal "), end, sig);
        *p = '\0';
        return buf;
}
