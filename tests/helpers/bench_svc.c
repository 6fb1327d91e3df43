/* bench_svc — the service every supervisor benchmark runs.
 *
 * It behaves like `sleep infinity` (idle, dies on TERM) but first tells the
 * benchmark probe it is running: when $BENCH_FIFO is set it writes one
 * fixed-size record "PID\n" (16 bytes, atomic on a FIFO) to it. Reading
 * the FIFO lets the probe time "all N services are running" without
 * polling /proc. Run scripts of s6/runit may point at it by a symlink, so
 * it takes no arguments. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define REC_LEN 16

static void announce(const char *fifo)
{
        char rec[REC_LEN + 1];
        int fd;

        fd = open(fifo, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return;
        snprintf(rec, sizeof rec, "%15d\n", (int)getpid());
        if (write(fd, rec, REC_LEN) != REC_LEN)
                perror("bench_svc: write");
        close(fd);
}

int main(void)
{
        const char *fifo = getenv("BENCH_FIFO");

        if (fifo && *fifo)
                announce(fifo);
        for (;;)
                pause();
}
