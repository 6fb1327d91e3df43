/* escape — try, from inside a sandbox, what a contained service must not
 * be able to do, and say for each whether the kernel let it.
 *
 *   escape [CHECK...]        (no CHECK: all of them, in the order below)
 *
 * One line per check: "NAME refused ERRNO", "NAME absent WHY" (this kernel
 * or view has nothing to try it on: counts as refused), or "NAME ESCAPED
 * WHAT". Every attempt is harmless when it succeeds: nothing is written
 * that changes the host (a sysctl gets its own value back, sysrq-trigger
 * and cgroup.procs are only opened for writing, kexec_load is given an
 * architecture no kernel takes, so a permitted call fails with EINVAL after
 * the permission check), mounts and namespaces made are the probe's own.
 * SOCK=PATH in the environment adds the control socket check. Exit 0 unless
 * the usage was wrong. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/kexec.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef AF_ALG
#define AF_ALG 38
#endif

static int refused(const char *name, int e)
{
        if (e == ENOENT || e == ENOSYS || e == ENODEV || e == EAFNOSUPPORT)
                printf("%s absent %s\n", name, strerrorname_np(e));
        else
                printf("%s refused %s\n", name, strerrorname_np(e));
        return 0;
}

static int escaped(const char *name, const char *what)
{
        printf("%s ESCAPED %s\n", name, what);
        return 0;
}

static int try_ptrace_pid1(const char *name)
{
        if (ptrace(PTRACE_SEIZE, 1, NULL, NULL) < 0)
                return refused(name, errno);
        ptrace(PTRACE_DETACH, 1, NULL, NULL);
        return escaped(name, "attached to PID 1");
}

static const char *scratch_dir(void)
{
        return access("/mnt", W_OK) == 0 ? "/mnt" : "/tmp";
}

static int try_mount(const char *name)
{
        const char *dir = scratch_dir();

        if (mount("tmpfs", dir, "tmpfs", 0, "size=4k") < 0)
                return refused(name, errno);
        umount2(dir, MNT_DETACH);
        return escaped(name, "mounted a tmpfs");
}

/* The same flags again: only the permission to remount is tested. */
static int try_remount_root(const char *name)
{
        struct statvfs st;
        unsigned long flags = MS_REMOUNT | MS_BIND;

        if (statvfs("/", &st) < 0)
                return refused(name, errno);
        if (st.f_flag & ST_RDONLY)
                flags |= MS_RDONLY;
        if (st.f_flag & ST_NOSUID)
                flags |= MS_NOSUID;
        if (st.f_flag & ST_NODEV)
                flags |= MS_NODEV;
        if (st.f_flag & ST_NOEXEC)
                flags |= MS_NOEXEC;
        if (mount(NULL, "/", NULL, flags, NULL) < 0)
                return refused(name, errno);
        return escaped(name, "remounted /");
}

/* In a child, so the probe's own namespaces stay as they were. */
static int try_unshare(const char *name, int flag)
{
        int st;
        pid_t pid = fork();

        if (pid == 0)
                _exit(unshare(flag) < 0 ? errno : 0);
        if (pid < 0 || waitpid(pid, &st, 0) < 0)
                return refused(name, errno);
        if (WEXITSTATUS(st))
                return refused(name, WEXITSTATUS(st));
        return escaped(name, "made a new namespace");
}

/* A host-wide sysctl, written with its own value. */
static int try_write_proc_sys(const char *name)
{
        const char *path = "/proc/sys/kernel/printk_ratelimit";
        char buf[64];
        ssize_t n;
        int fd = open(path, O_RDWR | O_CLOEXEC);

        if (fd < 0)
                return refused(name, errno);
        n = read(fd, buf, sizeof(buf));
        if (n <= 0 || lseek(fd, 0, SEEK_SET) < 0 || write(fd, buf, (size_t)n) != n) {
                int e = n < 0 ? errno : errno ? errno : EIO;
                close(fd);
                return refused(name, e);
        }
        close(fd);
        return escaped(name, "wrote kernel.printk_ratelimit");
}

static int try_open_for_write(const char *name, const char *path, const char *what)
{
        int fd = open(path, O_WRONLY | O_CLOEXEC);

        if (fd < 0)
                return refused(name, errno);
        close(fd);
        return escaped(name, what);
}

/* The root of a cgroup hierarchy: writing a pid there would leave the
 * service's cgroup and its limits. */
static int try_write_cgroup(const char *name)
{
        static const char *const procs[] = {
                "/sys/fs/cgroup/cgroup.procs", "/sys/fs/cgroup/pids/cgroup.procs",
                "/sys/fs/cgroup/memory/cgroup.procs", "/sys/fs/cgroup/unified/cgroup.procs",
                "/sys/fs/cgroup/systemd/cgroup.procs",
        };

        for (size_t i = 0; i < sizeof(procs) / sizeof(procs[0]); i++)
                if (access(procs[i], F_OK) == 0)
                        return try_open_for_write(name, procs[i],
                                                  "opened a cgroup root's cgroup.procs for writing");
        return refused(name, ENOENT);
}

/* A masked file reads as empty (/dev/null over it). */
static int try_read(const char *name, const char *path)
{
        char buf[16];
        ssize_t n;
        int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                return refused(name, errno);
        n = read(fd, buf, sizeof(buf));
        close(fd);
        if (n < 0)
                return refused(name, errno);
        if (n == 0) {
                printf("%s refused masked (empty)\n", name);
                return 0;
        }
        return escaped(name, "read its contents");
}

/* PID 1's memory, at the start of its first readable mapping. */
static int try_read_pid1_mem(const char *name)
{
        char line[256], buf[16];
        unsigned long lo = 0;
        FILE *maps = fopen("/proc/1/maps", "r");
        int fd;
        ssize_t n;

        while (maps && fgets(line, sizeof(line), maps)) {
                char perms[8];

                if (sscanf(line, "%lx-%*x %7s", &lo, perms) == 2 && perms[0] == 'r')
                        break;
                lo = 0;
        }
        if (maps)
                fclose(maps);
        fd = open("/proc/1/mem", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return refused(name, errno);
        n = pread(fd, buf, sizeof(buf), (off_t)lo);
        close(fd);
        if (n <= 0)
                return refused(name, n < 0 ? errno : EIO);
        return escaped(name, "read PID 1's memory");
}

static int try_open_by_handle(const char *name)
{
        struct { struct file_handle h; unsigned char bytes[128]; } fh;
        int mount_id, fd;

        fh.h.handle_bytes = sizeof(fh.bytes);
        if (name_to_handle_at(AT_FDCWD, "/", &fh.h, &mount_id, 0) < 0)
                return refused(name, errno);
        fd = open_by_handle_at(AT_FDCWD, &fh.h, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
                close(fd);
                return escaped(name, "opened / by its handle");
        }
        /* Past the permission check, a file system may still fail to decode
         * the handle (tmpfs's root: ESTALE): the door was open all the same. */
        if (errno != EPERM && errno != EACCES && errno != ENOSYS)
                return escaped(name, "passed the permission check (the handle did not decode)");
        return refused(name, errno);
}

static int try_bpf(const char *name)
{
        union bpf_attr attr;
        int fd;

        memset(&attr, 0, sizeof(attr));
        attr.map_type = BPF_MAP_TYPE_ARRAY;
        attr.key_size = 4;
        attr.value_size = 4;
        attr.max_entries = 1;
        fd = (int)syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
        if (fd < 0)
                return refused(name, errno);
        close(fd);
        return escaped(name, "created a BPF map");
}

/* An architecture no kernel is: permitted → EINVAL after the check. */
static int try_kexec(const char *name)
{
        if (syscall(SYS_kexec_load, 0UL, 0UL, NULL, 0x7f0000UL) == 0 || errno == EINVAL)
                return escaped(name, "passed kexec_load's permission check");
        return refused(name, errno);
}

static int try_setns(const char *name)
{
        int fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                return refused(name, errno);
        if (setns(fd, CLONE_NEWUTS) < 0) {
                int e = errno;
                close(fd);
                return refused(name, e);
        }
        close(fd);
        return escaped(name, "joined a namespace");
}

static int try_af_alg(const char *name)
{
        int fd = socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

        if (fd < 0)
                return refused(name, errno);
        close(fd);
        return escaped(name, "made an AF_ALG socket");
}

/* The block device "/" lives on, as a node of our own, opened: reading a
 * host disk raw. Making it takes CAP_MKNOD, opening it a mount without
 * nodev (and no device cgroup); root needs no other capability. When / has
 * no device of its own (overlay, btrfs), /dev/mem's numbers. */
static int try_mknod(const char *name)
{
        char path[64];
        struct stat st;
        mode_t type = S_IFBLK;
        dev_t dev;
        int fd;

        if (stat("/", &st) < 0)
                return refused(name, errno);
        dev = st.st_dev;
        if (major(dev) == 0) {
                type = S_IFCHR;
                dev = makedev(1, 1);
        }
        snprintf(path, sizeof(path), "%s/escape-node-%d", scratch_dir(), (int)getpid());
        if (mknod(path, type | 0600, dev) < 0)
                return refused(name, errno);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        unlink(path);
        if (fd < 0)
                return refused(name, errno);
        close(fd);
        return escaped(name, "made and opened a device node");
}

static int try_control_socket(const char *name)
{
        const char *path = getenv("SOCK");
        struct sockaddr_un a = { .sun_family = AF_UNIX };
        int fd;

        if (!path || !*path)
                return refused(name, ENOENT);
        snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return refused(name, errno);
        if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
                int e = errno;
                close(fd);
                return refused(name, e);
        }
        close(fd);
        return escaped(name, "connected to supd's control socket");
}

/* A block device the host's /dev holds (its disks), opened and read: a
 * raw read of a host disk, which root needs no capability for beyond
 * DAC_OVERRIDE. A private /dev has none. */
static int try_host_disk(const char *name)
{
        DIR *d = opendir("/dev");
        struct dirent *e;
        char path[300], buf[16];
        struct stat st;
        int err = ENOENT;

        while (d && (e = readdir(d))) {
                int fd;

                snprintf(path, sizeof(path), "/dev/%s", e->d_name);
                if (lstat(path, &st) < 0 || !S_ISBLK(st.st_mode))
                        continue;
                fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd < 0) {
                        err = errno;
                        continue;
                }
                if (read(fd, buf, sizeof(buf)) > 0) {
                        close(fd);
                        closedir(d);
                        return escaped(name, "read a host block device raw");
                }
                err = errno;
                close(fd);
        }
        if (d)
                closedir(d);
        return refused(name, err);
}

static int check(const char *c)
{
        if (!strcmp(c, "ptrace_pid1")) return try_ptrace_pid1(c);
        if (!strcmp(c, "mount")) return try_mount(c);
        if (!strcmp(c, "remount_root")) return try_remount_root(c);
        if (!strcmp(c, "unshare_user")) return try_unshare(c, CLONE_NEWUSER);
        if (!strcmp(c, "unshare_mount")) return try_unshare(c, CLONE_NEWNS);
        if (!strcmp(c, "write_proc_sys")) return try_write_proc_sys(c);
        if (!strcmp(c, "write_sysrq"))
                return try_open_for_write(c, "/proc/sysrq-trigger", "opened it for writing");
        if (!strcmp(c, "write_cgroup")) return try_write_cgroup(c);
        if (!strcmp(c, "read_kcore")) return try_read(c, "/proc/kcore");
        if (!strcmp(c, "read_timer_list")) return try_read(c, "/proc/timer_list");
        if (!strcmp(c, "read_pid1_mem")) return try_read_pid1_mem(c);
        if (!strcmp(c, "open_by_handle_at")) return try_open_by_handle(c);
        if (!strcmp(c, "bpf")) return try_bpf(c);
        if (!strcmp(c, "kexec_load")) return try_kexec(c);
        if (!strcmp(c, "setns")) return try_setns(c);
        if (!strcmp(c, "af_alg")) return try_af_alg(c);
        if (!strcmp(c, "mknod")) return try_mknod(c);
        if (!strcmp(c, "dev_mem")) return try_read(c, "/dev/mem");
        if (!strcmp(c, "control_socket")) return try_control_socket(c);
        if (!strcmp(c, "host_disk")) return try_host_disk(c);
        fprintf(stderr, "escape: unknown check %s\n", c);
        return 2;
}

int main(int argc, char **argv)
{
        static const char *const all[] = {
                "ptrace_pid1", "mount", "remount_root", "unshare_user", "unshare_mount",
                "write_proc_sys", "write_sysrq", "write_cgroup", "read_kcore", "read_timer_list",
                "read_pid1_mem", "open_by_handle_at", "bpf", "kexec_load", "setns", "af_alg",
                "mknod", "dev_mem", "control_socket", "host_disk", NULL,
        };
        int rc = 0;

        setvbuf(stdout, NULL, _IOLBF, 0);
        if (argc > 1) {
                for (int i = 1; i < argc; i++)
                        rc |= check(argv[i]);
        } else {
                for (const char *const *c = all; *c; c++)
                        rc |= check(*c);
        }
        return rc;
}
