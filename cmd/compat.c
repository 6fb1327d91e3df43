/* cmd/compat.c — which peer's command line a name stands for.
 *
 * An image switches by putting supd (or the static binary) where tini or
 * dumb-init was: `make install-compat` makes the links. Each peer's command
 * line, environment, exit codes and messages are in a file of its own. */
#include "cmd/supd_int.h"

#include <string.h>

static const struct {
        const char *name;
        int (*main)(int, char **);
} compat_programs[] = {
        { "tini", compat_tini_main },
        { "tini-static", compat_tini_main },
        { "docker-init", compat_tini_main },     /* docker run --init's name for tini */
        { "dumb-init", compat_dumb_init_main },
};

int (*compat_main_for(const char *argv0))(int argc, char **argv)
{
        const char *base;

        if (!argv0)
                return NULL;
        base = strrchr(argv0, '/') ? strrchr(argv0, '/') + 1 : argv0;
        for (size_t i = 0; i < sizeof(compat_programs) / sizeof(compat_programs[0]); i++)
                if (strcmp(base, compat_programs[i].name) == 0)
                        return compat_programs[i].main;
        return NULL;
}
