/* runtime/rlimit.c — limit_<name> keys (systemd's LimitNOFILE= and friends). */
#include "runtime/runtime_int.h"

#include <errno.h>
#include <sys/resource.h>

int rlimits_apply(const struct sandbox_spec *sb, struct sup_err *err)
{
        for (size_t i = 0; i < sb->n_rlimits; i++) {
                const struct rlimit_setting *r = &sb->rlimits[i];

                if (setrlimit(r->resource, &r->lim) < 0)
                        return sup_fail(err, errno, "setrlimit %d", r->resource);
        }
        return 0;
}
