/* cmd/supctl_compat.c — supervisorctl's command line on supctl.
 *
 * Under either name (a link named `supervisorctl` works) supctl reads
 * supervisorctl's options (-c FILE, -s unix:///PATH, -u/-p accepted and
 * unused) and takes supervisorctl's verbs that supd has a meaning for:
 * `tail [-f] NAME [stdout|stderr]` (supd's log of the service), `pid`
 * (supd's own pid, asked of the socket's peer). Scripts
 * and muscle memory keep working; what supd cannot honour says so
 * (maintail). pid NAME, avail, reread, update and clear are supd's own
 * verbs. */
#include "cmd/supctl_int.h"

#include <stdio.h>
#include <string.h>
#include <dirent.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "supervisor/ctlproto.h"

/* -s unix:///run/supervisor.sock → /run/supervisor.sock; http:// is refused. */
const char *supctl_server_path(const char *url)
{
        if (strncmp(url, "unix://", 7) == 0)
                return url + 7;
        if (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0) {
                fprintf(stderr, "supctl: %s: supd listens on a unix socket only\n", url);
                return NULL;
        }
        return url;
}

/* tail [-f] [-BYTES] NAME [stdout|stderr] → logs [-f] [--stream S] NAME.
 * With no stream named supd shows both (its log of a service holds both);
 * a stream named shows that one alone, as supervisorctl does. */
static int tail_args(int *argc, char ***argvp)
{
        static char *out[4];    /* -f --stream S NAME: may be longer than what came */
        char **argv = *argvp;
        int n = 0;
        const char *name = NULL, *stream = NULL;
        bool follow = false;

        for (int i = 0; i < *argc; i++) {
                if (strcmp(argv[i], "-f") == 0)
                        follow = true;
                else if (argv[i][0] == '-' && strspn(argv[i] + 1, "0123456789") == strlen(argv[i] + 1))
                        continue;       /* -1600: a byte count; supd counts lines */
                else if (!name)
                        name = argv[i];
                else if (!stream && (strcmp(argv[i], "stdout") == 0 || strcmp(argv[i], "stderr") == 0))
                        stream = argv[i];
                else {
                        fprintf(stderr, "supctl: tail: expected stdout or stderr after the name; "
                                "got %s\n", argv[i]);
                        return CTL_EXIT_USAGE;
                }
        }
        if (!name) {
                fprintf(stderr, "supctl: tail: give a service name\n");
                return CTL_EXIT_USAGE;
        }
        if (follow)
                out[n++] = "-f";
        if (stream) {
                out[n++] = "--stream";
                out[n++] = (char *)stream;
        }
        out[n++] = (char *)name;
        *argc = n;
        *argvp = out;
        return 0;
}

/* status under the name supervisorctl: its lines, which scripts parse
 * (`supervisorctl status | grep -v RUNNING`), unless --json is asked. */
static void status_args(int *argc, char ***argvp)
{
        static char *out[CTL_ARGS_MAX + 1];
        char **argv = *argvp;

        if (*argc >= CTL_ARGS_MAX)
                return;         /* too many: the request is refused anyway */
        for (int i = 0; i < *argc; i++)
                if (!strcmp(argv[i], "--json") || !strcmp(argv[i], "--supervisorctl"))
                        return;
        out[0] = "--supervisorctl";
        memcpy(out + 1, argv, sizeof(char *) * (size_t)*argc);
        *argc += 1;
        *argvp = out;
}

const char *supctl_compat_verb(const char *verb, int *argc, char ***argv, bool supervisorctl,
                               int *rc)
{
        *rc = 0;
        if (supervisorctl && strcmp(verb, "status") == 0)
                status_args(argc, argv);
        if (strcmp(verb, "tail") == 0) {
                *rc = tail_args(argc, argv);
                return "logs";
        }
        if (strcmp(verb, "maintail") == 0) {
                /* supd writes its own messages to its stderr, the console
                 * (`docker logs`), and keeps no copy: say where they are
                 * rather than print nothing. */
                fprintf(stderr, "supctl: maintail: supd keeps no log of its own; its messages "
                        "go to its stderr (the container's console, e.g. `docker logs`)\n");
                *rc = CTL_EXIT_FAILED;
        }
        return verb;
}

pid_t supctl_peer(int fd)
{
        struct ucred cr;
        socklen_t len = sizeof(cr);

        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 || cr.pid <= 0)
                return -1;
        return cr.pid;
}

int supctl_peer_pid(int fd)
{
        pid_t pid = supctl_peer(fd);

        if (pid < 0)
                return -1;
        printf("%d\n", (int)pid);
        return 0;
}

static ino_t pid_ns_of(const char *proc_dir)
{
        char path[64];
        struct stat st;

        snprintf(path, sizeof(path), "/proc/%s/ns/pid", proc_dir);
        return stat(path, &st) < 0 ? 0 : st.st_ino;
}

/* The NSpid: line of /proc/DIR/status (the process's pid in each PID
 * namespace, from ours inward) into pids[], and its PPid:. How many pids
 * (0 when unreadable). */
enum { NSPID_MAX = 32 };
static int ns_pids(const char *proc_dir, long pids[NSPID_MAX], long *ppid)
{
        char path[64], *line = NULL, *p, *end;
        size_t cap = 0;
        int n = 0;
        FILE *f;

        *ppid = -1;
        snprintf(path, sizeof(path), "/proc/%s/status", proc_dir);
        f = fopen(path, "r");
        if (!f)
                return 0;
        while (getline(&line, &cap, f) > 0) {
                if (strncmp(line, "PPid:", 5) == 0)
                        *ppid = strtol(line + 5, NULL, 10);
                if (strncmp(line, "NSpid:", 6) != 0)
                        continue;
                for (p = line + 6; n < NSPID_MAX; p = end) {
                        long v = strtol(p, &end, 10);
                        if (end == p)
                                break;
                        pids[n++] = v;
                }
                break;
        }
        free(line);
        fclose(f);
        return n;
}

/* supd answers in its PID namespace. When we run outside it (on the host
 * of the container), the process that supd numbers PID is the one: at
 * supd's depth of NSpid it reads PID, and it is in supd's namespace or is
 * supd's child (PID 1 of a service's own PID namespace, whose namespace is
 * not supd's; the parent test keeps a sibling container's process with the
 * same number out). 0 when none is (it exited meanwhile). */
long supctl_pid_in_our_ns(pid_t supd, long pid)
{
        long supd_pids[NSPID_MAX], pids[NSPID_MAX], ppid, found = 0;
        char dir[32];
        int depth, n;
        ino_t ns;
        struct dirent *d;
        DIR *proc;

        snprintf(dir, sizeof(dir), "%d", (int)supd);
        ns = pid_ns_of(dir);
        if (pid <= 0 || supd <= 0 || !ns || ns == pid_ns_of("self"))
                return pid;
        depth = ns_pids(dir, supd_pids, &ppid);
        proc = opendir("/proc");
        if (!proc || depth == 0) {
                if (proc)
                        closedir(proc);
                return pid;
        }
        while (!found && (d = readdir(proc))) {
                if (strspn(d->d_name, "0123456789") != strlen(d->d_name))
                        continue;
                n = ns_pids(d->d_name, pids, &ppid);
                if (n >= depth && pids[depth - 1] == pid &&
                    (ppid == (long)supd || pid_ns_of(d->d_name) == ns))
                        found = strtol(d->d_name, NULL, 10);
        }
        closedir(proc);
        return found;
}
