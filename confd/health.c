/* confd/health.c — the health_check and health_action values, and the
 * rules across the health and watchdog keys (keys.c holds their rows). */
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "confd/confd_int.h"

/* "PORT" or "PORT/PATH" after tcp: or http:. */
static int parse_port_path(struct set_ctx *c, const char *v, const char *form,
                           struct health_spec *h, bool with_path)
{
        const char *slash = strchr(v, '/');
        char num[8];
        size_t len = slash ? (size_t)(slash - v) : strlen(v);
        uint64_t port;

        if (len == 0 || len >= sizeof(num) || (slash && !with_path))
                goto bad;
        memcpy(num, v, len);
        num[len] = '\0';
        if (val_uint(num, 65535, &port) < 0 || port == 0)
                goto bad;
        if (slash && strpbrk(slash, " \t\r\n"))
                goto bad;
        h->port = (unsigned)port;
        if (with_path) {
                free(h->path);
                h->path = strdup(slash ? slash : "/");
                if (!h->path)
                        return -1;
        }
        return 0;
bad:
        snprintf(c->why, WHY, "expected %s; got \"%s\"", form, v);
        return -1;
}

int set_health_check(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        struct health_spec *h = &c->svc->health;
        char **argv;

        (void)k;
        strv_free(h->argv);
        h->argv = NULL;
        if (!*v || strcasecmp(v, "none") == 0) {
                h->kind = HEALTH_NONE;
                return 0;
        }
        if (strncasecmp(v, "tcp:", 4) == 0) {
                h->kind = HEALTH_TCP;
                return parse_port_path(c, v + 4, "tcp:PORT like tcp:8080", h, false);
        }
        if (strncasecmp(v, "http:", 5) == 0) {
                h->kind = HEALTH_HTTP;
                return parse_port_path(c, v + 5, "http:PORT/PATH like http:8080/healthz", h, true);
        }
        if (val_words(v, false, &argv, c->why) < 0)
                return -1;
        h->kind = HEALTH_EXEC;
        h->argv = argv;
        return 0;
}

void fmt_health_check(const struct svc_spec *s, const struct sup_config *cfg,
                      const struct confd_key *k, struct sbuf *o)
{
        const struct health_spec *h = &s->health;

        (void)cfg; (void)k;
        if (h->kind == HEALTH_TCP)
                sb_printf(o, "tcp:%u", h->port);
        else if (h->kind == HEALTH_HTTP)
                sb_printf(o, "http:%u%s", h->port, h->path ? h->path : "/");
        else if (h->kind == HEALTH_EXEC)
                for (size_t i = 0; h->argv[i]; i++) {
                        if (i)
                                sb_addc(o, ' ');
                        fmt_word(o, h->argv[i]);
                }
}

static const char *const action_names[] = {
        [HEALTH_RESTART] = "restart", [HEALTH_STOP] = "stop", [HEALTH_REPORT] = "report",
};

int set_health_action(struct set_ctx *c, const struct confd_key *k, const char *v)
{
        (void)k;
        for (size_t i = 0; i < sizeof(action_names) / sizeof(action_names[0]); i++)
                if (strcasecmp(v, action_names[i]) == 0) {
                        c->svc->health.action = (enum health_action)i;
                        return 0;
                }
        return -1;
}

void fmt_health_action(const struct svc_spec *s, const struct sup_config *cfg,
                       const struct confd_key *k, struct sbuf *o)
{
        (void)cfg; (void)k;
        if (s->health.kind != HEALTH_NONE)
                sb_add(o, action_names[s->health.action]);
}

static void rule(struct loader *L, const struct svc_origin *o, const char *key, const char *why)
{
        const struct raw_entry *e = raw_find(o->sec, key);

        diag_add(L->diag, true, "%s:%d: [%s] %s: %s", o->sec->file, e ? e->line : o->sec->line,
                 o->sec->header, key, why);
}

/* Keys that mean something only with a check, or only with a process that
 * stays: said once, at the key that was given in vain. */
void check_health(struct loader *L, const struct svc_origin *o)
{
        static const char *const needs_check[] = {
                "health_interval", "health_timeout", "health_start_period", "health_retries",
                "health_action", "health_http_status",
        };
        const struct svc_spec *s = o->svc;
        const struct health_spec *h = &s->health;

        for (size_t i = 0; h->kind == HEALTH_NONE && i < sizeof(needs_check) / sizeof(*needs_check); i++)
                if (raw_find(o->sec, needs_check[i]))
                        rule(L, o, needs_check[i], "needs health_check =");
        if (h->kind != HEALTH_HTTP && h->kind != HEALTH_NONE && raw_find(o->sec, "health_http_status"))
                rule(L, o, "health_http_status", "needs an http: health_check");
        if (h->kind != HEALTH_NONE && (h->interval == 0 || h->timeout == 0))
                rule(L, o, h->interval == 0 ? "health_interval" : "health_timeout",
                     "expected a duration above 0");
        if (s->type == SVC_ONESHOT && h->kind != HEALTH_NONE)
                rule(L, o, "health_check", "a oneshot has no health to check (type = oneshot)");
        if (s->type == SVC_ONESHOT && s->watchdog)
                rule(L, o, "watchdog", "a oneshot has no watchdog (type = oneshot)");
        /* NOTIFY_SOCKET is an abstract socket, which belongs to supd's network namespace */
        if (s->watchdog && (s->sandbox.namespaces & CLONE_NEWNET))
                rule(L, o, "watchdog", "needs the notify socket, which a service in its own network "
                     "namespace cannot reach (drop net from namespaces =)");
}

/* Printers: the health keys only with a check (they are errors without
 * one), health_http_status only for http:, watchdog only when set. */
void fmt_health_duration(const struct svc_spec *s, const struct sup_config *cfg,
                         const struct confd_key *k, struct sbuf *o)
{
        (void)cfg;
        if (s->health.kind != HEALTH_NONE)
                fmt_duration(o, *(const uint64_t *)((const char *)s + k->offset));
}

void fmt_health_count(const struct svc_spec *s, const struct sup_config *cfg,
                      const struct confd_key *k, struct sbuf *o)
{
        (void)cfg;
        if (s->health.kind != HEALTH_NONE && (s->health.kind == HEALTH_HTTP ||
                                              k->offset != offsetof(struct svc_spec, health.http_status)))
                sb_printf(o, "%u", *(const unsigned *)((const char *)s + k->offset));
}

void fmt_watchdog(const struct svc_spec *s, const struct sup_config *cfg,
                  const struct confd_key *k, struct sbuf *o)
{
        (void)cfg; (void)k;
        if (s->watchdog)
                fmt_duration(o, s->watchdog);
}
