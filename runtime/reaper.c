/* runtime/reaper.c — PID 1 of a service's own PID namespace.
 *
 * The same loop as supd's single-command mode (pid1/pid1.h): forward every
 * catchable signal to the service, reap every zombie, give stragglers TERM
 * then KILL, exit with the service's code. The caller has blocked every
 * signal since before the fork and closed supd's fds, as pid1_run_child()
 * asks of a clone of supd. */
#include "runtime/runtime_int.h"
#include "pid1/pid1.h"

int reaper_run(pid_t child)
{
        struct pid1_opts opts = { .to_group = false, .grace_ms = PID1_GRACE_MS_DEFAULT };

        return pid1_run_child(child, &opts);
}
