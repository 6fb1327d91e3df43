/* runtime/mount.c — the service's mount namespace.
 *
 * Order (crun): `/` rprivate so nothing propagates back to the host; the new
 * root bound onto itself; binds, private /tmp, a fresh /proc (we are PID 1 of
 * our PID namespace by now), a minimal /dev — all under the new root while
 * host paths are still reachable; pivot_root; then read-only root,
 * read_only_paths and masked_paths, which name paths inside the service's
 * view. Without `root` the same steps apply to the host tree, privately. */
#include "runtime/runtime_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Path of `p` under the new root (or itself when there is none). */
static const char *under(const char *root, const char *p, char buf[PATH_MAX])
{
        if (!root)
                return p;
        snprintf(buf, PATH_MAX, "%s/%s", root, p[0] == '/' ? p + 1 : p);
        return buf;
}

static int mkdir_p(const char *path)
{
        char tmp[PATH_MAX];

        snprintf(tmp, sizeof(tmp), "%s", path);
        for (char *p = tmp + 1; *p; p++) {
                if (*p != '/')
                        continue;
                *p = '\0';
                if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
                        return -1;
                *p = '/';
        }
        return mkdir(tmp, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

/* A mount point of the right kind (dir or file) for a bind of src. */
static int make_target(const char *target, bool dir)
{
        char parent[PATH_MAX];
        int fd;

        if (access(target, F_OK) == 0)
                return 0;
        if (dir)
                return mkdir_p(target);
        snprintf(parent, sizeof(parent), "%s", target);
        if (strrchr(parent, '/') && strrchr(parent, '/') != parent) {
                *strrchr(parent, '/') = '\0';
                if (mkdir_p(parent) < 0)
                        return -1;
        }
        fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
                return -1;
        close(fd);
        return 0;
}

/* A bind mount's flags can only be changed by a remount that keeps the
 * locked ones (nosuid, nodev, noexec...), or the kernel says EPERM. */
static int remount_ro(const char *path, struct sup_err *err)
{
        struct statvfs st;
        unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY;

        if (statvfs(path, &st) < 0)
                return sup_fail(err, errno, "statvfs %s", path);
        if (st.f_flag & ST_NOSUID)
                flags |= MS_NOSUID;
        if (st.f_flag & ST_NODEV)
                flags |= MS_NODEV;
        if (st.f_flag & ST_NOEXEC)
                flags |= MS_NOEXEC;
        if (st.f_flag & ST_NOATIME)
                flags |= MS_NOATIME;
        if (st.f_flag & ST_NODIRATIME)
                flags |= MS_NODIRATIME;
        if (st.f_flag & ST_RELATIME)
                flags |= MS_RELATIME;
        if (mount(NULL, path, NULL, flags, NULL) < 0)
                return sup_fail(err, errno, "remount %s read-only", path);
        return 0;
}

static int bind_one(const char *root, const struct bind_mount *b, struct sup_err *err)
{
        char buf[PATH_MAX];
        const char *target = under(root, b->dst, buf);
        struct stat st;

        if (stat(b->src, &st) < 0)
                return sup_fail(err, errno, "bind %s", b->src);
        if (make_target(target, S_ISDIR(st.st_mode)) < 0)
                return sup_fail(err, errno, "bind %s: create %s", b->src, b->dst);
        if (mount(b->src, target, NULL, MS_BIND | MS_REC, NULL) < 0)
                return sup_fail(err, errno, "bind %s on %s", b->src, b->dst);
        if (b->ro && remount_ro(target, err) < 0)
                return sup_wrap(err, "bind %s", b->src);
        return 0;
}

static int private_tmp(const char *root, struct sup_err *err)
{
        char buf[PATH_MAX];
        const char *tmp = under(root, "/tmp", buf);

        if (mkdir_p(tmp) < 0)
                return sup_fail(err, errno, "private_tmp: mkdir %s", tmp);
        if (mount("tmpfs", tmp, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") < 0)
                return sup_fail(err, errno, "private_tmp: tmpfs on /tmp");
        return 0;
}

/* /proc of our own PID namespace; without one, the host's (bound) under a
 * new root so the service still has one. */
static int mount_proc(const char *root, bool own_pid_ns, struct sup_err *err)
{
        char buf[PATH_MAX];
        const char *proc = under(root, "/proc", buf);

        if (mkdir_p(proc) < 0)
                return sup_fail(err, errno, "mkdir %s", proc);
        if (own_pid_ns) {
                if (mount("proc", proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
                        return sup_fail(err, errno, "mount a fresh /proc");
                return 0;
        }
        if (root && mount("/proc", proc, NULL, MS_BIND | MS_REC, NULL) < 0)
                return sup_fail(err, errno, "bind /proc");
        return 0;
}

/* /sys of our own network namespace, so /sys/class/net lists only its
 * devices; read-only, as runc mounts it. (Under a new root without a
 * network namespace there is no /sys: bind it when a service needs it.) */
static int mount_sys(const char *root, struct sup_err *err)
{
        char buf[PATH_MAX];
        const char *sys = under(root, "/sys", buf);

        if (mkdir_p(sys) < 0)
                return sup_fail(err, errno, "mkdir %s", sys);
        if (mount("sysfs", sys, "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL) < 0)
                return sup_fail(err, errno, "mount a fresh /sys");
        return 0;
}

/* A tmpfs /dev with the usual device nodes bound from the host, a private
 * devpts, and /dev/shm: under a new root, or over the host's own /dev
 * (private_dev). The host's nodes are cloned first (open_tree), so a tmpfs
 * over /dev does not hide them; a node the host lacks is left out. */
#define DEV_NODES 6
static int clone_dev_nodes(const char *const *nodes, int *trees, struct sup_err *err)
{
        char host[32];

        for (size_t i = 0; i < DEV_NODES; i++) {
                snprintf(host, sizeof(host), "/dev/%s", nodes[i]);
                trees[i] = (int)syscall(SYS_open_tree, AT_FDCWD, host,
                                        OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
                if (trees[i] < 0 && errno != ENOENT)
                        return sup_fail(err, errno, "/dev/%s", nodes[i]);
        }
        return 0;
}

static int place_dev_nodes(const char *dev, const char *const *nodes, const int *trees,
                           struct sup_err *err)
{
        char p[PATH_MAX + 16];

        for (size_t i = 0; i < DEV_NODES; i++) {
                if (trees[i] < 0)
                        continue;
                snprintf(p, sizeof(p), "%s/%s", dev, nodes[i]);
                if (make_target(p, false) < 0 ||
                    syscall(SYS_move_mount, trees[i], "", AT_FDCWD, p, MOVE_MOUNT_F_EMPTY_PATH) < 0)
                        return sup_fail(err, errno, "/dev/%s", nodes[i]);
        }
        return 0;
}

static int fill_dev(const char *dev, const char *const *nodes, const int *trees,
                    struct sup_err *err)
{
        static const char *const links[][2] = {
                { "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" },
                { "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
                { "pts/ptmx", "ptmx" },
        };
        char p[PATH_MAX + 16];

        if (mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=64k") < 0)
                return sup_fail(err, errno, "tmpfs on /dev");
        if (place_dev_nodes(dev, nodes, trees, err) < 0)
                return -1;
        for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
                snprintf(p, sizeof(p), "%s/%s", dev, links[i][1]);
                if (symlink(links[i][0], p) < 0)
                        return sup_fail(err, errno, "symlink /dev/%s", links[i][1]);
        }
        snprintf(p, sizeof(p), "%s/pts", dev);
        if (mkdir(p, 0755) < 0 || mount("devpts", p, "devpts", MS_NOSUID | MS_NOEXEC,
                                          "newinstance,ptmxmode=0666,mode=620") < 0)
                return sup_fail(err, errno, "devpts on /dev/pts");
        snprintf(p, sizeof(p), "%s/shm", dev);
        if (mkdir(p, 01777) < 0 || mount("shm", p, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                                          "mode=1777") < 0)
                return sup_fail(err, errno, "tmpfs on /dev/shm");
        return 0;
}

static int minimal_dev(const char *root, struct sup_err *err)
{
        static const char *const nodes[DEV_NODES] = { "null", "zero", "full", "random",
                                                      "urandom", "tty" };
        int trees[DEV_NODES];
        char buf[PATH_MAX];
        const char *dev = under(root, "/dev", buf);
        int rc;

        for (size_t i = 0; i < DEV_NODES; i++)
                trees[i] = -1;
        if (mkdir_p(dev) < 0)
                return sup_fail(err, errno, "mkdir %s", dev);
        rc = clone_dev_nodes(nodes, trees, err);
        if (rc == 0)
                rc = fill_dev(dev, nodes, trees, err);
        for (size_t i = 0; i < DEV_NODES; i++)
                if (trees[i] >= 0)
                        close(trees[i]);
        return rc;
}

/* pivot_root(2) cannot move the initial ramfs ("rootfs"): a supd booted
 * as an initramfs's /init gets EINVAL. Say so, as switch_root onto a
 * tmpfs first is the way out (a chroot fallback, runc's --no-pivot, would
 * leave the old root reachable to a service keeping CAP_SYS_CHROOT). */
static const char *initramfs_hint(int e)
{
        struct statfs st;

        if (e != EINVAL || statfs("/", &st) < 0 ||
            (st.f_type != RAMFS_MAGIC && st.f_type != TMPFS_MAGIC))
                return "";
        return " (is / the initramfs? pivot_root cannot leave it: switch_root onto a "
               "tmpfs before starting supd)";
}

static int enter_root(const char *root, struct sup_err *err)
{
        if (chdir(root) < 0)
                return sup_fail(err, errno, "chdir %s", root);
        if (syscall(SYS_pivot_root, ".", ".") < 0)
                return sup_fail(err, errno, "pivot_root %s%s", root, initramfs_hint(errno));
        /* The old root is stacked under the new one at "/": detach it. */
        if (mount(NULL, ".", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
            umount2(".", MNT_DETACH) < 0)
                return sup_fail(err, errno, "detach the old root");
        if (chdir("/") < 0)
                return sup_fail(err, errno, "chdir /");
        return 0;
}

/* Read-only with every mount under it (/sys holds the cgroup tree,
 * /proc/sys binfmt_misc): mount_setattr(2) flips only the read-only bit
 * of the whole subtree; before Linux 5.12, the top mount alone. */
static int make_read_only(const char *path, const char *key, struct sup_err *err)
{
        struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };

        if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
                return sup_fail(err, errno, "%s %s: bind", key, path);
        if (mount_setattr(AT_FDCWD, path, AT_RECURSIVE, &attr, sizeof(attr)) == 0)
                return 0;
        if (errno != ENOSYS)
                return sup_fail(err, errno, "%s %s: make read-only", key, path);
        if (remount_ro(path, err) < 0)
                return sup_wrap(err, "%s", key);
        return 0;
}

/* Files: /dev/null over them; directories: an empty read-only tmpfs. */
static int mask(const char *path, const struct stat *st, struct sup_err *err)
{
        if (S_ISDIR(st->st_mode)) {
                if (mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=0") < 0)
                        return sup_fail(err, errno, "masked_paths %s", path);
        } else if (mount("/dev/null", path, NULL, MS_BIND, NULL) < 0) {
                return sup_fail(err, errno, "masked_paths %s", path);
        }
        return 0;
}

/* runc's lists skip what this kernel does not have; a path the config
 * names must exist, or the key is wrong. */
static int read_only_paths(const struct sandbox_spec *sb, struct sup_err *err)
{
        for (const char *const *p = mount_default_read_only; sb->read_only_defaults && *p; p++)
                if (access(*p, F_OK) == 0 && make_read_only(*p, "read_only_paths", err) < 0)
                        return -1;
        for (char **p = sb->read_only_paths; p && *p; p++) {
                if (access(*p, F_OK) < 0)
                        return sup_fail(err, errno, "read_only_paths %s", *p);
                if (make_read_only(*p, "read_only_paths", err) < 0)
                        return -1;
        }
        return 0;
}

static int masked_paths(const struct sandbox_spec *sb, struct sup_err *err)
{
        struct stat st;

        for (const char *const *p = mount_default_masked; sb->masked_defaults && *p; p++)
                if (stat(*p, &st) == 0 && mask(*p, &st, err) < 0)
                        return -1;
        for (char **p = sb->masked_paths; p && *p; p++) {
                if (stat(*p, &st) < 0)
                        return sup_fail(err, errno, "masked_paths %s", *p);
                if (mask(*p, &st, err) < 0)
                        return -1;
        }
        return 0;
}

static char *hidden_socket;     /* supd's control socket: see rt_hide_control_socket */

void mount_hide_socket(const char *path)
{
        free(hidden_socket);
        hidden_socket = path ? strdup(path) : NULL;
}

/* /dev/null over supd's control socket, first, so that binds (recursive)
 * and a new root carry the cover. Without CAP_SYS_ADMIN (not among
 * Docker's capabilities, the default) the service cannot unmount it. */
static int hide_socket(const struct sandbox_spec *sb, struct sup_err *err)
{
        struct stat st;

        if (!hidden_socket || sb->control_access || lstat(hidden_socket, &st) < 0)
                return 0;
        if (mount("/dev/null", hidden_socket, NULL, MS_BIND, NULL) < 0)
                return sup_fail(err, errno, "hide the control socket %s", hidden_socket);
        return 0;
}

int mount_setup(const struct sandbox_spec *sb, struct sup_err *err)
{
        const char *root = sb->root;
        bool pid_ns = sb->namespaces & CLONE_NEWPID;
        bool net_ns = sb->namespaces & CLONE_NEWNET;

        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                return sup_fail(err, errno, "make / private");
        if (hide_socket(sb, err) < 0)
                return -1;
        if (root && mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0)
                return sup_fail(err, errno, "bind the root %s", root);
        for (size_t i = 0; i < sb->n_binds; i++)
                if (bind_one(root, &sb->binds[i], err) < 0)
                        return -1;
        if (sb->private_tmp && private_tmp(root, err) < 0)
                return -1;
        if ((root || pid_ns) && mount_proc(root, pid_ns, err) < 0)
                return -1;
        if (net_ns && mount_sys(root, err) < 0)
                return -1;
        if ((root || sb->private_dev) && minimal_dev(root, err) < 0)
                return -1;
        if (root && enter_root(root, err) < 0)
                return -1;
        if (sb->read_only && remount_ro("/", err) < 0)
                return sup_wrap(err, "read_only");
        if (read_only_paths(sb, err) < 0)
                return -1;
        return masked_paths(sb, err);
}
