/* cmd/cmdline.c — version and one-line usage errors for supd, supctl, suprun. */
#include "cmd/cmdline.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/suggest.h"

int cmdline_version(const char *prog)
{
        printf("%s %s\n", prog, SUP_VERSION);
        return 0;
}

int cmdline_usage_error(const char *prog, const char *fmt, ...)
{
        char what[512];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(what, sizeof(what), fmt, ap);
        va_end(ap);
        fprintf(stderr, "%s: %s; see %s --help\n", prog, what, prog);
        return 2;
}

/* "--jsn" → "--json", from longopts' names. */
static const char *closest_long(const char *arg, const struct option *longopts)
{
        static char best[64];
        char word[64];
        struct suggest sg;

        snprintf(word, sizeof(word), "%.*s", (int)strcspn(arg + 2, "="), arg + 2);
        suggest_init(&sg, word);
        for (; longopts && longopts->name; longopts++)
                suggest_offer(&sg, longopts->name);
        if (!suggest_best(&sg))
                return NULL;
        snprintf(best, sizeof(best), "--%s", suggest_best(&sg));
        return best;
}

int cmdline_bad_option(const char *prog, int c, char *const argv[], const struct option *longopts)
{
        const char *arg = argv[optind - 1], *near;

        if (optopt && optopt < 0x100 && !(arg[0] == '-' && arg[1] == '-')) {
                if (c == ':')
                        return cmdline_usage_error(prog, "option -%c needs a value", optopt);
                return cmdline_usage_error(prog, "unknown option -%c", optopt);
        }
        if (c == ':')
                return cmdline_usage_error(prog, "option %s needs a value", arg);
        near = strncmp(arg, "--", 2) == 0 ? closest_long(arg, longopts) : NULL;
        if (near)
                return cmdline_usage_error(prog, "unknown option %s (did you mean %s?)", arg, near);
        return cmdline_usage_error(prog, "unknown option %s", arg);
}
