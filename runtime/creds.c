/* runtime/creds.c — user, group and supplementary groups of a service.
 *
 * Names are resolved in the child before pivot_root (the host's passwd and
 * group files are still reachable), applied later with setgroups/setresgid/
 * setresuid in the order that keeps the privilege to do the next one. */
#include "runtime/runtime_int.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int parse_id(const char *s, unsigned long *out)
{
        char *end;

        if (!*s)
                return -1;
        errno = 0;
        *out = strtoul(s, &end, 10);
        return (*end || errno) ? -1 : 0;
}

static int resolve_group(const char *name, gid_t *gid, struct sup_err *err)
{
        struct group *gr;
        unsigned long n;

        if (parse_id(name, &n) == 0) {
                *gid = (gid_t)n;
                return 0;
        }
        errno = 0;
        gr = getgrnam(name);
        if (!gr)
                return sup_fail(err, errno, "group %s: no such group", name);
        *gid = gr->gr_gid;
        return 0;
}

int creds_resolve(const struct svc_spec *s, struct rt_creds *c, struct sup_err *err)
{
        struct passwd *pw = NULL;
        unsigned long n;

        memset(c, 0, sizeof(*c));
        if (!s->user && !s->group)
                return 0;
        c->set = true;
        c->uid = getuid();
        c->gid = getgid();
        if (s->user) {
                errno = 0;
                pw = getpwnam(s->user);
                if (pw) {
                        c->uid = pw->pw_uid;
                        c->gid = pw->pw_gid;
                } else if (parse_id(s->user, &n) == 0) {
                        c->uid = (uid_t)n;
                        c->gid = (gid_t)n;
                } else {
                        return sup_fail(err, errno, "user %s: no such user", s->user);
                }
        }
        if (s->group && resolve_group(s->group, &c->gid, err) < 0)
                return -1;
        c->ngroups = 0;
        if (pw) {
                int ng = (int)(sizeof(c->groups) / sizeof(c->groups[0]));

                /* Supplementary groups from /etc/group, the primary one included. */
                if (getgrouplist(pw->pw_name, c->gid, c->groups, &ng) < 0)
                        return sup_fail(err, 0, "user %s: more than %zu groups", s->user,
                                        sizeof(c->groups) / sizeof(c->groups[0]));
                c->ngroups = ng;
        } else {
                c->groups[0] = c->gid;
                c->ngroups = 1;
        }
        return 0;
}

int creds_apply(const struct rt_creds *c, struct sup_err *err)
{
        if (!c->set)
                return 0;
        if (setgroups((size_t)c->ngroups, c->groups) < 0)
                return sup_fail(err, errno, "setgroups");
        if (setresgid(c->gid, c->gid, c->gid) < 0)
                return sup_fail(err, errno, "setresgid %u", (unsigned)c->gid);
        if (setresuid(c->uid, c->uid, c->uid) < 0)
                return sup_fail(err, errno, "setresuid %u", (unsigned)c->uid);
        return 0;
}
