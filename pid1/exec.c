/* pid1/exec.c — start the single command, and know whether exec happened.
 *
 * The child reports a failed execvp over a close-on-exec pipe: EOF on it
 * means exec happened, 4 bytes mean it did not and carry the errno. The
 * parent blocks on that read only for the instant between fork and exec. */
#include "pid1/pid1.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/exitcode.h"
#include "common/sigconf.h"

/* Only when supd is the terminal's foreground does it hand the foreground on
 * (tini always tries, which steals the terminal from a shell when run with &). */
static bool holds_foreground(void)
{
        return isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp();
}

/* Socket activation: LISTEN_PID names the process meant to use the fds;
 * when that was us, it is now our child (catatonit does the same). */
static void fix_listen_pid(void)
{
        const char *v = getenv("LISTEN_PID");
        char buf[24];

        if (!v || strtol(v, NULL, 10) != (long)getppid())
                return;
        snprintf(buf, sizeof(buf), "%ld", (long)getpid());
        setenv("LISTEN_PID", buf, 1);
}

static void child_take_group(enum pid1_child_group group, bool tty)
{
        switch (group) {
        case PID1_CHILD_PGRP:
                setpgid(0, 0);
                /* In the child, like tini: no race with our own process
                 * group. The inherited mask still blocks SIGTTOU, so this
                 * cannot stop us. */
                if (tty)
                        tcsetpgrp(STDIN_FILENO, getpgrp());
                return;
        case PID1_CHILD_SESSION:
                /* Fails only for a group leader, which a fresh child is not. */
                setsid();
                /* Takes the terminal only when no session holds it (ours
                 * let it go, or there is none): ENOTTY, EPERM are fine. */
                ioctl(STDIN_FILENO, TIOCSCTTY, 0);
                return;
        case PID1_CHILD_SAME:
                return;
        }
}

static void child_exec(char *const argv[], enum pid1_child_group group, bool tty, int errfd)
{
        int e;

        child_take_group(group, tty);
        fix_listen_pid();
        sigconf_restore(&sigconf_inherited);
        execvp(argv[0], argv);
        e = errno;
        if (write(errfd, &e, sizeof(e)) < 0)
                e = errno;
        _exit(exitcode_of_exec_errno(e));
}

int pid1_spawn(char *const argv[], enum pid1_child_group group, pid_t *pid, bool *got_tty,
               struct sup_err *err)
{
        bool tty = group == PID1_CHILD_PGRP && holds_foreground();
        int p[2], e = 0;
        ssize_t n;
        pid_t child;

        *pid = 0;
        if (pipe2(p, O_CLOEXEC) < 0)
                return sup_fail(err, errno, "exec %s: pipe", argv[0]);
        child = fork();
        if (child < 0) {
                close(p[0]);
                close(p[1]);
                return sup_fail(err, errno, "exec %s: fork", argv[0]);
        }
        if (child == 0) {
                close(p[0]);
                child_exec(argv, group, tty, p[1]);
        }
        close(p[1]);
        do
                n = read(p[0], &e, sizeof(e));
        while (n < 0 && errno == EINTR);
        close(p[0]);
        *pid = child;
        if (n == (ssize_t)sizeof(e)) {
                while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
                        ;
                return sup_fail(err, e, "exec %s", argv[0]);
        }
        *got_tty = tty;
        return 0;
}

/* Read with getdents64 into a buffer on the stack: opendir's 32 KiB buffer
 * would be the first heap `supd --` touches, and stay dirty (figure 1a). */
void pid1_close_inherited_fds(void)
{
        char buf[1024];
        long n;
        int dfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (dfd < 0)
                return;
        while ((n = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0) {
                for (long off = 0; off < n;) {
                        struct dirent64 *de = (struct dirent64 *)(buf + off);
                        int fd = atoi(de->d_name), flags;

                        off += de->d_reclen;
                        if (fd < 3 || fd == dfd)
                                continue;
                        flags = fcntl(fd, F_GETFD);
                        if (flags >= 0 && !(flags & FD_CLOEXEC))
                                close(fd);
                }
        }
        close(dfd);
}
