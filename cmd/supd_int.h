/* cmd/supd_int.h — supd's command line, its two modes, and the one-command
 * run that `supd --`, tini's and dumb-init's command lines share (internal
 * to cmd/). */
#ifndef SUP_CMD_SUPD_INT_H
#define SUP_CMD_SUPD_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "pid1/pid1.h"

#define SUPD_DEFAULT_CONFIG "/etc/sup/sup.ini"   /* when no -c and no $SUP_CONFIG */

/* Exit codes turned into 0 (tini's -e, supd's -e): one bit per code. */
struct zero_codes {
        uint32_t bits[256 / 32];
};

void zero_codes_add(struct zero_codes *z, unsigned code);     /* code <= 255 */
int zero_codes_apply(const struct zero_codes *z, int code);

struct supd_args {
        char **command;         /* after the options; NULL when none */
        const char *config;     /* -c FILE; NULL when not given */
        bool check;             /* --check */
        bool help, version;
        bool to_group;          /* -g */
        bool grace_set;
        unsigned grace_ms;      /* -t */
        int verbosity;          /* log level after -v/-q */
        unsigned char rewrite[PID1_SIG_MAX + 1];        /* -r FROM:TO */
        bool rewrite_set;
        struct zero_codes zero; /* -e CODE */
        int pdeath_sig;         /* -p SIGNAL; 0 when not given */
        bool job_control;       /* -j */
        int leftovers;          /* --leftovers=sweep|leave: a pid1_leftovers; -1 when not given */
};

/* 0, or -1 after printing a one-line usage error (exit 2). Options end at
 * "--" or at the first non-option: `supd ls -l` runs `ls -l`. */
int supd_args_parse(int argc, char **argv, struct supd_args *a);
void supd_args_usage(void);

/* --check: what the host will refuse at start (supd_check.c); messages
 * logged, -1 when one is an error. */
struct sup_config;
int supd_check_host(const struct sup_config *cfg);

/* [supervisord] pidfile= (supd_pidfile.c): 0, or -1 after logging why. */
int supd_pidfile_write(const char *path);
void supd_pidfile_remove(const char *path);

int supd_single_main(const struct supd_args *a);
int supd_config_main(const struct supd_args *a);

/* One command, run by us as its PID 1. */
struct single_plan {
        char **command;
        struct pid1_opts pid1;
        enum pid1_child_group group;
        bool subreaper;         /* take orphans when not PID 1 */
        bool detach_tty;        /* give up our terminal for the child's session */
        int pdeath_sig;         /* PR_SET_PDEATHSIG (forwarded like any); 0: none */
        struct zero_codes zero;
        /* A failed exec: say so, return the exit code. NULL: supd's way
         * (msg is "exec CMD: why", the code 127 or 126). */
        int (*exec_failed)(const char *cmd, int errnum, const char *msg);
};

/* Spawn, forward, reap, end as the plan says; the exit code. */
int single_run(struct single_plan *p);

/* The name called by picks a peer's command line: tini's for tini,
 * tini-static and docker-init, dumb-init's for dumb-init. NULL: supd's. */
int (*compat_main_for(const char *argv0))(int argc, char **argv);
int compat_tini_main(int argc, char **argv);
int compat_dumb_init_main(int argc, char **argv);

#endif
