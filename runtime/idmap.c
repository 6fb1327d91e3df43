/* runtime/idmap.c — parent side of a user namespace: write the id maps.
 *
 * uid_map, then (when we are not privileged) "deny" to setgroups, then
 * gid_map — the kernel refuses an unprivileged gid_map otherwise. Without
 * configured maps the service's root is mapped to our own ids (unshare -r). */
#include "runtime/runtime_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int write_file(const char *path, const char *buf, size_t len, struct sup_err *err)
{
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        ssize_t n;

        if (fd < 0)
                return sup_fail(err, errno, "open %s", path);
        n = write(fd, buf, len);
        if (n < 0 || (size_t)n != len) {
                int e = n < 0 ? errno : EIO;
                close(fd);
                return sup_fail(err, e, "write %s", path);
        }
        close(fd);
        return 0;
}

static int write_map(pid_t pid, const char *which, const struct id_map *m, size_t n,
                     unsigned self, struct sup_err *err)
{
        char path[64], buf[1024];
        size_t len = 0;

        snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, which);
        if (n == 0)
                len = (size_t)snprintf(buf, sizeof(buf), "0 %u 1\n", self);
        for (size_t i = 0; i < n && len < sizeof(buf); i++)
                len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n",
                                        m[i].inside, m[i].outside, m[i].count);
        if (len >= sizeof(buf))
                return sup_fail(err, E2BIG, "%s: too many lines", which);
        return write_file(path, buf, len, err);
}

int idmap_write(pid_t pid, const struct sandbox_spec *sb, struct sup_err *err)
{
        char path[64];

        if (write_map(pid, "uid_map", sb->uid_map, sb->n_uid_map, (unsigned)geteuid(), err) < 0)
                return sup_wrap(err, "user namespace");
        if (geteuid() != 0) {
                snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
                if (write_file(path, "deny", 4, err) < 0)
                        return sup_wrap(err, "user namespace");
        }
        if (write_map(pid, "gid_map", sb->gid_map, sb->n_gid_map, (unsigned)getegid(), err) < 0)
                return sup_wrap(err, "user namespace");
        return 0;
}
