/* supervisor/control.h — supd's control socket (the server side of supctl).
 *
 * A Unix stream socket on the libev loop, speaking the "sup1" protocol of
 * supervisor/ctlproto.h (docs/protocol.md). Never blocks: every client is
 * non-blocking with bounded buffers and deadlines, so a slow or stuck
 * client costs a little memory and nothing else. Only peers with uid 0,
 * supd's own uid, or membership in [supd] socket_group are served. */
#ifndef SUP_SUPERVISOR_CONTROL_H
#define SUP_SUPERVISOR_CONTROL_H

#include <ev.h>

#include "common/err.h"
#include "confd/spec.h"

#define CONTROL_DEFAULT_SOCKET "/run/supd.sock"

/* The path supd listens on: $SUP_SOCKET, else cfg->socket, else
 * control_default_socket() (supctl's -s comes first on its side; supd has
 * no -s: set SUP_SOCKET). The returned string lives as long as cfg or the
 * env. */
const char *control_socket_path(const struct sup_config *cfg);

/* Where a socket nothing names is (control_path.c): /run/supd.sock,
 * $XDG_RUNTIME_DIR/supd.sock, /tmp/supd-UID/supd.sock, in that order. */
#define CONTROL_PATHS_MAX 3
struct control_paths {
        int n;
        char path[CONTROL_PATHS_MAX][108];      /* sizeof sun_path */
};
void control_default_paths(struct control_paths *p);

/* supd's pick among them: root's is /run/supd.sock; another user's, the
 * first whose directory it may write, the /tmp one made private to it. */
const char *control_default_socket(void);

/* What the requests do (control_int.h): control_cmd.c's verbs. */
struct control_handlers;

/* Create the socket (replacing a stale one nobody answers on; refusing when
 * a live supd does), restrict it, and serve it on loop, handing every
 * request to handlers. Copies what it needs from cfg. Called by
 * supervisor_start() once the service table exists; needs table_watch().
 * 0 or -1 with err. */
int control_start(struct ev_loop *loop, const struct sup_config *cfg,
                  const struct control_handlers *handlers, struct sup_err *err);

/* Close the socket, remove its file (only if it is still ours), end every
 * client (followers get their final "done" line when it fits). Safe to call
 * twice, and from within a control callback (e.g. `supctl shutdown` when
 * nothing was running): freeing is then deferred until that callback ends. */
void control_stop(void);

#endif
