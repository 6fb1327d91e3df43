/* logcheck -W BYTES PATH... — waits until the files (a directory: every
 * file in it) together hold BYTES (1 ms polls) and prints CLOCK_MONOTONIC
 * ns then.
 *
 * logcheck [-s USEC] [-m MBYTES] LINES PREFIX... — reads stdin and checks
 * that every line is PREFIX + a logwriter line, for one of the prefixes,
 * and that each prefix's lines come numbered 0..LINES-1, once each, in
 * order. -s sleeps USEC after every read (a slow console) and -m MB pauses
 * 300 ms after every MB megabytes (a console that stalls). Prints
 * "ok BYTES" or what went wrong; exit 0 only when all is exact. Lines that
 * start with "supd: " or "logdrv" are counted as supd's own, and allowed.
 * With -t it also prints "t_end NS": CLOCK_MONOTONIC when the last line
 * of every prefix had arrived. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAXP 8

static long long now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int wait_size(unsigned long long want, char **files, int n)
{
        for (;;) {
                unsigned long long sum = 0;
                struct stat st;

                for (int i = 0; i < n; i++) {
                        DIR *d;
                        struct dirent *de;

                        if (stat(files[i], &st) < 0)
                                continue;
                        if (!S_ISDIR(st.st_mode) || !(d = opendir(files[i]))) {
                                sum += (unsigned long long)st.st_size;
                                continue;
                        }
                        while ((de = readdir(d)))
                                if (fstatat(dirfd(d), de->d_name, &st, 0) == 0 && S_ISREG(st.st_mode))
                                        sum += (unsigned long long)st.st_size;
                        closedir(d);
                }
                if (sum >= want) {
                        printf("%lld\n", now_ns());
                        return 0;
                }
                usleep(1000);
        }
}

int main(int argc, char **argv)
{
        long long t_end = 0;
        int timed = 0;
        unsigned long usec = 0, stall_every = 0, lines, next[MAXP] = { 0 }, bad = 0, own = 0;
        unsigned long long total = 0, since = 0;
        size_t plen[MAXP], len = 0, cap = 1 << 20;
        char *buf = malloc(cap), *prefix[MAXP];
        int np = 0, opt;

        if (argc > 2 && strcmp(argv[1], "-W") == 0)
                return wait_size(strtoull(argv[2], NULL, 10), argv + 3, argc - 3);
        while ((opt = getopt(argc, argv, "s:m:t")) != -1) {
                if (opt == 't')
                        timed = 1;
                else if (opt == 's')
                        usec = strtoul(optarg, NULL, 10);
                else if (opt == 'm')
                        stall_every = strtoul(optarg, NULL, 10) << 20;
                else
                        return 2;
        }
        if (optind + 2 > argc)
                return 2;
        lines = strtoul(argv[optind++], NULL, 10);
        for (; optind < argc && np < MAXP; optind++, np++) {
                prefix[np] = argv[optind];
                plen[np] = strlen(argv[optind]);
        }
        for (;;) {
                ssize_t n = read(0, buf + len, cap - len);
                char *p = buf, *nl;

                if (n <= 0)
                        break;
                total += (unsigned long long)n;
                since += (unsigned long long)n;
                len += (size_t)n;
                while ((nl = memchr(p, '\n', len - (size_t)(p - buf)))) {
                        size_t l = (size_t)(nl - p) + 1;
                        int k;

                        for (k = 0; k < np; k++)
                                if (l == plen[k] + 100 && memcmp(p, prefix[k], plen[k]) == 0)
                                        break;
                        if (k < np) {
                                char num[10];
                                memcpy(num, p + plen[k], 9);
                                num[9] = 0;
                                if (strtoul(num, NULL, 10) != next[k] || p[plen[k] + 9] != ' ') {
                                        if (bad++ < 5)
                                                fprintf(stderr, "logcheck: %s: expected %lu, got %.20s\n",
                                                        prefix[k], next[k], p + plen[k]);
                                        next[k] = strtoul(num, NULL, 10);
                                }
                                if (++next[k] == lines) {
                                        int all = 1;
                                        for (int j = 0; j < np; j++)
                                                all &= next[j] >= lines;
                                        if (all) {
                                                t_end = now_ns();
                                                if (timed) {
                                                        printf("t_end %lld\n", t_end);
                                                        fflush(stdout);
                                                }
                                        }
                                }
                        } else if (strncmp(p, "supd: ", 6) == 0 || strncmp(p, "logdrv", 6) == 0) {
                                own++;
                        } else if (bad++ < 5) {
                                fprintf(stderr, "logcheck: foreign line: %.*s\n", (int)(l > 120 ? 120 : l), p);
                        }
                        p += l;
                }
                len -= (size_t)(p - buf);
                memmove(buf, p, len);
                if (usec)
                        usleep((useconds_t)usec);
                if (stall_every && since >= stall_every) {
                        since = 0;
                        usleep(300000);
                }
        }
        if (len) {
                fprintf(stderr, "logcheck: %zu bytes without a final newline\n", len);
                bad++;
        }
        for (int k = 0; k < np; k++) {
                if (next[k] != lines) {
                        fprintf(stderr, "logcheck: %s: %lu lines, expected %lu\n", prefix[k], next[k], lines);
                        bad++;
                }
        }
        if (bad) {
                printf("bad %lu\n", bad);
                return 1;
        }
        printf("ok %llu own %lu\n", total, own);
        return 0;
}
