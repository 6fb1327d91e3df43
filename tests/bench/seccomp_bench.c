/* tests/bench/seccomp_bench.c — what compiling a seccomp policy costs.
 *
 *   seccomp_bench POLICY N
 *
 * POLICY: docker (seccomp = default with Docker's 14 capabilities: the
 * clone filters apply), default (every capability kept), or a profile file
 * path. Prepares N specs with that policy in one process, as supd does at
 * load: the first compiles (x86_64 + i386 + x32 on x86_64), the others find
 * the compiled program. Prints the program's length, the first compile and
 * the mean of the others, in µs. Built by tests/bench/seccomp.sh. */
#include "runtime/runtime.h"

#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_us(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void policy(struct svc_spec *s, const char *which)
{
        static const int docker_caps[] = {
                CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID, CAP_FOWNER, CAP_MKNOD, CAP_NET_RAW,
                CAP_SETGID, CAP_SETUID, CAP_SETFCAP, CAP_SETPCAP, CAP_NET_BIND_SERVICE,
                CAP_SYS_CHROOT, CAP_KILL, CAP_AUDIT_WRITE,
        };

        memset(s, 0, sizeof(*s));
        s->name = "bench";
        s->sandbox.seccomp = SECCOMP_DEFAULT;
        if (strcmp(which, "docker") == 0) {
                s->sandbox.caps_set = true;
                for (size_t i = 0; i < sizeof(docker_caps) / sizeof(docker_caps[0]); i++)
                        s->sandbox.caps |= 1ULL << docker_caps[i];
        } else if (strcmp(which, "default") != 0) {
                s->sandbox.seccomp = SECCOMP_PROFILE;
                s->sandbox.seccomp_profile = (char *)which;
        }
}

/* Its own function, so that callgrind --toggle-collect=prepare_one counts it. */
__attribute__((noinline)) static int prepare_one(struct svc_spec *s, struct sup_err *err)
{
        return rt_prepare(s, err);
}

int main(int argc, char **argv)
{
        struct sup_err err = { 0, "" };
        double first = 0, rest = 0, t;
        size_t len = 0;
        int n;

        if (argc != 3 || (n = atoi(argv[2])) < 1) {
                fprintf(stderr, "usage: seccomp_bench docker|default|PROFILE N\n");
                return 2;
        }
        for (int i = 0; i < n; i++) {
                struct svc_spec s;

                policy(&s, argv[1]);
                t = now_us();
                if (prepare_one(&s, &err) < 0) {
                        fprintf(stderr, "seccomp_bench: %s\n", err.msg);
                        return 1;
                }
                t = now_us() - t;
                if (i == 0)
                        first = t;
                else
                        rest += t;
                len = s.sandbox.seccomp_bpf_len;
                free(s.sandbox.seccomp_bpf);
        }
        printf("insns=%zu first_us=%.1f cached_us=%.2f\n", len, first, n > 1 ? rest / (n - 1) : 0);
        return 0;
}
