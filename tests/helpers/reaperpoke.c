/* tests/helpers/reaperpoke.c — what a service may try against PID 1 of its
 * PID namespace (the reaper).
 *
 *   reaperpoke memscan PID NEEDLE   read every readable mapping of PID through
 *                                   /proc/PID/mem; prints "found", "not found
 *                                   (N bytes read)" or "refused: why"; exits
 *                                   0 found, 1 not found, 2 refused
 *   reaperpoke stop PID             ptrace-stop PID (PTRACE_SEIZE +
 *                                   PTRACE_INTERRUPT), print "stopped" and
 *                                   hold it stopped until killed */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static int memscan(const char *pid, const char *needle)
{
        char path[64], line[512], perms[8];
        unsigned long lo, hi, total = 0;
        size_t nlen = strlen(needle);
        FILE *maps;
        int mem;

        snprintf(path, sizeof(path), "/proc/%s/mem", pid);
        mem = open(path, O_RDONLY);
        if (mem < 0) {
                printf("refused: %s\n", strerror(errno));
                return 2;
        }
        snprintf(path, sizeof(path), "/proc/%s/maps", pid);
        maps = fopen(path, "r");
        if (!maps) {
                printf("refused: maps: %s\n", strerror(errno));
                return 2;
        }
        while (fgets(line, sizeof(line), maps)) {
                char *buf;
                ssize_t n;

                if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 || perms[0] != 'r' ||
                    hi - lo > (256ul << 20))
                        continue;
                buf = malloc(hi - lo);
                if (!buf)
                        continue;
                n = pread(mem, buf, hi - lo, (off_t)lo);
                if (n > 0) {
                        total += (unsigned long)n;
                        if (memmem(buf, (size_t)n, needle, nlen)) {
                                printf("found\n");
                                return 0;
                        }
                }
                free(buf);
        }
        printf("not found (%lu bytes read)\n", total);
        return 1;
}

static int stop(const char *pid)
{
        pid_t p = (pid_t)atoi(pid);
        int st;

        if (ptrace(PTRACE_SEIZE, p, 0, 0) < 0 || ptrace(PTRACE_INTERRUPT, p, 0, 0) < 0) {
                printf("refused: %s\n", strerror(errno));
                fflush(stdout);
                return 2;
        }
        if (waitpid(p, &st, __WALL) < 0) {
                printf("refused: waitpid: %s\n", strerror(errno));
                fflush(stdout);
                return 2;
        }
        printf("stopped\n");
        fflush(stdout);
        for (;;)
                pause();
}

int main(int argc, char **argv)
{
        if (argc == 4 && strcmp(argv[1], "memscan") == 0)
                return memscan(argv[2], argv[3]);
        if (argc == 3 && strcmp(argv[1], "stop") == 0)
                return stop(argv[2]);
        fprintf(stderr, "usage: reaperpoke memscan PID NEEDLE | stop PID\n");
        return 64;
}
