/* confd/spec.c — life of specs: new, free, compare, the "main" service. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "confd/confd_int.h"

struct svc_spec *spec_new(void)
{
        struct svc_spec *s = calloc(1, sizeof(*s));

        if (s)
                s->umask = -1;
        return s;
}

static void sandbox_free(struct sandbox_spec *sb)
{
        free(sb->hostname);
        free(sb->uid_map);
        free(sb->gid_map);
        free(sb->root);
        binds_free(sb->binds, sb->n_binds);
        strv_free(sb->read_only_paths);
        strv_free(sb->masked_paths);
        free(sb->seccomp_profile);
        strv_free(sb->seccomp_allow);
        strv_free(sb->seccomp_deny);
        free(sb->seccomp_bpf);
        free(sb->apparmor);
        free(sb->rlimits);
}

void spec_free(struct svc_spec *s)
{
        if (!s)
                return;
        free(s->name);
        free(s->file);
        strv_free(s->argv);
        free(s->user);
        free(s->group);
        free(s->directory);
        strv_free(s->environment);
        strv_free(s->after);
        strv_free(s->requires);
        strv_free(s->listen_events);
        free(s->out.path);
        free(s->err.path);
        strv_free(s->health.argv);
        free(s->health.path);
        sandbox_free(&s->sandbox);
        free(s);
}

void confd_free(struct sup_config *cfg)
{
        if (!cfg)
                return;
        for (size_t i = 0; i < cfg->n_services; i++)
                spec_free(cfg->services[i]);
        free(cfg->services);
        free(cfg->path);
        free(cfg->socket);
        free(cfg->socket_group);
        free(cfg->log_format);
        free(cfg->pidfile);
        free(cfg->identifier);
        free(cfg);
}

struct sup_config *confd_empty(void)
{
        struct sup_config *cfg = calloc(1, sizeof(*cfg));
        struct set_ctx c = { .cfg = cfg };

        if (!cfg)
                return NULL;
        if (keys_defaults(&c, SEC_SUPD) < 0) {
                confd_free(cfg);
                return NULL;
        }
        return cfg;
}

static int spec_defaults(struct svc_spec *s, unsigned sect)
{
        struct set_ctx c = { .svc = s };

        return keys_defaults(&c, sect);
}

struct svc_spec *confd_add_main(struct sup_config *cfg, char *const argv[])
{
        struct svc_spec *s, **v;

        if (!cfg || !argv || !argv[0])
                return NULL;
        for (size_t i = 0; i < cfg->n_services; i++)
                if (strcmp(cfg->services[i]->name, "main") == 0)
                        return NULL;
        s = spec_new();
        if (!s || spec_defaults(s, SEC_SERVICE) < 0 || !(s->name = strdup("main")) ||
            !(s->file = strdup("(command line)")) || !(s->argv = strv_dup(argv)))
                goto fail;
        s->critical = true;
        s->restart = RESTART_NEVER;
        s->main = true;
        v = realloc(cfg->services, (cfg->n_services + 1) * sizeof(*v));
        if (!v)
                goto fail;
        cfg->services = v;
        cfg->services[cfg->n_services++] = s;
        return s;
fail:
        spec_free(s);
        return NULL;
}

int confd_set_command(struct svc_spec *s, char *const argv[])
{
        char **v = argv && argv[0] ? strv_dup(argv) : NULL;

        if (!v)
                return -1;
        strv_free(s->argv);
        s->argv = v;
        return 0;
}

/* ---- comparison -------------------------------------------------------------- */

static bool str_eq(const char *a, const char *b)
{
        return a == b || (a && b && strcmp(a, b) == 0);
}

static bool log_eq(const struct log_target *a, const struct log_target *b)
{
        return a->kind == b->kind && str_eq(a->path, b->path) && a->max_size == b->max_size &&
               a->keep == b->keep && a->shared_dir == b->shared_dir;
}

static bool sandbox_eq(const struct sandbox_spec *a, const struct sandbox_spec *b)
{
        if (a->namespaces != b->namespaces || !str_eq(a->hostname, b->hostname) ||
            a->n_uid_map != b->n_uid_map || a->n_gid_map != b->n_gid_map ||
            (a->n_uid_map && memcmp(a->uid_map, b->uid_map, a->n_uid_map * sizeof(*a->uid_map))) ||
            (a->n_gid_map && memcmp(a->gid_map, b->gid_map, a->n_gid_map * sizeof(*a->gid_map))))
                return false;
        if (!str_eq(a->root, b->root) || a->read_only != b->read_only ||
            a->n_binds != b->n_binds || a->private_tmp != b->private_tmp ||
            a->private_dev != b->private_dev ||
            a->control_access != b->control_access ||
            a->read_only_defaults != b->read_only_defaults ||
            a->masked_defaults != b->masked_defaults ||
            !strv_equal(a->read_only_paths, b->read_only_paths) ||
            !strv_equal(a->masked_paths, b->masked_paths))
                return false;
        for (size_t i = 0; i < a->n_binds; i++)
                if (!str_eq(a->binds[i].src, b->binds[i].src) ||
                    !str_eq(a->binds[i].dst, b->binds[i].dst) || a->binds[i].ro != b->binds[i].ro)
                        return false;
        if (a->memory_max != b->memory_max || fabs(a->cpu_max - b->cpu_max) > 1e-9 ||
            a->pids_max != b->pids_max || a->io_weight != b->io_weight ||
            a->caps_set != b->caps_set || (a->caps_set && a->caps != b->caps) ||
            a->caps_ambient != b->caps_ambient ||
            a->no_new_privileges != b->no_new_privileges)
                return false;
        if (a->seccomp != b->seccomp || !str_eq(a->seccomp_profile, b->seccomp_profile) ||
            !strv_equal(a->seccomp_allow, b->seccomp_allow) ||
            !strv_equal(a->seccomp_deny, b->seccomp_deny) || !str_eq(a->apparmor, b->apparmor))
                return false;
        if (a->n_rlimits != b->n_rlimits)
                return false;
        /* one entry per resource, in the order written: compare as sets */
        for (size_t i = 0; i < a->n_rlimits; i++) {
                bool found = false;

                for (size_t j = 0; j < b->n_rlimits && !found; j++)
                        found = a->rlimits[i].resource == b->rlimits[j].resource &&
                                a->rlimits[i].lim.rlim_cur == b->rlimits[j].lim.rlim_cur &&
                                a->rlimits[i].lim.rlim_max == b->rlimits[j].lim.rlim_max;
                if (!found)
                        return false;
        }
        return true;
}

static bool health_eq(const struct health_spec *a, const struct health_spec *b)
{
        return a->kind == b->kind && strv_equal(a->argv, b->argv) && a->port == b->port &&
               str_eq(a->path, b->path) && a->http_status == b->http_status &&
               a->interval == b->interval && a->timeout == b->timeout &&
               a->start_period == b->start_period && a->retries == b->retries &&
               a->action == b->action;
}

/* Everything but where it was written (file, line) and what the runtime
 * derives from the rest (the compiled seccomp BPF). */
bool confd_spec_equal(const struct svc_spec *a, const struct svc_spec *b)
{
        if (a == b)
                return true;
        if (!a || !b)
                return false;
        return str_eq(a->name, b->name) && strv_equal(a->argv, b->argv) && a->type == b->type &&
               str_eq(a->user, b->user) && str_eq(a->group, b->group) &&
               str_eq(a->directory, b->directory) && strv_equal(a->environment, b->environment) &&
               a->umask == b->umask && a->autostart == b->autostart &&
               a->priority == b->priority && strv_equal(a->after, b->after) &&
               strv_equal(a->requires, b->requires) && a->ready == b->ready &&
               a->ready_fd == b->ready_fd && a->ready_delay == b->ready_delay &&
               a->start_secs == b->start_secs && a->restart == b->restart &&
               memcmp(a->success_exit, b->success_exit, sizeof(a->success_exit)) == 0 &&
               a->restart_delay == b->restart_delay &&
               a->restart_delay_max == b->restart_delay_max &&
               a->start_retries == b->start_retries && a->critical == b->critical &&
               a->main == b->main && a->stop_signal == b->stop_signal &&
               a->stop_timeout == b->stop_timeout && log_eq(&a->out, &b->out) &&
               log_eq(&a->err, &b->err) && health_eq(&a->health, &b->health) &&
               a->watchdog == b->watchdog && strv_equal(a->listen_events, b->listen_events) &&
               a->listen_buffer == b->listen_buffer && sandbox_eq(&a->sandbox, &b->sandbox);
}
