/* bench_probe — PID 1 of a benchmark's PID namespace; runs one supervisor
 * (supd -c, supervisord, s6-svscan, runsvdir) as its child and measures it
 * from inside, where /proc holds only the supervisor's own processes.
 *
 *   unshare --pid --fork --mount-proc --kill-child \
 *       bench_probe -n N -f FIFO [-s MS] [-m] [-i MS] [-r K -g MS] [-k SIG]
 *                   [-t SECS] [-o LOG] [-x COMM] -- SUPERVISOR ARGS...
 *
 *   -n N     services expected; each bench_svc writes one 16-byte record
 *            (its pid) to FIFO when it runs
 *   -s MS    settle this long after all N are running
 *   -m       memory: sum Rss/Pss/Private of every process except the
 *            services (program file COMM, default bench_svc) and the probe
 *   -i MS    idle: context switches + CPU of those processes over MS
 *   -r K     restart: K times, wait GAP ms (-g), SIGKILL the newest
 *            service, time until a new one announces itself
 *   -k SIG   stop: send SIG to the supervisor, time until no process but
 *            the probe is left in the namespace
 * Output: key=value lines on stdout. When the probe exits, the kernel
 * kills whatever is left in the namespace, so nothing outlives a run. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/helpers/procfs.h"

#define REC_LEN 16
#define MAXP 8192

struct opts {
        int n, settle_ms, idle_ms, restarts, gap_ms, stop_sig, timeout_s;
        bool mem;
        const char *fifo, *log, *svc_comm;
        char **cmd;
};

struct usage {                  /* one process's counters */
        int pid;
        long long ctxt, cpu_ns;
};

static pid_t sup_pid;
static int last_svc = -1;       /* newest service pid announced */

static double now_ms(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void sleep_ms(int ms)
{
        struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
}

/* As PID 1 we inherit every orphan: reap them, note if the supervisor went. */
static bool reap(void)
{
        bool sup_gone = false;
        pid_t p;

        while ((p = waitpid(-1, NULL, WNOHANG)) > 0)
                if (p == sup_pid)
                        sup_gone = true;
        return sup_gone;
}

/* Does the process run a program of that file name? (By exe, not comm:
 * s6 and runit start services through a symlink named "run".) */
static bool is_exe(int pid, const char *name)
{
        char path[64], target[4096], *base;
        ssize_t n;

        snprintf(path, sizeof path, "/proc/%d/exe", pid);
        n = readlink(path, target, sizeof target - 1);
        if (n <= 0)
                return false;
        target[n] = 0;
        base = strrchr(target, '/');
        return !strcmp(base ? base + 1 : target, name);
}

/* Live (non-zombie) processes of the namespace other than us; with
 * skip_exe, services are left out too. Fills pids (up to MAXP). */
static int list_procs(const char *skip_exe, int *pids)
{
        char path[64], buf[512], *rp;
        struct dirent *e;
        DIR *d = opendir("/proc");
        int n = 0;

        if (!d)
                return -1;
        while ((e = readdir(d)) && n < MAXP) {
                int pid = atoi(e->d_name);

                if (pid <= 1)
                        continue;
                snprintf(path, sizeof path, "/proc/%d/stat", pid);
                if (procfs_read(path, buf, sizeof buf) < 0)
                        continue;
                rp = strrchr(buf, ')');
                if (!rp || rp[2] == 'Z')
                        continue;
                if (skip_exe && is_exe(pid, skip_exe))
                        continue;
                pids[n++] = pid;
        }
        closedir(d);
        return n;
}

static int start_supervisor(const struct opts *o)
{
        int fd;

        sup_pid = fork();
        if (sup_pid < 0)
                return -1;
        if (sup_pid > 0)
                return 0;
        fd = open("/dev/null", O_RDONLY);
        dup2(fd, 0);
        fd = open(o->log ? o->log : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644);
        dup2(fd, 1);
        dup2(fd, 2);
        execvp(o->cmd[0], o->cmd);
        fprintf(stderr, "bench_probe: exec %s: %s\n", o->cmd[0], strerror(errno));
        _exit(127);
}

/* Wait for `count` more service records; -1 on timeout or supervisor death. */
static int await_records(int fifo, int count, double deadline)
{
        char rec[REC_LEN * 64];

        while (count > 0) {
                struct pollfd pfd = { fifo, POLLIN, 0 };
                int left = (int)(deadline - now_ms());
                ssize_t got;

                if (left <= 0 || reap())
                        return -1;
                if (poll(&pfd, 1, left < 100 ? left : 100) <= 0)
                        continue;
                got = read(fifo, rec, (size_t)(count < 64 ? count : 64) * REC_LEN);
                if (got < REC_LEN)
                        continue;
                count -= (int)(got / REC_LEN);
                last_svc = atoi(rec + got - REC_LEN);
        }
        return 0;
}

static void measure_memory(const struct opts *o)
{
        static int pids[MAXP];
        long long rss = 0, pss = 0, priv = 0, dirty = 0;
        char path[64], buf[4096];
        int n = list_procs(o->svc_comm, pids);

        for (int i = 0; i < n; i++) {
                snprintf(path, sizeof path, "/proc/%d/smaps_rollup", pids[i]);
                if (procfs_read(path, buf, sizeof buf) < 0)
                        continue;
                rss += procfs_field(buf, "\nRss:");
                pss += procfs_field(buf, "\nPss:");
                priv += procfs_field(buf, "\nPrivate_Clean:") + procfs_field(buf, "\nPrivate_Dirty:");
                dirty += procfs_field(buf, "\nPrivate_Dirty:");
        }
        printf("rss_kb=%lld\npss_kb=%lld\npriv_kb=%lld\ndirty_kb=%lld\nprocs=%d\n",
               rss, pss, priv, dirty, n);
}

static int snapshot(const struct opts *o, struct usage *u)
{
        static int pids[MAXP];
        char path[64], buf[2048];
        int n = list_procs(o->svc_comm, pids);

        for (int i = 0; i < n; i++) {
                u[i].pid = pids[i];
                snprintf(path, sizeof path, "/proc/%d/status", pids[i]);
                u[i].ctxt = procfs_read(path, buf, sizeof buf) < 0 ? -1 :
                        procfs_field(buf, "\nvoluntary_ctxt_switches:") +
                        procfs_field(buf, "\nnonvoluntary_ctxt_switches:");
                snprintf(path, sizeof path, "/proc/%d/schedstat", pids[i]);
                u[i].cpu_ns = procfs_read(path, buf, sizeof buf) < 0 ? -1 : atoll(buf);
        }
        return n;
}

/* Wakeups = context switches of the supervisor's processes while idle. */
static void measure_idle(const struct opts *o)
{
        static struct usage a[MAXP], b[MAXP];
        long long ctxt = 0, cpu = 0;
        int na = snapshot(o, a), nb;

        sleep_ms(o->idle_ms);
        nb = snapshot(o, b);
        for (int i = 0; i < nb; i++)
                for (int j = 0; j < na; j++)
                        if (a[j].pid == b[i].pid && a[j].ctxt >= 0 && b[i].ctxt >= 0) {
                                ctxt += b[i].ctxt - a[j].ctxt;
                                cpu += b[i].cpu_ns - a[j].cpu_ns;
                                break;
                        }
        printf("idle_ms=%d\nwakeups=%lld\nidle_cpu_us=%lld\n", o->idle_ms, ctxt, cpu / 1000);
}

static void measure_restarts(const struct opts *o, int fifo)
{
        printf("restart_ms=");
        for (int i = 0; i < o->restarts; i++) {
                double t0;

                sleep_ms(o->gap_ms);
                t0 = now_ms();
                if (last_svc <= 1 || kill(last_svc, SIGKILL) < 0 ||
                    await_records(fifo, 1, t0 + o->timeout_s * 1e3) < 0) {
                        printf("%sfail", i ? "," : "");
                        break;
                }
                printf("%s%.3f", i ? "," : "", now_ms() - t0);
        }
        printf("\n");
}

static void measure_stop(const struct opts *o)
{
        static int pids[MAXP];
        double t0 = now_ms(), deadline = t0 + o->timeout_s * 1e3;
        int left;

        kill(sup_pid, o->stop_sig);
        for (;;) {
                reap();
                left = list_procs(NULL, pids);
                if (left == 0 || now_ms() > deadline)
                        break;
                sleep_ms(1);
        }
        if (left == 0)
                printf("stop_ms=%.3f\n", now_ms() - t0);
        else
                printf("stop_ms=timeout\nstop_left=%d\n", left);
}

static int parse(int argc, char **argv, struct opts *o)
{
        int c;

        *o = (struct opts){ .n = 1, .settle_ms = 1000, .gap_ms = 1200, .timeout_s = 60,
                            .svc_comm = "bench_svc" };
        while ((c = getopt(argc, argv, "+n:f:s:mi:r:g:k:t:o:x:")) != -1) {
                switch (c) {
                case 'n': o->n = atoi(optarg); break;
                case 'f': o->fifo = optarg; break;
                case 's': o->settle_ms = atoi(optarg); break;
                case 'm': o->mem = true; break;
                case 'i': o->idle_ms = atoi(optarg); break;
                case 'r': o->restarts = atoi(optarg); break;
                case 'g': o->gap_ms = atoi(optarg); break;
                case 'k': o->stop_sig = atoi(optarg); break;
                case 't': o->timeout_s = atoi(optarg); break;
                case 'o': o->log = optarg; break;
                case 'x': o->svc_comm = optarg; break;
                default: return -1;
                }
        }
        if (optind >= argc || !o->fifo)
                return -1;
        o->cmd = argv + optind;
        return 0;
}

int main(int argc, char **argv)
{
        struct opts o;
        double t0;
        int fifo;

        if (parse(argc, argv, &o) < 0) {
                fprintf(stderr, "usage: bench_probe -n N -f FIFO [-s MS] [-m] [-i MS] "
                        "[-r K [-g MS]] [-k SIG] [-t SECS] [-o LOG] [-x COMM] -- CMD...\n");
                return 2;
        }
        if (getpid() != 1) {
                fprintf(stderr, "bench_probe: must be PID 1 of its own PID namespace\n");
                return 2;
        }
        /* O_RDWR: opening never blocks and the FIFO never reads EOF. */
        fifo = open(o.fifo, O_RDWR | O_CLOEXEC);
        if (fifo < 0) {
                fprintf(stderr, "bench_probe: %s: %s\n", o.fifo, strerror(errno));
                return 1;
        }
        t0 = now_ms();
        if (start_supervisor(&o) < 0 ||
            await_records(fifo, o.n, t0 + o.timeout_s * 1e3) < 0) {
                printf("start_ms=fail\n");
                return 1;
        }
        printf("start_ms=%.3f\n", now_ms() - t0);
        fflush(stdout);
        sleep_ms(o.settle_ms);
        if (o.mem)
                measure_memory(&o);
        if (o.idle_ms > 0)
                measure_idle(&o);
        if (o.restarts > 0)
                measure_restarts(&o, fifo);
        if (o.stop_sig > 0)
                measure_stop(&o);
        return 0;
}
