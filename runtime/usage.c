/* runtime/usage.c — what a running service costs: memory, tasks, CPU.
 *
 * From its cgroup when it has one (cgroup.c reads the kernel's counters);
 * what the cgroup does not count (a v1 hierarchy the service has no
 * directory in) and services without a cgroup are summed from
 * /proc/PID/stat over their processes: those listed in the cgroup, or
 * those of the process group the service leads. */
#include "runtime/runtime.h"
#include "runtime/runtime_int.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct proc_stat {
        pid_t pgrp;
        uint64_t rss_bytes, threads, cpu_ns;
};

static bool stat_read(pid_t pid, struct proc_stat *st)
{
        static long tick, page;
        char path[64], buf[1024], *p;
        unsigned long long ut, stime, cut, cst, threads;
        long long rss;
        int pgrp, fd;
        ssize_t n;

        if (!tick) {
                tick = sysconf(_SC_CLK_TCK);
                page = sysconf(_SC_PAGESIZE);
        }
        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return false;
        n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n <= 0)
                return false;
        buf[n] = '\0';
        p = strrchr(buf, ')');          /* comm may hold spaces and parens */
        /* state ppid pgrp session tty tpgid flags minflt cminflt majflt
         * cmajflt utime stime cutime cstime priority nice num_threads
         * itrealvalue starttime vsize rss */
        if (!p || sscanf(p + 1, " %*c %*d %d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %llu %llu "
                         "%*d %*d %llu %*d %*u %*u %lld", &pgrp, &ut, &stime, &cut, &cst, &threads,
                         &rss) != 7)
                return false;
        st->pgrp = pgrp;
        st->rss_bytes = rss > 0 ? (uint64_t)rss * (uint64_t)page : 0;
        st->threads = threads;
        st->cpu_ns = (ut + stime + cut + cst) * (1000000000ull / (uint64_t)tick);
        return true;
}

static void add(struct rt_usage *u, unsigned need, const struct proc_stat *st)
{
        if (need & RT_USAGE_MEMORY)
                u->memory_bytes += st->rss_bytes;
        if (need & RT_USAGE_TASKS)
                u->tasks += st->threads;
        if (need & RT_USAGE_CPU)
                u->cpu_ns += st->cpu_ns;
}

/* The processes listed in a cgroup, for what its counters lack. */
static void sum_listed(const char *dir, unsigned need, struct rt_usage *u)
{
        char path[PATH_MAX], line[32];
        struct proc_stat st;
        FILE *f;

        snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
        f = fopen(path, "re");
        if (!f)
                return;
        while (fgets(line, sizeof(line), f))
                if (stat_read((pid_t)atoi(line), &st))
                        add(u, need, &st);
        fclose(f);
}

/* One walk of /proc for every service without a cgroup: each process
 * counts for the service whose process group it is in. */
static void sum_groups(const struct rt_proc *const procs[], size_t n, struct rt_usage out[])
{
        struct proc_stat st;
        struct dirent *d;
        DIR *dir = opendir("/proc");

        if (!dir)
                return;
        while ((d = readdir(dir))) {
                pid_t pid = (pid_t)atoi(d->d_name);

                if (pid <= 0 || !stat_read(pid, &st))
                        continue;
                for (size_t i = 0; i < n; i++)
                        if (procs[i] && !procs[i]->cgroup && procs[i]->pid == st.pgrp) {
                                add(&out[i], RT_USAGE_MEMORY | RT_USAGE_TASKS | RT_USAGE_CPU, &st);
                                break;
                        }
        }
        closedir(dir);
}

void rt_usage(const struct rt_proc *const procs[], size_t n, struct rt_usage out[])
{
        bool walk = false;

        for (size_t i = 0; i < n; i++) {
                const char *dir = NULL;
                unsigned have = 0;

                memset(&out[i], 0, sizeof(out[i]));
                if (!procs[i] || procs[i]->pid <= 0)
                        continue;
                if (!procs[i]->cgroup) {
                        walk = true;
                        continue;
                }
                out[i].from_cgroup = true;
                cgroup_usage(procs[i]->cgroup, &out[i], &have, &dir);
                if (have != (RT_USAGE_MEMORY | RT_USAGE_TASKS | RT_USAGE_CPU) && dir)
                        sum_listed(dir, ~have & (RT_USAGE_MEMORY | RT_USAGE_TASKS | RT_USAGE_CPU),
                                   &out[i]);
        }
        if (walk)
                sum_groups(procs, n, out);
}
