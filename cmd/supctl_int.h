/* cmd/supctl_int.h — supctl's parts (internal to cmd/). */
#ifndef SUP_CMD_SUPCTL_INT_H
#define SUP_CMD_SUPCTL_INT_H

#include <signal.h>
#include <sys/types.h>
#include <stdbool.h>

/* supervisorctl's command line (supctl_compat.c). */
const char *supctl_server_path(const char *url);        /* NULL: not a unix socket */
/* The verb to send, its arguments rewritten (*argv may then point to
 * static storage); rc != 0: exit with it. supervisorctl: called by that
 * name (status prints its lines). */
const char *supctl_compat_verb(const char *verb, int *argc, char ***argv, bool supervisorctl,
                               int *rc);
/* The pid of the process at the other end of the socket (supd), as our
 * PID namespace numbers it; -1 unknown. supctl_peer_pid prints it. */
pid_t supctl_peer(int fd);
int supctl_peer_pid(int fd);
/* `pid NAME`: a pid of supd's PID namespace as ours numbers it. */
long supctl_pid_in_our_ns(pid_t supd, long pid);

/* supervisorctl's interactive shell (supctl_shell.c): status, then one
 * command a line from stdin through run (argv[0] is the verb) until exit,
 * quit or end of input. supctl_interrupted: Ctrl-C came during a command. */
typedef int (*supctl_run_fn)(const char *sock, int argc, char **argv);
int supctl_shell(const char *sock, supctl_run_fn run, const char *help_text);
extern volatile sig_atomic_t supctl_interrupted;

#endif
