/* runtime/reaper.c — the program PID 1 of a service's PID namespace execs.
 *
 * PID 1 of a service's PID namespace starts as a clone of supd; once the
 * service's process is started it execs the reaper, so nothing of supd's
 * memory (configs, other services' environments) stays in the namespace.
 * The reaper is the tiny freestanding program runtime/tiny/reaper.c,
 * embedded in ours (runtime/tiny/image.S): no libc or loader start-up, and
 * nothing read from the filesystem. Where it is not built (an architecture
 * it has no system calls for) it is the program that linked the runtime,
 * in pid1/reaper.c's mode. As runc and crun re-exec themselves, and for the
 * same reason (CVE-2019-5736), the exec goes through an fd made at rt_init,
 * never through a path: the tiny reaper in a sealed memfd; or our own
 * program from a read-only private bind mount of /proc/self/exe
 * (open_tree; cheap: no copy), or without the privilege for that
 * (rootless), a sealed memfd copy. Either way nobody can write the program
 * through /proc/1/exe.
 *
 * The reaper keeps CAP_KILL alone: it signals a namespace whose processes
 * may run as any user, and needs nothing else. */
#include "runtime/runtime_int.h"
#include "pid1/pid1.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/mount.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

static int reaper_fd = -1;
static struct sup_err init_err = { EBADF, "rt_init was not called" };
static int last_cap = CAP_LAST_CAP;    /* the kernel's, found at reaper_init */
static bool reaper_is_tiny;             /* else our own program, loaded by ld.so */

/* A detached read-only bind mount of the file; -1 without CAP_SYS_ADMIN. */
static int readonly_clone(void)
{
        struct mount_attr ro = { .attr_set = MOUNT_ATTR_RDONLY };
        int fd = (int)syscall(SYS_open_tree, AT_FDCWD, "/proc/self/exe",
                              OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);

        if (fd < 0)
                return -1;
        if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH, &ro, sizeof(ro)) < 0) {
                close(fd);
                return -1;
        }
        return fd;
}

static int copy_all(int to, int from, off_t size)
{
        off_t off = 0;

        while (off < size) {
                ssize_t n = sendfile(to, from, &off, (size_t)(size - off));

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return -1;
        }
        return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
        while (len > 0) {
                ssize_t n = write(fd, p, len);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        return -1;
                p += n;
                len -= (size_t)n;
        }
        return 0;
}

static int memfd_exec_create(const char *name)
{
        int mfd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);

        if (mfd < 0 && errno == EINVAL)         /* before 6.3 no MFD_EXEC: all are executable */
                mfd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
        return mfd;
}

/* The memfd, sealed and reopened read-only (exec refuses a file open for
 * writing); it is closed either way. */
static int seal_and_reopen(int mfd, struct sup_err *err)
{
        char path[64];
        int ro;

        if (fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0) {
                sup_fail(err, errno, "sealing the reaper's memfd");
                close(mfd);
                return -1;
        }
        snprintf(path, sizeof(path), "/proc/self/fd/%d", mfd);
        ro = open(path, O_PATH | O_CLOEXEC);
        close(mfd);
        if (ro < 0)
                return sup_fail(err, errno, "reopening the sealed copy");
        return ro;
}

/* A sealed copy of our own program in memory. */
static int sealed_copy(struct sup_err *err)
{
        struct stat st;
        int exe, mfd;

        exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        if (exe < 0)
                return sup_fail(err, errno, "open /proc/self/exe");
        mfd = memfd_exec_create(pid1_reaper_name);
        if (mfd < 0 || fstat(exe, &st) < 0 || copy_all(mfd, exe, st.st_size) < 0) {
                sup_fail(err, errno, "a sealed copy of /proc/self/exe");
                close(exe);
                if (mfd >= 0)
                        close(mfd);
                return -1;
        }
        close(exe);
        return seal_and_reopen(mfd, err);
}

/* The tiny reaper's bytes (runtime/tiny/image.S); empty where it is not built. */
extern const char rt_tiny_reaper[], rt_tiny_reaper_end[];

/* Two symbols of one section: their distance is the image's size. */
static size_t tiny_reaper_size(void)
{
        return (size_t)((uintptr_t)rt_tiny_reaper_end - (uintptr_t)rt_tiny_reaper);
}

int reaper_tiny_image(const char *name, struct sup_err *err)
{
        size_t size = tiny_reaper_size();
        int mfd;

        if (size == 0)
                return sup_fail(err, ENOEXEC, "no tiny init for this architecture");
        mfd = memfd_exec_create(name);
        if (mfd < 0)
                return sup_fail(err, errno, "memfd for the tiny init");
        if (write_all(mfd, rt_tiny_reaper, size) < 0) {
                sup_fail(err, errno, "writing the tiny init's memfd");
                close(mfd);
                return -1;
        }
        return seal_and_reopen(mfd, err);
}

/* A failure is kept, not returned: only services with a PID namespace
 * need the program, and they fail at their "reaper" step saying why. */
void reaper_init(void)
{
        if (reaper_fd >= 0)
                return;
        while (prctl(PR_CAPBSET_READ, last_cap + 1, 0, 0, 0) >= 0)
                last_cap++;
        reaper_fd = reaper_tiny_image(pid1_reaper_name, &init_err);
        reaper_is_tiny = reaper_fd >= 0;
        if (reaper_fd < 0)
                reaper_fd = readonly_clone();
        if (reaper_fd < 0)
                reaper_fd = sealed_copy(&init_err);
        if (reaper_fd < 0)
                sup_wrap(&init_err, "no reaper program for a PID namespace");
}

bool reaper_reads_files(void)
{
        return !reaper_is_tiny;
}

/* CAP_KILL alone, in every set, and in the bounding set for the exec. It
 * runs while the service's process shares our memory: raw syscalls, no
 * allocation (libcap allocates). A process without CAP_SETPCAP (rootless,
 * no user namespace) has nothing to drop: what fails here is no error. */
static void keep_cap_kill_only(void)
{
        struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
        struct __user_cap_data_struct data[2] = { { 0 } };

        for (int cap = 0; cap <= last_cap; cap++)
                if (cap != CAP_KILL)
                        prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
        data[0].permitted = data[0].effective = 1u << CAP_KILL;
        if (syscall(SYS_capset, &hdr, data) < 0) {
                data[0].permitted = data[0].effective = 0;
                syscall(SYS_capset, &hdr, data);
        }
}

/* The real uid differs from the effective one across the exec, so the
 * kernel makes the new image non-dumpable from its first instruction (as
 * for a set-uid program); the reaper (runtime/tiny/reaper.c, or
 * pid1/reaper.c) puts the real uid back. It needs a
 * second uid that exists here: in a user namespace mapping one uid alone
 * it cannot be done, and false is returned. */
static bool nondumpable_exec(void)
{
        uid_t other = geteuid() == 65534 ? 65533 : 65534;

        return syscall(SYS_setresuid, other, -1, -1) == 0;
}

/* A health check's relay (join.c): the same program in its relay mode,
 * so the process that waits for the check holds nothing of supd either. */
int reaper_exec_relay(pid_t check, struct sup_err *err)
{
        char pid[16];
        char *argv[] = { (char *)pid1_relay_name, pid, NULL };
        char *envp[] = { NULL };

        if (reaper_fd < 0) {
                *err = init_err;
                return -1;
        }
        snprintf(pid, sizeof(pid), "%d", (int)check);
        nondumpable_exec();
        keep_cap_kill_only();
        syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
        syscall(SYS_execveat, reaper_fd, "", argv, envp, AT_EMPTY_PATH);
        return sup_fail(err, errno, "exec the relay");
}

int reaper_exec(pid_t service, int gate, volatile bool *dumpable, struct sup_err *err)
{
        char pid[16], gate_fd[16];
        char *argv[] = { (char *)pid1_reaper_name, pid, gate_fd, NULL };
        char *envp[] = { NULL };

        if (reaper_fd < 0) {
                *err = init_err;
                return -1;
        }
        snprintf(pid, sizeof(pid), "%d", (int)service);
        snprintf(gate_fd, sizeof(gate_fd), "%d", gate);
        *dumpable = !nondumpable_exec();       /* while CAP_SETUID is still ours */
        keep_cap_kill_only();
        /* Only stdio and the gate cross: supd's fds are close-on-exec
         * already, but an inherited one may not be. */
        syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
        if (fcntl(gate, F_SETFD, 0) < 0)
                return sup_fail(err, errno, "the reaper's gate");
        syscall(SYS_execveat, reaper_fd, "", argv, envp, AT_EMPTY_PATH);
        return sup_fail(err, errno, "exec the reaper");
}
