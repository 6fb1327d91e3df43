/* runtime/caps.c — the kept capability set (capabilities = ...), via libcap.
 *
 * Order (crun/runc): drop the bounding set → keep caps across the uid
 * change → (creds.c: setgroups/setresgid/setresuid) → capset P/E/I →
 * ambient, so a non-root service keeps exactly the configured set. */
#include "runtime/runtime_int.h"

#include <errno.h>
#include <sys/capability.h>
#include <sys/prctl.h>

static bool kept(const struct sandbox_spec *sb, int cap)
{
        return cap < 64 && (sb->caps >> cap) & 1;
}

static bool non_root(const struct rt_creds *c)
{
        return c->set && c->uid != 0;
}

/* A non-root user carries the set over its uid change only when the
 * config gave it (capabilities=); the default set is root's alone, as in
 * Docker: a non-root service keeps the reduced bounding set, nothing else. */
static bool carried_to_user(const struct sandbox_spec *sb, const struct rt_creds *c)
{
        return sb->caps_set && sb->caps_ambient && non_root(c);
}

int caps_drop_bounding(const struct sandbox_spec *sb, struct sup_err *err)
{
        int last = (int)cap_max_bits();

        if (!sb->caps_set)
                return 0;
        /* Drop first, look only on failure: one syscall per capability
         * instead of two; a cap already gone is no error. */
        for (int cap = 0; cap < last; cap++) {
                int e;

                if (kept(sb, cap) || cap_drop_bound((cap_value_t)cap) == 0)
                        continue;
                e = errno;
                if (cap_get_bound((cap_value_t)cap) == 1)
                        return sup_fail(err, e, "drop %s from the bounding set",
                                        cap_to_name((cap_value_t)cap));
        }
        return 0;
}

int caps_keep(const struct sandbox_spec *sb, const struct rt_creds *c, struct sup_err *err)
{
        if (carried_to_user(sb, c) && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
                return sup_fail(err, errno, "prctl(PR_SET_KEEPCAPS)");
        return 0;
}

static int set_kept(cap_t caps, const struct sandbox_spec *sb, struct sup_err *err)
{
        int last = (int)cap_max_bits();

        for (int cap = 0; cap < last; cap++) {
                cap_value_t v = (cap_value_t)cap;

                if (!kept(sb, cap))
                        continue;
                if (cap_set_flag(caps, CAP_PERMITTED, 1, &v, CAP_SET) < 0 ||
                    cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, CAP_SET) < 0 ||
                    cap_set_flag(caps, CAP_INHERITABLE, 1, &v, CAP_SET) < 0)
                        return sup_fail(err, errno, "cap_set_flag %s", cap_to_name(v));
        }
        return 0;
}

static int raise_ambient(const struct sandbox_spec *sb, struct sup_err *err)
{
        int last = (int)cap_max_bits();

        if (cap_reset_ambient() < 0)
                return sup_fail(err, errno, "clear the ambient set");
        for (int cap = 0; cap < last; cap++)
                if (kept(sb, cap) && cap_set_ambient((cap_value_t)cap, CAP_SET) < 0)
                        return sup_fail(err, errno, "raise ambient %s",
                                        cap_to_name((cap_value_t)cap));
        return 0;
}

int caps_apply(const struct sandbox_spec *sb, const struct rt_creds *c, struct sup_err *err)
{
        cap_t caps;
        int rc;

        if (!sb->caps_set || (non_root(c) && !carried_to_user(sb, c)))
                return 0;       /* a non-root user's sets are empty after setuid */
        caps = cap_init();
        if (!caps)
                return sup_fail(err, errno, "cap_init");
        rc = set_kept(caps, sb, err);
        if (rc == 0 && cap_set_proc(caps) < 0)
                rc = sup_fail(err, errno, "capset");
        cap_free(caps);
        if (rc == 0 && carried_to_user(sb, c)) {
                prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
                rc = raise_ambient(sb, err);
        }
        return rc;
}
