/* logwriter LINES CHUNK [TAG] — writes LINES lines of exactly 100 bytes
 * ("%09u " + TAG + 'x'... + '\n') to stdout in CHUNK-byte write() calls,
 * as fast as it can (the same writer for every logger compared). For benchmarks: with
 * LOGWRITER_GO=FIFO it first touches $LOGWRITER_GO.ready, waits until the
 * FIFO is opened for writing, and writes CLOCK_MONOTONIC ns (t0, just
 * before the first write) to $LOGWRITER_GO.t0. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void put(const char *p, size_t n)
{
        while (n > 0) {
                ssize_t w = write(1, p, n);
                if (w <= 0)
                        exit(1);
                p += w;
                n -= (size_t)w;
        }
}

static void wait_for_go(const char *go)
{
        char path[4096];
        struct timespec ts;
        FILE *f;
        int fd;

        snprintf(path, sizeof(path), "%s.ready", go);
        fd = open(path, O_WRONLY | O_CREAT, 0644);
        if (fd >= 0)
                close(fd);
        fd = open(go, O_RDONLY);
        if (fd >= 0)
                close(fd);
        clock_gettime(CLOCK_MONOTONIC, &ts);
        snprintf(path, sizeof(path), "%s.t0", go);
        f = fopen(path, "w");
        if (f) {
                fprintf(f, "%lld\n", (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
                fclose(f);
        }
}

int main(int argc, char **argv)
{
        unsigned long lines = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000;
        size_t chunk = argc > 2 ? strtoul(argv[2], NULL, 10) : 4096;
        const char *tag = argc > 3 ? argv[3] : "";
        size_t cap = chunk + 100, n = 0;
        char *buf = malloc(cap), line[101];

        if (!buf || chunk == 0 || strlen(tag) > 80)
                return 2;
        memset(line, 'x', 100);
        memcpy(line + 10, tag, strlen(tag));
        line[99] = '\n';
        memcpy(line, "000000000 ", 10);
        if (getenv("LOGWRITER_GO"))
                wait_for_go(getenv("LOGWRITER_GO"));
        for (unsigned long i = 0; i < lines; i++) {
                memcpy(buf + n, line, 100);
                for (int d = 8; d >= 0 && ++line[d] > '9'; d--)
                        line[d] = '0';  /* the next number, in place */
                n += 100;
                while (n >= chunk) {
                        put(buf, chunk);
                        memmove(buf, buf + chunk, n - chunk);
                        n -= chunk;
                }
        }
        put(buf, n);
        return 0;
}
