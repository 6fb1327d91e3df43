/* bench_siglat — signal forwarding latency through an init.
 *
 *   bench_siglat child FIFO            the init's child: for every SIGUSR1
 *                                      it writes CLOCK_MONOTONIC (8 bytes)
 *                                      to FIFO
 *   bench_siglat send PID FIFO COUNT   from outside: COUNT times, stamp,
 *                                      kill(PID, SIGUSR1), read the
 *                                      child's stamp; prints the median,
 *                                      min and max latency in µs
 * CLOCK_MONOTONIC is the same in every PID namespace, so the two stamps
 * compare directly: the latency is kill() → init wakes → init forwards
 * → child's sigwaitinfo() returns. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int child(const char *fifo)
{
        sigset_t set;
        long long t;
        int fd;

        sigemptyset(&set);
        sigaddset(&set, SIGUSR1);
        sigprocmask(SIG_BLOCK, &set, NULL);
        fd = open(fifo, O_WRONLY | O_CLOEXEC);  /* blocks until the sender reads */
        if (fd < 0)
                return 1;
        t = 0;                                  /* "ready" record */
        if (write(fd, &t, sizeof t) != sizeof t)
                return 1;
        for (;;) {
                if (sigwaitinfo(&set, NULL) < 0)
                        continue;
                t = now_ns();
                if (write(fd, &t, sizeof t) != sizeof t)
                        return 1;
        }
}

static int cmp(const void *a, const void *b)
{
        long long x = *(const long long *)a, y = *(const long long *)b;

        return (x > y) - (x < y);
}

static int sender(pid_t pid, const char *fifo, int count)
{
        long long *lat = calloc((size_t)count, sizeof *lat), ready;
        /* Non-blocking open, then up to 10 s for the child's "ready" record:
         * an init that failed to start must not hang us. */
        int fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        struct pollfd pfd = { fd, POLLIN, 0 };

        if (fd < 0 || !lat)
                return 1;
        if (poll(&pfd, 1, 10000) <= 0 || read(fd, &ready, sizeof ready) != sizeof ready) {
                fprintf(stderr, "bench_siglat: the child did not start\n");
                return 1;
        }
        fcntl(fd, F_SETFL, 0);
        usleep(100000);         /* let the init settle into its wait */
        for (int i = 0; i < count; i++) {
                long long t0 = now_ns(), t1;

                if (kill(pid, SIGUSR1) < 0 || read(fd, &t1, sizeof t1) != sizeof t1) {
                        fprintf(stderr, "bench_siglat: signal %d lost: %s\n", i, strerror(errno));
                        return 1;
                }
                lat[i] = t1 - t0;
                usleep(2000);   /* one signal in flight at a time */
        }
        qsort(lat, (size_t)count, sizeof *lat, cmp);
        printf("siglat_us median=%.1f min=%.1f max=%.1f n=%d\n",
               lat[count / 2] / 1e3, lat[0] / 1e3, lat[count - 1] / 1e3, count);
        return 0;
}

int main(int argc, char **argv)
{
        if (argc == 3 && !strcmp(argv[1], "child"))
                return child(argv[2]);
        if (argc == 5 && !strcmp(argv[1], "send"))
                return sender(atoi(argv[2]), argv[3], atoi(argv[4]));
        fprintf(stderr, "usage: bench_siglat child FIFO | send PID FIFO COUNT\n");
        return 2;
}
