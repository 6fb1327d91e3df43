/* runtime/tiny/walk.c — the processes the tiny init answers for: find,
 * signal, count; pid1/reap.c's walk without libc.
 *
 * Everything we must stop is a descendant of ours: as a namespace's init
 * every process of the namespace is, as a subreaper every orphan of our
 * tree becomes our child. Our children are read from
 * /proc/PID/task/TID/children, recursively, parents first. */
#include "runtime/tiny/tiny.h"

/* Pids per walk. bss: its pages are touched only as far as a walk goes. A
 * bigger tree is signalled in parts: as PID 1, kill(-1) reaches the rest at
 * once; as a subreaper, each KILL round of the sweep walks again, and those
 * already gone leave room for the rest. */
#define WALK_MAX (1 << 16)
#define P_ALL    0

static int walk[WALK_MAX];
int tiny_no_files;

struct dirent64 {
        unsigned long long ino;
        long long off;
        unsigned short reclen;
        unsigned char type;
        char name[];
};

/* The pids in one children file, appended to walk[n..]; the new n. */
static int add_children_of_task(const char *path, int n)
{
        char buf[512];
        long fd = sys4(NR_openat, AT_FDCWD, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0), got;
        int pid = 0, in_number = 0;

        if (fd < 0)
                return n;       /* the process is gone: nothing to add */
        while (n < WALK_MAX && (got = sys3(NR_read, fd, buf, sizeof(buf))) > 0) {
                for (long i = 0; i < got && n < WALK_MAX; i++) {
                        if (buf[i] >= '0' && buf[i] <= '9') {
                                pid = pid * 10 + (buf[i] - '0');
                                in_number = 1;
                        } else if (in_number) {
                                walk[n++] = pid;
                                pid = in_number = 0;
                        }
                }
        }
        if (in_number && n < WALK_MAX)
                walk[n++] = pid;
        sys1(NR_close, fd);
        return n;
}

/* Children live per thread in /proc; a process's are the union. pid 0: ours. */
static int add_children(int pid, int n)
{
        char dir[48], path[96], ents[1024] __attribute__((aligned(8)));
        char *end = dir + sizeof(dir) - 1;
        long fd, got;

        if (pid == 0)
                *put_str(dir, end, "/proc/self/task") = '\0';
        else
                *put_str(put_num(put_str(dir, end, "/proc/"), end, pid), end, "/task") = '\0';
        fd = sys4(NR_openat, AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        if (fd < 0)
                return n;
        while ((got = sys3(NR_getdents64, fd, ents, sizeof(ents))) > 0) {
                for (long off = 0; off < got;) {
                        struct dirent64 *d = (struct dirent64 *)(ents + off);
                        char *pend = path + sizeof(path) - 1;

                        off += d->reclen;
                        if (d->name[0] == '.')
                                continue;
                        *put_str(put_str(put_str(put_str(path, pend, dir), pend, "/"), pend, d->name),
                                 pend, "/children") = '\0';
                        n = add_children_of_task(path, n);
                }
        }
        sys1(NR_close, fd);
        return n;
}

int walk_signal_all(int sig)
{
        int n, count = 0;

        if (tiny_no_files)
                return sys2(NR_kill, -1, sig) == 0;
        n = add_children(0, 0);
        for (int i = 0; i < n; i++)
                n = add_children(walk[i], n);
        /* Parents first: a shell that traps TERM hears it before its jobs. */
        for (int i = 0; i < n; i++)
                if (sys2(NR_kill, walk[i], sig) == 0)
                        count++;
        /* As init, also whatever forked after the walk read its parent. */
        if (sys0(NR_getpid) == 1 && sys2(NR_kill, -1, sig) == 0 && count == 0)
                count = 1;
        return count;
}

int walk_has_children(void)
{
        unsigned char info[128];

        /* WNOWAIT: look, do not reap (the loop's reaper does that). */
        return sys5(NR_waitid, P_ALL, 0, info, WEXITED | WNOHANG | WNOWAIT | WALL, 0) != -ECHILD;
}
