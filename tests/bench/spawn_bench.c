/* tests/bench/spawn_bench.c — the runtime's spawn cost, measured from inside.
 *
 *   spawn_bench run [--sandbox] -- CMD [ARG...]   one spawn, wait, exit with its code
 *   spawn_bench parent N [--sandbox]              N spawns of /bin/true; prints the
 *                                                 parent side of rt_spawn (what supd's
 *                                                 loop pays) and spawn→exit, median/p90
 *   spawn_bench bpf FILE                          write the sandbox's compiled seccomp
 *                                                 filter (struct sock_filter[]) to FILE,
 *                                                 for `bwrap --seccomp FD`
 *
 * --sandbox = namespaces pid mount uts ipc, an own cgroup (pids_max), Docker's
 * default seccomp, Docker's 14 default capabilities, no_new_privileges.
 * Built by tests/bench/spawn.sh against build/libsup.a (no confd needed). */
#include "runtime/runtime.h"

#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void sandbox(struct svc_spec *s)
{
        static const int docker_caps[] = {
                CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID, CAP_FOWNER, CAP_MKNOD, CAP_NET_RAW,
                CAP_SETGID, CAP_SETUID, CAP_SETFCAP, CAP_SETPCAP, CAP_NET_BIND_SERVICE,
                CAP_SYS_CHROOT, CAP_KILL, CAP_AUDIT_WRITE,
        };

        s->sandbox.namespaces = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC;
        s->sandbox.pids_max = 1000;
        s->sandbox.seccomp = SECCOMP_DEFAULT;
        s->sandbox.caps_set = true;
        for (size_t i = 0; i < sizeof(docker_caps) / sizeof(docker_caps[0]); i++)
                s->sandbox.caps |= 1ULL << docker_caps[i];
        s->sandbox.no_new_privileges = true;
}

/* The same filter suprun loads, for bwrap to load: one compile, so both
 * sandboxes run the very same program. */
static int write_bpf(const char *path)
{
        struct sup_err err = { 0, "" };
        struct svc_spec s;
        FILE *f;
        size_t n;

        memset(&s, 0, sizeof(s));
        s.name = "spawn-bench-bpf";
        sandbox(&s);
        s.sandbox.pids_max = 0;         /* no cgroup needed to compile */
        if (rt_prepare(&s, &err) < 0 || !s.sandbox.seccomp_bpf) {
                fprintf(stderr, "spawn_bench: %s\n", err.msg[0] ? err.msg : "no filter");
                return 1;
        }
        f = fopen(path, "we");
        n = f ? fwrite(s.sandbox.seccomp_bpf, 8, s.sandbox.seccomp_bpf_len, f) : 0;
        if (!f || n != s.sandbox.seccomp_bpf_len || fclose(f) != 0) {
                fprintf(stderr, "spawn_bench: cannot write %s\n", path);
                return 1;
        }
        free(s.sandbox.seccomp_bpf);
        return 0;
}

static int wait_code(pid_t pid)
{
        int st;

        if (waitpid(pid, &st, 0) != pid)
                return 1;
        return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int cmp_u64(const void *a, const void *b)
{
        uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

        return x < y ? -1 : x > y;
}

static void report(const char *what, uint64_t *v, int n)
{
        qsort(v, (size_t)n, sizeof(*v), cmp_u64);
        printf("%-28s median %8.1f us   p90 %8.1f us   (n=%d)\n", what,
               (double)v[n / 2] / 1000.0, (double)v[n * 9 / 10] / 1000.0, n);
}

int main(int argc, char **argv)
{
        static char *true_argv[] = { "/bin/true", NULL };
        struct rt_stdio io = { .in = -1, .out = -1, .err = -1, .ready_fd = -1 };
        struct sup_err err = { 0, "" };
        struct svc_spec s;
        struct rt_proc p;
        char name[64];
        bool sb = false, parent;
        int i = 2, n = 1;

        if (argc < 2 || (strcmp(argv[1], "run") && strcmp(argv[1], "parent") &&
                         strcmp(argv[1], "bpf"))) {
                fprintf(stderr, "usage: spawn_bench run [--sandbox] -- CMD... | parent N [--sandbox]"
                        " | bpf FILE\n");
                return 2;
        }
        if (strcmp(argv[1], "bpf") == 0)
                return argc == 3 ? write_bpf(argv[2]) : 2;
        parent = strcmp(argv[1], "parent") == 0;
        if (parent && argc > 2)
                n = atoi(argv[i++]);
        if (i < argc && strcmp(argv[i], "--sandbox") == 0) {
                sb = true;
                i++;
        }
        if (i < argc && strcmp(argv[i], "--") == 0)
                i++;
        memset(&s, 0, sizeof(s));
        snprintf(name, sizeof(name), "spawn-bench-%d", (int)getpid());
        s.name = name;
        s.argv = (!parent && i < argc) ? argv + i : true_argv;
        s.umask = -1;
        s.ready_fd = -1;
        if (sb)
                sandbox(&s);
        if (rt_init(&err) < 0 || rt_prepare(&s, &err) < 0) {
                fprintf(stderr, "spawn_bench: %s\n", err.msg);
                return 2;
        }
        if (!parent) {
                if (rt_spawn(&s, &io, &p, &err) < 0 || rt_read_status(&p, NULL, &err) < 0) {
                        fprintf(stderr, "spawn_bench: %s\n", err.msg);
                        return 1;
                }
                close(p.status_fd);
                n = wait_code(p.pid);
                rt_release(&p);
                return n;
        }
        if (n < 1)
                n = 1;
        uint64_t *par = calloc((size_t)n, sizeof(*par)), *full = calloc((size_t)n, sizeof(*full));
        for (int k = 0; k < n; k++) {
                uint64_t t0 = now_ns(), t1;

                if (rt_spawn(&s, &io, &p, &err) < 0) {
                        fprintf(stderr, "spawn_bench: %s\n", err.msg);
                        return 1;
                }
                t1 = now_ns();
                close(p.status_fd);
                if (wait_code(p.pid) != 0) {
                        fprintf(stderr, "spawn_bench: /bin/true failed\n");
                        return 1;
                }
                par[k] = t1 - t0;
                full[k] = now_ns() - t0;
                rt_release(&p);
                usleep(20000);  /* a supervisor spawns now and then, not in a tight loop */
        }
        printf("rt_spawn %s\n", sb ? "sandboxed (pid mount uts ipc + cgroup + seccomp + caps)"
                                   : "plain (no sandbox keys)");
        report("  parent side (supd's loop)", par, n);
        report("  spawn -> exit of /bin/true", full, n);
        free(par);
        free(full);
        free(s.sandbox.seccomp_bpf);
        return 0;
}
