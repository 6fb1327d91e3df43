/* cmd/compat_tini.c — supd called as tini (also tini-static, docker-init):
 * tini 0.19's command line, environment, messages and exit codes.
 *
 *   tini [-h] [-s] [-p SIGNAL] [-v]... [-w] [-g] [-e CODE]... [-l] PROGRAM [ARGS]
 *   tini --version
 *
 * Like tini: options are read by getopt, so GNU permutation applies (`tini
 * ls -l` reads -l; use `--`); no program prints the usage to stderr and
 * exits 1, as does an unknown option; a failed exec is 127 (ENOENT), 126
 * (EACCES) or 1; the child gets its own process group; TTIN and TTOU are
 * dropped; when the child exits, tini exits with its code at once and
 * leaves the rest alone (as PID 1 the kernel then ends them). Not like
 * tini: no wakeup each second; the terminal is handed to the child only
 * when we hold it; the child gets back the signal dispositions we
 * inherited, not only the mask. */
#include "cmd/supd_int.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "common/log.h"

#define TINI_VERSION "0.19.0"

#ifndef SUP_VERSION
#define SUP_VERSION "0.1.0"
#endif

struct tini_args {
        struct single_plan plan;
        int verbosity;          /* tini's: 0 quiet, 1 warnings (default), 2 info, 3 debug */
};

static int tini_prefix(enum log_level lvl, char *buf, size_t len)
{
        static const char *const names[] = { "FATAL", "WARN ", "INFO ", "DEBUG" };

        return snprintf(buf, len, "[%s tini (%ld)] ", names[lvl], (long)getpid());
}

static void tini_usage(const char *argv0, FILE *f)
{
        const char *name = strrchr(argv0, '/') ? strrchr(argv0, '/') + 1 : argv0;

        fprintf(f, "%s (tini version " TINI_VERSION " - sup " SUP_VERSION ")\n"
                "Usage: %s [OPTIONS] PROGRAM -- [ARGS] | --version\n\n"
                "Execute a program under the supervision of a valid init process (%s)\n\n"
                "Command line options:\n\n"
                "  --version: Show version and exit.\n"
                "  -h: Show this help message and exit.\n"
                "  -s: Register as a process subreaper (requires Linux >= 3.4).\n"
                "  -p SIGNAL: Trigger SIGNAL when parent dies, e.g. \"-p SIGKILL\".\n"
                "  -v: Generate more verbose output. Repeat up to 3 times.\n"
                "  -w: Print a warning when processes are getting reaped.\n"
                "  -g: Send signals to the child's process group.\n"
                "  -e EXIT_CODE: Remap EXIT_CODE (from 0 to 255) to 0 (can be repeated).\n"
                "  -l: Show license and exit.\n\n"
                "Environment variables:\n\n"
                "  TINI_SUBREAPER: Register as a process subreaper (requires Linux >= 3.4).\n"
                "  TINI_VERBOSITY: Set the verbosity level (default: 1).\n"
                "  TINI_KILL_PROCESS_GROUP: Send signals to the child's process group.\n\n",
                name, name, name);
}

/* tini takes the names with SIG, upper case, of the classic signals. */
static int tini_signal(const char *s)
{
        const char *abbr;

        if (strncmp(s, "SIG", 3) != 0)
                return 0;
        for (int sig = 1; sig < 32; sig++)
                if ((abbr = sigabbrev_np(sig)) && strcmp(abbr, s + 3) == 0)
                        return sig;
        return 0;
}

static int tini_exit_code(const char *s, unsigned *code)
{
        char *end;
        long v;

        errno = 0;
        v = strtol(s, &end, 10);
        if (!*s || *end || errno || v < 0 || v > 255)
                return -1;
        *code = (unsigned)v;
        return 0;
}

/* -1: go on; else the exit code. */
static int tini_parse(int argc, char **argv, struct tini_args *t)
{
        unsigned code;
        int c;

        if (argc == 2 && strcmp(argv[1], "--version") == 0) {
                printf("tini version " TINI_VERSION " - sup " SUP_VERSION "\n");
                return 0;
        }
        while ((c = getopt(argc, argv, "p:hvwgle:s")) != -1) {
                switch (c) {
                case 'h': tini_usage(argv[0], stdout); return 0;
                case 's': t->plan.subreaper = true; break;
                case 'v': t->verbosity++; break;
                case 'w': t->plan.pid1.warn_reaped = true; break;
                case 'g': t->plan.pid1.to_group = true; break;
                case 'l':
                        printf("This is sup's supd answering to the name tini; it shares no "
                               "code with tini.\nSee sup's README for its license.\n");
                        return 0;
                case 'p':
                        if (!(t->plan.pdeath_sig = tini_signal(optarg))) {
                                log_error("Not a valid option for -p: %s", optarg);
                                return 1;
                        }
                        break;
                case 'e':
                        if (tini_exit_code(optarg, &code) < 0) {
                                log_error("Not a valid option for -e: %s", optarg);
                                return 1;
                        }
                        zero_codes_add(&t->plan.zero, code);
                        break;
                default:
                        tini_usage(argv[0], stderr);
                        return 1;
                }
        }
        if (optind >= argc) {
                tini_usage(argv[0], stderr);
                return 1;
        }
        t->plan.command = argv + optind;
        return -1;
}

/* Set (to anything, even empty) turns the feature on; TINI_VERBOSITY is a
 * number and wins over -v. */
static void tini_env(struct tini_args *t)
{
        const char *v;

        if (getenv("TINI_SUBREAPER"))
                t->plan.subreaper = true;
        if (getenv("TINI_KILL_PROCESS_GROUP"))
                t->plan.pid1.to_group = true;
        if ((v = getenv("TINI_VERBOSITY")))
                t->verbosity = atoi(v);
}

static int tini_exec_failed(const char *cmd, int errnum, const char *msg)
{
        log_error("exec %s failed: %s", cmd, strerror(errnum));
        return errnum == ENOENT ? 127 : errnum == EACCES ? 126 : 1;
}

static void tini_reaper_check(const struct tini_args *t)
{
        int on = 0;

        if (getpid() == 1 || (prctl(PR_GET_CHILD_SUBREAPER, &on) == 0 && on))
                return;
        log_warn("Tini is not running as PID 1 and isn't registered as a child subreaper.\n"
                 "Zombie processes will not be re-parented to Tini, so zombie reaping won't "
                 "work.\nTo fix the problem, use the -s option or set the environment variable "
                 "TINI_SUBREAPER to register Tini as a child subreaper, or run Tini as PID 1.");
}

int compat_tini_main(int argc, char **argv)
{
        struct tini_args t = {
                .verbosity = 1,
                .plan = { .group = PID1_CHILD_PGRP, .exec_failed = tini_exec_failed,
                          .pid1 = { .leftovers = PID1_LEFTOVERS_LEAVE } },
        };
        static const int levels[] = { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };
        int rc;

        log_set_prog("tini");
        log_set_prefix(tini_prefix);
        if ((rc = tini_parse(argc, argv, &t)) >= 0)
                return rc;
        tini_env(&t);
        log_verbosity = levels[t.verbosity < 0 ? 0 : t.verbosity > 3 ? 3 : t.verbosity];
        if (t.plan.subreaper && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
                log_error("Failed to register as child subreaper: %s", strerror(errno));
                return 1;
        }
        t.plan.subreaper = false;       /* done */
        tini_reaper_check(&t);
        return single_run(&t.plan);
}
