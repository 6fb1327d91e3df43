/* supervisor/status.c — format the service table for `supctl status`. */
#include "supervisor/status.h"

#include "common/signame.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "supervisor/logroute.h"

bool status_is_up(const struct svc *s)
{
        if (s->state == ST_RUNNING)
                return s->health != SH_UNHEALTHY;
        return s->spec && s->spec->type == SVC_ONESHOT && s->state == ST_EXITED && svc_exited_ok(s);
}

bool status_counts_unnamed(const struct svc *s)
{
        return !(s->state == ST_STOPPED && s->started_at == 0 && s->spec && !s->spec->autostart);
}

/* The process is alive in these states, so uptime means something. */
static bool has_process(const struct svc *s)
{
        return s->pid > 0 && (s->state == ST_STARTING || s->state == ST_RUNNING ||
                              s->state == ST_STOPPING);
}

/* The service's last exit: the current process's once it exited, else the
 * previous one's, so a restarted service still shows why it restarted (as
 * supervisord's description does). False before the first exit. */
static bool last_exit(const struct svc *s, int *status, bool *oom)
{
        *status = s->exit_status;
        *oom = s->oom_killed;
        return s->have_exit || s->exited_before;
}

void status_exit_str(const struct svc *s, char *buf, size_t len)
{
        char sb[SIG_NAME_LEN];
        int st;
        bool oom;

        if (!last_exit(s, &st, &oom))
                snprintf(buf, len, "-");
        else if (WIFEXITED(st))
                snprintf(buf, len, "%d", WEXITSTATUS(st));
        else if (WIFSIGNALED(st))
                snprintf(buf, len, "%s%s", sig_name(WTERMSIG(st), sb),
                         oom ? "(oom)" : "");
        else
                snprintf(buf, len, "?");
}

void status_uptime_str(double secs, char *buf, size_t len)
{
        unsigned long long t, d, h, m;

        if (secs < 0 || secs != secs) {
                snprintf(buf, len, "-");
                return;
        }
        t = (unsigned long long)secs;
        d = t / 86400;
        h = t / 3600 % 24;
        m = t / 60 % 60;
        if (d)
                snprintf(buf, len, "%llud%02llu:%02llu:%02llu", d, h, m, t % 60);
        else
                snprintf(buf, len, "%llu:%02llu:%02llu", h, m, t % 60);
}

/* ---- table ---- */

enum { COL_NAME, COL_STATE, COL_PID, COL_UPTIME, COL_RESTARTS, COL_EXIT, COL_HEALTH, COL_MEM,
       COL_TASKS, COL_CPU, COL_INFO, NCOLS };

static const char *const col_titles[NCOLS] = {
        "NAME", "STATE", "PID", "UPTIME", "RESTARTS", "EXIT", "HEALTH", "MEM", "TASKS", "CPU", "INFO",
};

struct row {
        char cell[NCOLS][200];
};

/* Text from a service (its sd_notify STATUS=, a reason quoting a path) may
 * hold anything: control bytes would garble a terminal, so they become '?'. */
static void cell_clean(char *dst, size_t len, const char *src)
{
        size_t i;

        for (i = 0; src[i] && i + 1 < len; i++) {
                unsigned char c = (unsigned char)src[i];
                dst[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
        }
        dst[i] = '\0';
}

/* The reason it is not up; else a log stream held back; else the last
 * health check's output; else its own STATUS= text. held is the caller's
 * buffer. */
static const char *info_text(const struct svc *s, char *held, size_t len)
{
        if (s->reason[0])
                return s->reason;
        if (logroute_slot_held(s->log, held, len))
                return held;
        if (s->health != SH_NONE && s->health_output[0] && (s->health != SH_HEALTHY || !s->status_text[0]))
                return s->health_output;
        return s->status_text;
}

void status_bytes_str(unsigned long long n, char *buf, size_t len)
{
        static const char units[] = "KMGTP";
        double v = (double)n;
        int u = -1;

        while (v >= 1024 && u < 4) {
                v /= 1024;
                u++;
        }
        if (u < 0)
                snprintf(buf, len, "%lluB", n);
        else
                snprintf(buf, len, v < 10 ? "%.1f%c" : "%.0f%c", v, units[u]);
}

void status_cpu_str(unsigned long long ns, char *buf, size_t len)
{
        double s = (double)ns / 1e9;

        if (s < 100)
                snprintf(buf, len, "%.3fs", s);
        else
                status_uptime_str(s, buf, len);
}

static void cost_cells(struct row *r, const struct svc *s)
{
        size_t len = sizeof(r->cell[0]);

        if (!s->cost.known) {
                snprintf(r->cell[COL_MEM], len, "-");
                snprintf(r->cell[COL_TASKS], len, "-");
                snprintf(r->cell[COL_CPU], len, "-");
                return;
        }
        status_bytes_str(s->cost.memory_bytes, r->cell[COL_MEM], len);
        snprintf(r->cell[COL_TASKS], len, "%llu", s->cost.tasks);
        status_cpu_str(s->cost.cpu_ns, r->cell[COL_CPU], len);
}

static void row_fill(struct row *r, const struct svc *s, double now)
{
        cell_clean(r->cell[COL_NAME], sizeof(r->cell[0]), s->spec && s->spec->name ? s->spec->name : "?");
        snprintf(r->cell[COL_STATE], sizeof(r->cell[0]), "%s", svc_state_name(s->state));
        if (s->pid > 0)
                snprintf(r->cell[COL_PID], sizeof(r->cell[0]), "%d", (int)s->pid);
        else
                snprintf(r->cell[COL_PID], sizeof(r->cell[0]), "-");
        status_uptime_str(has_process(s) ? now - s->started_at : -1, r->cell[COL_UPTIME],
                          sizeof(r->cell[0]));
        snprintf(r->cell[COL_RESTARTS], sizeof(r->cell[0]), "%u", s->restarts);
        status_exit_str(s, r->cell[COL_EXIT], sizeof(r->cell[0]));
        char held[sizeof(r->cell[0])];

        snprintf(r->cell[COL_HEALTH], sizeof(r->cell[0]), "%s", svc_health_name(s->health));
        cost_cells(r, s);
        cell_clean(r->cell[COL_INFO], sizeof(r->cell[0]), info_text(s, held, sizeof(held)));
}

static int row_emit(struct ctl_buf *out, char cells[NCOLS][200], const size_t *width)
{
        int last = NCOLS - 1;

        /* No trailing blanks: stop after the last non-empty cell. */
        while (last > 0 && !cells[last][0])
                last--;
        for (int c = 0; c <= last; c++) {
                int rc = c < last ? ctl_buf_printf(out, "%-*s  ", (int)width[c], cells[c])
                                  : ctl_buf_printf(out, "%s", cells[c]);
                if (rc < 0)
                        return -1;
        }
        return ctl_buf_add(out, "\n", 1);
}

int status_table(struct svc *const *svcs, size_t n, double now, struct ctl_buf *out)
{
        struct row head;
        size_t width[NCOLS];
        struct row *rows;
        int rc = 0;

        rows = calloc(n ? n : 1, sizeof(*rows));
        if (!rows)
                return -1;
        for (int c = 0; c < NCOLS; c++) {
                snprintf(head.cell[c], sizeof(head.cell[c]), "%s", col_titles[c]);
                width[c] = strlen(col_titles[c]);
        }
        for (size_t i = 0; i < n; i++) {
                row_fill(&rows[i], svcs[i], now);
                for (int c = 0; c < NCOLS; c++)
                        if (strlen(rows[i].cell[c]) > width[c])
                                width[c] = strlen(rows[i].cell[c]);
        }
        rc = row_emit(out, head.cell, width);
        for (size_t i = 0; i < n && rc == 0; i++)
                rc = row_emit(out, rows[i].cell, width);
        free(rows);
        return rc;
}

/* ---- supervisorctl's format ---- */

/* Python's str(timedelta): "0:00:05", "1 day, 2:03:04", "3 days, ...". */
static void timedelta_str(double secs, char *buf, size_t len)
{
        long long t = secs > 0 ? (long long)secs : 0, days = t / 86400;

        t %= 86400;
        if (days)
                snprintf(buf, len, "%lld day%s, %lld:%02lld:%02lld", days, days == 1 ? "" : "s",
                         t / 3600, t / 60 % 60, t % 60);
        else
                snprintf(buf, len, "%lld:%02lld:%02lld", t / 3600, t / 60 % 60, t % 60);
}

static void supervisorctl_desc(const struct svc *s, double now, char *buf, size_t len)
{
        char up[64];
        time_t when = (time_t)s->state_since;
        struct tm tm;

        buf[0] = '\0';
        if (s->state == ST_RUNNING) {
                timedelta_str(now - s->started_at, up, sizeof(up));
                snprintf(buf, len, "pid %d, uptime %s", (int)s->pid, up);
        } else if (s->state == ST_FATAL || s->state == ST_BACKOFF) {
                snprintf(buf, len, "%s", s->reason[0] ? s->reason
                                                      : "Exited too quickly (process log may have details)");
        } else if (s->state == ST_STOPPED || s->state == ST_EXITED) {
                if (s->started_at == 0 || !localtime_r(&when, &tm) ||
                    strftime(buf, len, "%b %d %I:%M %p", &tm) == 0)
                        snprintf(buf, len, "Not started");
        }
}

int status_supervisorctl(struct svc *const *svcs, size_t n, double now, struct ctl_buf *out)
{
        size_t width = 30;
        char desc[256];

        for (size_t i = 0; i < n; i++)
                if (strlen(svcs[i]->spec->name) > width)
                        width = strlen(svcs[i]->spec->name);
        for (size_t i = 0; i < n; i++) {
                supervisorctl_desc(svcs[i], now, desc, sizeof(desc));
                if (ctl_buf_printf(out, "%-*s%-10s%s\n", (int)(width + 3), svcs[i]->spec->name,
                                   svc_state_name(svcs[i]->state), desc) < 0)
                        return -1;
        }
        return 0;
}

/* ---- JSON ---- */

static int json_str_or_null(struct ctl_buf *out, const char *s)
{
        if (!s || !s[0])
                return ctl_buf_add(out, "null", 4);
        return ctl_json_string(out, s, strlen(s));
}

static int json_exit(struct ctl_buf *out, int st)
{
        char sb[SIG_NAME_LEN];

        if (WIFEXITED(st))
                return ctl_buf_printf(out, "{\"code\": %d}", WEXITSTATUS(st));
        if (WIFSIGNALED(st))
                return ctl_buf_printf(out, "{\"signal\": \"%s\", \"signo\": %d%s}",
                                      sig_name(WTERMSIG(st), sb), WTERMSIG(st),
                                      WCOREDUMP(st) ? ", \"core_dumped\": true" : "");
        return ctl_buf_add(out, "null", 4);
}

static double nonneg(double x)
{
        return x > 0 ? x : 0;
}

static int json_log_held(struct ctl_buf *out, const struct svc *s)
{
        char held[512];

        if (ctl_buf_add(out, ", \"log_held\": ", 14) < 0)
                return -1;
        return json_str_or_null(out, logroute_slot_held(s->log, held, sizeof(held)) ? held : NULL);
}

static int json_health(struct ctl_buf *out, const struct svc *s)
{
        int rc = 0;

        if (s->health == SH_NONE)
                return ctl_buf_add(out, ", \"health\": null", 16);
        rc |= ctl_buf_printf(out, ", \"health\": {\"status\": \"%s\", \"failing_streak\": %u, "
                             "\"checks\": %llu, \"output\": ",
                             svc_health_name(s->health), s->health_failures, s->health_checks);
        rc |= json_str_or_null(out, s->health_output);
        rc |= ctl_buf_add(out, "}", 1);
        return rc;
}

static int json_cost(struct ctl_buf *out, const struct svc *s)
{
        if (!s->cost.known)
                return ctl_buf_add(out, ", \"memory_bytes\": null, \"tasks\": null, \"cpu_ns\": null", 53);
        return ctl_buf_printf(out, ", \"memory_bytes\": %llu, \"tasks\": %llu, \"cpu_ns\": %llu, \"cost_from\": \"%s\"",
                              s->cost.memory_bytes, s->cost.tasks, s->cost.cpu_ns,
                              s->cost.from_cgroup ? "cgroup" : "process group");
}

static int json_service(struct ctl_buf *out, const struct svc *s, double now)
{
        const struct svc_spec *sp = s->spec;
        bool exited, oom;
        int rc = 0, st;

        rc |= ctl_buf_add(out, "  {\"name\": ", 11);
        rc |= json_str_or_null(out, sp ? sp->name : NULL);
        rc |= ctl_buf_printf(out, ", \"state\": \"%s\"", svc_state_name(s->state));
        rc |= s->pid > 0 ? ctl_buf_printf(out, ", \"pid\": %d", (int)s->pid)
                         : ctl_buf_printf(out, ", \"pid\": null");
        rc |= has_process(s) ? ctl_buf_printf(out, ", \"uptime_s\": %.1f", nonneg(now - s->started_at))
                             : ctl_buf_printf(out, ", \"uptime_s\": null");
        rc |= s->state_since > 0 ? ctl_buf_printf(out, ", \"since_s\": %.1f", nonneg(now - s->state_since))
                                 : ctl_buf_printf(out, ", \"since_s\": null");
        rc |= ctl_buf_printf(out, ", \"restarts\": %u, \"failures\": %u", s->restarts, s->failures);
        exited = last_exit(s, &st, &oom);
        rc |= ctl_buf_add(out, ", \"exit\": ", 10);
        rc |= exited ? json_exit(out, st) : ctl_buf_add(out, "null", 4);
        rc |= ctl_buf_printf(out, ", \"oom_killed\": %s", exited && oom ? "true" : "false");
        rc |= ctl_buf_add(out, ", \"reason\": ", 12);
        rc |= json_str_or_null(out, s->reason);
        rc |= json_log_held(out, s);
        rc |= ctl_buf_add(out, ", \"status_text\": ", 17);
        rc |= json_str_or_null(out, s->status_text);
        rc |= json_health(out, s);
        rc |= json_cost(out, s);
        if (sp)
                rc |= ctl_buf_printf(out, ", \"type\": \"%s\", \"critical\": %s, \"autostart\": %s",
                                     sp->type == SVC_ONESHOT ? "oneshot" : "simple",
                                     sp->critical ? "true" : "false", sp->autostart ? "true" : "false");
        rc |= ctl_buf_printf(out, ", \"up\": %s}", status_is_up(s) ? "true" : "false");
        return rc ? -1 : 0;
}

int status_json(struct svc *const *svcs, size_t n, double now, struct ctl_buf *out)
{
        if (ctl_buf_add(out, n ? "{\"services\": [\n" : "{\"services\": []}\n", n ? 15 : 17) < 0)
                return -1;
        for (size_t i = 0; i < n; i++) {
                if (json_service(out, svcs[i], now) < 0 ||
                    ctl_buf_add(out, i + 1 < n ? ",\n" : "\n", i + 1 < n ? 2 : 1) < 0)
                        return -1;
        }
        return n ? ctl_buf_add(out, "]}\n", 3) : 0;
}
