/* logdrv — runs the log router alone, the way supd does, for tests and
 * benchmarks: an ev loop, one slot per service, services spawned with the
 * slot's pipes on fd 1 and 2.
 *
 *   logdrv [-F FORMAT] [-e EVENTS] [-T TAILFILE] SERVICE...
 *   SERVICE = NAME|STDOUT|STDERR|RESTART|SHELL COMMAND
 *     STDOUT/STDERR: console | null | stdout | file:PATH[:MAX[:KEEP]]
 *     RESTART: once | always:MS (restart MS after each exit)
 *
 * Runs until every `once` service has exited, then kills the others,
 * flushes (logroute_flush) and exits 0. EVENTS gets "spawn NAME N" lines
 * (written directly, not through the router). TAILFILE gets, per service,
 * the ring's lines as "NAME: LINE". */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ev.h>

#include "common/log.h"
#include "supervisor/logroute.h"

struct svc {
        char *name, *cmd;
        struct log_target out, err;
        struct logroute_slot *slot;
        int restart_ms;         /* -1: once */
        pid_t pid;
        unsigned spawns;
        bool done;
        ev_child cw;
        ev_timer again;
};

static struct ev_loop *loop;
static struct svc svcs[16];
static int nsvc;
static FILE *events;

static void parse_target(char *s, struct log_target *t)
{
        memset(t, 0, sizeof(*t));
        if (strcmp(s, "console") == 0) {
                t->kind = LOG_TO_CONSOLE;
        } else if (strcmp(s, "null") == 0) {
                t->kind = LOG_TO_NULL;
        } else if (strcmp(s, "stdout") == 0) {
                t->kind = LOG_TO_STDOUT;
        } else if (strncmp(s, "file:", 5) == 0) {
                char *max = strchr(s + 5, ':'), *keep = NULL;

                t->kind = LOG_TO_FILE;
                if (max) {
                        *max++ = '\0';
                        keep = strchr(max, ':');
                        if (keep)
                                *keep++ = '\0';
                        t->max_size = strtoull(max, NULL, 10);
                }
                t->keep = keep ? (unsigned)atoi(keep) : 5;
                t->path = s + 5;
        } else {
                fprintf(stderr, "logdrv: bad target %s\n", s);
                exit(2);
        }
}

static void spawn(struct svc *s);

static void again_cb(struct ev_loop *l, ev_timer *w, int revents)
{
        (void)l;
        (void)revents;
        spawn(w->data);
}

static bool all_once_done(void)
{
        for (int i = 0; i < nsvc; i++)
                if (svcs[i].restart_ms < 0 && !svcs[i].done)
                        return false;
        return true;
}

static void child_cb(struct ev_loop *l, ev_child *w, int revents)
{
        struct svc *s = w->data;

        (void)revents;
        ev_child_stop(l, w);
        s->pid = 0;
        logroute_slot_child_exited(s->slot);
        if (s->restart_ms < 0) {
                s->done = true;
                if (all_once_done())
                        ev_break(l, EVBREAK_ALL);
                return;
        }
        ev_timer_set(&s->again, s->restart_ms / 1000.0, 0);
        ev_timer_start(l, &s->again);
}

static void spawn(struct svc *s)
{
        struct sup_err err = { 0 };
        int ow, ew;
        pid_t pid;

        /* as supervisor/process.c: a service's files appear at its start */
        if (logroute_slot_open_files(s->slot, &err) < 0) {
                fprintf(stderr, "logdrv: %s\n", err.msg);
                exit(1);
        }
        if (logroute_slot_child_fds(s->slot, &ow, &ew, &err) < 0) {
                fprintf(stderr, "logdrv: child fds: %s\n", err.msg);
                exit(1);
        }
        pid = fork();
        if (pid == 0) {
                signal(SIGPIPE, SIG_DFL);
                dup2(ow, 1);
                dup2(ew, 2);
                execl("/bin/sh", "sh", "-c", s->cmd, (char *)NULL);
                _exit(127);
        }
        s->pid = pid;
        s->spawns++;
        if (events) {
                fprintf(events, "spawn %s %u\n", s->name, s->spawns);
                fflush(events);
        }
        ev_child_init(&s->cw, child_cb, pid, 0);
        s->cw.data = s;
        ev_child_start(loop, &s->cw);
}

static void tail_line(const char *line, size_t len, void *ctx)
{
        struct svc *s = ctx;
        FILE *f = fopen(getenv("LOGDRV_TAIL"), "a");

        if (!f)
                return;
        fprintf(f, "%s: %.*s\n", s->name, (int)len, line);
        fclose(f);
}

int main(int argc, char **argv)
{
        const char *format = NULL;
        struct sup_err err;
        int opt;

        signal(SIGPIPE, SIG_IGN);       /* supd's init does this too */
        while ((opt = getopt(argc, argv, "F:e:T:")) != -1) {
                switch (opt) {
                case 'F': format = optarg; break;
                case 'e': events = fopen(optarg, "a"); break;
                case 'T': setenv("LOGDRV_TAIL", optarg, 1); break;
                default: return 2;
                }
        }
        loop = ev_default_loop(0);
        if (logroute_init(loop, format, &err) < 0) {
                fprintf(stderr, "logdrv: %s\n", err.msg);
                return 1;
        }
        for (int i = optind; i < argc && nsvc < 16; i++) {
                struct svc *s = &svcs[nsvc++];
                char *f[5];

                f[0] = strtok(argv[i], "|");
                for (int k = 1; k < 5; k++)
                        f[k] = strtok(NULL, k == 4 ? "" : "|");
                if (!f[4]) {
                        fprintf(stderr, "logdrv: bad service %s\n", argv[i]);
                        return 2;
                }
                s->name = f[0];
                parse_target(f[1], &s->out);
                parse_target(f[2], &s->err);
                s->restart_ms = strncmp(f[3], "always:", 7) == 0 ? atoi(f[3] + 7) : -1;
                s->cmd = f[4];
                s->slot = logroute_slot_new(s->name, &s->out, &s->err, &err);
                if (!s->slot) {
                        fprintf(stderr, "logdrv: %s\n", err.msg);
                        return 1;
                }
                ev_init(&s->again, again_cb);
                s->again.data = s;
        }
        log_info("logdrv: %d services", nsvc);
        for (int i = 0; i < nsvc; i++)
                spawn(&svcs[i]);
        ev_run(loop, 0);
        for (int i = 0; i < nsvc; i++) {
                ev_timer_stop(loop, &svcs[i].again);
                if (svcs[i].pid > 0) {
                        kill(svcs[i].pid, SIGKILL);
                        waitpid(svcs[i].pid, NULL, 0);
                        ev_child_stop(loop, &svcs[i].cw);
                }
        }
        logroute_flush(ev_time() + 60);
        for (int i = 0; i < nsvc; i++)
                if (getenv("LOGDRV_TAIL"))
                        logroute_slot_tail(svcs[i].slot, LOGROUTE_BOTH, 0, tail_line, &svcs[i]);
        for (int i = 0; i < nsvc; i++)
                logroute_slot_close(svcs[i].slot);
        logroute_flush(ev_time() + 60);
        return 0;
}
