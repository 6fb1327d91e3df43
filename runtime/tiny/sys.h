/* runtime/tiny/sys.h — the few raw system calls the tiny init makes.
 *
 * No libc: a system call is one instruction with the arguments in the
 * registers the kernel's ABI names; the result is the return value or
 * -errno. x86_64 and aarch64 only (the Makefile builds the tiny init on
 * those alone; elsewhere the runtime re-execs its own program). */
#ifndef SUP_RUNTIME_TINY_SYS_H
#define SUP_RUNTIME_TINY_SYS_H

#if defined(__x86_64__)

#define NR_read          0
#define NR_close         3
#define NR_rt_sigprocmask 14
#define NR_getpid        39
#define NR_exit_group    231
#define NR_wait4         61
#define NR_kill          62
#define NR_getuid        102
#define NR_geteuid       107
#define NR_setresuid     117
#define NR_prctl         157
#define NR_clock_gettime 228
#define NR_ppoll         271
#define NR_signalfd4     289
#define NR_write         1
#define NR_close_range   436
#define NR_openat        257
#define NR_getdents64    217
#define NR_waitid        247
#define NR_ioctl         16
#define NR_pidfd_open    434
#define NR_rt_sigaction  13
#define NR_getpgid       121
#define NR_statx         332
#define NR_uname         63
#define NR_sendto        44
#define O_DIRECTORY      0200000

static inline long sys6(long n, long a, long b, long c, long d, long e, long f)
{
        register long r10 __asm__("r10") = d;
        register long r8 __asm__("r8") = e;
        register long r9 __asm__("r9") = f;
        long ret;

        __asm__ volatile("syscall"
                         : "=a"(ret)
                         : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                         : "rcx", "r11", "memory");
        return ret;
}

#elif defined(__aarch64__)

#define NR_read          63
#define NR_close         57
#define NR_rt_sigprocmask 135
#define NR_getpid        172
#define NR_exit_group    94
#define NR_wait4         260
#define NR_kill          129
#define NR_getuid        174
#define NR_geteuid       175
#define NR_setresuid     147
#define NR_prctl         167
#define NR_clock_gettime 113
#define NR_ppoll         73
#define NR_signalfd4     74
#define NR_write         64
#define NR_close_range   436
#define NR_openat        56
#define NR_getdents64    61
#define NR_waitid        95
#define NR_ioctl         29
#define NR_pidfd_open    434
#define NR_rt_sigaction  134
#define NR_getpgid       155
#define NR_statx         291
#define NR_uname         160
#define NR_sendto        206
#define O_DIRECTORY      040000         /* arm64's own: 0200000 is O_DIRECT there */

static inline long sys6(long n, long a, long b, long c, long d, long e, long f)
{
        register long x8 __asm__("x8") = n;
        register long x0 __asm__("x0") = a;
        register long x1 __asm__("x1") = b;
        register long x2 __asm__("x2") = c;
        register long x3 __asm__("x3") = d;
        register long x4 __asm__("x4") = e;
        register long x5 __asm__("x5") = f;

        __asm__ volatile("svc 0"
                         : "+r"(x0)
                         : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
                         : "memory");
        return x0;
}

#else
#error "the tiny init knows the system calls of x86_64 and aarch64 only"
#endif

#define sys0(n)                 sys6(n, 0, 0, 0, 0, 0, 0)
#define sys1(n, a)              sys6(n, (long)(a), 0, 0, 0, 0, 0)
#define sys2(n, a, b)           sys6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define sys3(n, a, b, c)        sys6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys4(n, a, b, c, d)     sys6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define sys5(n, a, b, c, d, e)  sys6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

#endif
