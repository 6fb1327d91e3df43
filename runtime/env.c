/* runtime/env.c — a service's environment, built by the parent.
 *
 * supd's own environment, then the service's environment= entries (a later
 * entry of the same name wins, as with putenv one after the other), then
 * NOTIFY_SOCKET. Built before the spawn so the child only points environ
 * at it: a vfork child shares supd's memory and must not grow supd's
 * environment, and no child allocates. The strings are not copied (the
 * spec and supd's environment outlive the exec); one allocation, freed
 * with free(). */
#include "runtime/runtime_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NOTIFY_KEY "NOTIFY_SOCKET="

static size_t name_len(const char *kv)
{
        return strcspn(kv, "=");
}

static bool same_name(const char *a, const char *b)
{
        size_t n = name_len(a);

        return n == name_len(b) && strncmp(a, b, n) == 0;
}

/* Whether kv's name comes again in list (or is NOTIFY_SOCKET, set last). */
static bool overridden(const char *kv, char *const *list, bool notify)
{
        if (notify && same_name(kv, NOTIFY_KEY))
                return true;
        for (; list && *list; list++)
                if (same_name(kv, *list))
                        return true;
        return false;
}

static size_t count(char *const *list)
{
        size_t n = 0;

        while (list && list[n])
                n++;
        return n;
}

char **env_build(const struct svc_spec *s, const char *notify_socket, struct sup_err *err)
{
        char *const *own = s->environment;
        size_t n_env = count(environ), n_own = count(own), k = 0;
        size_t slots = n_env + n_own + 2;
        size_t notify_len = notify_socket ? sizeof(NOTIFY_KEY) + strlen(notify_socket) : 0;
        char **envp = malloc(slots * sizeof(char *) + notify_len);

        if (!envp) {
                sup_fail(err, ENOMEM, "environment");
                return NULL;
        }
        for (size_t i = 0; i < n_env; i++)
                if (!overridden(environ[i], own, notify_socket))
                        envp[k++] = environ[i];
        for (size_t i = 0; i < n_own; i++)
                if (!overridden(own[i], own + i + 1, notify_socket))
                        envp[k++] = own[i];
        if (notify_socket) {
                char *kv = (char *)(envp + slots);

                snprintf(kv, notify_len, "%s%s", NOTIFY_KEY, notify_socket);
                envp[k++] = kv;
        }
        envp[k] = NULL;
        return envp;
}
