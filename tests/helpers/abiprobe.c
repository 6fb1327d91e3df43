/* abiprobe ABI PROBE — a syscall through another ABI of this x86_64 process:
 * i386 (int $0x80, AUDIT_ARCH_I386 numbering) or x32 (nr | 0x40000000).
 * Prints "ok", the errno name, or "no-abi" when the kernel refuses the ABI
 * itself (int $0x80 without IA32 emulation raises SIGSEGV). A seccomp
 * filter that does not know the ABI kills the process (SIGSYS): the caller
 * sees that as the exit status.
 *
 *   i386: getpid getppid newer clone3 socket_unix socket_alg socketcall_socket
 *   x32:  getpid getppid newer socket_alg */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define X32_BIT 0x40000000L

static sigjmp_buf no_abi;

static void on_segv(int sig)
{
        (void)sig;
        siglongjmp(no_abi, 1);
}

#if defined(__x86_64__)
static long i386_call(long nr, long a, long b, long c)
{
        long r;

        __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
        return r;
}

static long x32_call(long nr, long a, long b, long c)
{
        long r;

        __asm__ volatile("syscall" : "=a"(r) : "a"(nr | X32_BIT), "D"(a), "S"(b), "d"(c)
                         : "rcx", "r11", "memory");
        return r;
}
#else
static long i386_call(long nr, long a, long b, long c) { (void)nr; (void)a; (void)b; (void)c; return -ENOSYS; }
static long x32_call(long nr, long a, long b, long c) { (void)nr; (void)a; (void)b; (void)c; return -ENOSYS; }
#endif

static const char *ename(long rc)
{
        switch (-rc) {
        case EPERM: return "EPERM";
        case ENOSYS: return "ENOSYS";
        case EINVAL: return "EINVAL";
        case EFAULT: return "EFAULT";
        case EAFNOSUPPORT: return "EAFNOSUPPORT";
        default: return strerror((int)-rc);
        }
}

/* i386 numbers (arch/x86/entry/syscalls/syscall_32.tbl). */
static int i386_probe(const char *p, long *rc)
{
        unsigned int *args;

        if (strcmp(p, "getpid") == 0)
                *rc = i386_call(20, 0, 0, 0);
        else if (strcmp(p, "getppid") == 0)
                *rc = i386_call(64, 0, 0, 0);
        else if (strcmp(p, "newer") == 0)
                *rc = i386_call(470, 0, 0, 0);          /* newer than any profile names */
        else if (strcmp(p, "clone3") == 0)
                *rc = i386_call(435, 0, 0, 0);
        else if (strcmp(p, "socket_unix") == 0)
                *rc = i386_call(359, 1, 2, 0);          /* AF_UNIX, SOCK_DGRAM */
        else if (strcmp(p, "socket_alg") == 0)
                *rc = i386_call(359, 38, 5, 0);         /* AF_ALG, SOCK_SEQPACKET */
        else if (strcmp(p, "socketcall_socket") == 0) {
                /* The arguments behind a 32-bit pointer, as an i386 libc passes them. */
                args = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
                if (args == MAP_FAILED)
                        return -1;
                args[0] = 1;                            /* AF_UNIX */
                args[1] = 2;                            /* SOCK_DGRAM */
                args[2] = 0;
                *rc = i386_call(102, 1, (long)args, 0); /* socketcall(SYS_SOCKET, args) */
        } else
                return -1;
        return 0;
}

static int x32_probe(const char *p, long *rc)
{
        if (strcmp(p, "getpid") == 0)
                *rc = x32_call(39, 0, 0, 0);
        else if (strcmp(p, "getppid") == 0)
                *rc = x32_call(110, 0, 0, 0);
        else if (strcmp(p, "newer") == 0)
                *rc = x32_call(470, 0, 0, 0);
        else if (strcmp(p, "socket_alg") == 0)
                *rc = x32_call(41, 38, 5, 0);
        else
                return -1;
        return 0;
}

int main(int argc, char **argv)
{
        struct sigaction sa;
        long rc = 0;
        int bad;

        if (argc < 3)
                return 2;
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_segv;
        sigaction(SIGSEGV, &sa, NULL);
        if (sigsetjmp(no_abi, 1)) {
                printf("no-abi\n");
                return 0;
        }
        if (strcmp(argv[1], "i386") == 0)
                bad = i386_probe(argv[2], &rc);
        else if (strcmp(argv[1], "x32") == 0)
                bad = x32_probe(argv[2], &rc);
        else
                bad = -1;
        if (bad)
                return 2;
        printf("%s\n", rc >= 0 ? "ok" : ename(rc));
        return 0;
}
