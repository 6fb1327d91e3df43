/* Unit tests of common/: the error record and the log line shape. */
#include <errno.h>

#include "common/err.h"
#include "tests/unit/check.h"

TEST(fail_appends_strerror_and_returns_minus_one)
{
        struct sup_err err = { 0 };

        CHECK_INT(sup_fail(&err, ENOENT, "mount %s", "/data"), -1);
        CHECK_STR(err.msg, "mount /data: No such file or directory");
        CHECK_INT(err.errnum, ENOENT);
}

TEST(wrap_prefixes_context)
{
        struct sup_err err = { 0 };

        sup_fail(&err, 0, "pivot_root failed");
        CHECK_INT(sup_wrap(&err, "service %s", "web"), -1);
        CHECK_STR(err.msg, "service web: pivot_root failed");
}

int main(int argc, char **argv) { return check_main(argc, argv); }
