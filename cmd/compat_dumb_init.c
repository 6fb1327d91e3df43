/* cmd/compat_dumb_init.c — supd called as dumb-init: dumb-init 1.2.5's
 * command line, environment, messages and exit codes.
 *
 *   dumb-init [-c] [-r S:R]... [-v] [-h] [-V] COMMAND [ARG...]
 *
 * Like dumb-init: options stop at the first non-option; no command prints
 * a two-line usage to stderr and exits 1, as does an unknown option; a
 * failed exec is 2. By default (setsid mode) the child leads a session of
 * its own and signals go to its process group; TSTP, TTIN and TTOU are
 * rewritten to STOP (unless -r says otherwise), forwarded, and then we stop
 * ourselves, so a shell's ^Z and fg work; when the child exits, its group
 * gets a SIGTERM (rewritten as -r says) and we exit with the child's code.
 * -c (or DUMB_INIT_SETSID=0): the child stays in our process group, signals
 * go to it alone, what it leaves is left. The child starts with no signal
 * blocked and signals 1-31 at their default, whatever we inherited (a
 * shell's `&` ignores INT and QUIT: under dumb-init the command is still
 * ended by them); supd and tini pass on the inherited ignores instead. */
#include "cmd/supd_int.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/sigconf.h"

#define DUMB_INIT_VERSION "1.2.5"
#define DUMB_INIT_MAXSIG 31     /* -r takes the classic signals only */

#ifndef SUP_VERSION
#define SUP_VERSION "0.1.0"
#endif

static int dumb_init_prefix(enum log_level lvl, char *buf, size_t len)
{
        return snprintf(buf, len, "[dumb-init] ");
}

static void dumb_init_help(const char *argv0)
{
        fprintf(stderr,
                "dumb-init v" DUMB_INIT_VERSION " (sup " SUP_VERSION ")\n"
                "Usage: %s [option] command [[arg] ...]\n\n"
                "dumb-init is a simple process supervisor that forwards signals to children.\n"
                "It is designed to run as PID1 in minimal container environments.\n\n"
                "Optional arguments:\n"
                "   -c, --single-child   Run in single-child mode.\n"
                "                        In this mode, signals are only proxied to the\n"
                "                        direct child and not any of its descendants.\n"
                "   -r, --rewrite s:r    Rewrite received signal s to new signal r before proxying.\n"
                "                        To ignore (not proxy) a signal, rewrite it to 0.\n"
                "                        This option can be specified multiple times.\n"
                "   -v, --verbose        Print debugging information to stderr.\n"
                "   -h, --help           Print this help message and exit.\n"
                "   -V, --version        Print the current version and exit.\n\n"
                "This dumb-init is sup's supd (see supd(8)).\n", argv0);
}

/* "S:R", numbers: S in 1..31, R in 0..31 (0 drops S). */
static int dumb_init_rewrite(const char *arg, struct pid1_opts *o)
{
        int from, to;

        if (sscanf(arg, "%d:%d", &from, &to) != 2 || from < 1 || from > DUMB_INIT_MAXSIG ||
            to < 0 || to > DUMB_INIT_MAXSIG) {
                fprintf(stderr, "Usage: -r option takes <signum>:<signum>, where <signum> is "
                        "between 1 and %d.\nThis option can be specified multiple times.\n"
                        "Use --help for full usage.\n", DUMB_INIT_MAXSIG);
                return -1;
        }
        o->rewrite[from] = to ? (unsigned char)to : PID1_SIG_DROP;
        return 0;
}

/* -1: go on; else the exit code. */
static int dumb_init_parse(int argc, char **argv, struct single_plan *p, bool *verbose)
{
        static const struct option longs[] = {
                { "help", no_argument, NULL, 'h' },
                { "single-child", no_argument, NULL, 'c' },
                { "rewrite", required_argument, NULL, 'r' },
                { "verbose", no_argument, NULL, 'v' },
                { "version", no_argument, NULL, 'V' },
                { NULL, 0, NULL, 0 },
        };
        int c;

        while ((c = getopt_long(argc, argv, "+hvVcr:", longs, NULL)) != -1) {
                switch (c) {
                case 'h': dumb_init_help(argv[0]); return 0;
                case 'v': *verbose = true; break;
                case 'V':
                        fprintf(stderr, "dumb-init v" DUMB_INIT_VERSION " (sup " SUP_VERSION ")\n");
                        return 0;
                case 'c': p->group = PID1_CHILD_SAME; break;
                case 'r':
                        if (dumb_init_rewrite(optarg, &p->pid1) < 0)
                                return 1;
                        break;
                default:
                        return 1;
                }
        }
        if (optind >= argc) {
                fprintf(stderr, "Usage: %s [option] program [args]\nTry %s --help for full usage.\n",
                        argv[0], argv[0]);
                return 1;
        }
        p->command = argv + optind;
        return -1;
}

static bool env_is(const char *name, const char *value)
{
        const char *v = getenv(name);

        return v && strcmp(v, value) == 0;
}

/* What dumb-init's child gets: nothing blocked, the classic signals at
 * their default (it catches 1-31 itself, and exec resets caught ones). */
static void child_gets_default_signals(void)
{
        sigemptyset(&sigconf_inherited.mask);
        for (int sig = 1; sig <= DUMB_INIT_MAXSIG; sig++)
                sigdelset(&sigconf_inherited.ignored, sig);
}

static int dumb_init_exec_failed(const char *cmd, int errnum, const char *msg)
{
        log_error("%s: %s", cmd, strerror(errnum));
        return 2;
}

/* setsid mode: the child's session gets the terminal and job control. */
static void setsid_mode(struct single_plan *p)
{
        static const int tty_stops[] = { SIGTSTP, SIGTTOU, SIGTTIN };

        p->group = PID1_CHILD_SESSION;
        p->detach_tty = true;
        p->pid1.to_group = true;
        p->pid1.stop_on_tty_signals = true;
        for (size_t i = 0; i < sizeof(tty_stops) / sizeof(tty_stops[0]); i++)
                if (!p->pid1.rewrite[tty_stops[i]])
                        p->pid1.rewrite[tty_stops[i]] = SIGSTOP;
}

int compat_dumb_init_main(int argc, char **argv)
{
        struct single_plan p = {
                .group = PID1_CHILD_SESSION,
                .exec_failed = dumb_init_exec_failed,
                .pid1 = { .leftovers = PID1_LEFTOVERS_TERM, .stop_on_tty_signals = true },
        };
        bool verbose = false;
        int rc;

        log_set_prog("dumb-init");
        log_set_prefix(dumb_init_prefix);
        if ((rc = dumb_init_parse(argc, argv, &p, &verbose)) >= 0)
                return rc;
        if (env_is("DUMB_INIT_DEBUG", "1"))
                verbose = true;
        log_verbosity = verbose ? LOG_DEBUG : LOG_ERROR;
        if (env_is("DUMB_INIT_SETSID", "0"))
                p.group = PID1_CHILD_SAME;
        if (p.group == PID1_CHILD_SESSION)
                setsid_mode(&p);
        child_gets_default_signals();
        return single_run(&p);
}
