/* runtime/env.c — a service's environment, built by the parent.
 *
 * supd's own environment, then the service's environment= entries (a later
 * entry of the same name wins, as with putenv one after the other), then
 * NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID. Built before the spawn so
 * the child only points environ at it: a vfork child shares supd's memory
 * and must not grow supd's environment, and no child allocates. Only
 * WATCHDOG_PID is completed in the child: systemd's sd_watchdog_enabled()
 * compares it with getpid(), the pid as the service sees it (in its PID
 * namespace). The strings are not copied (the spec and supd's environment
 * outlive the exec); one allocation, freed with free(). */
#include "runtime/runtime.h"
#include "runtime/runtime_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NOTIFY_KEY "NOTIFY_SOCKET="
#define USEC_KEY "WATCHDOG_USEC="
#define PID_KEY "WATCHDOG_PID="
#define NUM_LEN 24              /* digits of an unsigned long long, and the NUL */

static size_t name_len(const char *kv)
{
        return strcspn(kv, "=");
}

static bool same_name(const char *a, const char *b)
{
        size_t n = name_len(a);

        return n == name_len(b) && strncmp(a, b, n) == 0;
}

/* Whether kv's name comes again in list (or is one supd sets last). */
static bool overridden(const char *kv, char *const *list, const struct rt_stdio *io)
{
        if (io->notify_socket && same_name(kv, NOTIFY_KEY))
                return true;
        if (io->watchdog_usec && (same_name(kv, USEC_KEY) || same_name(kv, PID_KEY)))
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

/* "KEY=value" at *at, which moves past it. */
static char *put(char **at, const char *key, const char *value, size_t room)
{
        char *kv = *at;

        snprintf(kv, room, "%s%s", key, value);
        *at += room;
        return kv;
}

char **env_build(const struct svc_spec *s, const struct rt_stdio *io, char **watchdog_pid,
                 struct sup_err *err)
{
        char *const *own = s->environment;
        size_t n_env = count(environ), n_own = count(own), k = 0;
        size_t slots = n_env + n_own + 4;
        size_t notify_room = io->notify_socket ? sizeof(NOTIFY_KEY) + strlen(io->notify_socket) : 0;
        size_t wd_room = io->watchdog_usec ? sizeof(USEC_KEY) + sizeof(PID_KEY) + 2 * NUM_LEN : 0;
        char **envp = malloc(slots * sizeof(char *) + notify_room + wd_room);
        char *strings, num[NUM_LEN];

        *watchdog_pid = NULL;
        if (!envp) {
                sup_fail(err, ENOMEM, "environment");
                return NULL;
        }
        strings = (char *)(envp + slots);
        for (size_t i = 0; i < n_env; i++)
                if (!overridden(environ[i], own, io))
                        envp[k++] = environ[i];
        for (size_t i = 0; i < n_own; i++)
                if (!overridden(own[i], own + i + 1, io))
                        envp[k++] = own[i];
        if (io->notify_socket)
                envp[k++] = put(&strings, NOTIFY_KEY, io->notify_socket, notify_room);
        if (io->watchdog_usec) {
                snprintf(num, sizeof(num), "%llu", io->watchdog_usec);
                envp[k++] = put(&strings, USEC_KEY, num, sizeof(USEC_KEY) + NUM_LEN);
                envp[k++] = *watchdog_pid = put(&strings, PID_KEY, "", sizeof(PID_KEY) + NUM_LEN);
        }
        envp[k] = NULL;
        return envp;
}

void env_set_watchdog_pid(char *entry)
{
        if (entry)
                snprintf(entry + strlen(PID_KEY), NUM_LEN, "%d", (int)getpid());
}
