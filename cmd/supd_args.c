/* cmd/supd_args.c — supd's options. Hand-written rather than getopt_long: no
 * GNU permutation (tini's `tini ls -l` runs `tini -l`), and every error is
 * one line of ours. */
#include "cmd/supd_int.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "confd/confd.h"
#include "pid1/pid1.h"

#define USAGE "usage: supd [-v|-q] [-g] [-j] [-t DURATION] [-r SIG:SIG]... [-e CODE]... [-p SIGNAL]\n" \
              "            [--leftovers=sweep|leave] [-c FILE] [--check] [--] [COMMAND [ARG...]]"

void supd_args_usage(void)
{
        printf("%s\n\n"
               "  supd -- COMMAND [ARG...]   run COMMAND as the only child (like tini --)\n"
               "  supd -c FILE [-- COMMAND]  supervise the services of FILE (default $SUP_CONFIG\n"
               "                             or /etc/sup/sup.ini); COMMAND is the main service\n"
               "  --check                    validate the config, print the effective services\n"
               "  -g                         forward signals to the command's process group\n"
               "  -t DURATION                SIGTERM to SIGKILL grace for processes left when\n"
               "                             the command exits (default 5s; ms, s, m, h)\n"
               "  --leftovers=leave          when the command exits, leave the processes it left\n"
               "                             (the default, sweep, stops them as -t says)\n"
               "  -r FROM:TO                 forward signal FROM as TO (names or numbers; TO 0\n"
               "                             drops it); repeatable\n"
               "  -e CODE                    exit 0 when the command exits CODE; repeatable\n"
               "  -p SIGNAL                  take SIGNAL (and forward it) when our parent dies\n"
               "  -j                         job control: when the command stops (^Z), stop too;\n"
               "                             fg continues both\n"
               "  -v, -q                     more / fewer messages of supd's own\n"
               "  -h, --help, --version\n", USAGE);
}

static int usage_error(const char *fmt, const char *what)
{
        fprintf(stderr, "supd: ");
        fprintf(stderr, fmt, what);
        fprintf(stderr, " (see supd --help)\n");
        return -1;
}

/* Durations as in the config (confd: "5s", "500ms", "1.5", "2m"). */
static int parse_duration_ms(const char *s, unsigned *ms)
{
        uint64_t v;

        if (confd_parse_duration(s, &v) < 0 || v > UINT_MAX)
                return -1;
        *ms = (unsigned)v;
        return 0;
}

/* FROM:TO, each a name or a number; TO may be 0 (drop). */
static int parse_rewrite(const char *v, struct supd_args *a)
{
        const char *colon = strchr(v, ':');
        char from_s[32];
        int from, to = 0;

        if (!colon || (size_t)(colon - v) >= sizeof(from_s))
                return usage_error("-r: expected FROM:TO, e.g. TERM:QUIT or 15:0; got '%s'", v);
        memcpy(from_s, v, (size_t)(colon - v));
        from_s[colon - v] = '\0';
        if (confd_parse_signal(from_s, &from) < 0 || from > PID1_SIG_MAX)
                return usage_error("-r: not a signal: '%s'", from_s);
        if (strcmp(colon + 1, "0") != 0 &&
            (confd_parse_signal(colon + 1, &to) < 0 || to > PID1_SIG_MAX))
                return usage_error("-r: not a signal (or 0 to drop): '%s'", colon + 1);
        if (from == SIGKILL || from == SIGSTOP || from == SIGCHLD)
                return usage_error("-r: %s is never forwarded", from_s);
        a->rewrite[from] = to ? (unsigned char)to : PID1_SIG_DROP;
        a->rewrite_set = true;
        return 0;
}

static int parse_exit_code(const char *v, struct supd_args *a)
{
        char *end;
        long code = strtol(v, &end, 10);

        if (!*v || *end || code < 0 || code > 255)
                return usage_error("-e: expected an exit code 0-255; got '%s'", v);
        zero_codes_add(&a->zero, (unsigned)code);
        return 0;
}

static int long_option(const char *opt, struct supd_args *a)
{
        if (strcmp(opt, "--leftovers=sweep") == 0)
                a->leftovers = PID1_LEFTOVERS_SWEEP;
        else if (strcmp(opt, "--leftovers=leave") == 0)
                a->leftovers = PID1_LEFTOVERS_LEAVE;
        else if (strncmp(opt, "--leftovers", 11) == 0)
                return usage_error("%s: expected --leftovers=sweep or --leftovers=leave", opt);
        else if (strcmp(opt, "--check") == 0)
                a->check = true;
        else if (strcmp(opt, "--help") == 0)
                a->help = true;
        else if (strcmp(opt, "--version") == 0)
                a->version = true;
        else
                return usage_error("unknown option %s", opt);
        return 0;
}

/* One option letter; *value is the argument for c and t. */
static int short_option(char c, const char *value, struct supd_args *a)
{
        switch (c) {
        case 'v': a->verbosity++; return 0;
        case 'q': a->verbosity--; return 0;
        case 'g': a->to_group = true; return 0;
        case 'h': a->help = true; return 0;
        case 'j': a->job_control = true; return 0;
        case 'c': a->config = value; return 0;
        case 'r': return parse_rewrite(value, a);
        case 'e': return parse_exit_code(value, a);
        case 'p':
                if (confd_parse_signal(value, &a->pdeath_sig) < 0)
                        return usage_error("-p: not a signal: '%s'", value);
                return 0;
        case 't':
                if (parse_duration_ms(value, &a->grace_ms) < 0)
                        return usage_error("-t: not a duration: '%s' (e.g. 5s, 500ms, 1m)", value);
                a->grace_set = true;
                return 0;
        }
        return usage_error("unknown option -%s", (char[]){ c, '\0' });
}

static bool takes_value(char c) { return strchr("ctrep", c) != NULL; }

int supd_args_parse(int argc, char **argv, struct supd_args *a)
{
        int i;

        *a = (struct supd_args){ .grace_ms = PID1_GRACE_MS_DEFAULT, .verbosity = LOG_INFO,
                                 .leftovers = -1 };
        for (i = 1; i < argc; i++) {
                const char *arg = argv[i];

                if (strcmp(arg, "--") == 0) {
                        i++;
                        break;
                }
                if (arg[0] != '-' || arg[1] == '\0')
                        break;
                if (arg[1] == '-') {
                        if (long_option(arg, a) < 0)
                                return -1;
                        continue;
                }
                for (const char *p = arg + 1; *p; p++) {
                        const char *value = NULL;

                        if (takes_value(*p)) {
                                value = p[1] ? p + 1 : argv[++i];
                                if (!value)
                                        return usage_error("-%s needs a value",
                                                           (char[]){ *p, '\0' });
                        }
                        if (short_option(*p, value, a) < 0)
                                return -1;
                        if (value)
                                break;
                }
        }
        a->command = i < argc ? argv + i : NULL;
        if (a->verbosity < LOG_ERROR)
                a->verbosity = LOG_ERROR;
        if (a->verbosity > LOG_DEBUG)
                a->verbosity = LOG_DEBUG;
        if (a->help || a->version)
                return 0;
        if (!a->command && !a->config && !a->check && argc > 1 && strcmp(argv[argc - 1], "--") == 0)
                return usage_error("%s", "no command after --");
        if ((a->rewrite_set || a->job_control) && (a->config || !a->command))
                return usage_error("%s", "-r and -j apply to a single command (supd -- COMMAND)");
        return 0;
}
