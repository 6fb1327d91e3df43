/* runtime/reaper.c — PID 1 of a service's own PID namespace.
 *
 * TODO(init): switch to init_run_child() from init/init.h as soon as the
 * init module lands on main; this is the small local fallback: forward
 * every catchable signal to the service, reap every zombie, exit with the
 * service's code (the kernel kills what is left when PID 1 exits). */
#include "runtime/child.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static int exit_code(int status)
{
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        if (WIFSIGNALED(status))
                return 128 + WTERMSIG(status);
        return 1;
}

int reaper_run(pid_t child)
{
        sigset_t all;
        siginfo_t si;
        int status, code = -1;
        pid_t pid;

        sigfillset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        for (;;) {
                while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
                        if (pid == child)
                                code = exit_code(status);
                if (code >= 0)
                        return code;
                if (pid < 0 && errno == ECHILD)
                        return 1;
                if (sigwaitinfo(&all, &si) < 0)
                        continue;
                if (si.si_signo != SIGCHLD)
                        kill(child, si.si_signo);
        }
}
