/* confd/values.c — one parser per value type.
 *
 * Parsers take the value text as the INI file gave it (already stripped)
 * and either store the typed value or return -1. A parser fills `why` only
 * when it can say more than the type's generic "expected ..." line. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>

#include "common/signame.h"
#include "confd/confd_int.h"

/* ---- numbers -------------------------------------------------------------- */

/* A non-negative decimal "12" or "1.5": whole part and up to 9 fraction
 * digits as nanos; the rest of the text is left in *end. */
static int parse_decimal(const char *s, uint64_t *whole, uint64_t *nanos, const char **end)
{
        uint64_t w = 0, f = 0, scale = 100000000;
        bool digits = false;

        while (isdigit((unsigned char)*s)) {
                if (w > (UINT64_MAX - 9) / 10)
                        return -1;
                w = w * 10 + (uint64_t)(*s++ - '0');
                digits = true;
        }
        if (*s == '.') {
                s++;
                while (isdigit((unsigned char)*s)) {
                        f += (uint64_t)(*s++ - '0') * scale;
                        scale /= 10;
                        digits = true;
                }
        }
        if (!digits)
                return -1;
        *whole = w;
        *nanos = f;
        *end = s;
        return 0;
}

/* whole.nanos × mult, rounded down, or -1 on overflow */
static int scale_decimal(uint64_t whole, uint64_t nanos, uint64_t mult, uint64_t *out)
{
        if (mult && whole > UINT64_MAX / mult)
                return -1;
        uint64_t base = whole * mult;
        /* nanos < 1e9 and mult <= 2^40, so split to avoid overflow */
        uint64_t frac = (nanos / 1000) * mult / 1000000 + ((nanos % 1000) * mult) / 1000000000;

        if (base > UINT64_MAX - frac)
                return -1;
        *out = base + frac;
        return 0;
}

static const char *skip_blank(const char *s)
{
        while (*s == ' ' || *s == '\t')
                s++;
        return s;
}

struct unit { const char *name; uint64_t mult; };

/* A decimal number followed by one of `units` (case-insensitive). */
static int parse_scaled(const char *s, const struct unit *units, size_t n, uint64_t *out)
{
        uint64_t whole, nanos;
        const char *end;

        if (!s || parse_decimal(skip_blank(s), &whole, &nanos, &end) < 0)
                return -1;
        end = skip_blank(end);
        for (size_t i = 0; i < n; i++)
                if (strcasecmp(end, units[i].name) == 0)
                        return scale_decimal(whole, nanos, units[i].mult, out);
        return -1;
}

int confd_parse_duration(const char *s, uint64_t *ms)
{
        static const struct unit units[] = {
                { "", 1000 }, { "ms", 1 }, { "s", 1000 }, { "sec", 1000 },
                { "m", 60000 }, { "min", 60000 }, { "h", 3600000 },
        };

        return parse_scaled(s, units, sizeof(units) / sizeof(units[0]), ms);
}

int confd_parse_size(const char *s, uint64_t *bytes)
{
        static const struct unit units[] = {
                { "", 1 }, { "b", 1 },
                { "k", 1ULL << 10 }, { "kb", 1ULL << 10 }, { "kib", 1ULL << 10 },
                { "m", 1ULL << 20 }, { "mb", 1ULL << 20 }, { "mib", 1ULL << 20 },
                { "g", 1ULL << 30 }, { "gb", 1ULL << 30 }, { "gib", 1ULL << 30 },
                { "t", 1ULL << 40 }, { "tb", 1ULL << 40 }, { "tib", 1ULL << 40 },
        };

        return parse_scaled(s, units, sizeof(units) / sizeof(units[0]), bytes);
}

int val_uint(const char *s, uint64_t max, uint64_t *out)
{
        uint64_t v = 0;

        if (!isdigit((unsigned char)*s))
                return -1;
        for (; isdigit((unsigned char)*s); s++) {
                if (v > (UINT64_MAX - 9) / 10)
                        return -1;
                v = v * 10 + (uint64_t)(*s - '0');
        }
        if (*s || v > max)
                return -1;
        *out = v;
        return 0;
}

int val_int(const char *s, long long min, long long max, long long *out)
{
        bool neg = *s == '-';
        uint64_t v;

        if (*s == '-' || *s == '+')
                s++;
        if (val_uint(s, (uint64_t)LLONG_MAX, &v) < 0)
                return -1;
        long long r = neg ? -(long long)v : (long long)v;
        if (r < min || r > max)
                return -1;
        *out = r;
        return 0;
}

int val_octal(const char *s, unsigned max, unsigned *out)
{
        unsigned v = 0;

        if (!*s)
                return -1;
        for (; *s; s++) {
                if (*s < '0' || *s > '7')
                        return -1;
                v = v * 8 + (unsigned)(*s - '0');
                if (v > max)
                        return -1;
        }
        *out = v;
        return 0;
}

int val_double(const char *s, double *out)
{
        char *end;
        double v;

        if (!*s || isspace((unsigned char)*s))
                return -1;
        errno = 0;
        v = strtod(s, &end);
        if (errno || *end || !isfinite(v))
                return -1;
        *out = v;
        return 0;
}

int val_bool(const char *s, bool *out)
{
        static const char *yes[] = { "yes", "true", "on", "1", "y" };
        static const char *no[] = { "no", "false", "off", "0", "n" };

        for (size_t i = 0; i < 5; i++) {
                if (strcasecmp(s, yes[i]) == 0) {
                        *out = true;
                        return 0;
                }
                if (strcasecmp(s, no[i]) == 0) {
                        *out = false;
                        return 0;
                }
        }
        return -1;
}

/* ---- words ---------------------------------------------------------------- */

static bool is_sep(char c, bool comma)
{
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || (comma && c == ',');
}

int val_list(const char *s, char ***out)
{
        struct strv_acc v = { 0 };

        while (*s) {
                size_t n;

                while (*s && is_sep(*s, true))
                        s++;
                for (n = 0; s[n] && !is_sep(s[n], true); n++)
                        ;
                if (n && strv_acc_push_own(&v, strndup(s, n)) < 0) {
                        strv_free(v.v);
                        return -1;
                }
                s += n;
        }
        *out = v.v ? v.v : calloc(1, sizeof(char *));
        return *out ? 0 : -1;
}

/* POSIX shell quoting without any expansion: '...' is literal, "..." keeps
 * everything but \" \\ \$ \` and a backslash outside quotes escapes the next
 * character. Same as supervisord's shlex split of `command`. */
int val_words(const char *s, bool sep_comma, char ***out, char *why)
{
        struct sbuf w = { 0 };
        struct strv_acc v = { 0 };
        bool inword = false;

        for (;;) {
                char c = *s;

                if (!c || is_sep(c, sep_comma)) {
                        if (inword && strv_acc_push_own(&v, sb_steal(&w)) < 0)
                                goto fail;
                        inword = false;
                        if (!c)
                                break;
                        s++;
                        continue;
                }
                inword = true;
                if (c == '\'') {
                        const char *q = strchr(s + 1, '\'');

                        if (!q) {
                                snprintf(why, WHY, "unterminated ' quote");
                                goto fail;
                        }
                        sb_addn(&w, s + 1, (size_t)(q - s - 1));
                        s = q + 1;
                } else if (c == '"') {
                        for (s++; *s && *s != '"'; s++) {
                                if (*s == '\\' && s[1] && strchr("\"\\$`", s[1]))
                                        s++;
                                sb_addc(&w, *s);
                        }
                        if (!*s) {
                                snprintf(why, WHY, "unterminated \" quote");
                                goto fail;
                        }
                        s++;
                } else if (c == '\\') {
                        if (!s[1]) {
                                snprintf(why, WHY, "a backslash at the end escapes nothing");
                                goto fail;
                        }
                        sb_addc(&w, s[1]);
                        s += 2;
                } else {
                        sb_addc(&w, c);
                        s++;
                }
                if (w.oom)
                        goto fail;
        }
        *out = v.v ? v.v : calloc(1, sizeof(char *));
        return *out ? 0 : -1;
fail:
        sb_free(&w);
        strv_free(v.v);
        return -1;
}

static bool env_key_ok(const char *s, size_t n)
{
        if (n == 0)
                return false;
        for (size_t i = 0; i < n; i++)
                if (isspace((unsigned char)s[i]))
                        return false;
        return true;
}

/* "KEY=..." ordered by KEY, then by position: one key's entries end up
 * side by side, the last one last. */
struct env_entry {
        char *kv;
        size_t pos;
};

static int env_key_cmp(const void *pa, const void *pb)
{
        const struct env_entry *a = pa, *b = pb;
        const unsigned char *x = (const unsigned char *)a->kv, *y = (const unsigned char *)b->kv;

        for (; *x != '=' && *x == *y; x++, y++)
                ;
        if (*x == '=' && *y == '=')
                return a->pos < b->pos ? -1 : 1;
        return (*x == '=' ? 0 : *x) - (*y == '=' ? 0 : *y);
}

static bool env_same_key(const char *a, const char *b)
{
        return strncmp(a, b, strcspn(a, "=") + 1) == 0;         /* both hold a '=' */
}

/* Later entries replace earlier ones with the same key, at the place of the
 * first, so *env is a set. Sorted once rather than searched per pair:
 * 200,000 pairs cost n log n, not n² (see tests/bench/config.sh). Takes
 * the strings of add (the array itself stays the caller's). */
static int env_merge(char ***env, char **add)
{
        size_t n_old = strv_len(*env), n_add = strv_len(add), n = n_old + n_add, k = 0;
        struct env_entry *e = malloc((n ? n : 1) * sizeof(*e));
        char **by_pos = calloc(n + 1, sizeof(char *));

        if (!e || !by_pos) {
                free(e);
                free(by_pos);
                return -1;
        }
        for (size_t i = 0; i < n; i++)
                e[i] = (struct env_entry){ i < n_old ? (*env)[i] : add[i - n_old], i };
        qsort(e, n, sizeof(*e), env_key_cmp);
        for (size_t i = 0; i < n; i++) {
                size_t last = i;

                while (last + 1 < n && env_same_key(e[i].kv, e[last + 1].kv))
                        last++;
                by_pos[e[i].pos] = e[last].kv;          /* the last value, the first place */
                for (size_t j = i; j < last; j++)
                        free(e[j].kv);
                i = last;
        }
        for (size_t i = 0; i < n; i++)
                if (by_pos[i])
                        by_pos[k++] = by_pos[i];
        by_pos[k] = NULL;
        free(*env);
        free(e);
        *env = by_pos;
        for (size_t i = 0; i < n_add; i++)
                add[i] = NULL;
        return 0;
}

int val_env_pair(const char *s, char ***env, char *why)
{
        const char *eq = strchr(s, '=');
        char *add[2] = { NULL, NULL };
        int rc;

        if (!eq || !env_key_ok(s, (size_t)(eq - s))) {
                snprintf(why, WHY, "expected KEY=VALUE; got \"%s\"", s);
                return -1;
        }
        add[0] = strdup(s);
        if (!add[0])
                return -1;
        rc = env_merge(env, add);
        free(add[0]);           /* NULL when env_merge took it */
        return rc;
}

int val_env(const char *s, char ***env, char *why)
{
        char **words;
        int rc = 0;

        if (val_words(s, true, &words, why) < 0)
                return -1;
        for (size_t i = 0; words[i] && rc == 0; i++) {
                const char *eq = strchr(words[i], '=');

                if (!eq || !env_key_ok(words[i], (size_t)(eq - words[i]))) {
                        snprintf(why, WHY, "expected KEY=VALUE pairs like A=1 B=\"two words\"; "
                                 "got \"%s\"", words[i]);
                        rc = -1;
                }
        }
        if (rc == 0 && env_merge(env, words) < 0)
                rc = -1;
        strv_free(words);
        return rc;
}

/* ---- capabilities, syscalls, namespaces ---------------------------------- */

int val_caps(const char *s, uint64_t *caps, char *why)
{
        char **names;
        uint64_t set = 0;
        int rc = 0;

        if (val_list(s, &names) < 0)
                return -1;
        for (size_t i = 0; names[i] && rc == 0; i++) {
                char buf[64];
                cap_value_t cap;
                size_t j;

                if (strcasecmp(names[i], "none") == 0 && !names[1] && i == 0)
                        break;
                snprintf(buf, sizeof(buf), "%s%s",
                         strncasecmp(names[i], "cap_", 4) == 0 ? "" : "cap_", names[i]);
                for (j = 0; buf[j]; j++)
                        buf[j] = (char)tolower((unsigned char)buf[j]);
                if (isdigit((unsigned char)names[i][0]) || cap_from_name(buf, &cap) < 0 ||
                    cap < 0 || cap > 63) {
                        snprintf(why, WHY, "unknown capability \"%s\" (expected names like "
                                 "CAP_NET_BIND_SERVICE or NET_BIND_SERVICE)", names[i]);
                        rc = -1;
                } else {
                        set |= 1ULL << cap;
                }
        }
        strv_free(names);
        if (rc == 0)
                *caps = set;
        return rc;
}

int val_syscalls(const char *s, char ***out, char *why)
{
        char **names;

        if (val_list(s, &names) < 0)
                return -1;
        for (size_t i = 0; names[i]; i++) {
                if (seccomp_syscall_resolve_name(names[i]) == __NR_SCMP_ERROR) {
                        snprintf(why, WHY, "unknown syscall \"%s\"", names[i]);
                        strv_free(names);
                        return -1;
                }
        }
        *out = names;
        return 0;
}

static const struct { const char *name; unsigned long flag; } ns_names[] = {
        { "pid", CLONE_NEWPID }, { "mount", CLONE_NEWNS }, { "mnt", CLONE_NEWNS },
        { "uts", CLONE_NEWUTS }, { "ipc", CLONE_NEWIPC }, { "net", CLONE_NEWNET },
        { "network", CLONE_NEWNET }, { "user", CLONE_NEWUSER }, { "cgroup", CLONE_NEWCGROUP },
};

int val_namespaces(const char *s, unsigned long *ns, char *why)
{
        char **names;
        unsigned long set = 0;
        int rc = 0;

        if (val_list(s, &names) < 0)
                return -1;
        for (size_t i = 0; names[i] && rc == 0; i++) {
                size_t j;

                if (strcasecmp(names[i], "none") == 0)
                        continue;
                for (j = 0; j < sizeof(ns_names) / sizeof(ns_names[0]); j++)
                        if (strcasecmp(names[i], ns_names[j].name) == 0)
                                break;
                if (j == sizeof(ns_names) / sizeof(ns_names[0])) {
                        snprintf(why, WHY, "unknown namespace \"%s\" (expected pid mount uts "
                                 "ipc net user cgroup)", names[i]);
                        rc = -1;
                } else {
                        set |= ns_names[j].flag;
                }
        }
        strv_free(names);
        if (rc == 0)
                *ns = set;
        return rc;
}

/* Each namespace once, by its first name in ns_names: what val_namespaces
 * reads back, in the order "pid mount uts ipc net user cgroup". */
void fmt_namespace_set(struct sbuf *b, unsigned long ns)
{
        unsigned long done = 0;

        for (size_t i = 0; i < sizeof(ns_names) / sizeof(ns_names[0]); i++) {
                unsigned long flag = ns_names[i].flag;

                if (!(ns & flag) || (done & flag))
                        continue;
                sb_printf(b, done ? " %s" : "%s", ns_names[i].name);
                done |= flag;
        }
}

/* ---- id maps, binds, rlimits, exit codes --------------------------------- */

int val_idmap(const char *s, struct id_map **map, size_t *n, char *why)
{
        char **nums;
        size_t cnt;
        struct id_map *m;
        int rc = 0;

        if (val_list(s, &nums) < 0)
                return -1;
        cnt = strv_len(nums);
        if (cnt == 0 || cnt % 3) {
                snprintf(why, WHY, "expected INSIDE OUTSIDE COUNT triples like "
                         "\"0 100000 65536\"; got \"%s\"", s);
                strv_free(nums);
                return -1;
        }
        m = calloc(cnt / 3, sizeof(*m));
        if (!m) {
                strv_free(nums);
                return -1;
        }
        for (size_t i = 0; i < cnt && rc == 0; i += 3) {
                uint64_t v[3];

                for (int j = 0; j < 3 && rc == 0; j++) {
                        if (val_uint(nums[i + (size_t)j], UINT32_MAX, &v[j]) < 0) {
                                snprintf(why, WHY, "expected a number from 0 to 4294967295 "
                                         "in the id map; got \"%s\"", nums[i + (size_t)j]);
                                rc = -1;
                        }
                }
                if (rc == 0 && (v[2] == 0 || v[0] + v[2] > 1ULL << 32 ||
                                v[1] + v[2] > 1ULL << 32)) {
                        snprintf(why, WHY, "id map range %llu %llu %llu is empty or goes "
                                 "past 4294967295", (unsigned long long)v[0],
                                 (unsigned long long)v[1], (unsigned long long)v[2]);
                        rc = -1;
                }
                if (rc == 0)
                        m[i / 3] = (struct id_map){ (uint32_t)v[0], (uint32_t)v[1],
                                                    (uint32_t)v[2] };
        }
        strv_free(nums);
        if (rc < 0) {
                free(m);
                return -1;
        }
        *map = m;
        *n = cnt / 3;
        return 0;
}

char *val_path(const char *s, const char *dir)
{
        char *p;

        if (s[0] == '/' || !dir)
                return strdup(s);
        if (asprintf(&p, "%s/%s", dir, s) < 0)
                return NULL;
        return p;
}

void binds_free(struct bind_mount *b, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                free(b[i].src);
                free(b[i].dst);
        }
        free(b);
}

int val_binds(const char *s, const char *dir, struct bind_mount **out, size_t *nout, char *why)
{
        char **items;
        struct bind_mount *b;
        size_t n, i;

        if (val_words(s, false, &items, why) < 0)
                return -1;
        n = strv_len(items);
        b = calloc(n ? n : 1, sizeof(*b));
        if (!b) {
                strv_free(items);
                return -1;
        }
        for (i = 0; i < n; i++) {
                char *src = items[i], *dst, *opt = NULL;

                dst = strchr(src, ':');
                if (dst) {
                        *dst++ = '\0';
                        opt = strchr(dst, ':');
                        if (opt)
                                *opt++ = '\0';
                } else {
                        dst = src;
                }
                if (!*src || dst[0] != '/' || (opt && strcmp(opt, "ro") && strcmp(opt, "rw"))) {
                        snprintf(why, WHY, "expected SRC:DST[:ro] with an absolute DST, "
                                 "like /data:/data or /etc/ssl:/etc/ssl:ro; got \"%s\"",
                                 items[i]);
                        goto fail;
                }
                b[i].src = val_path(src, dir);
                b[i].dst = strdup(dst);
                b[i].ro = opt && strcmp(opt, "ro") == 0;
                if (!b[i].src || !b[i].dst) {
                        i++;
                        goto fail;
                }
        }
        strv_free(items);
        *out = b;
        *nout = n;
        return 0;
fail:
        binds_free(b, i);
        strv_free(items);
        return -1;
}

static bool rlimit_is_size(int res)
{
        return res == RLIMIT_AS || res == RLIMIT_CORE || res == RLIMIT_DATA ||
               res == RLIMIT_FSIZE || res == RLIMIT_MEMLOCK || res == RLIMIT_RSS ||
               res == RLIMIT_STACK || res == RLIMIT_MSGQUEUE;
}

static int rlimit_one(const char *s, int res, rlim_t *out)
{
        uint64_t v;

        if (strcasecmp(s, "infinity") == 0 || strcasecmp(s, "unlimited") == 0) {
                *out = RLIM_INFINITY;
                return 0;
        }
        if (rlimit_is_size(res)) {
                if (confd_parse_size(s, &v) < 0)
                        return -1;
        } else if (res == RLIMIT_CPU) {
                if (confd_parse_duration(s, &v) < 0)
                        return -1;
                v = (v + 999) / 1000;   /* seconds, rounded up */
        } else if (res == RLIMIT_RTTIME) {
                if (confd_parse_duration(s, &v) < 0 || v > UINT64_MAX / 1000)
                        return -1;
                v *= 1000;              /* microseconds */
        } else if (val_uint(s, UINT64_MAX - 1, &v) < 0) {
                return -1;
        }
        if (v >= (uint64_t)RLIM_INFINITY)
                return -1;
        *out = (rlim_t)v;
        return 0;
}

int val_rlimit(const char *s, int res, struct rlimit *lim, char *why)
{
        const char *colon = strchr(s, ':');
        char soft[64];

        (void)why;
        if (!colon)
                colon = s + strlen(s);
        if ((size_t)(colon - s) >= sizeof(soft))
                return -1;
        memcpy(soft, s, (size_t)(colon - s));
        soft[colon - s] = '\0';
        if (rlimit_one(soft, res, &lim->rlim_cur) < 0)
                return -1;
        if (!*colon) {
                lim->rlim_max = lim->rlim_cur;
                return 0;
        }
        if (rlimit_one(colon + 1, res, &lim->rlim_max) < 0)
                return -1;
        if (lim->rlim_cur > lim->rlim_max) {
                snprintf(why, WHY, "the soft limit is above the hard limit in \"%s\"", s);
                return -1;
        }
        return 0;
}

int val_exit_codes(const char *s, uint8_t set[32], char *why)
{
        char **codes;
        uint8_t bits[32] = { 0 };
        int rc = 0;

        if (val_list(s, &codes) < 0)
                return -1;
        if (!codes[0]) {
                snprintf(why, WHY, "expected exit codes from 0 to 255 like \"0 2\"; got nothing");
                rc = -1;
        }
        for (size_t i = 0; codes[i] && rc == 0; i++) {
                uint64_t v;

                if (val_uint(codes[i], 255, &v) < 0) {
                        snprintf(why, WHY, "expected exit codes from 0 to 255 like \"0 2\"; "
                                 "got \"%s\"", codes[i]);
                        rc = -1;
                } else {
                        bits[v / 8] |= (uint8_t)(1u << (v % 8));
                }
        }
        strv_free(codes);
        if (rc == 0)
                memcpy(set, bits, sizeof(bits));
        return rc;
}

/* ---- signals ------------------------------------------------------------ */

int confd_parse_signal(const char *s, int *sig)
{
        uint64_t n;

        if (!s || !*s)
                return -1;
        if (isdigit((unsigned char)*s)) {
                if (val_uint(s, SIGRTMAX, &n) < 0 || n == 0)
                        return -1;
                *sig = (int)n;
                return 0;
        }
        if (strncasecmp(s, "SIG", 3) == 0)
                s += 3;
        if (strncasecmp(s, "RTMIN+", 6) == 0 && isdigit((unsigned char)s[6])) {
                if (val_uint(s + 6, (uint64_t)(SIGRTMAX - SIGRTMIN), &n) < 0)
                        return -1;
                *sig = SIGRTMIN + (int)n;
                return 0;
        }
        for (int i = 1; i < NSIG; i++) {
                const char *abbr = sigabbrev_np(i);

                if (abbr && strcasecmp(abbr, s) == 0) {
                        *sig = i;
                        return 0;
                }
        }
        return -1;
}

int val_signal_name(int sig, char *buf, size_t len)
{
        char sn[SIG_NAME_LEN];

        snprintf(buf, len, "%s", sig_name(sig, sn));
        return 0;
}

/* ---- names and printing ------------------------------------------------- */

/* Service names become cgroup and log file names and supctl arguments. */
bool val_name_ok(const char *name)
{
        size_t n = strlen(name);

        if (n == 0 || n > 64 || name[0] == '.' || name[0] == '-')
                return false;
        for (size_t i = 0; i < n; i++) {
                unsigned char c = (unsigned char)name[i];

                /* "group:program", supervisorctl's name of a grouped program */
                if (c == ':' && i > 0 && i + 1 < n && !strchr(name + i + 1, ':') &&
                    name[i + 1] != '.' && name[i + 1] != '-')
                        continue;
                if (!isalnum(c) && c != '_' && c != '-' && c != '.' && c != '@')
                        return false;
        }
        return strcmp(name, "all") != 0;
}

void fmt_duration(struct sbuf *b, uint64_t ms)
{
        if (ms && ms % 3600000 == 0)
                sb_printf(b, "%lluh", (unsigned long long)(ms / 3600000));
        else if (ms && ms % 60000 == 0)
                sb_printf(b, "%llum", (unsigned long long)(ms / 60000));
        else if (ms % 1000 == 0)
                sb_printf(b, "%llus", (unsigned long long)(ms / 1000));
        else
                sb_printf(b, "%llums", (unsigned long long)ms);
}

void fmt_size(struct sbuf *b, uint64_t v)
{
        static const char units[] = "KMGT";
        int u = -1;

        while (v && v % 1024 == 0 && u < 3) {
                v /= 1024;
                u++;
        }
        if (u < 0)
                sb_printf(b, "%llu", (unsigned long long)v);
        else
                sb_printf(b, "%llu%c", (unsigned long long)v, units[u]);
}

void fmt_word(struct sbuf *b, const char *w)
{
        const char *start = w;

        if (*w && !strpbrk(w, WORD_SPECIALS)) {
                sb_add(b, w);
                return;
        }
        sb_addc(b, '"');
        for (; *w; w++) {
                /* " ;" inside quotes would still start a comment in the INI
                 * line: step out of the quotes for it: "a "\;"b" */
                if ((*w == ';' || *w == '#') && w > start && strchr(" \t\r\f\v", w[-1])) {
                        sb_printf(b, "\"\\%c\"", *w);
                        continue;
                }
                if (strchr("\"\\$`", *w))
                        sb_addc(b, '\\');
                sb_addc(b, *w);
        }
        sb_addc(b, '"');
}

/* ---- seccomp profiles ----------------------------------------------------- */

/* One syscall a line, optionally followed by "allow" (the default) or
 * "deny"; '#' starts a comment. */
int val_seccomp_profile(const char *path, char ***allow, char ***deny, char *why)
{
        FILE *f = open_regular(path);
        char *line = NULL;
        size_t cap = 0;
        int lineno = 0, rc = 0;
        char **a = calloc(1, sizeof(char *)), **d = calloc(1, sizeof(char *));

        if (!f || !a || !d) {
                snprintf(why, WHY, "cannot read seccomp profile %s: %s", path,
                         errno == EINVAL ? "not a regular file" : strerror(errno));
                goto fail;
        }
        while (rc == 0 && getline(&line, &cap, f) >= 0) {
                char name[128], action[32], extra[2];
                char *hash = strchr(line, '#');
                int n;

                lineno++;
                if (hash)
                        *hash = '\0';
                n = sscanf(line, "%127s %31s %1s", name, action, extra);
                if (n <= 0)
                        continue;
                if (n == 3 || (n == 2 && strcmp(action, "allow") && strcmp(action, "deny"))) {
                        snprintf(why, WHY, "%s:%d: expected SYSCALL [allow|deny]", path, lineno);
                        rc = -1;
                } else if (seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR) {
                        snprintf(why, WHY, "%s:%d: unknown syscall \"%s\"", path, lineno, name);
                        rc = -1;
                } else if (strv_push(n == 2 && strcmp(action, "deny") == 0 ? &d : &a, name) < 0) {
                        rc = -1;
                }
        }
        free(line);
        fclose(f);
        if (rc < 0)
                goto fail_nofile;
        *allow = a;
        *deny = d;
        return 0;
fail:
        if (f)
                fclose(f);
fail_nofile:
        strv_free(a);
        strv_free(d);
        return -1;
}
