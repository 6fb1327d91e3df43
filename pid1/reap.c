/* pid1/reap.c — the processes PID 1 answers for: find, signal, count.
 *
 * Everything we must stop is a descendant of ours: as a namespace's init
 * every process of the namespace is, as a subreaper every orphan of our
 * tree becomes our child. So the walk is the same in both cases: our
 * children from /proc/PID/task/TID/children, recursively. */
#include "pid1/pid1.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define WALK_MAX (1u << 20)     /* bound on a pathological (or looping) tree */

struct pidvec {
        pid_t *v;
        size_t n, cap;
};

static int pidvec_push(struct pidvec *pv, pid_t pid)
{
        pid_t *nv;

        if (pv->n == pv->cap) {
                if (pv->cap >= WALK_MAX)
                        return -1;
                nv = realloc(pv->v, (pv->cap ? pv->cap * 2 : 64) * sizeof(*nv));
                if (!nv)
                        return -1;
                pv->v = nv;
                pv->cap = pv->cap ? pv->cap * 2 : 64;
        }
        pv->v[pv->n++] = pid;
        return 0;
}

static void add_children_of_task(const char *path, struct pidvec *pv)
{
        FILE *f = fopen(path, "re");
        long pid;

        if (!f)
                return;         /* the process is gone: nothing to add */
        while (fscanf(f, "%ld", &pid) == 1)
                if (pidvec_push(pv, (pid_t)pid) < 0)
                        break;
        fclose(f);
}

/* Children live per thread in /proc; a process's are the union. */
static void add_children(pid_t pid, struct pidvec *pv)
{
        char dir[64], path[128];
        struct dirent *de;
        DIR *d;

        if (pid == 0)
                snprintf(dir, sizeof(dir), "/proc/self/task");
        else
                snprintf(dir, sizeof(dir), "/proc/%ld/task", (long)pid);
        d = opendir(dir);
        if (!d)
                return;
        while ((de = readdir(d))) {
                if (de->d_name[0] == '.')
                        continue;
                snprintf(path, sizeof(path), "%s/%s/children", dir, de->d_name);
                add_children_of_task(path, pv);
        }
        closedir(d);
}

int pid1_signal_all(int sig)
{
        struct pidvec pv = { 0 };
        int count = 0;

        add_children(0, &pv);
        for (size_t i = 0; i < pv.n; i++)
                add_children(pv.v[i], &pv);
        /* Parents first: a shell that traps TERM hears it before its jobs. */
        for (size_t i = 0; i < pv.n; i++)
                if (kill(pv.v[i], sig) == 0)
                        count++;
        free(pv.v);
        /* As init, also whatever forked after the walk read its parent. */
        if (getpid() == 1 && kill(-1, sig) == 0 && count == 0)
                count = 1;
        return count;
}

bool pid1_has_children(void)
{
        siginfo_t si;

        /* WNOWAIT: look, do not reap (the loop's reaper does that). */
        return !(waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT | __WALL) < 0 &&
                 errno == ECHILD);
}

int pid1_become_reaper(struct sup_err *err)
{
        if (getpid() == 1)
                return 0;
        if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
                return sup_fail(err, errno, "prctl(PR_SET_CHILD_SUBREAPER)");
        return 0;
}
