/* cmd/supctl_int.h — supctl's parts (internal to cmd/). */
#ifndef SUP_CMD_SUPCTL_INT_H
#define SUP_CMD_SUPCTL_INT_H

#include <stdbool.h>

/* supervisorctl's command line (supctl_compat.c). */
const char *supctl_server_path(const char *url);        /* NULL: not a unix socket */
/* The verb to send, its arguments rewritten in place; rc != 0: exit with it. */
const char *supctl_compat_verb(const char *verb, int *argc, char **argv, int *rc);
/* Print the pid of the process at the other end of the socket (supd). */
int supctl_peer_pid(int fd);

#endif
