/* cmd/supd.c — supd's entry point: capture what we inherited, parse the
 * command line, run the mode. The work is in cmd/supd_*.c. */
#include <stdio.h>

#include "common/log.h"
#include "common/sigconf.h"
#include "cmd/cmdline.h"
#include "cmd/supd_int.h"

int main(int argc, char **argv)
{
        struct supd_args a;

        /* First, before anything may change them: what the child gets back. */
        sigconf_capture(&sigconf_inherited);
        log_set_prog("supd");
        if (supd_args_parse(argc, argv, &a) < 0)
                return 2;
        log_verbosity = a.verbosity;
        if (a.help) {
                supd_args_usage();
                return 0;
        }
        if (a.version) {
                return cmdline_version("supd");
        }
        if (a.command && !a.config && !a.check)
                return supd_single_main(&a);
        return supd_config_main(&a);
}
