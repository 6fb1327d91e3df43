/* cmd/supd_int.h — supd's command line and its two modes (internal to cmd/). */
#ifndef SUP_CMD_SUPD_INT_H
#define SUP_CMD_SUPD_INT_H

#include <stdbool.h>

struct supd_args {
        char **command;         /* after the options; NULL when none */
        const char *config;     /* -c FILE; NULL when not given */
        bool check;             /* --check */
        bool help, version;
        bool to_group;          /* -g */
        bool grace_set;
        unsigned grace_ms;      /* -t */
        int verbosity;          /* log level after -v/-q */
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

#endif
