/* probe — what a child of an init sees and receives.
 *
 *   probe report FILE [--exit-on SIG] [--term-exit-after MS]
 *       Writes to FILE: "pid P", "pgid G", "tpgid T", "sigblk HEX", "sigign HEX",
 *       "cwd PATH", "fd N" for each open fd, "env K=V" for each variable, then
 *       "ready"; then "sig N" for every signal it receives (all are caught), in
 *       order. --exit-on SIG: exit 0 after logging SIG. --term-exit-after MS:
 *       on SIGTERM, wait MS, log "done" and exit 0 (a slow but clean stop).
 *   probe orphans N MS
 *       Makes N orphans that all exit MS ms from now, at the same instant.
 *   probe with-sigs BLOCK IGNORE CMD [ARG...]
 *       Exec CMD with exactly the signals in BLOCK blocked and those in IGNORE
 *       ignored (comma-separated numbers, "-" for none), every other signal
 *       SIG_DFL, and no fd >= 3 open except those in $PROBE_KEEP_FDS.
 *   probe die SIG
 *       Die of signal SIG (whatever the inherited disposition was). */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void status_field(FILE *out, const char *key, const char *name)
{
        char line[256];
        FILE *f = fopen("/proc/self/status", "r");
        size_t n = strlen(key);

        while (f && fgets(line, sizeof(line), f))
                if (strncmp(line, key, n) == 0)
                        fprintf(out, "%s %s", name, line + n + strspn(line + n, " \t"));
        if (f)
                fclose(f);
}

static long stat_field(int index)      /* 1-based, as in proc(5) */
{
        char buf[1024], *p;
        FILE *f = fopen("/proc/self/stat", "r");
        long v = 0;

        if (!f || !fgets(buf, sizeof(buf), f))
                return -1;
        fclose(f);
        p = strrchr(buf, ')') + 2;     /* field 3 */
        for (int i = 3; i < index; i++)
                p = strchr(p, ' ') + 1;
        sscanf(p, "%ld", &v);
        return v;
}

static void report(FILE *out)
{
        char cwd[4096];
        DIR *d = opendir("/proc/self/fd");
        struct dirent *de;

        fprintf(out, "pid %ld\npgid %ld\ntpgid %ld\n", (long)getpid(), (long)getpgrp(),
                stat_field(8));
        status_field(out, "SigBlk:", "sigblk");
        status_field(out, "SigIgn:", "sigign");
        if (getcwd(cwd, sizeof(cwd)))
                fprintf(out, "cwd %s\n", cwd);
        while (d && (de = readdir(d)))
                if (de->d_name[0] != '.' && atoi(de->d_name) != dirfd(d) &&
                    atoi(de->d_name) != fileno(out))
                        fprintf(out, "fd %s\n", de->d_name);
        if (d)
                closedir(d);
        for (char **e = environ; *e; e++)
                fprintf(out, "env %s\n", *e);
        fprintf(out, "ready\n");
        fflush(out);
}

static int cmd_report(int argc, char **argv)
{
        int exit_on = 0, term_ms = -1, sig;
        sigset_t all;
        FILE *out;

        for (int i = 3; i + 1 < argc; i += 2) {
                if (strcmp(argv[i], "--exit-on") == 0)
                        exit_on = atoi(argv[i + 1]);
                else if (strcmp(argv[i], "--term-exit-after") == 0)
                        term_ms = atoi(argv[i + 1]);
        }
        out = fopen(argv[2], "ae");
        if (!out)
                return 111;
        report(out);            /* before we block anything of our own */
        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, NULL);
        for (;;) {
                sig = sigwaitinfo(&all, NULL);
                if (sig < 0)
                        continue;
                fprintf(out, "sig %d\n", sig);
                fflush(out);
                if (sig == exit_on)
                        return 0;
                if (sig == SIGTERM && term_ms >= 0) {
                        usleep((useconds_t)term_ms * 1000);
                        fprintf(out, "done\n");
                        fclose(out);
                        return 0;
                }
        }
}

static int cmd_orphans(int n, int ms)
{
        struct timespec at;

        clock_gettime(CLOCK_MONOTONIC, &at);
        at.tv_sec += ms / 1000;
        at.tv_nsec += (long)(ms % 1000) * 1000000;
        if (at.tv_nsec >= 1000000000) {
                at.tv_sec++;
                at.tv_nsec -= 1000000000;
        }
        for (int i = 0; i < n; i++) {
                pid_t c = fork();

                if (c < 0)
                        return 1;
                if (c == 0) {
                        if (fork() == 0) {
                                while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL))
                                        ;
                                _exit(0);
                        }
                        _exit(0);       /* the grandchild is now an orphan */
                }
                waitpid(c, NULL, 0);
        }
        return 0;
}

static void parse_sigs(const char *list, sigset_t *set)
{
        char *copy = strdup(list), *tok, *save = NULL;

        sigemptyset(set);
        for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
                if (strcmp(tok, "-") != 0)
                        sigaddset(set, atoi(tok));
        free(copy);
}

static int cmd_with_sigs(char **argv)
{
        sigset_t block, ign;

        const char *keep = getenv("PROBE_KEEP_FDS");
        sigset_t keepset;       /* a set of small numbers is a set of fds too */

        parse_sigs(argv[2], &block);
        parse_sigs(argv[3], &ign);
        parse_sigs(keep ? keep : "-", &keepset);
        /* The raw syscall: glibc's signal() refuses 32 and 33, which the
         * environment running the tests may have left ignored. */
        for (int sig = 1; sig < 65; sig++) {
                struct { void (*h)(int); unsigned long flags; void (*r)(void); uint64_t mask; } act = {
                        sigismember(&ign, sig) == 1 ? SIG_IGN : SIG_DFL, 0, NULL, 0 };
                if (sig != SIGKILL && sig != SIGSTOP)
                        syscall(SYS_rt_sigaction, sig, &act, NULL, sizeof(uint64_t));
        }
        for (int fd = 3; fd < 4096; fd++)
                if (sigismember(&keepset, fd) != 1)
                        close(fd);
        sigprocmask(SIG_SETMASK, &block, NULL);
        execvp(argv[4], argv + 4);
        perror("probe with-sigs: exec");
        return 127;
}

static int cmd_die(int sig)
{
        sigset_t set;

        signal(sig, SIG_DFL);
        sigemptyset(&set);
        sigaddset(&set, sig);
        sigprocmask(SIG_UNBLOCK, &set, NULL);
        raise(sig);
        return 100;
}

int main(int argc, char **argv)
{
        if (argc == 3 && strcmp(argv[1], "die") == 0)
                return cmd_die(atoi(argv[2]));
        if (argc >= 3 && strcmp(argv[1], "report") == 0)
                return cmd_report(argc, argv);
        if (argc == 4 && strcmp(argv[1], "orphans") == 0)
                return cmd_orphans(atoi(argv[2]), atoi(argv[3]));
        if (argc >= 5 && strcmp(argv[1], "with-sigs") == 0)
                return cmd_with_sigs(argv);
        fprintf(stderr, "usage: probe report FILE | orphans N MS | with-sigs BLOCK IGNORE CMD... | die SIG\n");
        return 2;
}
