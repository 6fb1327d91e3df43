/* pid1/reaper.c — the reaper mode: PID 1 of a service's PID namespace as a
 * fresh program, holding nothing of supd.
 *
 * The runtime (runtime/reaper.c) execs the program that linked it with
 * argv = { "sup-reaper", SERVICE_PID, GATE_FD }. A constructor catches that
 * before main() and before the program's own start-up: it runs
 * pid1_run_child() on the service and exits with its code. runc's nsenter
 * takes over a re-exec of runc the same way. Any program that spawns
 * through the runtime therefore has the mode (supd, suprun, the static
 * build, the tests), and main() never sees it.
 *
 * Non-dumpable first thing (a process of the same uid must not read
 * /proc/1/mem nor ptrace us), then the gate is closed: that tells the
 * service's process, which waits for it, that it may go on to run the
 * service (and make mounts: our libraries are loaded by now). */
#include "pid1/pid1.h"
#include "common/exitcode.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

const char pid1_reaper_name[] = PID1_REAPER_NAME;
const char pid1_relay_name[] = PID1_RELAY_NAME;

/* A pid or an fd number; -1 when it is none. */
static pid_t parse_pid(const char *s)
{
        char *end;
        long v;

        errno = 0;
        v = strtol(s, &end, 10);
        if (errno || end == s || *end || v < 0 || v > 0x3fffffff)
                return -1;
        return (pid_t)v;
}

/* The relay of a health check (runtime/join.c): the command is our child
 * already; wait for it with every signal still blocked, as before the exec. */
static void relay_mode(const char *pid)
{
        pid_t child = parse_pid(pid);
        int st;

        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        if (getuid() != geteuid())
                syscall(SYS_setresuid, geteuid(), -1, -1);
        if (child <= 0)
                return;
        syscall(SYS_close_range, 3, ~0U, 0);
        while (waitpid(child, &st, 0) < 0)
                if (errno != EINTR)
                        _exit(127);
        _exit(exitcode_of_status(st));
}

/* glibc passes main's arguments to ELF constructors. */
static __attribute__((constructor)) void reaper_mode(int argc, char **argv)
{
        pid_t child, gate;

        if (argc == 2 && argv && argv[0] && strcmp(argv[0], pid1_relay_name) == 0)
                relay_mode(argv[1]);
        if (argc != 3 || !argv || !argv[0] || strcmp(argv[0], pid1_reaper_name) != 0)
                return;
        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        /* The runtime exec'd us with another real uid (see there): back. */
        if (getuid() != geteuid())
                syscall(SYS_setresuid, geteuid(), -1, -1);
        child = parse_pid(argv[1]);
        gate = parse_pid(argv[2]);
        /* Only the runtime starts us, as PID 1 with the service as our child;
         * anything else is someone calling a program by this name. */
        if (child < 0 || gate < 3 || getpid() != 1)
                return;
        close((int)gate);
        /* Nothing but stdio stays open (the runtime marked the rest
         * close-on-exec; this is in case it could not). */
        syscall(SYS_close_range, 3, ~0U, 0);
        /* The service's orphans are the kernel's to reap, as in supd --. */
        _exit(pid1_run_child(child, &(struct pid1_opts){ .grace_ms = PID1_GRACE_MS_DEFAULT,
                                                         .autoreap = true }));
}
