/* common/signame.h — a signal's name, one way everywhere: "SIGTERM",
 * "SIGRTMIN+3", or "signal 99" for a number with no name. Messages,
 * `supctl status` (table and JSON) and `supd --check` all use it; the
 * config's parser takes "SIGTERM" and "SIGRTMIN+3" back. */
#ifndef SUP_COMMON_SIGNAME_H
#define SUP_COMMON_SIGNAME_H

#include <stddef.h>

#define SIG_NAME_LEN 16

/* Writes the name into buf (SIG_NAME_LEN bytes) and returns buf. */
const char *sig_name(int sig, char buf[SIG_NAME_LEN]);

#endif
