/* sysprobe — call a syscall by name with harmless arguments and print
 * "ok" or the errno name: proves what a seccomp filter does. */
#include <errno.h>
#include <linux/sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *ename(int e)
{
        switch (e) {
        case EPERM: return "EPERM";
        case ENOSYS: return "ENOSYS";
        case EINVAL: return "EINVAL";
        case EFAULT: return "EFAULT";
        case EBADF: return "EBADF";
        case EAFNOSUPPORT: return "EAFNOSUPPORT";
        default: return strerror(e);
        }
}

int main(int argc, char **argv)
{
        long rc;

        if (argc < 2)
                return 2;
        errno = 0;
        if (strcmp(argv[1], "clone3") == 0)
                rc = syscall(SYS_clone3, NULL, 0);              /* EINVAL/EFAULT when allowed */
        else if (strcmp(argv[1], "unshare") == 0)
                rc = syscall(SYS_unshare, CLONE_NEWUTS);
        else if (strcmp(argv[1], "getppid") == 0)
                rc = syscall(SYS_getppid);
        else if (strcmp(argv[1], "mkdirat") == 0)
                rc = syscall(SYS_mkdirat, -1, "", 0);           /* ENOENT when allowed */
        else if (strcmp(argv[1], "af_alg") == 0)
                rc = socket(38, SOCK_SEQPACKET, 0);
        else if (strcmp(argv[1], "new") == 0)
                rc = syscall(1000);                             /* beyond every known syscall */
        else
                return 2;
        printf("%s\n", rc >= 0 ? "ok" : ename(errno));
        return 0;
}
