/* runtime/cgroup.c — per-service cgroups on v1 or v2, relative to our own.
 *
 * A service with any limit gets `<own cgroup>/<service>`: on v2 one
 * directory (supd first moves itself into the leaf `<own>/supd` when it must
 * enable controllers there — "no internal processes"), on v1 one directory
 * in each hierarchy it needs (memory, cpu, pids, blkio) plus freezer, used to
 * stop a whole service atomically. On v2 the parent mkdirs and writes the
 * limits and the child is cloned straight into the cgroup
 * (CLONE_INTO_CGROUP); on v1 the child does all of it itself: a
 * cgroup.procs write waits for an RCU grace period (~12 ms) that supd's
 * loop must not pay. */
#include "runtime/runtime.h"
#include "runtime/runtime_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

enum { C_MEMORY, C_CPU, C_PIDS, C_BLKIO, C_FREEZER, C_N };

static const char *const v1_names[C_N] = { "memory", "cpu", "pids", "blkio", "freezer" };
static const char *const v2_names[C_N] = { "memory", "cpu", "pids", "io", NULL };

static struct {
        bool inited, v2, delegated;
        char base[C_N][PATH_MAX];       /* v1: own cgroup dir per controller ("" = none) */
        char base2[PATH_MAX];           /* v2: own cgroup dir, the services' parent */
} cg;

struct rt_cgroup {
        char *dirs[C_N];                /* v1: per controller; v2: dirs[0] only */
        int dirfd;                      /* v2: O_PATH, for CLONE_INTO_CGROUP */
        const struct sandbox_spec *sb;  /* the limits (v1: written by the child) */
        struct rt_cgroup *next;         /* on the pending-removal list */
};

/* Released cgroups whose killed processes had not all exited yet: rmdir
 * gets EBUSY until they have. See cgroup_destroy(). */
static struct rt_cgroup *pending;
static void forget_pending(const char *dir);

bool cgroup_wanted(const struct sandbox_spec *sb)
{
        return sb->memory_max || sb->cpu_max > 0 || sb->pids_max || sb->io_weight;
}

static bool needs(const struct sandbox_spec *sb, int c)
{
        switch (c) {
        case C_MEMORY: return sb->memory_max != 0;
        case C_CPU: return sb->cpu_max > 0;
        case C_PIDS: return sb->pids_max != 0;
        case C_BLKIO: return sb->io_weight != 0;
        default: return true;   /* freezer: whenever there is a cgroup */
        }
}

/* ------------------------------------------------------------------ */
/* small file helpers                                                   */

static int write_str(const char *dir, const char *file, const char *val, struct sup_err *err)
{
        char path[PATH_MAX];
        size_t len = strlen(val);
        ssize_t n;
        int fd;

        snprintf(path, sizeof(path), "%s/%s", dir, file);
        fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return sup_fail(err, errno, "open %s", path);
        n = write(fd, val, len);
        if (n != (ssize_t)len) {
                int e = n < 0 ? errno : EIO;
                close(fd);
                return sup_fail(err, e, "write %s to %s", val, path);
        }
        close(fd);
        return 0;
}

static ssize_t read_file(const char *dir, const char *file, char *buf, size_t size)
{
        char path[PATH_MAX];
        ssize_t n;
        int fd;

        snprintf(path, sizeof(path), "%s/%s", dir, file);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -1;
        n = read(fd, buf, size - 1);
        close(fd);
        if (n < 0)
                return -1;
        buf[n] = '\0';
        return n;
}

static bool has_file(const char *dir, const char *file)
{
        char path[PATH_MAX];

        snprintf(path, sizeof(path), "%s/%s", dir, file);
        return access(path, F_OK) == 0;
}

static int make_dir(const char *dir, struct sup_err *err)
{
        if (mkdir(dir, 0755) >= 0 || errno == EEXIST)
                return 0;
        if (errno == EACCES || errno == EPERM)
                return sup_fail(err, errno, "mkdir %s: not allowed: a non-root user needs a "
                                "cgroup delegated to it (cgroup v2, e.g. systemd's Delegate=yes) "
                                "for cgroup limits, and ours is not", dir);
        return sup_fail(err, errno, "mkdir %s", dir);
}

/* "key value" lines (memory.events, memory.oom_control, cgroup.events). */
static long long keyed_value(const char *dir, const char *file, const char *key)
{
        char buf[4096], *p;
        size_t klen = strlen(key);

        if (read_file(dir, file, buf, sizeof(buf)) < 0)
                return -1;
        for (p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
                if (strncmp(p, key, klen) == 0 && p[klen] == ' ')
                        return atoll(p + klen + 1);
        return -1;
}

/* ------------------------------------------------------------------ */
/* discovery                                                            */

static bool list_has(const char *list, const char *word)
{
        size_t wl = strlen(word);

        for (const char *p = list; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
                if (strncmp(p, word, wl) == 0 && (p[wl] == ',' || p[wl] == '\0' || p[wl] == '\n'))
                        return true;
        return false;
}

/* v1: where each controller's hierarchy is mounted (from mountinfo). */
static void v1_mounts(char mnt[C_N][PATH_MAX])
{
        char line[4096];
        FILE *f = fopen("/proc/self/mountinfo", "re");

        if (!f)
                return;
        while (fgets(line, sizeof(line), f)) {
                char *sep = strstr(line, " - "), *fields[6], *save = NULL, *p, type[32], opts[512];
                int n = 0;

                if (!sep || sscanf(sep + 3, "%31s %*s %511s", type, opts) != 2 ||
                    strcmp(type, "cgroup") != 0)
                        continue;
                *sep = '\0';
                for (p = strtok_r(line, " ", &save); p && n < 6; p = strtok_r(NULL, " ", &save))
                        fields[n++] = p;
                if (n < 5)
                        continue;
                for (int c = 0; c < C_N; c++)
                        if (!mnt[c][0] && list_has(opts, v1_names[c]))
                                snprintf(mnt[c], PATH_MAX, "%s", fields[4]);
        }
        fclose(f);
}

static int discover(void)
{
        char mnt[C_N][PATH_MAX] = { { 0 } }, line[4096];
        struct statfs st;
        FILE *f;

        cg.v2 = statfs("/sys/fs/cgroup", &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC;
        if (!cg.v2)
                v1_mounts(mnt);
        f = fopen("/proc/self/cgroup", "re");
        if (!f)
                return -1;
        while (fgets(line, sizeof(line), f)) {
                char *ctrls = strchr(line, ':'), *path;

                if (!ctrls || !(path = strchr(ctrls + 1, ':')))
                        continue;
                *path++ = '\0';
                ctrls++;
                path[strcspn(path, "\n")] = '\0';
                if (strcmp(path, "/") == 0)
                        path = "";
                if (cg.v2 && *ctrls == '\0') {
                        snprintf(cg.base2, sizeof(cg.base2), "/sys/fs/cgroup%s", path);
                        continue;
                }
                for (int c = 0; !cg.v2 && c < C_N; c++)
                        if (mnt[c][0] && list_has(ctrls, v1_names[c]))
                                snprintf(cg.base[c], PATH_MAX, "%s%s", mnt[c], path);
        }
        fclose(f);
        return 0;
}

int cgroup_init(struct sup_err *err)
{
        if (cg.inited)
                return 0;
        if (discover() < 0)
                return sup_fail(err, errno, "cgroup: reading /proc/self/cgroup");
        cg.inited = true;
        return 0;
}

/* ------------------------------------------------------------------ */
/* v2 delegation: controllers enabled for our children, supd in a leaf  */

/* A space-separated controller list file as a comma-separated string. */
static int read_list(const char *dir, const char *file, char *buf, size_t size)
{
        if (read_file(dir, file, buf, size) < 0)
                return -1;
        buf[strcspn(buf, "\n")] = '\0';
        for (char *s = buf; *s; s++)
                if (*s == ' ')
                        *s = ',';
        return 0;
}

/* Our own cgroup's processes other than us, "PID (comm)" separated by
 * ", " (at most a few), into buf (empty when there are none); *self says
 * whether we are still among them. */
static void list_members(char *buf, size_t size, bool *self)
{
        char procs[4096], *p, *save = NULL;
        size_t used = 0;
        int shown = 0;

        buf[0] = '\0';
        *self = false;
        if (read_file(cg.base2, "cgroup.procs", procs, sizeof(procs)) < 0)
                return;
        for (p = strtok_r(procs, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
                char comm_path[64], comm[32] = "?";
                pid_t pid = (pid_t)atoi(p);
                int n;

                if (pid == getpid()) {
                        *self = true;
                        continue;
                }
                if (shown++ == 3) {
                        snprintf(buf + used, size - used, ", ...");
                        break;
                }
                snprintf(comm_path, sizeof(comm_path), "/proc/%d", (int)pid);
                if (read_file(comm_path, "comm", comm, sizeof(comm)) > 0)
                        comm[strcspn(comm, "\n")] = '\0';
                n = snprintf(buf + used, size - used, "%s%d (%s)", used ? ", " : "", (int)pid, comm);
                if (n < 0 || (size_t)n >= size - used)
                        break;
                used += (size_t)n;
        }
}

/* We move into the leaf <own>/supd before any controller is enabled for
 * children: a non-root cgroup with processes gets EBUSY for the domain
 * controllers (memory, io), and for pids and cpu, which it may enable, its
 * children become "domain invalid" and clone3 into them fails. Only we
 * move: a process of our cgroup that is not ours (the shell that started
 * suprun, a `docker exec`) is not ours to move, so we say so and stop.
 * The root cgroup (no cgroup.type file) has no such rule. */
static int move_into_leaf(struct sup_err *err)
{
        char probe[PATH_MAX + 16], others[256], leaf[PATH_MAX + 8], pid[16];
        bool self;

        snprintf(probe, sizeof(probe), "%s/cgroup.type", cg.base2);
        if (access(probe, F_OK) < 0)
                return 0;
        list_members(others, sizeof(others), &self);
        if (others[0])
                return sup_fail(err, 0, "cgroup v2: %s also holds %s; controllers for the "
                                "services cannot be enabled there while it holds processes "
                                "(no internal processes); start this program in a cgroup "
                                "of its own, e.g. `systemd-run --scope -p Delegate=yes ...`",
                                cg.base2, others);
        if (!self)
                return 0;       /* already moved */
        snprintf(leaf, sizeof(leaf), "%s/supd", cg.base2);
        if (make_dir(leaf, err) < 0)
                return -1;
        snprintf(pid, sizeof(pid), "%d", (int)getpid());
        if (write_str(leaf, "cgroup.procs", pid, err) < 0)
                return sup_wrap(err, "moving ourselves into %s", leaf);
        return 0;
}

static int enable_controller(const char *name, struct sup_err *err)
{
        char buf[1024], val[32];

        if (read_list(cg.base2, "cgroup.subtree_control", buf, sizeof(buf)) == 0 &&
            list_has(buf, name))
                return 0;
        if (read_list(cg.base2, "cgroup.controllers", buf, sizeof(buf)) < 0)
                return sup_fail(err, errno, "read %s/cgroup.controllers", cg.base2);
        if (!list_has(buf, name))
                return sup_fail(err, 0, "cgroup controller %s is not available in %s "
                                "(not delegated to us by the parent cgroup)", name, cg.base2);
        if (move_into_leaf(err) < 0)
                return -1;
        snprintf(val, sizeof(val), "+%s", name);
        return write_str(cg.base2, "cgroup.subtree_control", val, err);
}

int cgroup_prepare(const struct sandbox_spec *sb, struct sup_err *err)
{
        if (cgroup_init(err) < 0)
                return -1;
        if (!cg.v2) {
                for (int c = 0; c < C_FREEZER; c++)
                        if (needs(sb, c) && !cg.base[c][0])
                                return sup_fail(err, 0, "cgroup v1 controller %s is not mounted",
                                                v1_names[c]);
                return 0;
        }
        if (!cg.base2[0])
                return sup_fail(err, 0, "cgroup v2: our own cgroup is unknown");
        for (int c = 0; c < C_FREEZER; c++)
                if (needs(sb, c) && enable_controller(v2_names[c], err) < 0)
                        return -1;
        return 0;
}

/* ------------------------------------------------------------------ */
/* a service's cgroup                                                   */

static int write_num(const char *dir, const char *file, unsigned long long v, struct sup_err *err)
{
        char buf[32];

        snprintf(buf, sizeof(buf), "%llu", v);
        return write_str(dir, file, buf, err);
}

static int v1_limit(const struct sandbox_spec *sb, int c, const char *dir, struct sup_err *err)
{
        unsigned long long w;

        switch (c) {
        case C_MEMORY:
                if (write_num(dir, "memory.limit_in_bytes", sb->memory_max, err) < 0)
                        return -1;
                /* Swap must not let the service slip past its limit. */
                if (has_file(dir, "memory.memsw.limit_in_bytes"))
                        write_num(dir, "memory.memsw.limit_in_bytes", sb->memory_max, NULL);
                else
                        write_num(dir, "memory.swappiness", 0, NULL);
                return 0;
        case C_CPU:
                if (write_num(dir, "cpu.cfs_period_us", 100000, err) < 0)
                        return -1;
                return write_num(dir, "cpu.cfs_quota_us",
                                 (unsigned long long)(sb->cpu_max * 100000.0), err);
        case C_PIDS:
                return write_num(dir, "pids.max", (unsigned long long)sb->pids_max, err);
        case C_BLKIO:
                /* v1 weight is 10..1000 (default 500), v2's 1..10000 (default 100). */
                w = (unsigned long long)sb->io_weight * 5;
                w = w < 10 ? 10 : w > 1000 ? 1000 : w;
                if (has_file(dir, "blkio.weight"))
                        return write_num(dir, "blkio.weight", w, err);
                if (has_file(dir, "blkio.bfq.weight"))
                        return write_num(dir, "blkio.bfq.weight", w, err);
                return 0;       /* no proportional I/O scheduler on this kernel */
        default:
                return 0;
        }
}

static int v2_limits(const struct sandbox_spec *sb, const char *dir, struct sup_err *err)
{
        char buf[64];

        if (sb->memory_max) {
                if (write_num(dir, "memory.max", sb->memory_max, err) < 0)
                        return -1;
                if (has_file(dir, "memory.swap.max"))
                        write_str(dir, "memory.swap.max", "0", NULL);
        }
        if (sb->cpu_max > 0) {
                snprintf(buf, sizeof(buf), "%llu 100000",
                         (unsigned long long)(sb->cpu_max * 100000.0));
                if (write_str(dir, "cpu.max", buf, err) < 0)
                        return -1;
        }
        if (sb->pids_max && write_num(dir, "pids.max", (unsigned long long)sb->pids_max, err) < 0)
                return -1;
        if (sb->io_weight) {
                snprintf(buf, sizeof(buf), "default %u", sb->io_weight);
                if (write_str(dir, "io.weight", buf, err) < 0)
                        return -1;
        }
        return 0;
}

static char *dir_path(const char *parent, const char *name, struct sup_err *err)
{
        char *dir;

        if (asprintf(&dir, "%s/%s", parent, name) < 0) {
                sup_fail(err, ENOMEM, "cgroup path");
                return NULL;
        }
        return dir;
}

/* Parent side. v2: mkdir, limits, a dirfd for CLONE_INTO_CGROUP (a few
 * tens of µs). v1: only the paths — the child makes its directories,
 * writes its limits and joins them itself (cgroup_join_self). */
int cgroup_create(const struct svc_spec *s, struct rt_cgroup **out, struct sup_err *err)
{
        const struct sandbox_spec *sb = &s->sandbox;
        struct rt_cgroup *g;

        *out = NULL;
        if (!cg.inited && cgroup_init(err) < 0)
                return -1;
        g = calloc(1, sizeof(*g));
        if (!g)
                return sup_fail(err, ENOMEM, "cgroup");
        g->dirfd = -1;
        g->sb = sb;
        if (cg.v2) {
                if (!(g->dirs[0] = dir_path(cg.base2, s->name, err)))
                        goto fail;
                forget_pending(g->dirs[0]);
                if (make_dir(g->dirs[0], err) < 0 || v2_limits(sb, g->dirs[0], err) < 0)
                        goto fail;
                g->dirfd = open(g->dirs[0], O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (g->dirfd < 0) {
                        sup_fail(err, errno, "open %s", g->dirs[0]);
                        goto fail;
                }
        } else {
                for (int c = 0; c < C_N; c++) {
                        if (!needs(sb, c) || !cg.base[c][0])
                                continue;
                        if (!(g->dirs[c] = dir_path(cg.base[c], s->name, err)))
                                goto fail;
                        forget_pending(g->dirs[c]);
                }
        }
        *out = g;
        return 0;
fail:
        cgroup_destroy(g);
        return -1;
}

int cgroup_clone_fd(const struct rt_cgroup *g)
{
        return g ? g->dirfd : -1;
}

/* Child side: v1 (make, limit, join each hierarchy), or v2 when clone3
 * could not place us (join only). Costs the child an RCU grace period,
 * never supd's loop. */
int cgroup_join_self(const struct rt_cgroup *g, struct sup_err *err)
{
        for (int c = 0; c < C_N; c++) {
                if (!g->dirs[c])
                        continue;
                if (!cg.v2 && (make_dir(g->dirs[c], err) < 0 || v1_limit(g->sb, c, g->dirs[c], err) < 0))
                        return -1;
                if (write_str(g->dirs[c], "cgroup.procs", "0", err) < 0)
                        return -1;
        }
        return 0;
}

/* The directory whose cgroup.procs lists every process of the service. */
static const char *procs_dir(const struct rt_cgroup *g)
{
        if (g->dirs[C_FREEZER])
                return g->dirs[C_FREEZER];
        for (int c = 0; c < C_N; c++)
                if (g->dirs[c])
                        return g->dirs[c];
        return NULL;
}

static int kill_listed(const char *dir, int sig)
{
        char buf[65536], *p, *save = NULL;
        int n = 0;

        if (read_file(dir, "cgroup.procs", buf, sizeof(buf)) < 0)
                return -1;
        for (p = strtok_r(buf, "\n", &save); p; p = strtok_r(NULL, "\n", &save))
                if (kill((pid_t)atoi(p), sig) == 0)
                        n++;
        return n;
}

/* v1: freeze so nothing forks while we kill, kill each, thaw. Freezing is
 * near-instant for a handful of tasks; we wait at most ~10 ms for it. */
static void v1_freeze(const char *dir, bool on)
{
        char state[32];
        struct timespec ms = { 0, 500000 };

        if (write_str(dir, "freezer.state", on ? "FROZEN" : "THAWED", NULL) < 0 || !on)
                return;
        for (int i = 0; i < 20; i++) {
                if (read_file(dir, "freezer.state", state, sizeof(state)) < 0 ||
                    strncmp(state, "FROZEN", 6) == 0)
                        return;
                nanosleep(&ms, NULL);
        }
}

int cgroup_kill(const struct rt_cgroup *g, int sig, struct sup_err *err)
{
        const char *dir = procs_dir(g);
        bool freeze = !cg.v2 && sig == SIGKILL && g->dirs[C_FREEZER];

        if (!dir)
                return sup_fail(err, ESRCH, "cgroup: no directory");
        if (cg.v2 && sig == SIGKILL && has_file(dir, "cgroup.kill"))
                return write_str(dir, "cgroup.kill", "1", err);
        if (freeze)
                v1_freeze(dir, true);
        if (kill_listed(dir, sig) < 0) {
                int e = errno;
                if (freeze)
                        v1_freeze(dir, false);
                return sup_fail(err, e, "read %s/cgroup.procs", dir);
        }
        if (freeze)
                v1_freeze(dir, false);
        return 0;
}

bool cgroup_populated(const struct rt_cgroup *g)
{
        const char *dir = procs_dir(g);
        char buf[64];

        if (!dir)
                return false;
        if (cg.v2)
                return keyed_value(dir, "cgroup.events", "populated") > 0;
        return read_file(dir, "cgroup.procs", buf, sizeof(buf)) > 0;
}

/* pid (as supd sees it) is one of the service's processes. */
bool cgroup_holds(const struct rt_cgroup *g, pid_t pid)
{
        const char *dir = procs_dir(g);
        char buf[65536], *p, *save = NULL;

        if (!dir || read_file(dir, "cgroup.procs", buf, sizeof(buf)) < 0)
                return false;
        for (p = strtok_r(buf, "\n", &save); p; p = strtok_r(NULL, "\n", &save))
                if ((pid_t)atoi(p) == pid)
                        return true;
        return false;
}

bool cgroup_oom_killed(const struct rt_cgroup *g)
{
        if (cg.v2)
                return g->dirs[0] && keyed_value(g->dirs[0], "memory.events", "oom_kill") > 0;
        return g->dirs[C_MEMORY] &&
               keyed_value(g->dirs[C_MEMORY], "memory.oom_control", "oom_kill") > 0;
}

/* rmdir what is left of g; true when nothing is. A directory that is gone
 * already (ENOENT) counts as removed. */
static bool remove_dirs(struct rt_cgroup *g)
{
        bool done = true;

        for (int c = 0; c < C_N; c++) {
                if (!g->dirs[c])
                        continue;
                if (rmdir(g->dirs[c]) < 0 && errno != ENOENT) {
                        done = false;
                        continue;
                }
                free(g->dirs[c]);
                g->dirs[c] = NULL;
        }
        return done;
}

static void free_cgroup(struct rt_cgroup *g)
{
        for (int c = 0; c < C_N; c++)
                free(g->dirs[c]);
        if (g->dirfd >= 0)
                close(g->dirfd);
        free(g);
}

/* A service is released right after its last processes were sent SIGKILL:
 * they may still be exiting, and rmdir then fails with EBUSY. Such a
 * cgroup waits on the pending list until cgroup_release_pending() finds
 * it empty — a killed process has left its cgroup before its parent
 * (supd, their reaper) can reap it, so retrying after each reap is enough
 * and needs no timer. */
void cgroup_destroy(struct rt_cgroup *g)
{
        if (!g)
                return;
        if (g->dirfd >= 0)
                close(g->dirfd);
        g->dirfd = -1;
        if (remove_dirs(g)) {
                free_cgroup(g);
                return;
        }
        g->next = pending;
        pending = g;
}

int cgroup_release_pending(void)
{
        struct rt_cgroup **link = &pending;
        int left = 0;

        while (*link) {
                struct rt_cgroup *g = *link;

                if (remove_dirs(g)) {
                        *link = g->next;
                        free_cgroup(g);
                        continue;
                }
                left++;
                link = &g->next;
        }
        return left;
}

/* A new instance of a service takes over its directory: a removal still
 * pending for the old one must not pull it from under the new one. */
static void forget_pending(const char *dir)
{
        for (struct rt_cgroup *g = pending; g; g = g->next)
                for (int c = 0; c < C_N; c++)
                        if (g->dirs[c] && strcmp(g->dirs[c], dir) == 0) {
                                free(g->dirs[c]);
                                g->dirs[c] = NULL;
                        }
}

/* Child side of rt_exec_in: join a service's existing cgroup (nothing is
 * made or limited: the service's own spawn did that). */
int cgroup_enter(const struct rt_cgroup *g, struct sup_err *err)
{
        for (int c = 0; c < C_N; c++)
                if (g->dirs[c] && write_str(g->dirs[c], "cgroup.procs", "0", err) < 0)
                        return -1;
        return 0;
}

static bool read_u64(const char *dir, const char *file, uint64_t *out)
{
        char buf[64];

        if (!dir || read_file(dir, file, buf, sizeof(buf)) < 0)
                return false;
        *out = strtoull(buf, NULL, 10);
        return true;
}

/* What the kernel counts for the cgroup. A value it does not keep here (a
 * v1 hierarchy the service has no directory in) is left out of *have, and
 * *procs_dir names where its processes are listed, to sum them instead. */
void cgroup_usage(const struct rt_cgroup *g, struct rt_usage *u, unsigned *have,
                  const char **procs_dir_out)
{
        long long usec;

        *have = 0;
        *procs_dir_out = procs_dir(g);
        if (cg.v2) {
                if (read_u64(g->dirs[0], "memory.current", &u->memory_bytes))
                        *have |= RT_USAGE_MEMORY;
                if (read_u64(g->dirs[0], "pids.current", &u->tasks))
                        *have |= RT_USAGE_TASKS;
                if ((usec = keyed_value(g->dirs[0], "cpu.stat", "usage_usec")) >= 0) {
                        u->cpu_ns = (uint64_t)usec * 1000;
                        *have |= RT_USAGE_CPU;
                }
                return;
        }
        if (read_u64(g->dirs[C_MEMORY], "memory.usage_in_bytes", &u->memory_bytes))
                *have |= RT_USAGE_MEMORY;
        if (read_u64(g->dirs[C_PIDS], "pids.current", &u->tasks))
                *have |= RT_USAGE_TASKS;
        if (read_u64(g->dirs[C_CPU], "cpuacct.usage", &u->cpu_ns))
                *have |= RT_USAGE_CPU;
}
