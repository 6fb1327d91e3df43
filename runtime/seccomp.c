/* runtime/seccomp.c — syscall policy: compiled once at load, loaded last.
 *
 * rt_prepare() turns the configured policy into BPF with libseccomp
 * (seccomp_export_bpf) and keeps it in spec->sandbox; the child only hands
 * the program to the kernel, the very last step before execve.
 *
 * Policies:
 *   seccomp = default   Docker's default profile (seccomp_default.c).
 *   seccomp = PATH      a profile file: "SYSCALL [allow|deny]" per line,
 *                       '#' comments (confd's format); an allow list:
 *                       anything not allowed fails with EPERM.
 *   seccomp = none      no filter — unless seccomp_deny is set, then
 *                       everything is allowed but the denied syscalls.
 *   seccomp_allow / seccomp_deny adjust any of these; deny wins.
 * Syscalls newer than the newest one the policy names fail with ENOSYS, not
 * EPERM, so libc falls back to an older call (runc's ENOSYS prologue).
 *
 * Every ABI the kernel lets the process use is filtered, as Docker's archMap
 * does: on x86_64 also i386 (int $0x80) and x32 (nr | 0x40000000), each with
 * its own numbering and the same verdict per syscall name. Elsewhere the
 * native ABI only (a compat ABI there is killed by the bad-arch action).
 *
 * The program is one filter, laid out as
 *   dispatch   per ABI: arch (and the x32 bit) → ENOSYS above the newest
 *              syscall → socketcall/ipc when not allowed → EPERM → the
 *              argument-filtered syscalls to F → else the ABI's D
 *   D (per ABI) libseccomp, one ABI, as the shorter list: default ALLOW +
 *              EPERM for each named syscall up to the newest that is not
 *              allowed (Docker's profile: ~100 rules instead of ~330), or
 *              default EPERM + ALLOW rules (a short profile file)
 *   F          libseccomp, every ABI, default EPERM: clone/clone3/socket/
 *              personality with Docker's argument filters
 * Why: libseccomp's compile time grows faster than its rule count; Docker's
 * allow list for three ABIs in one context cost ~4.5x the native-only one,
 * this layout about what native-only did. Argument filters need a
 * default-EPERM context (libseccomp cannot say "EPERM unless the argument
 * is ..." under default ALLOW), hence F and the routing. Numbers libseccomp
 * does not name (holes) below the newest get EPERM in an allow list, the
 * kernel's own ENOSYS in a deny list. tests/unit/test_seccomp_abi.c runs
 * the program over every number of every ABI against the name lists.

 * i386 socketcall(2): its arguments sit behind a pointer, so the socket()
 * domain filter (no AF_ALG, no AF_VSOCK) cannot see socketcall(SYS_SOCKET).
 * Docker allows it anyway (its profile: the domain list "applies only to
 * the direct socket syscall"), and so do we: glibc for i386 built for
 * kernels before 4.3 (Debian's) makes every socket() through socketcall,
 * and refusing it would leave 32-bit programs without sockets. Every other
 * socketcall/ipc sub-call runs when both the multiplexer and the sub-call's
 * own name are allowed.
 *
 * supd compiles a policy once: services with the same policy share the
 * compiled program (each spec gets its own copy of the instructions). */
#include "runtime/runtime_int.h"
#include "runtime/seccomp_default.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* A syscall name is keyed by libseccomp's native number: >= 0 when the
 * native ABI has it, a pseudo number (__PNR_*) otherwise. */
#define NR_MAX          1024    /* native numbers */
#define PNR_BASE        10000   /* pseudo numbers: -10000 - i */
#define PNR_MAX         512
#define MUX_BASE        100     /* multiplexed pseudo numbers: -100 - i */
#define MUX_MAX         256
#define SLOTS           (NR_MAX + PNR_MAX + MUX_MAX)

#define X32_BIT         0x40000000u
#define BPF_MAX_INSNS   4096    /* the kernel's limit for one filter */

enum verdict { V_UNSET, V_ALLOW, V_DENY, V_FILTERED };

struct policy {
        unsigned char v[SLOTS];
        bool base_allow;        /* default action ALLOW (deny-list mode) */
        bool filters;           /* the default profile's argument filters apply */
        bool sys_admin;         /* service keeps CAP_SYS_ADMIN: no clone filters */
};

/* What the policy names, by slot (the per-ABI numbers come from them). */
struct names {
        const char *of[SLOTS];
        char *owned[1024];      /* copies of a profile file's names */
        size_t n_owned;
};

struct abi {
        uint32_t scmp;          /* SCMP_ARCH_* */
        uint32_t audit;         /* seccomp_data.arch */
        uint32_t bit;           /* x32: every number carries X32_BIT */
        unsigned split;         /* x32: its own numbers start at 512 */
};

static const struct abi abis_x86_64[] = {
        { SCMP_ARCH_X86_64, AUDIT_ARCH_X86_64, 0, 0 },
        { SCMP_ARCH_X32, AUDIT_ARCH_X86_64, X32_BIT, 512 },
        { SCMP_ARCH_X86, AUDIT_ARCH_I386, 0, 0 },
};

static size_t abi_list(struct abi *out)
{
        uint32_t native = seccomp_arch_native();

        if (native == SCMP_ARCH_X86_64) {
                memcpy(out, abis_x86_64, sizeof(abis_x86_64));
                return sizeof(abis_x86_64) / sizeof(abis_x86_64[0]);
        }
        out[0] = (struct abi){ native, native, 0, 0 };
        return 1;
}

static int slot_of(int key)
{
        if (key >= 0 && key < NR_MAX)
                return key;
        if (key <= -PNR_BASE && key > -PNR_BASE - PNR_MAX)
                return NR_MAX + (-key - PNR_BASE);
        if (key <= -MUX_BASE && key > -MUX_BASE - MUX_MAX)
                return NR_MAX + PNR_MAX + (-key - MUX_BASE);
        return -1;
}

static int resolve(const char *name)
{
        return seccomp_syscall_resolve_name(name);
}

static void set_slot(struct policy *p, struct names *nm, int slot, const char *name,
                     enum verdict v)
{
        if (slot < 0)
                return;
        p->v[slot] = (unsigned char)v;
        if (!nm->of[slot])
                nm->of[slot] = name;
}

static void set(struct policy *p, struct names *nm, const char *name, enum verdict v)
{
        set_slot(p, nm, slot_of(resolve(name)), name, v);
}

static bool keeps(const struct sandbox_spec *sb, int cap)
{
        return !sb->caps_set || (cap < 64 && (sb->caps >> cap) & 1);
}

static void add_default(struct policy *p, struct names *nm, const struct sandbox_spec *sb)
{
        for (const char *const *n = seccomp_default_allow; *n; n++)
                set(p, nm, *n, V_ALLOW);
        p->filters = true;
        p->sys_admin = keeps(sb, CAP_SYS_ADMIN);
        for (const struct seccomp_cap_group *g = seccomp_default_cap_groups; g->cap >= 0; g++)
                if (keeps(sb, g->cap))
                        for (const char *const *n = g->names; *n; n++)
                                set(p, nm, *n, V_ALLOW);
        if (!p->sys_admin) {
                set(p, nm, "clone", V_FILTERED);
                set(p, nm, "clone3", V_FILTERED);
        }
        set(p, nm, "socket", V_FILTERED);
        set(p, nm, "personality", V_FILTERED);
}

static int add_names(struct policy *p, struct names *nm, char **names, enum verdict v,
                     const char *key, struct sup_err *err)
{
        for (char **n = names; n && *n; n++) {
                int nr = resolve(*n);

                if (nr == __NR_SCMP_ERROR)
                        return sup_fail(err, 0, "%s: unknown syscall %s", key, *n);
                set_slot(p, nm, slot_of(nr), *n, v);
        }
        return 0;
}

static int profile_line(struct policy *p, struct names *nm, const struct sandbox_spec *sb,
                        char *line, int lineno, struct sup_err *err)
{
        char name[128], action[32], extra[2];
        int n, nr, slot;

        line[strcspn(line, "#\n")] = '\0';
        n = sscanf(line, "%127s %31s %1s", name, action, extra);
        if (n <= 0)
                return 0;
        if (n == 3 || (n == 2 && strcmp(action, "allow") && strcmp(action, "deny")))
                return sup_fail(err, 0, "%s:%d: expected SYSCALL [allow|deny]",
                                sb->seccomp_profile, lineno);
        nr = resolve(name);
        if (nr == __NR_SCMP_ERROR)
                return sup_fail(err, 0, "%s:%d: unknown syscall \"%s\"", sb->seccomp_profile,
                                lineno, name);
        slot = slot_of(nr);
        if (slot >= 0 && !nm->of[slot]) {
                if (nm->n_owned == sizeof(nm->owned) / sizeof(nm->owned[0]))
                        return sup_fail(err, 0, "%s: too many syscalls", sb->seccomp_profile);
                nm->owned[nm->n_owned] = strdup(name);
                if (!nm->owned[nm->n_owned])
                        return sup_fail(err, ENOMEM, "%s", sb->seccomp_profile);
                nm->of[slot] = nm->owned[nm->n_owned++];
        }
        if (slot >= 0)
                p->v[slot] = n == 2 && strcmp(action, "deny") == 0 ? V_DENY : V_ALLOW;
        return 0;
}

/* The profile file, as confd documents it: "SYSCALL [allow|deny]" a line,
 * '#' comments. confd has merged it into seccomp_allow/deny already; reading
 * it here too keeps hand-built specs (suprun, tests) working the same way. */
static int read_profile(struct policy *p, struct names *nm, const struct sandbox_spec *sb,
                        struct sup_err *err)
{
        FILE *f = fopen(sb->seccomp_profile, "re");
        char line[512];
        int lineno = 0;

        if (!f)
                return sup_fail(err, errno, "seccomp profile %s", sb->seccomp_profile);
        while (fgets(line, sizeof(line), f))
                if (profile_line(p, nm, sb, line, ++lineno, err) < 0) {
                        fclose(f);
                        return -1;
                }
        fclose(f);
        return 0;
}

/* The verdict a name gets: unnamed ones follow the mode. */
static enum verdict effective(const struct policy *p, int slot)
{
        enum verdict v = slot < 0 ? V_UNSET : (enum verdict)p->v[slot];

        if (v == V_UNSET)
                return p->base_allow ? V_ALLOW : V_DENY;
        return v;
}

/* ------------------------------------------------------------------ */
/* A growing BPF program                                                */

struct prog {
        struct sock_filter *ins;
        size_t len, cap;
};

static int put(struct prog *pr, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
        if (pr->len == pr->cap) {
                size_t cap = pr->cap ? pr->cap * 2 : 64;
                struct sock_filter *ins = realloc(pr->ins, cap * sizeof(*ins));

                if (!ins)
                        return -1;
                pr->ins = ins;
                pr->cap = cap;
        }
        pr->ins[pr->len++] = (struct sock_filter){ code, jt, jf, k };
        return 0;
}

static int append(struct prog *pr, const struct sock_filter *ins, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (put(pr, ins[i].code, ins[i].jt, ins[i].jf, ins[i].k) < 0)
                        return -1;
        return 0;
}

static int export_bpf(scmp_filter_ctx ctx, struct prog *out, struct sup_err *err)
{
        int fd = memfd_create("seccomp-bpf", MFD_CLOEXEC);
        off_t size;
        int rc;

        if (fd < 0)
                return sup_fail(err, errno, "memfd_create");
        rc = seccomp_export_bpf(ctx, fd);
        size = lseek(fd, 0, SEEK_END);
        if (rc < 0 || size <= 0 || size % (off_t)sizeof(struct sock_filter)) {
                close(fd);
                return sup_fail(err, rc < 0 ? -rc : EIO, "seccomp_export_bpf");
        }
        out->ins = malloc((size_t)size);
        if (!out->ins || pread(fd, out->ins, (size_t)size, 0) != size) {
                free(out->ins);
                out->ins = NULL;
                close(fd);
                return sup_fail(err, ENOMEM, "reading the BPF program");
        }
        close(fd);
        out->len = out->cap = (size_t)size / sizeof(struct sock_filter);
        return 0;
}

static scmp_filter_ctx new_ctx(uint32_t def, const struct abi *abis, size_t n)
{
        scmp_filter_ctx ctx = seccomp_init(def);

        if (!ctx)
                return NULL;
        /* We load the filter ourselves, after no_new_privs or with caps. */
        seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
        seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
        /* The dispatcher routes by ABI: reaching a bad arch here is a bug. */
        seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
        for (size_t i = 0; i < n; i++)
                if (abis[i].scmp != seccomp_arch_native() &&
                    seccomp_arch_add(ctx, abis[i].scmp) < 0) {
                        seccomp_release(ctx);
                        return NULL;
                }
        if (abis[0].scmp != seccomp_arch_native())
                seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
        return ctx;
}

/* ------------------------------------------------------------------ */
/* One ABI: its newest syscall, its argument-filtered numbers, its D    */

struct abi_plan {
        const struct abi *abi;
        long lo, hi;            /* newest named number below / from split, -1 none */
        uint32_t route[8];      /* numbers (with the x32 bit) that go to F */
        size_t n_route;
        uint32_t eperm[2];      /* multiplexers (socketcall, ipc) not allowed */
        size_t n_eperm;
        struct prog d;
};

/* The newest numbers the policy names on this ABI, and which are allowed. */
static void plan_range(struct abi_plan *ap, const struct policy *p, const struct names *nm,
                       unsigned char *allowed, size_t n_allowed)
{
        const struct abi *a = ap->abi;

        ap->lo = ap->hi = -1;
        for (int s = 0; s < SLOTS; s++) {
                long nr;

                if (p->v[s] == V_UNSET || !nm->of[s])
                        continue;
                nr = a->scmp == seccomp_arch_native() && s < NR_MAX ? s :
                     seccomp_syscall_resolve_name_arch(a->scmp, nm->of[s]);
                if (nr < 0)
                        continue;       /* not on this ABI, or multiplexed (x86 socket) */
                nr &= ~(long)a->bit;
                if (a->split && nr >= a->split)
                        ap->hi = nr > ap->hi ? nr : ap->hi;
                else
                        ap->lo = nr > ap->lo ? nr : ap->lo;
                if ((size_t)nr < n_allowed && p->v[s] == V_ALLOW)
                        allowed[nr] = 1;
        }
}

static int deny_rule(scmp_filter_ctx ctx, const struct policy *p, struct abi_plan *ap, long nr,
                     const unsigned char *allowed)
{
        uint32_t full = (uint32_t)nr | ap->abi->bit;
        char *name;
        int key;

        if (allowed[nr])
                return 0;
        name = seccomp_syscall_resolve_num_arch(ap->abi->scmp, (int)full);     /* malloc'd */
        if (!name)
                return 0;               /* a hole: the kernel answers ENOSYS */
        key = resolve(name);
        free(name);
        switch (effective(p, slot_of(key))) {
        case V_ALLOW:
                return 0;
        case V_FILTERED:
                if (ap->n_route == sizeof(ap->route) / sizeof(ap->route[0]))
                        return -E2BIG;
                ap->route[ap->n_route++] = full;
                return 0;
        default:
                return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), key, 0);
        }
}

static bool multiplexer(const char *name)
{
        return strcmp(name, "socketcall") == 0 || strcmp(name, "ipc") == 0;
}

/* A multiplexer the policy does not allow fails whatever the sub-call:
 * in the dispatcher, so that allowing "connect" in an allow list does not
 * allow socketcall(SYS_CONNECT) when socketcall itself is not allowed. */
static void plan_multiplexers(struct abi_plan *ap, const struct policy *p)
{
        static const char *const names[] = { "socketcall", "ipc" };

        for (size_t i = 0; i < 2; i++) {
                int nr = seccomp_syscall_resolve_name_arch(ap->abi->scmp, names[i]);

                if (nr >= 0 && effective(p, slot_of(resolve(names[i]))) != V_ALLOW)
                        ap->eperm[ap->n_eperm++] = (uint32_t)nr;
        }
}

/* Deny list: default ALLOW, EPERM for each named number not allowed (a
 * walk over the ABI's numbers, which also finds the argument-filtered ones). */
static int deny_list(scmp_filter_ctx ctx, struct abi_plan *ap, const struct policy *p,
                     const unsigned char *allowed)
{
        const struct abi *a = ap->abi;
        int rc = 0;

        for (long nr = 0; rc == 0 && nr <= ap->lo && nr < NR_MAX; nr++)
                rc = deny_rule(ctx, p, ap, nr, allowed);
        for (long nr = a->split; a->split && rc == 0 && nr <= ap->hi && nr < NR_MAX; nr++)
                rc = deny_rule(ctx, p, ap, nr, allowed);
        return rc;
}

/* The number of an argument-filtered name on this ABI; x86's socket is
 * known to libseccomp only as a multiplexed pseudo number: look it up. */
static long direct_number(const struct abi_plan *ap, const char *name)
{
        long nr = seccomp_syscall_resolve_name_arch(ap->abi->scmp, name);

        for (long n = 0; nr < 0 && n <= ap->lo && n < NR_MAX; n++) {
                char *at = seccomp_syscall_resolve_num_arch(ap->abi->scmp, (int)n);

                if (at && strcmp(at, name) == 0)
                        nr = n;
                free(at);
        }
        return nr;
}

/* Allow list: default EPERM, ALLOW for each allowed name (libseccomp adds
 * socketcall/ipc sub-call rules for socket and IPC names on i386). */
static int allow_list(scmp_filter_ctx ctx, struct abi_plan *ap, const struct policy *p,
                      const struct names *nm)
{
        for (int s = 0; s < SLOTS; s++) {
                int rc = 0;
                long nr;

                if (!nm->of[s] || p->v[s] == V_UNSET || p->v[s] == V_DENY ||
                    multiplexer(nm->of[s]) ||
                    seccomp_syscall_resolve_name_arch(ap->abi->scmp, nm->of[s]) ==
                    __NR_SCMP_ERROR)
                        continue;
                if (p->v[s] == V_ALLOW) {
                        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, resolve(nm->of[s]), 0);
                } else if ((nr = direct_number(ap, nm->of[s])) >= 0) {
                        if (ap->n_route == sizeof(ap->route) / sizeof(ap->route[0]))
                                return -E2BIG;
                        ap->route[ap->n_route++] = (uint32_t)nr;
                }
                if (rc < 0)
                        return rc;
        }
        return 0;
}

/* D for one ABI, as whichever list is shorter: libseccomp's compile time
 * grows with the rules, and both say the same (the dispatcher adds ENOSYS
 * above the newest name; unnamed numbers below it get EPERM in an allow
 * list, the kernel's own ENOSYS in a deny list). */
static int plan_abi(struct abi_plan *ap, const struct policy *p, const struct names *nm,
                    struct sup_err *err)
{
        unsigned char allowed[NR_MAX] = { 0 };
        const struct abi *a = ap->abi;
        size_t n_allowed = 0, span;
        scmp_filter_ctx ctx;
        bool allow_mode;
        int rc;

        plan_range(ap, p, nm, allowed, NR_MAX);
        for (size_t i = 0; i < NR_MAX; i++)
                n_allowed += allowed[i];
        span = (size_t)(ap->lo + 1) + (a->split && ap->hi >= 0 ? (size_t)(ap->hi - a->split + 1) : 0);
        allow_mode = !p->base_allow && n_allowed * 2 < span;
        plan_multiplexers(ap, p);
        ctx = new_ctx(allow_mode ? SCMP_ACT_ERRNO(EPERM) : SCMP_ACT_ALLOW, a, 1);
        if (!ctx)
                return sup_fail(err, ENOMEM, "seccomp_init");
        rc = allow_mode ? allow_list(ctx, ap, p, nm) : deny_list(ctx, ap, p, allowed);
        if (rc < 0) {
                seccomp_release(ctx);
                return sup_fail(err, -rc, "seccomp rules");
        }
        rc = export_bpf(ctx, &ap->d, err);
        seccomp_release(ctx);
        return rc;
}

/* ------------------------------------------------------------------ */
/* F: Docker's argument filters, every ABI in one libseccomp context     */

static int rule(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned n,
                const struct scmp_arg_cmp *args)
{
        return seccomp_rule_add_array(ctx, action, resolve(name), n, args);
}

static bool filtered(const struct policy *p, const char *name)
{
        return effective(p, slot_of(resolve(name))) == V_FILTERED;
}

/* socket domains above AF_VSOCK (40), as Docker's "> 40" allows them, but
 * only with the upper 32 bits clear: the kernel truncates the domain to
 * int, so 0x100000026 would be AF_ALG. libseccomp takes one comparison per
 * argument in a rule, hence [41, 2^32) as aligned power-of-two blocks, one
 * masked comparison each (29 rules, reached only by socket()). */
static int allow_domains_above_vsock(scmp_filter_ctx ctx)
{
        const uint64_t end = 1ULL << 32;
        uint64_t lo = 41;
        int rc = 0;

        while (lo < end) {
                uint64_t size = lo & -lo;       /* the largest block aligned at lo */
                struct scmp_arg_cmp a;

                while (lo + size > end)
                        size >>= 1;
                a = SCMP_A0(SCMP_CMP_MASKED_EQ, ~(size - 1), lo);
                rc |= rule(ctx, SCMP_ACT_ALLOW, "socket", 1, &a);
                lo += size;
        }
        return rc;
}

/* As separate rules (libseccomp ORs them). socket: Docker's rules, every
 * domain but AF_ALG (38) and AF_VSOCK (40), compared as 64-bit values so a
 * domain with high bits set (which the kernel truncates to int) matches
 * none. */
static int add_filters(scmp_filter_ctx ctx, const struct policy *p)
{
        static const uint64_t personas[] = { 0x0, 0x8, 0x20000, 0x20008, 0xffffffff };
        struct scmp_arg_cmp a;
        int rc = 0;

        if (filtered(p, "clone")) {
                a = SCMP_A0(SCMP_CMP_MASKED_EQ, 0x7E020000ULL, 0);      /* no CLONE_NEW* */
                rc |= rule(ctx, SCMP_ACT_ALLOW, "clone", 1, &a);
        }
        if (filtered(p, "clone3"))
                rc |= rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, NULL);
        if (filtered(p, "socket")) {
                a = SCMP_A0(SCMP_CMP_LT, 38);
                rc |= rule(ctx, SCMP_ACT_ALLOW, "socket", 1, &a);
                a = SCMP_A0(SCMP_CMP_EQ, 39);
                rc |= rule(ctx, SCMP_ACT_ALLOW, "socket", 1, &a);
                rc |= allow_domains_above_vsock(ctx);
        }
        if (filtered(p, "personality"))
                for (size_t i = 0; i < sizeof(personas) / sizeof(personas[0]); i++) {
                        a = SCMP_A0(SCMP_CMP_EQ, personas[i]);
                        rc |= rule(ctx, SCMP_ACT_ALLOW, "personality", 1, &a);
                }
        return rc;
}

static int build_f(struct prog *f, const struct policy *p, const struct abi *abis, size_t n,
                   struct sup_err *err)
{
        scmp_filter_ctx ctx = new_ctx(SCMP_ACT_ERRNO(EPERM), abis, n);
        int rc;

        if (!ctx)
                return sup_fail(err, ENOMEM, "seccomp_init");
        rc = add_filters(ctx, p);
        if (rc < 0) {
                seccomp_release(ctx);
                return sup_fail(err, -rc, "seccomp argument filters");
        }
        rc = export_bpf(ctx, f, err);
        seccomp_release(ctx);
        return rc;
}

/* ------------------------------------------------------------------ */
/* The dispatcher                                                        */

#define LD_W (BPF_LD | BPF_W | BPF_ABS)
#define JMP(op) (BPF_JMP | (op) | BPF_K)

/* Fix-ups: a `ja` to D of ABI i, or to F, resolved once everything is laid. */
struct fixup {
        size_t pc;
        int target;             /* ABI index, or -1 for F */
};

/* The body of an ABI's block, A = the number: ENOSYS above the newest
 * syscall, multiplexers not allowed → EPERM, the argument-filtered numbers
 * to F, everything else to D.
 * Layout: checks..., ja D, [ret ENOSYS], [ja F], [ret EPERM]. */
static int dispatch_body(struct prog *pr, const struct abi_plan *ap, size_t idx, bool enosys,
                         struct fixup *fx, size_t *nfx)
{
        const struct abi *a = ap->abi;
        bool two = enosys && a->split && ap->hi >= 0;   /* x32: a gap below its own numbers */
        size_t checks = (enosys ? (two ? 3 : 1) : 0) + ap->n_eperm + ap->n_route, k = 0;
        size_t at_enosys = checks + 1;
        size_t at_f = at_enosys + (enosys ? 1 : 0);
        size_t at_eperm = at_f + (ap->n_route ? 1 : 0);

        if (two) {
                if (put(pr, JMP(BPF_JGT), (uint8_t)(at_enosys - k - 1), 0,
                        (uint32_t)ap->hi | a->bit) < 0 ||
                    put(pr, JMP(BPF_JGE), 1, 0, a->split | a->bit) < 0)
                        return -1;
                k += 2;
        }
        if (enosys) {
                /* Nothing named on this ABI: every number is "newer". */
                if (ap->lo < 0 ?
                    put(pr, JMP(BPF_JGE), (uint8_t)(at_enosys - k - 1), 0, a->bit) < 0 :
                    put(pr, JMP(BPF_JGT), (uint8_t)(at_enosys - k - 1), 0,
                        (uint32_t)ap->lo | a->bit) < 0)
                        return -1;
                k++;
        }
        for (size_t r = 0; r < ap->n_eperm; r++, k++)
                if (put(pr, JMP(BPF_JEQ), (uint8_t)(at_eperm - k - 1), 0, ap->eperm[r]) < 0)
                        return -1;
        for (size_t r = 0; r < ap->n_route; r++, k++)
                if (put(pr, JMP(BPF_JEQ), (uint8_t)(at_f - k - 1), 0, ap->route[r]) < 0)
                        return -1;
        fx[(*nfx)++] = (struct fixup){ pr->len, (int)idx };
        if (put(pr, BPF_JMP | BPF_JA, 0, 0, 0) < 0)
                return -1;
        if (enosys && put(pr, BPF_RET | BPF_K, 0, 0,
                          SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)) < 0)
                return -1;
        if (ap->n_route) {
                fx[(*nfx)++] = (struct fixup){ pr->len, -1 };
                if (put(pr, BPF_JMP | BPF_JA, 0, 0, 0) < 0)
                        return -1;
        }
        if (ap->n_eperm && put(pr, BPF_RET | BPF_K, 0, 0,
                               SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)) < 0)
                return -1;
        return 0;
}

/* One ABI's block; A = nothing yet. Jumps "to the next block" are written
 * with jf/jt = 0xff and patched by the caller. */
static int dispatch_block(struct prog *pr, const struct abi_plan *ap, const struct abi *abis,
                          size_t n, size_t idx, bool enosys, struct fixup *fx, size_t *nfx)
{
        const struct abi *a = ap->abi;
        bool shared = false;            /* another ABI has the same audit arch */

        for (size_t i = 0; i < n; i++)
                shared |= i != idx && abis[i].audit == a->audit;
        if (put(pr, LD_W, 0, 0, offsetof(struct seccomp_data, arch)) < 0 ||
            put(pr, JMP(BPF_JEQ), 0, 0xff, a->audit) < 0 ||
            put(pr, LD_W, 0, 0, offsetof(struct seccomp_data, nr)) < 0)
                return -1;
        if (shared && a->bit) {         /* x32: the bit, and not -1 */
                if (put(pr, JMP(BPF_JEQ), 0xff, 0, 0xffffffff) < 0 ||
                    put(pr, JMP(BPF_JSET), 0, 0xff, a->bit) < 0)
                        return -1;
        } else if (shared) {            /* x86_64 next to x32: -1 is ours */
                if (put(pr, JMP(BPF_JEQ), 1, 0, 0xffffffff) < 0 ||
                    put(pr, JMP(BPF_JSET), 0xff, 0, X32_BIT) < 0)
                        return -1;
        }
        return dispatch_body(pr, ap, idx, enosys, fx, nfx);
}

/* Patch this block's "next block" placeholders (0xff) now that its end is known. */
static int patch_next(struct prog *pr, size_t start)
{
        for (size_t pc = start; pc < pr->len; pc++) {
                struct sock_filter *i = &pr->ins[pc];
                size_t off = pr->len - pc - 1;

                if (BPF_CLASS(i->code) != BPF_JMP || BPF_OP(i->code) == BPF_JA)
                        continue;
                if (off > 0xfe)
                        return -1;
                if (i->jt == 0xff)
                        i->jt = (uint8_t)off;
                if (i->jf == 0xff)
                        i->jf = (uint8_t)off;
        }
        return 0;
}

static int lay_out(struct prog *out, struct abi_plan *ap, size_t n, const struct prog *f,
                   bool enosys, struct sup_err *err)
{
        struct abi abis[4];
        struct fixup fx[16];
        size_t nfx = 0, start[4], fstart;

        for (size_t i = 0; i < n; i++)
                abis[i] = *ap[i].abi;
        for (size_t i = 0; i < n; i++) {
                size_t b = out->len;

                if (dispatch_block(out, &ap[i], abis, n, i, enosys, fx, &nfx) < 0 ||
                    patch_next(out, b) < 0)
                        return sup_fail(err, ENOMEM, "seccomp dispatcher");
        }
        if (put(out, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_KILL_PROCESS) < 0)
                return sup_fail(err, ENOMEM, "seccomp dispatcher");
        for (size_t i = 0; i < n; i++) {
                start[i] = out->len;
                if (append(out, ap[i].d.ins, ap[i].d.len) < 0)
                        return sup_fail(err, ENOMEM, "seccomp program");
        }
        fstart = out->len;
        if (f->len && append(out, f->ins, f->len) < 0)
                return sup_fail(err, ENOMEM, "seccomp program");
        for (size_t i = 0; i < nfx; i++) {
                size_t to = fx[i].target < 0 ? fstart : start[fx[i].target];

                out->ins[fx[i].pc].k = (uint32_t)(to - fx[i].pc - 1);
        }
        if (out->len > BPF_MAX_INSNS)
                return sup_fail(err, E2BIG, "the filter has %zu instructions (the kernel "
                                "takes %d)", out->len, BPF_MAX_INSNS);
        return 0;
}

static int compile(const struct policy *p, const struct names *nm, struct prog *out,
                   struct sup_err *err)
{
        struct abi abis[4];
        struct abi_plan ap[4];
        struct prog f = { 0 };
        size_t n = abi_list(abis);
        bool any_route = false;
        int rc = 0;

        memset(ap, 0, sizeof(ap));
        for (size_t i = 0; i < n && rc == 0; i++) {
                ap[i].abi = &abis[i];
                rc = plan_abi(&ap[i], p, nm, err);
                any_route |= ap[i].n_route > 0;
        }
        if (rc == 0 && any_route)
                rc = build_f(&f, p, abis, n, err);
        if (rc == 0)
                rc = lay_out(out, ap, n, &f, !p->base_allow, err);
        for (size_t i = 0; i < n; i++)
                free(ap[i].d.ins);
        free(f.ins);
        return rc;
}

/* ------------------------------------------------------------------ */
/* Compiled once per distinct policy (supd: many services, one policy)  */

struct cached {
        struct cached *next;
        struct policy policy;
        struct sock_filter *ins;
        size_t len;
};

static struct cached *cache;

static int attach(struct sandbox_spec *sb, const struct sock_filter *ins, size_t len,
                  struct sup_err *err)
{
        struct sock_filter *copy = malloc(len * sizeof(*copy));

        if (!copy)
                return sup_fail(err, ENOMEM, "seccomp program");
        memcpy(copy, ins, len * sizeof(*copy));
        sb->seccomp_bpf = copy;
        sb->seccomp_bpf_len = len;
        return 0;
}

static int compile_cached(const struct policy *p, const struct names *nm,
                          struct sandbox_spec *sb, struct sup_err *err)
{
        struct prog out = { 0 };
        struct cached *c;

        for (c = cache; c; c = c->next)
                if (memcmp(&c->policy, p, sizeof(*p)) == 0)
                        return attach(sb, c->ins, c->len, err);
        if (compile(p, nm, &out, err) < 0) {
                free(out.ins);
                return -1;
        }
        c = malloc(sizeof(*c));
        if (!c) {
                free(out.ins);
                return sup_fail(err, ENOMEM, "seccomp cache");
        }
        memcpy(&c->policy, p, sizeof(*p));
        c->ins = out.ins;
        c->len = out.len;
        c->next = cache;
        cache = c;
        return attach(sb, c->ins, c->len, err);
}

int syscall_filter_compile(struct sandbox_spec *sb, struct sup_err *err)
{
        struct policy p;
        struct names *nm;
        int rc = -1;

        if (sb->seccomp_bpf)
                return 0;       /* already prepared */
        if (sb->seccomp == SECCOMP_NONE && !sb->seccomp_deny)
                return 0;
        nm = calloc(1, sizeof(*nm));
        if (!nm)
                return sup_fail(err, ENOMEM, "seccomp policy");
        memset(&p, 0, sizeof(p));
        p.base_allow = sb->seccomp == SECCOMP_NONE;
        if (sb->seccomp == SECCOMP_DEFAULT)
                add_default(&p, nm, sb);
        if ((sb->seccomp != SECCOMP_PROFILE || read_profile(&p, nm, sb, err) == 0) &&
            add_names(&p, nm, sb->seccomp_allow, V_ALLOW, "seccomp_allow", err) == 0 &&
            add_names(&p, nm, sb->seccomp_deny, V_DENY, "seccomp_deny", err) == 0)
                rc = compile_cached(&p, nm, sb, err);
        for (size_t i = 0; i < nm->n_owned; i++)
                free(nm->owned[i]);
        free(nm);
        return rc;
}

int syscall_filter_load(const struct sandbox_spec *sb, struct sup_err *err)
{
        struct sock_fprog prog;

        if (!sb->seccomp_bpf)
                return 0;
        prog.len = (unsigned short)sb->seccomp_bpf_len;
        prog.filter = sb->seccomp_bpf;
        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
                return 0;
        if (errno == ENOSYS && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0)
                return 0;
        if (errno == EACCES)
                return sup_fail(err, errno, "load the filter (needs no_new_privileges "
                                "or CAP_SYS_ADMIN)");
        return sup_fail(err, errno, "load the filter");
}
