/* Unit tests of common/: the error record and the log line shape. */
#include <errno.h>

#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "common/nameidx.h"
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

TEST(nameidx_finds_every_name_and_keeps_the_first)
{
        static char names[5000][16];
        struct nameidx ix = { 0 };
        size_t first = 0;

        for (size_t i = 0; i < 5000; i++) {
                snprintf(names[i], sizeof(names[i]), "s%zu", i);
                CHECK_INT(nameidx_put(&ix, names[i], i, NULL), 0);
        }
        for (size_t i = 0; i < 5000; i += 499)
                CHECK_INT(nameidx_get(&ix, names[i]), (long)i);
        CHECK_INT(nameidx_get(&ix, "nope"), -1);
        CHECK_INT(nameidx_put(&ix, "s42", 7, &first), 1);
        CHECK_INT(first, 42);
        CHECK_INT(nameidx_get(&ix, "s42"), 42);
        nameidx_free(&ix);
        CHECK_INT(nameidx_get(&ix, "s1"), -1);
}

int main(int argc, char **argv) { return check_main(argc, argv); }
