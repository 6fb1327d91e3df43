/* cmd/supd_check.c — `supd --check`: what the host will refuse at start.
 *
 * confd checks the text; this looks at the machine the config will run on:
 * users and groups that do not exist, log files in missing directories,
 * commands not found or not executable. Errors where supervisord refuses
 * the whole config ([program:] users and log directories); warnings where
 * the service alone would fail at its start (FATAL) and the rest runs. */
#include "cmd/supd_int.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/log.h"
#include "confd/confd.h"

struct check {
        const struct svc_spec *s;
        unsigned errors;
};

/* An error when supervisord itself refuses such a config, else a warning. */
static void say(struct check *c, bool refused_by_supervisord, const char *what, const char *why)
{
        const struct svc_spec *s = c->s;
        bool error = refused_by_supervisord && s->from_supervisord;

        if (error)
                c->errors++;
        log_msg(error ? LOG_ERROR : LOG_WARN, "%s:%d: %s: %s: %s%s", s->file ? s->file : "-",
                s->line, s->name, what, why,
                error ? " (supervisord refuses this too)"
                      : "; the service will fail at its start");
}

static bool all_digits(const char *s)
{
        return *s && strspn(s, "0123456789") == strlen(s);
}

static void check_ids(struct check *c)
{
        char why[160];

        if (c->s->user && !all_digits(c->s->user) && !getpwnam(c->s->user)) {
                snprintf(why, sizeof(why), "no such user \"%s\"", c->s->user);
                say(c, true, "user", why);
        }
        if (c->s->group && !all_digits(c->s->group) && !getgrnam(c->s->group)) {
                snprintf(why, sizeof(why), "no such group \"%s\"", c->s->group);
                say(c, false, "group", why);
        }
}

static void check_log_dir(struct check *c, const struct log_target *t, const char *what)
{
        char dir[PATH_MAX], why[PATH_MAX + 64];
        const char *slash;
        struct stat st;

        if (t->kind != LOG_TO_FILE || !t->path || !(slash = strrchr(t->path, '/')))
                return;
        snprintf(dir, sizeof(dir), "%.*s", slash == t->path ? 1 : (int)(slash - t->path), t->path);
        if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
                return;
        snprintf(why, sizeof(why), "the directory %s of %s does not exist", dir, t->path);
        say(c, true, what, why);
}

/* The PATH the command is looked up in: the service's own, else ours. */
static const char *path_of(const struct svc_spec *s)
{
        for (size_t i = 0; s->environment && s->environment[i]; i++)
                if (strncmp(s->environment[i], "PATH=", 5) == 0)
                        return s->environment[i] + 5;
        return getenv("PATH") ? getenv("PATH") : "/usr/local/bin:/usr/bin:/bin";
}

static int executable(const char *dir, const char *file, const char *cmd)
{
        char full[PATH_MAX];
        struct stat st;

        if (file[0] == '/' || !dir)
                snprintf(full, sizeof(full), "%s", cmd);
        else
                snprintf(full, sizeof(full), "%s/%s", dir, cmd);
        if (stat(full, &st) < 0)
                return -1;
        return S_ISREG(st.st_mode) && (st.st_mode & 0111) ? 1 : 0;
}

static void check_command(struct check *c)
{
        const struct svc_spec *s = c->s;
        const char *cmd = s->argv ? s->argv[0] : NULL;
        char why[PATH_MAX + 64];
        int found = -1;

        if (!cmd || s->sandbox.root)    /* looked up in another root */
                return;
        if (strchr(cmd, '/')) {
                found = executable(cmd[0] == '/' ? NULL : s->directory, cmd, cmd);
        } else {
                char *path = strdup(path_of(s)), *save = NULL;

                for (char *d = path ? strtok_r(path, ":", &save) : NULL; d && found != 1;
                     d = strtok_r(NULL, ":", &save)) {
                        int r = executable(d, "", cmd);

                        found = r > found ? r : found;
                }
                free(path);
        }
        if (found == 1)
                return;
        snprintf(why, sizeof(why), found == 0 ? "%s is not an executable file" :
                 strchr(cmd, '/') ? "%s does not exist" : "%s is not found in PATH", cmd);
        say(c, false, "command", why);
}

int supd_check_host(const struct sup_config *cfg)
{
        unsigned errors = 0;

        for (size_t i = 0; i < cfg->n_services; i++) {
                struct check c = { .s = cfg->services[i] };

                check_ids(&c);
                check_log_dir(&c, &c.s->out, "stdout");
                check_log_dir(&c, &c.s->err, "stderr");
                check_command(&c);
                errors += c.errors;
        }
        return errors ? -1 : 0;
}
