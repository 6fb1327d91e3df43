/* supervisor/control_cmd.c — what each supctl verb does to the services.
 *
 * start/stop/restart ask the supervisor and then wait, without blocking,
 * for the state change: every change re-judges the client's names
 * (cmd_judge), and a deadline ends the wait with "timed out". The client
 * keeps names, not struct svc pointers, because a reload may replace the
 * table while it waits. Messages follow supervisorctl ("web: started",
 * "web: ERROR (spawn error: ...)"). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/suggest.h"
#include "confd/confd.h"
#include "supervisor/control.h"
#include "supervisor/control_int.h"
#include "supervisor/logroute.h"
#include "supervisor/status.h"
#include "supervisor/cost.h"
#include "supervisor/supervisor.h"

#define LOGS_DEFAULT_LINES 50

static double now(void)
{
        return ev_now(control_loop());
}

static void set_code(struct control_client *c, int code)
{
        if (code > c->code)
                c->code = code;         /* 4 unknown > 3 not up > 1 failed > 0 */
}

/* "web: not running" from the supervisor, shown after "web: ": drop the
 * repeated name. */
static const char *without_name(const char *msg, const char *name)
{
        size_t n = strlen(name);

        if (strncmp(msg, name, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ')
                return msg + n + 2;
        return msg;
}

static void usage_error(struct control_client *c, const char *msg)
{
        control_reply(c, CTL_ERR, "supd: usage: %s", msg);
        control_done(c, CTL_EXIT_USAGE);
}

/* The service name closest to a misspelt one, or NULL. */
static const char *closest_service(const char *name)
{
        struct suggest sg;

        suggest_init(&sg, name);
        for (size_t i = 0; i < table_count(); i++)
                suggest_offer(&sg, table_at(i)->spec->name);
        return suggest_best(&sg);
}

static void no_such_service(struct control_client *c, const char *name)
{
        const char *near = closest_service(name);

        if (near)
                control_reply(c, CTL_ERR, "%s: ERROR (no such service; did you mean %s?)", name, near);
        else
                control_reply(c, CTL_ERR, "%s: ERROR (no such service)", name);
        set_code(c, CTL_EXIT_UNKNOWN);
}

/* `status --json`: the error is a JSON object too, one line, so a script
 * reading JSON never meets text. */
static void no_such_service_json(struct control_client *c, const char *name)
{
        struct ctl_buf b;

        ctl_buf_init(&b, 512);
        if (ctl_buf_printf(&b, "{\"error\": \"no such service\", \"service\": ") < 0 ||
            ctl_json_string(&b, name, strlen(name)) < 0 || ctl_buf_add(&b, "}", 1) < 0)
                control_reply(c, CTL_ERR, "{\"error\": \"no such service\"}");
        else
                control_reply_raw(c, CTL_ERR, b.data, b.len);
        ctl_buf_free(&b);
        set_code(c, CTL_EXIT_UNKNOWN);
}

static bool has_arg(int argc, char *const argv[], const char *arg)
{
        for (int i = 0; i < argc; i++)
                if (strcmp(argv[i], arg) == 0)
                        return true;
        return false;
}

/* supervisorctl's GROUP:* names every service of the group: "GROUP:x",
 * and "GROUP" itself (a program whose group is named after it). */
static bool in_group(const char *pattern, const char *name)
{
        size_t n = strlen(pattern);

        if (n < 3 || strcmp(pattern + n - 2, ":*") != 0)
                return false;
        n -= 2;
        return strncmp(name, pattern, n) == 0 && (name[n] == ':' || name[n] == '\0');
}

/* How many names one argument stands for: a group's members (at least 1,
 * so an empty one is reported as unknown), else itself. */
static size_t arg_width(const char *arg)
{
        size_t n = 0;

        for (size_t i = 0; i < table_count(); i++)
                n += in_group(arg, table_at(i)->spec->name);
        return n ? n : 1;
}

/* Appends the services of GROUP:* to list; how many. */
static size_t group_add(const char *pattern, struct svc **list, size_t *n)
{
        size_t added = 0;

        for (size_t j = 0; j < table_count(); j++) {
                if (in_group(pattern, table_at(j)->spec->name)) {
                        list[(*n)++] = table_at(j);
                        added++;
                }
        }
        return added;
}

/* NAME..., GROUP:* or all → the names, in table order for all and groups.
 * NULL after a usage error. */
static char **collect_names(struct control_client *c, int argc, char *const argv[], size_t *n)
{
        bool all = false;
        char **names;
        size_t k = 0;

        for (int i = 0; i < argc; i++)
                if (strcmp(argv[i], "all") == 0)
                        all = true;
        if (all && argc != 1) {
                usage_error(c, "give either \"all\" or service names");
                return NULL;
        }
        *n = all ? table_count() : 0;
        for (int i = 0; !all && i < argc; i++)
                *n += arg_width(argv[i]);
        names = calloc(*n ? *n : 1, sizeof(*names));
        if (!names) {
                control_reply(c, CTL_ERR, "supd: out of memory");
                control_done(c, CTL_EXIT_FAILED);
                return NULL;
        }
        for (size_t i = 0; all && i < *n; i++)
                names[k++] = table_at(i)->spec->name;
        for (int i = 0; !all && i < argc; i++) {
                size_t before = k;

                for (size_t j = 0; j < table_count(); j++)
                        if (in_group(argv[i], table_at(j)->spec->name))
                                names[k++] = table_at(j)->spec->name;
                if (k == before)
                        names[k++] = argv[i];
        }
        return names;
}

/* ---- status ---- */

static void cmd_status(struct control_client *c, int argc, char *const argv[])
{
        bool json = has_arg(argc, argv, "--json"), all_up = true, named = false;
        bool sctl = has_arg(argc, argv, "--supervisorctl");
        size_t room = table_count();
        struct svc **list;
        struct ctl_buf text;
        size_t n = 0;
        int rc;

        for (int i = 0; i < argc; i++)
                room += arg_width(argv[i]);
        list = calloc(room + 1, sizeof(*list));
        if (!list) {
                control_reply(c, CTL_ERR, "supd: out of memory");
                control_done(c, CTL_EXIT_FAILED);
                return;
        }
        for (int i = 0; i < argc; i++) {
                struct svc *s;

                if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "--supervisorctl") == 0) {
                        continue;
                } else if (argv[i][0] == '-') {
                        free(list);
                        usage_error(c, "status [--json|--supervisorctl] [NAME...]");
                        return;
                } else if (strcmp(argv[i], "all") == 0) {
                        continue;
                } else if ((named = true) && (s = table_find(argv[i]))) {
                        list[n++] = s;
                } else if (group_add(argv[i], list, &n) == 0) {
                        (json ? no_such_service_json : no_such_service)(c, argv[i]);
                }
        }
        if (!named)
                for (size_t i = 0; i < table_count(); i++)
                        list[n++] = table_at(i);
        for (size_t i = 0; i < n; i++)
                all_up &= status_is_up(list[i]) || (!named && !status_counts_unnamed(list[i]));
        cost_measure(list, n);
        /* bounded by the table only: it streams out (control_reply_body) */
        ctl_buf_init(&text, SIZE_MAX / 2);
        rc = n == 0 && named ? 0
           : json ? status_json(list, n, now(), &text)
           : sctl ? status_supervisorctl(list, n, now(), &text)
                  : status_table(list, n, now(), &text);
        if (rc < 0) {
                control_reply(c, CTL_ERR, "supd: status of %zu services: out of memory", n);
                set_code(c, CTL_EXIT_FAILED);
        } else {
                control_reply_body(c, &text);
        }
        ctl_buf_free(&text);
        free(list);
        if (!all_up)
                set_code(c, CTL_EXIT_NOT_RUNNING);
        control_done(c, c->code);
}

/* ---- start / stop / restart ---- */

/* How long an action may take before we say so. The supervisor goes on
 * with it afterwards; only the waiting ends. */
static double budget(enum control_act act, const struct svc_spec *sp)
{
        double start = 10.0 + sp->start_secs / 1000.0, stop = 5.0 + sp->stop_timeout / 1000.0;

        if (sp->ready == READY_DELAY)
                start += sp->ready_delay / 1000.0;
        else if (sp->ready == READY_NOTIFY || sp->ready == READY_FD)
                start += 20.0;
        return act == ACT_STOP ? stop : act == ACT_START ? start : start + stop;
}

static const char *why(const struct svc *s, char *buf, size_t len)
{
        char ex[32];

        if (s->reason[0])
                return s->reason;
        status_exit_str(s, ex, sizeof(ex));
        snprintf(buf, len, "last exit %s", ex);
        return buf;
}

/* 1 reached the goal, -1 failed, 0 still on its way. */
static int judge_one(struct control_client *c, struct control_pending *p, const struct svc *s)
{
        bool fresh = s->state_since >= c->req_time;             /* changed since the request */
        bool respawned = s->started_at > p->old_started;
        char buf[64];

        if (c->act == ACT_STOP) {
                if (!svc_is_down(s))
                        return 0;
                control_reply(c, CTL_OUT, "%s: stopped", p->name);
                return 1;
        }
        if (s->state == ST_RUNNING && (c->act == ACT_START || respawned)) {
                control_reply(c, CTL_OUT, "%s: %s", p->name, c->act == ACT_START ? "started" : "restarted");
                return 1;
        }
        if (s->spec->type == SVC_ONESHOT && s->state == ST_EXITED && respawned && svc_exited_ok(s)) {
                control_reply(c, CTL_OUT, "%s: %s (oneshot finished)", p->name,
                              c->act == ACT_START ? "started" : "restarted");
                return 1;
        }
        if (!fresh)
                return 0;
        if (s->state == ST_BACKOFF)
                control_reply(c, CTL_ERR, "%s: ERROR (abnormal termination: %s)", p->name,
                              why(s, buf, sizeof(buf)));
        else if (s->state == ST_FATAL)
                control_reply(c, CTL_ERR, "%s: ERROR (spawn error: %s)", p->name, why(s, buf, sizeof(buf)));
        else if (s->state == ST_EXITED && respawned)
                control_reply(c, CTL_ERR, "%s: ERROR (exited: %s)", p->name, why(s, buf, sizeof(buf)));
        else
                return 0;
        return -1;
}

static int fail_code(const struct control_client *c)
{
        return c->act == ACT_STOP ? CTL_EXIT_FAILED : CTL_EXIT_NOT_RUNNING;
}

static void cmd_judge(struct control_client *c)
{
        bool left = false;

        for (size_t i = 0; i < c->npend; i++) {
                struct control_pending *p = &c->pend[i];
                struct svc *s;
                int r;

                if (p->done)
                        continue;
                s = table_find(p->name);
                if (!s) {
                        control_reply(c, CTL_ERR, "%s: ERROR (removed by a reload)", p->name);
                        r = c->act == ACT_STOP ? 1 : -1;
                } else {
                        r = judge_one(c, p, s);
                }
                if (r == 0) {
                        left = true;
                        continue;
                }
                p->done = true;
                if (r < 0)
                        set_code(c, fail_code(c));
        }
        if (!left)
                control_done(c, c->code);
        else
                control_flush(c);
}

static void cmd_deadline(struct control_client *c)
{
        if (c->act == ACT_NONE || c->closing)
                return;
        for (size_t i = 0; i < c->npend; i++) {
                struct control_pending *p = &c->pend[i];
                struct svc *s = p->done ? NULL : table_find(p->name);

                if (!s)
                        continue;
                p->done = true;
                control_reply(c, CTL_ERR, "%s: ERROR (timed out waiting: still %s%s%s)", p->name,
                              svc_state_name(s->state), s->reason[0] ? ", " : "", s->reason);
                set_code(c, fail_code(c));
        }
        cmd_judge(c);   /* the removed ones, and the final line */
}

static int request(enum control_act act, struct svc *s, struct sup_err *err)
{
        switch (act) {
        case ACT_START: return svc_request_start(s, err);
        case ACT_STOP: return svc_request_stop(s, err);
        default: return svc_request_restart(s, err);
        }
}

static void cmd_action(struct control_client *c, enum control_act act, int argc, char *const argv[])
{
        double wait = 0;
        char **names;
        size_t n;

        if (argc < 1) {
                usage_error(c, "start|stop|restart NAME...|all");
                return;
        }
        names = collect_names(c, argc, argv, &n);
        if (!names)
                return;
        c->pend = calloc(n ? n : 1, sizeof(*c->pend));
        if (!c->pend) {
                free(names);
                control_reply(c, CTL_ERR, "supd: out of memory");
                control_done(c, CTL_EXIT_FAILED);
                return;
        }
        c->npend = n;
        c->req_time = now();
        for (size_t i = 0; i < n; i++) {
                struct control_pending *p = &c->pend[i];
                struct sup_err err = { 0 };
                struct svc *s = table_find(names[i]);

                p->name = strdup(names[i]);
                p->done = true;
                if (!p->name)
                        continue;
                if (!s) {
                        no_such_service(c, names[i]);
                        continue;
                }
                p->old_started = s->started_at;
                if (act == ACT_START && s->state == ST_RUNNING) {
                        control_reply(c, CTL_OUT, "%s: already running", p->name);
                        continue;
                }
                if (act == ACT_STOP && svc_is_down(s)) {
                        control_reply(c, CTL_OUT, "%s: already stopped", p->name);
                        continue;
                }
                if (request(act, s, &err) < 0) {
                        control_reply(c, CTL_ERR, "%s: ERROR (%s)", p->name, without_name(err.msg, p->name));
                        set_code(c, act == ACT_STOP ? CTL_EXIT_FAILED : CTL_EXIT_NOT_RUNNING);
                        continue;
                }
                p->done = false;
                if (budget(act, s->spec) > wait)
                        wait = budget(act, s->spec);
        }
        free(names);
        /* Requests may have changed states already (a spawn that failed at
         * once): judge now, then at every change until the deadline. */
        c->act = act;
        c->issued = true;
        cmd_judge(c);
        if (!c->closing)
                control_arm_deadline(c, wait);
}

/* ---- signal ---- */

static void cmd_signal(struct control_client *c, int argc, char *const argv[])
{
        char **names;
        size_t n;
        int sig;

        if (argc < 2) {
                usage_error(c, "signal SIGNAL NAME...|all");
                return;
        }
        if (confd_parse_signal(argv[0], &sig) < 0) {
                control_reply(c, CTL_ERR, "supd: bad signal name \"%s\" (TERM, SIGHUP, 9...)", argv[0]);
                control_done(c, CTL_EXIT_USAGE);
                return;
        }
        names = collect_names(c, argc - 1, argv + 1, &n);
        if (!names)
                return;
        for (size_t i = 0; i < n; i++) {
                struct sup_err err = { 0 };
                struct svc *s = table_find(names[i]);

                if (!s) {
                        no_such_service(c, names[i]);
                } else if (s->pid <= 0) {
                        control_reply(c, CTL_ERR, "%s: ERROR (not running)", names[i]);
                        set_code(c, CTL_EXIT_NOT_RUNNING);
                } else if (svc_signal(s, sig, &err) < 0) {
                        control_reply(c, CTL_ERR, "%s: ERROR (%s)", names[i], without_name(err.msg, names[i]));
                        set_code(c, CTL_EXIT_FAILED);
                } else {
                        control_reply(c, CTL_OUT, "%s: signalled", names[i]);
                }
        }
        free(names);
        control_done(c, c->code);
}

/* ---- reload, shutdown ---- */

/* supervisorctl's update words, per service: supd replaces what changed
 * service by service, not a whole group. */
static void update_line(const struct svc_spec *sp, enum reread_kind kind, void *ctx)
{
        struct control_client *c = ctx;

        if (kind == REREAD_AVAILABLE)
                control_reply(c, CTL_OUT, "%s: added process group", sp->name);
        else if (kind == REREAD_CHANGED)
                control_reply(c, CTL_OUT, "%s: updated process group", sp->name);
        else if (kind == REREAD_DISAPPEARED)
                control_reply(c, CTL_OUT, "%s: removed process group", sp->name);
}

/* reload: one summary line; update (supervisorctl's): a line per service
 * added, changed or removed, nothing when nothing changed. `update all` is
 * `update`; the file is applied whole, so other names are refused. */
static void cmd_reload(struct control_client *c, bool update, int argc, char *const argv[])
{
        struct sup_err err = { 0 };
        char summary[256] = "";

        if (update && argc == 1 && !strcmp(argv[0], "all"))
                argc = 0;
        if (argc) {
                usage_error(c, update ? "update applies the whole file: give no names (or all)"
                                      : "reload takes no arguments");
                return;
        }
        if (supervisor_reload(summary, sizeof(summary), update ? update_line : NULL, c, &err) < 0) {
                control_reply(c, CTL_ERR, "supd: reload failed, nothing changed: %s", err.msg);
                control_done(c, CTL_EXIT_FAILED);
                return;
        }
        if (!update)
                control_reply(c, CTL_OUT, "reloaded: %s", summary);
        control_done(c, CTL_EXIT_OK);
}

static void cmd_shutdown(struct control_client *c, int argc)
{
        if (argc) {
                usage_error(c, "shutdown takes no arguments");
                return;
        }
        /* The answer goes out first: supd may be gone soon after. */
        control_reply(c, CTL_OUT, "supd: shutting down");
        control_done(c, CTL_EXIT_OK);
        supervisor_shutdown();
}

/* ---- logs ---- */

static void tail_line(const char *line, size_t len, void *ctx)
{
        struct control_client *c = ctx;

        if (control_reply_raw(c, CTL_OUT, line, len) < 0)
                c->dropped++;
}

/* Live lines. NULL line: the slot is being freed (service removed), the
 * follow ends. We are inside the log router here: queue, never free. */
static void follow_line(const char *line, size_t len, void *ctx)
{
        struct control_client *c = ctx;

        if (!line) {
                /* the slot is being freed: its handle must not be unfollowed */
                c->follow_slot = NULL;
                c->follow_handle = -1;
                if (!c->closing && !c->gone) {
                        control_reply(c, CTL_ERR, "supd: %s is gone (removed by a reload)", c->follow_name);
                        control_done(c, CTL_EXIT_OK);
                }
                return;
        }
        if (c->closing || c->gone)
                return;
        if (c->out.len > CONTROL_FOLLOW_LIMIT) {
                c->dropped++;
                return;
        }
        if (c->dropped) {
                control_reply(c, CTL_ERR, "supd: %lu lines dropped (reader too slow)", c->dropped);
                c->dropped = 0;
        }
        if (control_reply_raw(c, CTL_OUT, line, len) < 0)
                c->dropped++;
        control_flush(c);
}

/* logs -f with no name: the last `lines` of every service merged in the
 * order supd read them, then every service's lines from now on, all
 * prefixed as on the console. Both happen in this one turn of the loop,
 * so no line falls between the backlog and the live lines. */
static void follow_all(struct control_client *c, unsigned long lines)
{
        if (lines > 0 && logroute_tail_all(lines > 1000000 ? 1000000 : (unsigned)lines, tail_line, c) < 0)
                control_reply(c, CTL_ERR, "supd: backlog left out: out of memory");
        if (c->dropped) {
                control_reply(c, CTL_ERR, "supd: %lu older lines left out (reply too large)", c->dropped);
                c->dropped = 0;
        }
        c->follow_handle = logroute_follow_all(follow_line, c);
        if (c->follow_handle < 0) {
                control_reply(c, CTL_ERR, "supd: cannot follow: out of memory");
                control_done(c, CTL_EXIT_FAILED);
                return;
        }
        c->follow_all = true;
        control_flush(c);
}

static int stream_named(const char *word)
{
        return !strcmp(word, "stdout") ? 0 : !strcmp(word, "stderr") ? 1 : LOGROUTE_BOTH;
}

/* stderr alone of a service whose stderr goes where its stdout goes
 * (redirect_stderr=true, stderr = stdout): one pipe carries both, so no
 * line can be told to be stderr's. Say so rather than show nothing. */
static bool stderr_apart(struct control_client *c, const struct svc *s, int stream)
{
        if (stream != 1 || s->spec->err.kind != LOG_TO_STDOUT)
                return true;
        control_reply(c, CTL_ERR, "%s: stderr goes to the same log as stdout (redirect_stderr, "
                      "stderr = stdout): its lines cannot be told apart; `logs %s` shows both",
                      s->spec->name, s->spec->name);
        control_done(c, CTL_EXIT_FAILED);
        return false;
}

static void cmd_logs(struct control_client *c, int argc, char *const argv[])
{
        unsigned long lines = LOGS_DEFAULT_LINES;
        int stream = LOGROUTE_BOTH;
        const char *name = NULL;
        bool follow = false;
        struct svc *s;

        for (int i = 0; i < argc; i++) {
                char *end;

                if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--follow")) {
                        follow = true;
                } else if (!strcmp(argv[i], "-n") && i + 1 < argc) {
                        errno = 0;
                        lines = strtoul(argv[++i], &end, 10);
                        if (*end || end == argv[i] || errno || argv[i][0] == '-') {
                                usage_error(c, "logs: -n needs a number of lines");
                                return;
                        }
                } else if (!strcmp(argv[i], "--stream") && i + 1 < argc) {
                        stream = stream_named(argv[++i]);
                        if (stream == LOGROUTE_BOTH) {
                                usage_error(c, "logs: --stream is stdout or stderr");
                                return;
                        }
                } else if (argv[i][0] == '-' || name) {
                        usage_error(c, "logs [-f] [-n N] [--stream stdout|stderr] NAME");
                        return;
                } else {
                        name = argv[i];
                }
        }
        if (!name && follow && stream == LOGROUTE_BOTH) {
                follow_all(c, lines);
                return;
        }
        if (!name) {
                usage_error(c, "logs [-f] [-n N] NAME, or logs -f");
                return;
        }
        s = table_find(name);
        if (!s) {
                no_such_service(c, name);
                control_done(c, c->code);
                return;
        }
        if (!s->log) {
                control_reply(c, CTL_ERR, "%s: no output is kept for it", name);
                control_done(c, CTL_EXIT_FAILED);
                return;
        }
        if (!stderr_apart(c, s, stream))
                return;
        if (lines > 0)
                logroute_slot_tail(s->log, stream, lines > 1000000 ? 1000000 : (unsigned)lines,
                                   tail_line, c);
        if (c->dropped) {
                control_reply(c, CTL_ERR, "supd: %lu older lines left out (reply too large)", c->dropped);
                c->dropped = 0;
        }
        if (!follow) {
                control_done(c, CTL_EXIT_OK);
                return;
        }
        c->follow_name = strdup(name);
        c->follow_handle = c->follow_name ? logroute_slot_follow(s->log, stream, follow_line, c) : -1;
        if (c->follow_handle < 0) {
                control_reply(c, CTL_ERR, "supd: cannot follow %s: out of memory", name);
                control_done(c, CTL_EXIT_FAILED);
                return;
        }
        c->follow_slot = s->log;
        control_flush(c);
}

/* ---- supervisorctl's pid NAME, avail, reread, clear ---- */

/* pid NAME...|all: the main pid per line, 0 when not running (as
 * supervisorctl prints it), in supd's PID namespace: supctl renumbers it
 * when it runs in another (cmd/supctl_compat.c). */
static void cmd_pid(struct control_client *c, int argc, char *const argv[])
{
        char **names;
        size_t n;

        names = collect_names(c, argc, argv, &n);
        if (!names)
                return;
        for (size_t i = 0; i < n; i++) {
                const struct svc *s = table_find(names[i]);

                if (!s)
                        no_such_service(c, names[i]);
                else
                        control_reply(c, CTL_OUT, "%d", s->pid > 0 ? (int)s->pid : 0);
        }
        free(names);
        control_done(c, c->code);
}

struct reread_ctx {
        struct control_client *c;
        size_t changes;         /* none: "No config updates to processes" */
};

static void avail_line(const struct svc_spec *sp, enum reread_kind kind, void *ctx)
{
        struct reread_ctx *r = ctx;

        if (kind == REREAD_DISAPPEARED)
                return;         /* no longer in the file: supervisorctl's avail omits it */
        control_reply(r->c, CTL_OUT, "%-32s %-9s %-9s %d:%d", sp->name,
                      kind == REREAD_AVAILABLE ? "avail" : "in use", sp->autostart ? "auto" : "manual",
                      sp->group_priority, sp->priority);
}

static void reread_line(const struct svc_spec *sp, enum reread_kind kind, void *ctx)
{
        static const char *const what[] = {
                [REREAD_CHANGED] = "changed", [REREAD_AVAILABLE] = "available",
                [REREAD_DISAPPEARED] = "disappeared",
        };
        struct reread_ctx *r = ctx;

        if (kind == REREAD_IN_USE)
                return;
        control_reply(r->c, CTL_OUT, "%s: %s", sp->name, what[kind]);
        r->changes++;
}

/* avail and reread compare the file with what runs and apply nothing
 * (`update`/`reload` does that). */
static void cmd_reread(struct control_client *c, bool avail, int argc)
{
        struct sup_err err = { 0 };
        struct reread_ctx r = { c, 0 };

        if (argc) {
                usage_error(c, avail ? "avail takes no arguments" : "reread takes no arguments");
                return;
        }
        if (supervisor_reread(avail ? avail_line : reread_line, &r, &err) < 0) {
                control_reply(c, CTL_ERR, "supd: cannot read the config: %s", err.msg);
                control_done(c, CTL_EXIT_FAILED);
                return;
        }
        if (!avail && r.changes == 0)
                control_reply(c, CTL_OUT, "No config updates to processes");
        control_done(c, CTL_EXIT_OK);
}

/* clear NAME...|all: forget the lines kept in memory and empty the log
 * files through supd's own fds. */
static void cmd_clear(struct control_client *c, int argc, char *const argv[])
{
        char **names;
        size_t n;

        if (argc < 1) {
                usage_error(c, "clear NAME...|all");
                return;
        }
        names = collect_names(c, argc, argv, &n);
        if (!names)
                return;
        for (size_t i = 0; i < n; i++) {
                struct sup_err err = { 0 };
                struct svc *s = table_find(names[i]);

                if (!s) {
                        no_such_service(c, names[i]);
                } else if (s->log && logroute_slot_clear(s->log, &err) < 0) {
                        control_reply(c, CTL_ERR, "%s: ERROR (%s)", names[i], err.msg);
                        set_code(c, CTL_EXIT_FAILED);
                } else {
                        control_reply(c, CTL_OUT, "%s: cleared", names[i]);
                }
        }
        free(names);
        control_done(c, c->code);
}

/* ---- dispatch ---- */

static void cmd_dispatch(struct control_client *c, const struct ctl_request *req)
{
        const char *v = req->verb;
        char *const *argv = req->argv;

        if (!strcmp(v, "status"))
                cmd_status(c, req->argc, argv);
        else if (!strcmp(v, "start"))
                cmd_action(c, ACT_START, req->argc, argv);
        else if (!strcmp(v, "stop"))
                cmd_action(c, ACT_STOP, req->argc, argv);
        else if (!strcmp(v, "restart"))
                cmd_action(c, ACT_RESTART, req->argc, argv);
        else if (!strcmp(v, "signal"))
                cmd_signal(c, req->argc, argv);
        else if (!strcmp(v, "reload") || !strcmp(v, "update"))
                cmd_reload(c, !strcmp(v, "update"), req->argc, argv);
        else if (!strcmp(v, "logs"))
                cmd_logs(c, req->argc, argv);
        else if (!strcmp(v, "shutdown"))
                cmd_shutdown(c, req->argc);
        else if (!strcmp(v, "pid"))
                cmd_pid(c, req->argc, argv);
        else if (!strcmp(v, "avail") || !strcmp(v, "reread"))
                cmd_reread(c, !strcmp(v, "avail"), req->argc);
        else if (!strcmp(v, "clear"))
                cmd_clear(c, req->argc, argv);
        else {
                control_reply(c, CTL_ERR, "supd: unknown command \"%s\"", v);
                control_done(c, CTL_EXIT_USAGE);
        }
}

static void cmd_release(struct control_client *c)
{
        if (c->follow_slot && c->follow_handle >= 0)
                logroute_slot_unfollow(c->follow_slot, c->follow_handle);
        if (c->follow_all)
                logroute_unfollow_all(c->follow_handle);
        c->follow_all = false;
        c->follow_slot = NULL;
        c->follow_handle = -1;
        free(c->follow_name);
        c->follow_name = NULL;
        for (size_t i = 0; i < c->npend; i++)
                free(c->pend[i].name);
        free(c->pend);
        c->pend = NULL;
        c->npend = 0;
        c->act = ACT_NONE;
}

const struct control_handlers control_cmd_handlers = {
        .dispatch = cmd_dispatch,
        .judge = cmd_judge,
        .deadline = cmd_deadline,
        .release = cmd_release,
};
