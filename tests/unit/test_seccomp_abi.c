/* The compiled seccomp program, run by a small classic-BPF interpreter for
 * every syscall number of every ABI an x86_64 process can use (x86_64, i386,
 * x32), against a reference written straight from the policy's name lists:
 * proves the dispatcher + deny-list layout (runtime/seccomp.c) is the same
 * policy as Docker's allow list, with the same verdict per name on each ABI.
 * The real kernel's side is in test_runtime_sandbox.c and tests/vm. */
#include "tests/unit/check.h"
#include "runtime/runtime.h"
#include "runtime/seccomp_default.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#define X32_BIT 0x40000000u
#define ALLOW   SECCOMP_RET_ALLOW
#define EPERM_  (SECCOMP_RET_ERRNO | EPERM)
#define ENOSYS_ (SECCOMP_RET_ERRNO | ENOSYS)
#define BAD     0xdeadbeefu             /* the interpreter met something it does not know */

/* --- a classic BPF interpreter: what libseccomp and we emit ------------ */

static uint32_t run_bpf(const struct sock_filter *f, size_t len, const struct seccomp_data *d)
{
        uint32_t a = 0;

        for (size_t pc = 0; pc < len; pc++) {
                const struct sock_filter *i = &f[pc];
                uint32_t k = i->k;

                switch (i->code) {
                case BPF_LD | BPF_W | BPF_ABS:
                        if (k > sizeof(*d) - 4 || k % 4)
                                return BAD;
                        memcpy(&a, (const char *)d + k, 4);
                        break;
                case BPF_ALU | BPF_AND | BPF_K:
                        a &= k;
                        break;
                case BPF_JMP | BPF_JA:
                        pc += k;
                        break;
                case BPF_JMP | BPF_JEQ | BPF_K:
                        pc += a == k ? i->jt : i->jf;
                        break;
                case BPF_JMP | BPF_JGT | BPF_K:
                        pc += a > k ? i->jt : i->jf;
                        break;
                case BPF_JMP | BPF_JGE | BPF_K:
                        pc += a >= k ? i->jt : i->jf;
                        break;
                case BPF_JMP | BPF_JSET | BPF_K:
                        pc += (a & k) ? i->jt : i->jf;
                        break;
                case BPF_RET | BPF_K:
                        return k;
                default:
                        return BAD;
                }
        }
        return BAD;                     /* fell off the end */
}

/* --- the reference: Docker's profile, by name -------------------------- */

struct ref {
        const char *allowed[600];
        size_t n;
        bool sys_admin;
};

static bool listed(const struct ref *r, const char *name)
{
        for (size_t i = 0; i < r->n; i++)
                if (strcmp(r->allowed[i], name) == 0)
                        return true;
        return false;
}

static void ref_build(struct ref *r, uint64_t caps, bool caps_set)
{
        memset(r, 0, sizeof(*r));
        for (const char *const *n = seccomp_default_allow; *n; n++)
                r->allowed[r->n++] = *n;
        for (const struct seccomp_cap_group *g = seccomp_default_cap_groups; g->cap >= 0; g++)
                if (!caps_set || (caps >> g->cap) & 1)
                        for (const char *const *n = g->names; *n; n++)
                                r->allowed[r->n++] = *n;
        r->sys_admin = !caps_set || (caps >> CAP_SYS_ADMIN) & 1;
}

static bool arg_filtered(const struct ref *r, const char *name)
{
        return strcmp(name, "socket") == 0 || strcmp(name, "personality") == 0 ||
               (!r->sys_admin && (strcmp(name, "clone") == 0 || strcmp(name, "clone3") == 0));
}

/* The newest number the policy names on an ABI (x32: below / from 512). */
static void ref_newest(const struct ref *r, uint32_t arch, uint32_t bit, long *lo, long *hi)
{
        static const char *const extra[] = { "clone", "clone3", "socket", "personality" };

        *lo = *hi = -1;
        for (size_t i = 0; i < r->n + 4; i++) {
                const char *name = i < r->n ? r->allowed[i] : extra[i - r->n];
                long nr = seccomp_syscall_resolve_name_arch(arch, name);

                if (nr < 0)
                        continue;
                nr &= ~(long)bit;
                if (bit && nr >= 512)
                        *hi = nr > *hi ? nr : *hi;
                else
                        *lo = nr > *lo ? nr : *lo;
        }
}

static uint32_t ref_by_name(const struct ref *r, const char *name, uint64_t a0);

static uint32_t ref_verdict(const struct ref *r, uint32_t arch, uint32_t bit, uint32_t nr,
                            uint64_t a0)
{
        long lo, hi, n = nr & ~bit;
        char *name;
        uint32_t v;

        ref_newest(r, arch, bit, &lo, &hi);
        if (nr == 0xffffffffu || n > (hi >= 0 ? hi : lo) || (n > lo && n < 512))
                return ENOSYS_;
        name = seccomp_syscall_resolve_num_arch(arch, (int)nr);
        if (!name)
                return EPERM_;          /* unnamed: an allow list refuses it */
        /* libseccomp compares only the low 32 bits on i386 and x32, which is
         * what the kernel's int argument keeps of them there too */
        v = ref_by_name(r, name, arch == SCMP_ARCH_X86_64 ? a0 : (uint32_t)a0);
        free(name);
        return v;
}

static uint32_t ref_by_name(const struct ref *r, const char *name, uint64_t a0)
{
        if (!name)
                return ALLOW;           /* unnamed: the kernel's own ENOSYS */
        if (!arg_filtered(r, name))
                return listed(r, name) ? ALLOW : EPERM_;
        if (strcmp(name, "clone3") == 0)
                return ENOSYS_;
        if (strcmp(name, "clone") == 0)
                return (a0 & 0x7E020000) ? EPERM_ : ALLOW;
        if (strcmp(name, "socket") == 0)
                return a0 == 38 || a0 == 40 || a0 > 0xffffffffULL ? EPERM_ : ALLOW;
        return a0 == 0 || a0 == 8 || a0 == 0x20000 || a0 == 0x20008 || a0 == 0xffffffff ?
               ALLOW : EPERM_;
}

/* --- the comparison ------------------------------------------------------ */

static const struct { uint32_t scmp, audit, bit; const char *name; } abis[] = {
        { SCMP_ARCH_X86_64, AUDIT_ARCH_X86_64, 0, "x86_64" },
        { SCMP_ARCH_X86, AUDIT_ARCH_I386, 0, "i386" },
        { SCMP_ARCH_X32, AUDIT_ARCH_X86_64, X32_BIT, "x32" },
};

static const uint64_t probes[] = { 0, 1, 8, 37, 38, 39, 40, 41, 45, 46, 0x20000, 0x20008,
                                   0x10000000, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000026ULL,
                                   0x100000029ULL, 0xffffffff00000029ULL };

static struct svc_spec default_spec(uint64_t caps, bool caps_set)
{
        struct svc_spec s;

        memset(&s, 0, sizeof(s));
        s.name = "abi";
        s.sandbox.seccomp = SECCOMP_DEFAULT;
        s.sandbox.caps = caps;
        s.sandbox.caps_set = caps_set;
        return s;
}

static int compare_all(uint64_t caps, bool caps_set)
{
        struct svc_spec s = default_spec(caps, caps_set);
        struct sup_err err = { 0, "" };
        struct ref r;
        int bad = 0;

        if (rt_prepare(&s, &err) < 0) {
                fprintf(stderr, "  rt_prepare: %s\n", err.msg);
                return 1;
        }
        ref_build(&r, caps, caps_set);
        for (size_t a = 0; a < sizeof(abis) / sizeof(abis[0]); a++)
                for (uint32_t n = 0; n <= 700; n++)
                        for (size_t p = 0; p < sizeof(probes) / sizeof(probes[0]); p++) {
                                uint32_t nr = n == 700 ? 0xffffffffu : n | abis[a].bit;
                                struct seccomp_data d = { .nr = (int)nr,
                                                          .arch = abis[a].audit };
                                uint32_t got, want;

                                d.args[0] = probes[p];
                                got = run_bpf(s.sandbox.seccomp_bpf, s.sandbox.seccomp_bpf_len, &d);
                                want = ref_verdict(&r, abis[a].scmp, abis[a].bit, nr, probes[p]);
                                if (got != want && bad++ < 10) {
                                        const char *nm = seccomp_syscall_resolve_num_arch(
                                                abis[a].scmp, (int)nr);

                                        fprintf(stderr, "  %s nr %u (%s) a0=%#llx: got %#x, "
                                                "want %#x\n", abis[a].name, n, nm ? nm : "-",
                                                (unsigned long long)probes[p], got, want);
                                }
                        }
        free(s.sandbox.seccomp_bpf);
        return bad;
}

TEST(default_profile_same_verdicts_on_every_abi_docker_caps)
{
        CHECK_INT(compare_all(1ULL << CAP_CHOWN | 1ULL << CAP_NET_BIND_SERVICE |
                              1ULL << CAP_SETUID | 1ULL << CAP_SETGID | 1ULL << CAP_KILL |
                              1ULL << CAP_SYS_CHROOT, true), 0);
}

TEST(default_profile_same_verdicts_on_every_abi_all_caps)
{
        CHECK_INT(compare_all(0, false), 0);
}

/* An ABI that is none of the three is killed, not let through. */
TEST(unknown_arch_is_killed)
{
        struct svc_spec s = default_spec(0, true);
        struct sup_err err = { 0, "" };
        struct seccomp_data d = { .nr = 39, .arch = AUDIT_ARCH_AARCH64 };

        CHECK(rt_prepare(&s, &err) == 0);
        CHECK_INT(run_bpf(s.sandbox.seccomp_bpf, s.sandbox.seccomp_bpf_len, &d),
                  SECCOMP_RET_KILL_PROCESS);
        free(s.sandbox.seccomp_bpf);
}

static uint32_t verdict_of(const struct svc_spec *s, uint32_t audit, uint32_t nr, uint64_t a0)
{
        struct seccomp_data d = { .nr = (int)nr, .arch = audit };

        d.args[0] = a0;
        return run_bpf(s->sandbox.seccomp_bpf, s->sandbox.seccomp_bpf_len, &d);
}

/* seccomp_deny/allow act by name on every ABI, through socketcall too. */
TEST(deny_and_allow_by_name_apply_to_every_abi)
{
        char *deny[] = { "getppid", "connect", "shmget", NULL }, *allow[] = { "mount", NULL };
        struct svc_spec s = default_spec(0, true);
        struct sup_err err = { 0, "" };
        int x86_getppid = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86, "getppid");

        s.sandbox.seccomp_deny = deny;
        s.sandbox.seccomp_allow = allow;
        CHECK(rt_prepare(&s, &err) == 0);
        CHECK_INT(verdict_of(&s, AUDIT_ARCH_X86_64, 110, 0), EPERM_);           /* getppid */
        CHECK_INT(verdict_of(&s, AUDIT_ARCH_I386, (uint32_t)x86_getppid, 0), EPERM_);
        CHECK_INT(verdict_of(&s, AUDIT_ARCH_X86_64, X32_BIT | 110, 0), EPERM_);
        CHECK_INT(verdict_of(&s, AUDIT_ARCH_X86_64, 39, 0), ALLOW);             /* getpid */
        CHECK_INT(verdict_of(&s, AUDIT_ARCH_I386, 20, 0), ALLOW);
        CHECK_INT(verdict_of(&s, AUDIT_ARCH_X86_64, X32_BIT | 39, 0), ALLOW);
        CHECK_INT(verdict_of(&s, AUDIT_ARCH_I386, 362, 0), EPERM_);             /* connect */
        CHECK_INT(verdict_of(&s, AUDIT_ARCH_I386, 102, 3), EPERM_);     /* socketcall(SYS_CONNECT) */
        CHECK_INT(verdict_of(&s, AUDIT_ARCH_I386, 102, 2), ALLOW);      /* socketcall(SYS_BIND) */
        CHECK_INT(verdict_of(&s, AUDIT_ARCH_I386, 117, 23), EPERM_);    /* ipc(SHMGET) */
        CHECK_INT(verdict_of(&s, AUDIT_ARCH_I386, 117, 21), ALLOW);     /* ipc(SHMAT) */
        CHECK_INT(verdict_of(&s, AUDIT_ARCH_X86_64, 165, 0), ALLOW);            /* mount */
        CHECK_INT(verdict_of(&s, AUDIT_ARCH_I386, 21, 0), ALLOW);
        free(s.sandbox.seccomp_bpf);
}

/* seccomp = none + seccomp_deny: a deny list on every ABI, no ENOSYS prologue. */
TEST(deny_list_mode_on_every_abi)
{
        char *deny[] = { "getppid", "socketcall", NULL };
        struct svc_spec s = default_spec(0, false);
        struct sup_err err = { 0, "" };

        s.sandbox.seccomp = SECCOMP_NONE;
        s.sandbox.seccomp_deny = deny;
        CHECK(rt_prepare(&s, &err) == 0);
        CHECK_INT(verdict_of(&s, AUDIT_ARCH_X86_64, 110, 0), EPERM_);
        CHECK_INT(verdict_of(&s, AUDIT_ARCH_I386, 64, 0), EPERM_);
        CHECK_INT(verdict_of(&s, AUDIT_ARCH_X86_64, X32_BIT | 110, 0), EPERM_);
        CHECK_INT(verdict_of(&s, AUDIT_ARCH_I386, 102, 1), EPERM_);
        CHECK_INT(verdict_of(&s, AUDIT_ARCH_X86_64, 165, 0), ALLOW);            /* mount */
        CHECK_INT(verdict_of(&s, AUDIT_ARCH_X86_64, 1000, 0), ALLOW);   /* the kernel's ENOSYS */
        CHECK_INT(verdict_of(&s, AUDIT_ARCH_I386, 1000, 0), ALLOW);
        free(s.sandbox.seccomp_bpf);
}

/* --- a small allow list (a profile file): the other layout -------------- */

static const char *const socket_calls[21] = { NULL, "socket", "bind", "connect", "listen",
        "accept", "getsockname", "getpeername", "socketpair", "send", "recv", "sendto",
        "recvfrom", "shutdown", "setsockopt", "getsockopt", "sendmsg", "recvmsg", "accept4",
        "recvmmsg", "sendmmsg" };

static bool in_list(const char *const *list, const char *name)
{
        for (; *list; list++)
                if (strcmp(*list, name) == 0)
                        return true;
        return false;
}

/* A sub-call of socketcall runs when both the multiplexer and its own name
 * are allowed (ipc is not in these lists: always EPERM). */
static uint32_t allow_list_verdict(const char *const *allowed, const char *name, uint64_t a0)
{
        if (strcmp(name, "socketcall") == 0)
                return in_list(allowed, "socketcall") && a0 >= 1 && a0 <= 20 &&
                       in_list(allowed, socket_calls[a0]) ? ALLOW : EPERM_;
        return in_list(allowed, name) ? ALLOW : EPERM_;
}

static int compare_allow_list(const char *const *allowed)
{
        char path[] = "/tmp/sup-abi-profile-XXXXXX";
        struct svc_spec s = default_spec(0, false);
        struct sup_err err = { 0, "" };
        int fd = mkstemp(path), bad = 0;
        FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;

        if (!f)
                return 1;
        for (const char *const *n = allowed; *n; n++)
                fprintf(f, "%s\n", *n);
        fclose(f);
        s.sandbox.seccomp = SECCOMP_PROFILE;
        s.sandbox.seccomp_profile = path;
        if (rt_prepare(&s, &err) < 0) {
                fprintf(stderr, "  rt_prepare: %s\n", err.msg);
                unlink(path);
                return 1;
        }
        unlink(path);
        for (size_t a = 0; a < sizeof(abis) / sizeof(abis[0]); a++) {
                long lo = -1, hi = -1;

                for (const char *const *n = allowed; *n; n++) {
                        long nr = seccomp_syscall_resolve_name_arch(abis[a].scmp, *n);

                        if (nr < 0)
                                continue;
                        nr &= ~(long)abis[a].bit;
                        if (abis[a].bit && nr >= 512)
                                hi = nr > hi ? nr : hi;
                        else
                                lo = nr > lo ? nr : lo;
                }
                for (uint32_t n = 0; n <= 700; n++)
                        for (uint64_t a0 = 0; a0 <= 4; a0++) {
                                uint32_t nr = n | abis[a].bit, got, want;
                                struct seccomp_data d = { .nr = (int)nr, .arch = abis[a].audit };
                                char *name = seccomp_syscall_resolve_num_arch(abis[a].scmp,
                                                                              (int)nr);

                                d.args[0] = a0;
                                got = run_bpf(s.sandbox.seccomp_bpf, s.sandbox.seccomp_bpf_len, &d);
                                if ((long)n > (hi >= 0 ? hi : lo) || ((long)n > lo && n < 512))
                                        want = ENOSYS_;
                                else if (!name)         /* unnamed: refused either way */
                                        want = got == EPERM_ ? EPERM_ : ALLOW;
                                else
                                        want = allow_list_verdict(allowed, name, a0);
                                if (got != want && bad++ < 10)
                                        fprintf(stderr, "  %s nr %u (%s) a0=%llu: got %#x, "
                                                "want %#x\n", abis[a].name, n, name ? name : "-",
                                                (unsigned long long)a0, got, want);
                                free(name);
                        }
        }
        free(s.sandbox.seccomp_bpf);
        return bad;
}

TEST(allow_list_profile_same_verdicts_on_every_abi)
{
        static const char *const without_socketcall[] = { "read", "write", "exit_group",
                "connect", "getpid", "chown32", "_llseek", "preadv", NULL };
        static const char *const with_socketcall[] = { "read", "write", "exit_group",
                "connect", "socketcall", "getpid", "mmap2", NULL };

        CHECK_INT(compare_allow_list(without_socketcall), 0);
        CHECK_INT(compare_allow_list(with_socketcall), 0);
}

/* supd: services with the same policy get the same program, compiled once. */
TEST(same_policy_shares_one_compile)
{
        struct svc_spec a = default_spec(0, true), b = default_spec(0, true);
        struct sup_err err = { 0, "" };

        CHECK(rt_prepare(&a, &err) == 0);
        CHECK(rt_prepare(&b, &err) == 0);
        CHECK(a.sandbox.seccomp_bpf != b.sandbox.seccomp_bpf);          /* each owns a copy */
        CHECK_INT(a.sandbox.seccomp_bpf_len, b.sandbox.seccomp_bpf_len);
        CHECK(memcmp(a.sandbox.seccomp_bpf, b.sandbox.seccomp_bpf,
                     a.sandbox.seccomp_bpf_len * sizeof(struct sock_filter)) == 0);
        CHECK(a.sandbox.seccomp_bpf_len <= BPF_MAXINSNS);
        free(a.sandbox.seccomp_bpf);
        free(b.sandbox.seccomp_bpf);
}

int main(int argc, char **argv)
{
        return check_main(argc, argv);
}
