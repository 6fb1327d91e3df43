/* cmd/supd.c — supd's entry point: capture what we inherited, parse the
 * command line, run the mode. The work is in cmd/supd_*.c; called as tini or
 * dumb-init, the peer's command line is in cmd/compat_*.c. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/log.h"
#include "common/sigconf.h"
#include "cmd/supd_int.h"

#ifndef SUP_VERSION
#define SUP_VERSION "0.1.0"
#endif

/* Bare `supd` with nothing to supervise: say how to use it. */
static bool nothing_to_do(int argc)
{
        const char *env = getenv("SUP_CONFIG");

        return argc == 1 && (!env || !*env) && access(SUPD_DEFAULT_CONFIG, F_OK) < 0;
}

int main(int argc, char **argv)
{
        int (*compat)(int, char **) = compat_main_for(argv[0]);
        struct supd_args a;

        /* First, before anything may change them: what the child gets back. */
        sigconf_capture(&sigconf_inherited);
        if (compat)
                return compat(argc, argv);
        log_set_prog("supd");
        if (nothing_to_do(argc)) {
                fprintf(stderr, "supd: nothing to run: no command and no %s (see supd --help)\n"
                                "usage: supd [OPTION...] -- COMMAND [ARG...]   or   supd -c FILE\n",
                        SUPD_DEFAULT_CONFIG);
                return 2;
        }
        if (supd_args_parse(argc, argv, &a) < 0)
                return 2;
        log_verbosity = a.verbosity;
        if (a.help) {
                supd_args_usage();
                return 0;
        }
        if (a.version) {
                printf("supd %s\n", SUP_VERSION);
                return 0;
        }
        if (a.command && !a.config && !a.check)
                return supd_single_main(&a);
        return supd_config_main(&a);
}
