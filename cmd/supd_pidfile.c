/* cmd/supd_pidfile.c — [supervisord] pidfile=: supd's pid for scripts that
 * signal "supervisord" (`kill -QUIT $(cat /var/run/supervisord.pid)`).
 *
 * supd is root and a service may own the directory: the file is written
 * as a new temporary (O_EXCL | O_NOFOLLOW, in the directory opened once)
 * and renamed over the name, so a symlink planted at either name is
 * replaced, never followed. At exit it is removed only while it still
 * holds our pid (another supd may have taken the name since). */
#include "cmd/supd_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"

/* The directory (opened, symlinks in it followed as configured) and the
 * last component. -1 when the path has no last component. */
static int open_parent(const char *path, const char **base)
{
        const char *slash = strrchr(path, '/');
        char dir[PATH_MAX];

        *base = slash ? slash + 1 : path;
        if (!**base || strcmp(*base, ".") == 0 || strcmp(*base, "..") == 0) {
                errno = EINVAL;
                return -1;
        }
        if (!slash)
                snprintf(dir, sizeof(dir), ".");
        else if (slash == path)
                snprintf(dir, sizeof(dir), "/");
        else if ((size_t)(slash - path) >= sizeof(dir)) {
                errno = ENAMETOOLONG;
                return -1;
        } else
                snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
        return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int supd_pidfile_write(const char *path)
{
        const char *base;
        char tmp[NAME_MAX + 1], text[32];
        int dfd = open_parent(path, &base), fd = -1, len;

        if (dfd < 0)
                return log_error("pidfile %s: %m", path), -1;
        len = snprintf(text, sizeof(text), "%ld\n", (long)getpid());
        if (snprintf(tmp, sizeof(tmp), ".%s.%ld.tmp", base, (long)getpid()) >= (int)sizeof(tmp)) {
                errno = ENAMETOOLONG;
                goto fail;
        }
        unlinkat(dfd, tmp, 0);          /* a leftover of a supd with our pid */
        fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0)
                goto fail;
        if (write(fd, text, (size_t)len) != len || close(fd) < 0) {
                fd = -1;
                unlinkat(dfd, tmp, 0);
                goto fail;
        }
        fd = -1;
        if (renameat(dfd, tmp, dfd, base) < 0) {
                int e = errno;

                unlinkat(dfd, tmp, 0);
                errno = e;
                goto fail;
        }
        close(dfd);
        return 0;
fail:
        log_error("pidfile %s: %m", path);
        if (fd >= 0)
                close(fd);
        close(dfd);
        return -1;
}

void supd_pidfile_remove(const char *path)
{
        const char *base;
        char text[32], want[32];
        int dfd = open_parent(path, &base), fd;
        ssize_t n;

        if (dfd < 0)
                return;
        fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        n = fd >= 0 ? read(fd, text, sizeof(text) - 1) : -1;
        snprintf(want, sizeof(want), "%ld\n", (long)getpid());
        if (n >= 0) {
                text[n] = '\0';
                if (strcmp(text, want) == 0 && unlinkat(dfd, base, 0) < 0)
                        log_warn("pidfile %s: %m", path);
        }
        if (fd >= 0)
                close(fd);
        close(dfd);
}
