/* tests/unit/check.h — a tiny unit-test harness.
 *
 *   TEST(parses_durations) { CHECK(x == 1); CHECK_STR(a, "b"); }
 *   int main(int argc, char **argv) { return check_main(argc, argv); }
 *
 * Each test prints "PASS file/name" or "FAIL file/name" (with the failed
 * checks before it); argv[1], when given, runs only tests whose name
 * contains it. */
#ifndef SUP_TESTS_CHECK_H
#define SUP_TESTS_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*check_fn)(void);
struct check_case { const char *name; check_fn fn; };

static struct check_case check_cases[512];
static int check_ncases;
static int check_failed_now;

#define TEST(tname)                                                             \
        static void test_##tname(void);                                         \
        __attribute__((constructor)) static void register_##tname(void)         \
        {                                                                       \
                check_cases[check_ncases].name = #tname;                        \
                check_cases[check_ncases++].fn = test_##tname;                  \
        }                                                                       \
        static void test_##tname(void)

#define CHECK(cond)                                                             \
        do {                                                                    \
                if (!(cond)) {                                                  \
                        fprintf(stderr, "  %s:%d: CHECK(%s)\n", __FILE__,       \
                                __LINE__, #cond);                               \
                        check_failed_now = 1;                                   \
                }                                                               \
        } while (0)

#define CHECK_STR(a, b)                                                         \
        do {                                                                    \
                const char *a_ = (a), *b_ = (b);                                \
                if (!a_ || !b_ || strcmp(a_, b_) != 0) {                        \
                        fprintf(stderr, "  %s:%d: \"%s\" != \"%s\"\n", __FILE__,\
                                __LINE__, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
                        check_failed_now = 1;                                   \
                }                                                               \
        } while (0)

#define CHECK_INT(a, b)                                                         \
        do {                                                                    \
                long long a_ = (long long)(a), b_ = (long long)(b);             \
                if (a_ != b_) {                                                 \
                        fprintf(stderr, "  %s:%d: %s == %lld, expected %lld\n", \
                                __FILE__, __LINE__, #a, a_, b_);                \
                        check_failed_now = 1;                                   \
                }                                                               \
        } while (0)

static inline int check_main(int argc, char **argv)
{
        const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
        int failed = 0;

        if (strncmp(base, "test_", 5) == 0)
                base += 5;
        for (int i = 0; i < check_ncases; i++) {
                if (argc > 1 && !strstr(check_cases[i].name, argv[1]))
                        continue;
                check_failed_now = 0;
                check_cases[i].fn();
                printf("%s unit/%s/%s\n", check_failed_now ? "FAIL" : "PASS", base,
                       check_cases[i].name);
                fflush(stdout);
                failed |= check_failed_now;
        }
        return failed;
}

#endif
