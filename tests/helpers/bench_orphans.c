/* bench_orphans — orphan producer for the reaping benchmark.
 *
 *   bench_orphans N      (run as the only child of the init under test)
 *
 * N double forks: a middle process forks a grandchild and exits at once,
 * the grandchild exits at once, so every grandchild becomes an orphan of
 * PID 1, which has to reap it. We wait for each middle process ourselves.
 * After the loop we poll /proc every 1 ms until nothing but PID 1 and us is
 * left (every orphan reaped), then print the times and what PID 1 spent
 * meanwhile: CPU from /proc/1/schedstat (ns), wakeups from /proc/1/status. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/helpers/procfs.h"

static double now_s(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* PID 1's CPU in ns and its context switches (voluntary + not). */
static void init_usage(long long *cpu_ns, long long *ctxt)
{
        char buf[4096];

        *cpu_ns = procfs_read("/proc/1/schedstat", buf, sizeof buf) < 0 ? 0 : atoll(buf);
        *ctxt = procfs_read("/proc/1/status", buf, sizeof buf) < 0 ? 0 :
                procfs_field(buf, "\nvoluntary_ctxt_switches:") +
                procfs_field(buf, "\nnonvoluntary_ctxt_switches:");
}

/* Processes (zombies included) other than PID 1 and us. */
static int others(void)
{
        pid_t self = getpid();
        struct dirent *e;
        DIR *d = opendir("/proc");
        int n = 0;

        if (!d)
                return -1;
        while ((e = readdir(d))) {
                int pid = atoi(e->d_name);

                if (pid > 1 && pid != self)
                        n++;
        }
        closedir(d);
        return n;
}

static int produce(int n)
{
        for (int i = 0; i < n; i++) {
                pid_t p = fork();

                if (p < 0)
                        return -1;
                if (p == 0) {
                        if (fork() < 0)
                                _exit(1);
                        _exit(0);
                }
                while (waitpid(p, NULL, 0) < 0 && errno == EINTR)
                        ;
        }
        return 0;
}

int main(int argc, char **argv)
{
        long long cpu0, cpu1, cx0, cx1;
        double t0, t1, t2;
        int n, left;

        if (argc != 2 || (n = atoi(argv[1])) <= 0) {
                fprintf(stderr, "usage: bench_orphans N\n");
                return 2;
        }
        init_usage(&cpu0, &cx0);
        t0 = now_s();
        if (produce(n) < 0) {
                perror("bench_orphans: fork");
                return 1;
        }
        t1 = now_s();
        while ((left = others()) > 0 && now_s() - t1 < 30)
                usleep(1000);
        t2 = now_s();
        init_usage(&cpu1, &cx1);
        printf("orphans=%d loop_s=%.4f reaped_s=%.4f left=%d init_cpu_us=%.1f init_ctxt=%lld\n",
               n, t1 - t0, t2 - t0, left, (cpu1 - cpu0) / 1e3, cx1 - cx0);
        return left == 0 ? 0 : 1;
}
