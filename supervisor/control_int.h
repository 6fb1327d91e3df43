/* supervisor/control_int.h — between the control server's two files.
 *
 * control.c owns the socket, the clients, access checks and the bytes on the
 * wire; control_cmd.c owns what each verb does to the service table. The
 * server reaches the verbs only through the struct control_handlers it is
 * given at control_start() (as state.c acts only through struct svc_ops),
 * so control_cmd.c calls control.c and never the other way. Not for other
 * modules. */
#ifndef SUP_SUPERVISOR_CONTROL_INT_H
#define SUP_SUPERVISOR_CONTROL_INT_H

#include <stdbool.h>
#include <sys/socket.h>

#include <ev.h>

#include "supervisor/ctlproto.h"
#include "supervisor/svc.h"

/* Per-client limits. */
#define CONTROL_MAX_CLIENTS 64          /* more wait in the listen backlog */
#define CONTROL_OUT_LIMIT (1u << 20)    /* reply bytes queued for one client */
#define CONTROL_FOLLOW_LIMIT (64u << 10)  /* a `logs -f` reader may lag this much */
#define CONTROL_REQ_TIMEOUT 2.0         /* seconds for the whole request line */
#define CONTROL_IDLE_GRACE 0.25         /* a full table closes a silent client this old */
#define CONTROL_BODY_CHUNK (64u << 10)  /* a long reply is queued this much at a time */
#define CONTROL_STALL_TIMEOUT 30.0      /* seconds without write progress */

enum control_act { ACT_NONE, ACT_START, ACT_STOP, ACT_RESTART };

struct control_pending {
        char *name;
        double old_started;             /* started_at before the request */
        bool done;
};

struct control_client {
        struct control_client *next, *prev;
        int fd;
        ev_io rio, wio;
        ev_timer req_timer;             /* request must arrive; then action deadline */
        ev_timer stall_timer;           /* output must move */
        struct ucred cred;
        bool allowed;
        char deny[256];

        double since;                   /* accepted at (ev_now) */
        char in[CTL_REQ_MAX];
        size_t in_len;
        bool have_request;
        bool closing;                   /* "done" queued: close once it is written */
        bool gone;                      /* peer hung up or failed: close now */
        struct ctl_buf out;
        struct ctl_buf body;            /* a long reply's text, queued as out is taken */
        size_t body_off;
        bool done_deferred;             /* "done" follows the body */
        int done_code;

        /* start/stop/restart waiting for the state change */
        enum control_act act;
        bool issued;
        struct control_pending *pend;
        size_t npend;
        double req_time;
        int code;                       /* exit code so far */

        /* logs -f */
        char *follow_name;
        struct logroute_slot *follow_slot;
        int follow_handle;
        unsigned long dropped;
};

/* control.c */
struct ev_loop *control_loop(void);
int control_reply(struct control_client *c, enum ctl_stream st, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
int control_reply_raw(struct control_client *c, enum ctl_stream st, const char *text, size_t len);
void control_done(struct control_client *c, int code);
void control_reply_body(struct control_client *c, struct ctl_buf *text);
void control_flush(struct control_client *c);
void control_arm_deadline(struct control_client *c, double seconds);

/* What the server asks of the verbs (control_cmd_handlers). */
struct control_handlers {
        void (*dispatch)(struct control_client *c, const struct ctl_request *req);
        void (*judge)(struct control_client *c);        /* a state changed */
        void (*deadline)(struct control_client *c);     /* the action's time is up */
        void (*release)(struct control_client *c);      /* the client goes away */
};

/* control_cmd.c: the verbs, handed to control_start() by supervisor.c. */
extern const struct control_handlers control_cmd_handlers;

#endif
