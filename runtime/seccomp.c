/* runtime/seccomp.c — syscall policy: compiled once at load, loaded last.
 *
 * rt_prepare() turns the configured policy into BPF with libseccomp
 * (seccomp_export_bpf) and keeps it in spec->sandbox; the child only hands
 * the program to the kernel, the very last step before execve.
 *
 * Policies (native architecture only):
 *   seccomp = default   Docker's default profile (seccomp_default.c).
 *   seccomp = PATH      a profile file: "SYSCALL [allow|deny]" per line,
 *                       '#' comments (confd's format); an allow list:
 *                       anything not allowed fails with EPERM.
 *   seccomp = none      no filter — unless seccomp_deny is set, then
 *                       everything is allowed but the denied syscalls.
 *   seccomp_allow / seccomp_deny adjust any of these; deny wins.
 * Syscalls newer than the newest one the policy names fail with ENOSYS, not
 * EPERM, so libc falls back to an older call (runc's ENOSYS prologue). */
#include "runtime/child.h"
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

#define NR_MAX 1024             /* native syscall numbers we track */

enum verdict { V_UNSET, V_ALLOW, V_DENY, V_FILTERED };

struct policy {
        unsigned char v[NR_MAX];
        bool base_allow;        /* default action ALLOW (deny-list mode) */
        bool filters;           /* the default profile's argument filters apply */
        bool sys_admin;         /* service keeps CAP_SYS_ADMIN: no clone filters */
};

static int resolve(const char *name)
{
        return seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, name);
}

static void set(struct policy *p, const char *name, enum verdict v)
{
        int nr = resolve(name);

        if (nr >= 0 && nr < NR_MAX)
                p->v[nr] = (unsigned char)v;
}

static bool keeps(const struct sandbox_spec *sb, int cap)
{
        return !sb->caps_set || (cap < 64 && (sb->caps >> cap) & 1);
}

static void add_default(struct policy *p, const struct sandbox_spec *sb)
{
        for (const char *const *n = seccomp_default_allow; *n; n++)
                set(p, *n, V_ALLOW);
        p->filters = true;
        p->sys_admin = keeps(sb, CAP_SYS_ADMIN);
        for (const struct seccomp_cap_group *g = seccomp_default_cap_groups; g->cap >= 0; g++)
                if (keeps(sb, g->cap))
                        for (const char *const *n = g->names; *n; n++)
                                set(p, *n, V_ALLOW);
        if (!p->sys_admin) {
                set(p, "clone", V_FILTERED);
                set(p, "clone3", V_FILTERED);
        }
        set(p, "socket", V_FILTERED);
        set(p, "personality", V_FILTERED);
}

static int add_names(struct policy *p, char **names, enum verdict v, const char *key,
                     struct sup_err *err)
{
        for (char **n = names; n && *n; n++) {
                int nr = resolve(*n);

                if (nr == __NR_SCMP_ERROR)
                        return sup_fail(err, 0, "%s: unknown syscall %s", key, *n);
                if (nr >= 0 && nr < NR_MAX)
                        p->v[nr] = (unsigned char)v;
        }
        return 0;
}

/* The profile file, as confd documents it: "SYSCALL [allow|deny]" a line,
 * '#' comments. confd has merged it into seccomp_allow/deny already; reading
 * it here too keeps hand-built specs (suprun, tests) working the same way. */
static int read_profile(struct policy *p, const struct sandbox_spec *sb, struct sup_err *err)
{
        FILE *f = fopen(sb->seccomp_profile, "re");
        char line[512];
        int lineno = 0;

        if (!f)
                return sup_fail(err, errno, "seccomp profile %s", sb->seccomp_profile);
        while (fgets(line, sizeof(line), f)) {
                char name[128], action[32], extra[2];
                int n, nr;

                lineno++;
                line[strcspn(line, "#\n")] = '\0';
                n = sscanf(line, "%127s %31s %1s", name, action, extra);
                if (n <= 0)
                        continue;
                if (n == 3 || (n == 2 && strcmp(action, "allow") && strcmp(action, "deny"))) {
                        fclose(f);
                        return sup_fail(err, 0, "%s:%d: expected SYSCALL [allow|deny]",
                                        sb->seccomp_profile, lineno);
                }
                nr = resolve(name);
                if (nr == __NR_SCMP_ERROR) {
                        fclose(f);
                        return sup_fail(err, 0, "%s:%d: unknown syscall \"%s\"",
                                        sb->seccomp_profile, lineno, name);
                }
                if (nr >= 0 && nr < NR_MAX)
                        p->v[nr] = n == 2 && strcmp(action, "deny") == 0 ? V_DENY : V_ALLOW;
        }
        fclose(f);
        return 0;
}

/* ------------------------------------------------------------------ */
/* libseccomp: policy → BPF                                             */

static int rule(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned n,
                const struct scmp_arg_cmp *args)
{
        int nr = resolve(name);

        if (nr < 0)
                return 0;
        return seccomp_rule_add_array(ctx, action, nr, n, args);
}

static enum verdict verdict(const struct policy *p, const char *name)
{
        int nr = resolve(name);

        return nr >= 0 && nr < NR_MAX ? (enum verdict)p->v[nr] : V_UNSET;
}

/* Docker's argument filters, as separate rules (libseccomp ORs them). */
static int add_filters(scmp_filter_ctx ctx, const struct policy *p)
{
        static const uint64_t personas[] = { 0x0, 0x8, 0x20000, 0x20008, 0xffffffff };
        struct scmp_arg_cmp a;
        int rc = 0;

        if (!p->sys_admin && verdict(p, "clone") == V_FILTERED) {
                a = SCMP_A0(SCMP_CMP_MASKED_EQ, 0x7E020000ULL, 0);      /* no CLONE_NEW* */
                rc |= rule(ctx, SCMP_ACT_ALLOW, "clone", 1, &a);
        }
        if (!p->sys_admin && verdict(p, "clone3") == V_FILTERED)
                rc |= rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, NULL);
        if (verdict(p, "socket") == V_FILTERED) {           /* no AF_ALG(38), AF_VSOCK(40) */
                a = SCMP_A0(SCMP_CMP_LT, 38);
                rc |= rule(ctx, SCMP_ACT_ALLOW, "socket", 1, &a);
                a = SCMP_A0(SCMP_CMP_EQ, 39);
                rc |= rule(ctx, SCMP_ACT_ALLOW, "socket", 1, &a);
                a = SCMP_A0(SCMP_CMP_GT, 40);
                rc |= rule(ctx, SCMP_ACT_ALLOW, "socket", 1, &a);
        }
        if (verdict(p, "personality") == V_FILTERED)
                for (size_t i = 0; i < sizeof(personas) / sizeof(personas[0]); i++) {
                        a = SCMP_A0(SCMP_CMP_EQ, personas[i]);
                        rc |= rule(ctx, SCMP_ACT_ALLOW, "personality", 1, &a);
                }
        return rc;
}

static int build_rules(scmp_filter_ctx ctx, const struct policy *p)
{
        for (int nr = 0; nr < NR_MAX; nr++) {
                int rc = 0;

                if (p->v[nr] == V_ALLOW && !p->base_allow)
                        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
                else if (p->v[nr] == V_DENY && p->base_allow)
                        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
                if (rc < 0)
                        return rc;
        }
        return p->filters ? add_filters(ctx, p) : 0;
}

static int export_bpf(scmp_filter_ctx ctx, struct sock_filter **prog, size_t *len,
                      struct sup_err *err)
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
        *prog = malloc((size_t)size);
        if (!*prog || pread(fd, *prog, (size_t)size, 0) != size) {
                free(*prog);
                *prog = NULL;
                close(fd);
                return sup_fail(err, ENOMEM, "reading the BPF program");
        }
        close(fd);
        *len = (size_t)size / sizeof(struct sock_filter);
        return 0;
}

/* Prepend: on the native arch, a syscall number above `max` → ENOSYS. */
static int add_enosys_prologue(struct sock_filter **prog, size_t *len, int max,
                               struct sup_err *err)
{
        struct sock_filter pro[] = {
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, seccomp_arch_native(), 0, 3),
                BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
                BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)max, 0, 1),
                BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)),
        };
        size_t n = sizeof(pro) / sizeof(pro[0]);
        struct sock_filter *all = malloc((*len + n) * sizeof(*all));

        if (!all)
                return sup_fail(err, ENOMEM, "seccomp prologue");
        memcpy(all, pro, sizeof(pro));
        memcpy(all + n, *prog, *len * sizeof(*all));
        free(*prog);
        *prog = all;
        *len += n;
        return 0;
}

static int newest(const struct policy *p)
{
        int max = 0;

        for (int nr = 0; nr < NR_MAX; nr++)
                if (p->v[nr] != V_UNSET)
                        max = nr;
        return max;
}

static int compile(const struct policy *p, struct sandbox_spec *sb, struct sup_err *err)
{
        scmp_filter_ctx ctx = seccomp_init(p->base_allow ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(EPERM));
        struct sock_filter *prog = NULL;
        size_t len = 0;
        int rc;

        if (!ctx)
                return sup_fail(err, ENOMEM, "seccomp_init");
        /* We load the filter ourselves, after no_new_privs or with caps. */
        seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
        seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
        rc = build_rules(ctx, p);
        if (rc < 0) {
                seccomp_release(ctx);
                return sup_fail(err, -rc, "seccomp rules");
        }
        rc = export_bpf(ctx, &prog, &len, err);
        seccomp_release(ctx);
        if (rc < 0)
                return -1;
        if (!p->base_allow && add_enosys_prologue(&prog, &len, newest(p), err) < 0) {
                free(prog);
                return -1;
        }
        sb->seccomp_bpf = prog;
        sb->seccomp_bpf_len = len;
        return 0;
}

int syscall_filter_compile(struct sandbox_spec *sb, struct sup_err *err)
{
        struct policy p;

        if (sb->seccomp_bpf)
                return 0;       /* already prepared */
        if (sb->seccomp == SECCOMP_NONE && !sb->seccomp_deny)
                return 0;
        memset(&p, 0, sizeof(p));
        p.base_allow = sb->seccomp == SECCOMP_NONE;
        if (sb->seccomp == SECCOMP_DEFAULT)
                add_default(&p, sb);
        else if (sb->seccomp == SECCOMP_PROFILE && read_profile(&p, sb, err) < 0)
                return -1;
        if (add_names(&p, sb->seccomp_allow, V_ALLOW, "seccomp_allow", err) < 0 ||
            add_names(&p, sb->seccomp_deny, V_DENY, "seccomp_deny", err) < 0)
                return -1;
        return compile(&p, sb, err);
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
