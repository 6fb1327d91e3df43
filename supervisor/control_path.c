/* supervisor/control_path.c — where the control socket is when nothing
 * names it (no -s, $SUP_SOCKET or [supd] socket), for supd and supctl alike.
 *
 * The places, in order: /run/supd.sock, $XDG_RUNTIME_DIR/supd.sock,
 * /tmp/supd-UID/supd.sock. Root's supd always takes /run/supd.sock; a
 * non-root supd (podman --user, Kubernetes runAsNonRoot) takes the first
 * place it can create, making the /tmp directory itself, private to its
 * uid; supctl connects to the first that holds a socket, so both agree
 * without configuration. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "supervisor/control.h"

static void add(struct control_paths *p, const char *fmt, const char *a, unsigned long uid)
{
        int n;

        if (p->n >= CONTROL_PATHS_MAX)
                return;
        n = a ? snprintf(p->path[p->n], sizeof(p->path[0]), fmt, a)
              : snprintf(p->path[p->n], sizeof(p->path[0]), fmt, uid);
        if (n > 0 && (size_t)n < sizeof(p->path[0]))
                p->n++;
}

void control_default_paths(struct control_paths *p)
{
        const char *xdg = getenv("XDG_RUNTIME_DIR");

        p->n = 0;
        add(p, "%s", CONTROL_DEFAULT_SOCKET, 0);
        if (xdg && xdg[0] == '/')
                add(p, "%s/supd.sock", xdg, 0);
        add(p, "/tmp/supd-%lu/supd.sock", NULL, (unsigned long)geteuid());
}

static bool dir_writable(const char *sock)
{
        char dir[sizeof(((struct control_paths *)0)->path[0])];
        char *slash;

        snprintf(dir, sizeof(dir), "%s", sock);
        slash = strrchr(dir, '/');
        if (!slash || slash == dir)
                return false;
        *slash = '\0';
        return access(dir, W_OK | X_OK) == 0;
}

/* /tmp/supd-UID: made 0700 by us, or already ours, a directory (not a
 * link) and private; anything else could be another user's trap. */
static bool private_dir_ok(const char *sock)
{
        char dir[sizeof(((struct control_paths *)0)->path[0])];
        struct stat st;

        snprintf(dir, sizeof(dir), "%s", sock);
        *strrchr(dir, '/') = '\0';
        if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
                log_warn("control socket: cannot make %s: %s", dir, strerror(errno));
                return false;
        }
        if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
            (st.st_mode & 077)) {
                log_warn("control socket: %s is not a private directory of uid %lu; "
                         "set SUP_SOCKET or [supd] socket", dir, (unsigned long)geteuid());
                return false;
        }
        return true;
}

const char *control_default_socket(void)
{
        static struct control_paths p;

        control_default_paths(&p);
        if (geteuid() == 0)
                return p.path[0];
        for (int i = 0; i < p.n - 1; i++)
                if (dir_writable(p.path[i]))
                        return p.path[i];
        private_dir_ok(p.path[p.n - 1]);
        return p.path[p.n - 1];
}
