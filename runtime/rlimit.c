/* runtime/rlimit.c — limit_<name> keys (systemd's LimitNOFILE= and friends). */
#include "runtime/runtime_int.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/resource.h>

/* supd raises its own open-files soft limit to the hard limit (it holds
 * fds for every service); its services get the soft limit supd was given,
 * as under systemd, since programs that loop over every possible fd or use
 * select() suffer from a huge one. Captured by rt_init, before the raise. */
static struct rlimit nofile_given;
static bool nofile_captured;

void rlimit_capture_given(void)
{
        nofile_captured = getrlimit(RLIMIT_NOFILE, &nofile_given) == 0;
}

static int nofile_restore(struct sup_err *err)
{
        struct rlimit now;

        if (!nofile_captured || getrlimit(RLIMIT_NOFILE, &now) < 0 || now.rlim_cur <= nofile_given.rlim_cur)
                return 0;
        now.rlim_cur = nofile_given.rlim_cur;
        if (setrlimit(RLIMIT_NOFILE, &now) < 0)
                return sup_fail(err, errno, "setrlimit NOFILE back to %llu",
                                (unsigned long long)nofile_given.rlim_cur);
        return 0;
}

int rlimits_apply(const struct sandbox_spec *sb, struct sup_err *err)
{
        if (nofile_restore(err) < 0)
                return -1;
        for (size_t i = 0; i < sb->n_rlimits; i++) {
                const struct rlimit_setting *r = &sb->rlimits[i];

                if (setrlimit(r->resource, &r->lim) < 0)
                        return sup_fail(err, errno, "setrlimit %d", r->resource);
        }
        return 0;
}
