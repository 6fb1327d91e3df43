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
 *   D (per ABI) the shorter list: EPERM for each named syscall up to the
 *              newest that is not allowed, as a binary search over runs of
 *              numbers written here (Docker's profile), or default EPERM +
 *              ALLOW rules through libseccomp (a short profile file; also a
 *              deny list refusing a socketcall/ipc sub-call, which needs
 *              libseccomp's argument checks on the multiplexer)
 *   F (per ABI, after its D) clone/clone3/socket/personality with Docker's
 *              argument filters, written here
 * Why: libseccomp's rule database and generator cost ~1.2 ms of CPU for
 * Docker's profile, which suprun pays on every run; written here the same
 * program takes ~0.35 ms, most of it libseccomp's name/number tables (still
 * the only source of syscall numbers). tests/unit/test_seccomp_abi.c runs
 * the program over every number of every ABI against the name lists.
 * Numbers libseccomp does not name (holes) below the newest get EPERM in an
 * allow list, the kernel's own ENOSYS in a deny list.

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
        unsigned char route_kind[8];    /* enum arg_filter of each */
        size_t n_route;
        size_t f_at;            /* where F starts in d */
        uint32_t eperm[2];      /* multiplexers (socketcall, ipc) not allowed */
        size_t n_eperm;
        struct prog d;
};

/* Docker's argument filters, by the name they apply to. */
enum arg_filter { AF_CLONE, AF_CLONE3, AF_SOCKET, AF_PERSONALITY };

static int add_route(struct abi_plan *ap, uint32_t nr, const char *name)
{
        static const char *const names[] = { "clone", "clone3", "socket", "personality" };
        size_t k = 0;

        while (k < 4 && strcmp(names[k], name) != 0)
                k++;
        if (k == 4)
                return -EINVAL;         /* only those four are ever V_FILTERED */
        if (ap->n_route == sizeof(ap->route) / sizeof(ap->route[0]))
                return -E2BIG;
        ap->route_kind[ap->n_route] = (unsigned char)k;
        ap->route[ap->n_route++] = nr;
        return 0;
}

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

/* What D says of each number in the deny-list layout; "either" for the
 * argument-filtered ones, which the dispatcher has sent to F already (they
 * join whichever run is next to them). */
enum d_verdict { D_ALLOW, D_EPERM, D_EITHER };

struct d_plan {
        unsigned char v[NR_MAX];        /* by number without the bit */
        int key[NR_MAX];                /* libseccomp's name for it, for the fallback */
        bool sub_calls;                 /* a socketcall/ipc sub-call is refused */
};

/* A name this ABI also reaches through socketcall or ipc (i386). */
static bool sub_call(const struct abi_plan *ap, const char *name)
{
        int nr = seccomp_syscall_resolve_name_arch(ap->abi->scmp, name);

        return nr <= -MUX_BASE && nr > -MUX_BASE - MUX_MAX;
}

static int deny_rule(struct d_plan *dp, const struct policy *p, struct abi_plan *ap, long nr,
                     const unsigned char *allowed)
{
        uint32_t full = (uint32_t)nr | ap->abi->bit;
        char *name;
        int key, rc;

        dp->v[nr] = D_ALLOW;
        dp->key[nr] = __NR_SCMP_ERROR;
        if (allowed[nr])
                return 0;
        name = seccomp_syscall_resolve_num_arch(ap->abi->scmp, (int)full);     /* malloc'd */
        if (!name) {
                /* A hole: an allow list refuses what it does not name (as
                 * its libseccomp layout and Docker do), a deny list does not. */
                dp->v[nr] = p->base_allow ? D_ALLOW : D_EPERM;
                return 0;
        }
        key = resolve(name);
        dp->key[nr] = key;
        switch (effective(p, slot_of(key))) {
        case V_ALLOW:
                free(name);
                return 0;
        case V_FILTERED:
                dp->v[nr] = D_EITHER;   /* the dispatcher sends it to F */
                rc = add_route(ap, full, name);
                free(name);
                return rc;
        default:
                dp->v[nr] = D_EPERM;
                dp->sub_calls |= sub_call(ap, name);
                free(name);
                return 0;
        }
}

/* D as a binary search over regions of the number space, each ALLOW or
 * EPERM: region k is [bound[k], bound[k + 1]). Written here, not by
 * libseccomp: for the ~100 refused numbers of Docker's profile its rule
 * database and generator cost ~1 ms of every compile (suprun compiles on
 * every run), this a few microseconds. A branch is one JGE over its left
 * half, or a JGE and a `ja` when that half is longer than an 8-bit offset. */
struct regions {
        uint32_t bound[2 * NR_MAX + 2];
        bool eperm[2 * NR_MAX + 2];
        size_t n;
};

static uint32_t verdict_ret(bool eperm)
{
        return eperm ? SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA) : SECCOMP_RET_ALLOW;
}

/* The instructions emit_search() writes for regions l..r. */
static size_t search_size(size_t l, size_t r)
{
        size_t m = (l + r + 1) / 2, left;

        if (l == r)
                return 1;
        if (r == l + 1)
                return 3;
        left = search_size(l, m - 1);
        return (left <= 0xff ? 1 : 2) + left + search_size(m, r);
}

/* A node jumps over its left half with its own 8-bit offset when it can,
 * else through a `ja`. */
static int emit_search(struct prog *pr, const struct regions *rg, size_t l, size_t r)
{
        size_t m, left;

        if (l == r)
                return put(pr, BPF_RET | BPF_K, 0, 0, verdict_ret(rg->eperm[l]));
        if (r == l + 1)
                return put(pr, BPF_JMP | BPF_JGE | BPF_K, 1, 0, rg->bound[r]) < 0 ||
                       put(pr, BPF_RET | BPF_K, 0, 0, verdict_ret(rg->eperm[l])) < 0 ||
                       put(pr, BPF_RET | BPF_K, 0, 0, verdict_ret(rg->eperm[r])) < 0 ? -1 : 0;
        m = (l + r + 1) / 2;
        left = search_size(l, m - 1);
        if (left <= 0xff ?
            put(pr, BPF_JMP | BPF_JGE | BPF_K, (uint8_t)left, 0, rg->bound[m]) < 0 :
            put(pr, BPF_JMP | BPF_JGE | BPF_K, 0, 1, rg->bound[m]) < 0 ||
            put(pr, BPF_JMP | BPF_JA, 0, 0, (uint32_t)left) < 0)
                return -1;
        if (emit_search(pr, rg, l, m - 1) < 0)
                return -1;
        return emit_search(pr, rg, m, r);
}

/* A region starts wherever the verdict changes. */
static void add_region(struct regions *rg, uint32_t from, bool eperm)
{
        if (rg->n && rg->eperm[rg->n - 1] == eperm)
                return;
        rg->bound[rg->n] = from;
        rg->eperm[rg->n++] = eperm;
}

static void regions_of(struct regions *rg, const struct d_plan *dp, const struct abi_plan *ap,
                       long from, long to)
{
        for (long nr = from; nr <= to && nr < NR_MAX; nr++)
                if (dp->v[nr] != D_EITHER)
                        add_region(rg, (uint32_t)nr | ap->abi->bit, dp->v[nr] == D_EPERM);
}

static int deny_list_bpf(struct abi_plan *ap, const struct d_plan *dp)
{
        const struct abi *a = ap->abi;
        struct regions *rg = calloc(1, sizeof(*rg));
        int rc;

        if (!rg)
                return -ENOMEM;
        add_region(rg, 0, false);
        regions_of(rg, dp, ap, 0, ap->lo);
        if (a->split) {
                add_region(rg, (uint32_t)(ap->lo + 1) | a->bit, false);
                regions_of(rg, dp, ap, a->split, ap->hi);
        }
        /* Above the newest: the dispatcher's ENOSYS, or (no prologue) allowed. */
        add_region(rg, (uint32_t)((a->split && ap->hi >= 0 ? ap->hi : ap->lo) + 1) | a->bit, false);
        rc = put(&ap->d, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr)) < 0 ||
             emit_search(&ap->d, rg, 0, rg->n - 1) < 0 ? -ENOMEM : 0;
        free(rg);
        return rc;
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

/* A refused socketcall/ipc sub-call needs an argument check on the
 * multiplexer, which libseccomp adds for the name (only when a deny list
 * names one: Docker's profile refuses none). Holes stay the kernel's ENOSYS
 * in this layout. */
static int deny_list_libseccomp(struct abi_plan *ap, const struct d_plan *dp)
{
        struct sup_err err;
        scmp_filter_ctx ctx = new_ctx(SCMP_ACT_ALLOW, ap->abi, 1);
        int rc = 0;

        if (!ctx)
                return -ENOMEM;
        for (size_t nr = 0; rc == 0 && nr < NR_MAX; nr++)
                if (dp->v[nr] == D_EPERM && dp->key[nr] != __NR_SCMP_ERROR)
                        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), dp->key[nr], 0);
        if (rc == 0 && export_bpf(ctx, &ap->d, &err) < 0)
                rc = -(err.errnum ? err.errnum : EIO);
        seccomp_release(ctx);
        return rc;
}

/* Deny list: ALLOW, but EPERM for each named number not allowed (a walk
 * over the ABI's numbers, which also finds the argument-filtered ones). */
/* Without socketcall and ipc on this ABI, every number whose verdict is
 * not the default is one of a name the policy names: found by name
 * (libseccomp hashes names), no walk over the ABI's numbers (it looks a
 * number up by a linear scan, most of what a compile cost). Allowed, then
 * argument-filtered, then denied: each pass overrides the one before. */
static int deny_by_names(struct d_plan *dp, struct abi_plan *ap, const struct policy *p,
                         const struct names *nm)
{
        static const enum verdict order[] = { V_ALLOW, V_FILTERED, V_DENY };
        const struct abi *a = ap->abi;
        int rc = 0;

        for (size_t nr = 0; nr < NR_MAX; nr++) {
                dp->v[nr] = p->base_allow ? D_ALLOW : D_EPERM;
                dp->key[nr] = __NR_SCMP_ERROR;
        }
        for (size_t o = 0; o < 3; o++)
                for (int s = 0; s < SLOTS && rc == 0; s++) {
                        long nr;

                        if (p->v[s] != order[o] || !nm->of[s])
                                continue;
                        nr = seccomp_syscall_resolve_name_arch(a->scmp, nm->of[s]);
                        if (nr < 0 || (nr &= ~(long)a->bit) >= NR_MAX)
                                continue;
                        dp->v[nr] = order[o] == V_ALLOW ? D_ALLOW :
                                    order[o] == V_DENY ? D_EPERM : D_EITHER;
                        if (order[o] == V_FILTERED)
                                rc = add_route(ap, (uint32_t)nr | a->bit, nm->of[s]);
                }
        return rc;
}

static bool has_multiplexers(const struct abi *a)
{
        return seccomp_syscall_resolve_name_arch(a->scmp, "socketcall") >= 0 ||
               seccomp_syscall_resolve_name_arch(a->scmp, "ipc") >= 0;
}

static int deny_list(struct abi_plan *ap, const struct policy *p, const struct names *nm,
                     const unsigned char *allowed)
{
        const struct abi *a = ap->abi;
        struct d_plan *dp = calloc(1, sizeof(*dp));
        int rc = 0;

        if (!dp)
                return -ENOMEM;
        if (!has_multiplexers(a))
                rc = deny_by_names(dp, ap, p, nm);
        for (long nr = 0; has_multiplexers(a) && rc == 0 && nr <= ap->lo && nr < NR_MAX; nr++)
                rc = deny_rule(dp, p, ap, nr, allowed);
        for (long nr = a->split; has_multiplexers(a) && a->split && rc == 0 && nr <= ap->hi &&
             nr < NR_MAX; nr++)
                rc = deny_rule(dp, p, ap, nr, allowed);
        if (rc == 0)
                rc = dp->sub_calls ? deny_list_libseccomp(ap, dp) : deny_list_bpf(ap, dp);
        free(dp);
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
                        rc = add_route(ap, (uint32_t)nr, nm->of[s]);
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
        if (!allow_mode) {
                rc = deny_list(ap, p, nm, allowed);
                return rc < 0 ? sup_fail(err, -rc, "seccomp rules") : 0;
        }
        ctx = new_ctx(SCMP_ACT_ERRNO(EPERM), a, 1);
        if (!ctx)
                return sup_fail(err, ENOMEM, "seccomp_init");
        rc = allow_list(ctx, ap, p, nm);
        if (rc < 0) {
                seccomp_release(ctx);
                return sup_fail(err, -rc, "seccomp rules");
        }
        rc = export_bpf(ctx, &ap->d, err);
        seccomp_release(ctx);
        return rc;
}

/* ------------------------------------------------------------------ */
/* F: Docker's argument filters, after each ABI's D                      */

#define LD_ARG0_LO (offsetof(struct seccomp_data, args[0]))
#define LD_ARG0_HI (offsetof(struct seccomp_data, args[0]) + 4)     /* little-endian */
#define RET_EPERM  (SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA))

/* One filter, A = anything. On x86_64 an argument is 64 bits and its upper
 * half must be clear for a value to match (0x100000026 is not AF_INET6:
 * the kernel truncates socket()'s int to AF_ALG); on i386 and x32 only the
 * lower half exists for these calls, as libseccomp compares them too. */
static int arg_filter(struct prog *pr, enum arg_filter kind, bool wide)
{
        static const uint32_t personas[] = { 0x0, 0x8, 0x20000, 0x20008, 0xffffffff };
        const size_t np = sizeof(personas) / sizeof(personas[0]);
        int rc = 0;

        switch (kind) {
        case AF_CLONE:          /* no CLONE_NEW* flag (the mask has no upper half) */
                return put(pr, BPF_LD | BPF_W | BPF_ABS, 0, 0, LD_ARG0_LO) |
                       put(pr, BPF_ALU | BPF_AND | BPF_K, 0, 0, 0x7E020000) |
                       put(pr, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0) |
                       put(pr, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW) |
                       put(pr, BPF_RET | BPF_K, 0, 0, RET_EPERM);
        case AF_CLONE3:         /* its flags sit behind a pointer: ENOSYS, libc falls back to clone */
                return put(pr, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA));
        case AF_SOCKET:         /* every domain but AF_ALG (38) and AF_VSOCK (40) */
                if (wide)
                        rc = put(pr, BPF_LD | BPF_W | BPF_ABS, 0, 0, LD_ARG0_HI) |
                             put(pr, BPF_JMP | BPF_JEQ | BPF_K, 0, 4, 0);
                return rc | put(pr, BPF_LD | BPF_W | BPF_ABS, 0, 0, LD_ARG0_LO) |
                       put(pr, BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 38) |
                       put(pr, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 40) |
                       put(pr, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW) |
                       put(pr, BPF_RET | BPF_K, 0, 0, RET_EPERM);
        case AF_PERSONALITY:    /* Docker's five values */
                if (wide)
                        rc = put(pr, BPF_LD | BPF_W | BPF_ABS, 0, 0, LD_ARG0_HI) |
                             put(pr, BPF_JMP | BPF_JEQ | BPF_K, 0, (uint8_t)(1 + np), 0);
                rc |= put(pr, BPF_LD | BPF_W | BPF_ABS, 0, 0, LD_ARG0_LO);
                for (size_t i = 0; i < np; i++)
                        rc |= put(pr, BPF_JMP | BPF_JEQ | BPF_K, (uint8_t)(np - i), 0, personas[i]);
                return rc | put(pr, BPF_RET | BPF_K, 0, 0, RET_EPERM) |
                       put(pr, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW);
        }
        return -1;
}

/* F of one ABI, appended to its D: A = the number, one of the routed ones.
 * Written here rather than by libseccomp (a context of every ABI cost
 * ~0.3 ms of each compile for these few comparisons). */
static int build_f(struct abi_plan *ap)
{
        bool wide = ap->abi->scmp != SCMP_ARCH_X86 && ap->abi->scmp != SCMP_ARCH_X32;

        ap->f_at = ap->d.len;
        if (put(&ap->d, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr)) < 0)
                return -1;
        for (size_t r = 0; r < ap->n_route; r++) {
                size_t at = ap->d.len;

                if (put(&ap->d, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, ap->route[r]) < 0 ||
                    arg_filter(&ap->d, (enum arg_filter)ap->route_kind[r], wide) < 0)
                        return -1;
                ap->d.ins[at].jf = (uint8_t)(ap->d.len - at - 1);
        }
        return put(&ap->d, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_KILL_PROCESS);
}

/* ------------------------------------------------------------------ */
/* The dispatcher                                                        */

#define LD_W (BPF_LD | BPF_W | BPF_ABS)
#define JMP(op) (BPF_JMP | (op) | BPF_K)

/* Fix-ups: a `ja` to D of ABI i, or to F, resolved once everything is laid. */
struct fixup {
        size_t pc;
        size_t abi;             /* ABI index */
        bool to_f;              /* its F, else its D */
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
        fx[(*nfx)++] = (struct fixup){ pr->len, idx, false };
        if (put(pr, BPF_JMP | BPF_JA, 0, 0, 0) < 0)
                return -1;
        if (enosys && put(pr, BPF_RET | BPF_K, 0, 0,
                          SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)) < 0)
                return -1;
        if (ap->n_route) {
                fx[(*nfx)++] = (struct fixup){ pr->len, idx, true };
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

static int lay_out(struct prog *out, struct abi_plan *ap, size_t n, bool enosys,
                   struct sup_err *err)
{
        struct abi abis[4];
        struct fixup fx[16];
        size_t nfx = 0, start[4];

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
        for (size_t i = 0; i < nfx; i++) {
                size_t to = start[fx[i].abi] + (fx[i].to_f ? ap[fx[i].abi].f_at : 0);

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
        size_t n = abi_list(abis);
        int rc = 0;

        memset(ap, 0, sizeof(ap));
        for (size_t i = 0; i < n && rc == 0; i++) {
                ap[i].abi = &abis[i];
                rc = plan_abi(&ap[i], p, nm, err);
                if (rc == 0 && ap[i].n_route && build_f(&ap[i]) < 0)
                        rc = sup_fail(err, ENOMEM, "seccomp argument filters");
        }
        if (rc == 0)
                rc = lay_out(out, ap, n, !p->base_allow, err);
        for (size_t i = 0; i < n; i++)
                free(ap[i].d.ins);
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
