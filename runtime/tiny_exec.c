/* runtime/tiny_exec.c — supd's single-command PID 1 becomes the tiny init.
 *
 * Once `supd -- COMMAND` has its child running, everything supd's image
 * holds (libraries, the config parser, the runtime: ~130 kB of private
 * pages, most of them relocations) is dead weight for the container's
 * life. The tiny init (runtime/tiny/init.c) runs the same loop as
 * pid1_run_child() in a few pages; the plan carries the options, the exit
 * code mapping and the message prefixes across the exec, through a pipe. */
#include "runtime/runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pid1/pid1.h"
#include "runtime/runtime_int.h"

/* The plan in a pipe, its read end kept across the exec; -1 on failure. */
static int plan_pipe(const struct pid1_plan *plan, struct sup_err *err)
{
        int p[2];

        if (pipe2(p, O_CLOEXEC) < 0)
                return sup_fail(err, errno, "pipe for the plan");
        /* Far below a pipe's capacity: written whole, never blocks. */
        if (write(p[1], plan, sizeof(*plan)) != (ssize_t)sizeof(*plan) ||
            fcntl(p[0], F_SETFD, 0) < 0) {
                sup_fail(err, errno, "writing the plan");
                close(p[0]);
                close(p[1]);
                return -1;
        }
        close(p[1]);
        return p[0];
}

static char **init_argv(const char *argv0, const char *plan_arg, char *const command[])
{
        size_t n = 0;
        char **argv;

        while (command[n])
                n++;
        argv = calloc(n + 4, sizeof(*argv));
        if (!argv)
                return NULL;
        argv[0] = (char *)argv0;
        argv[1] = (char *)plan_arg;
        argv[2] = (char *)"--";
        for (size_t i = 0; i < n; i++)
                argv[3 + i] = command[i];
        return argv;
}

int rt_exec_tiny_init(struct pid1_plan *plan, const char *argv0, char *const command[],
                      struct sup_err *err)
{
        char plan_arg[sizeof(PID1_PLAN_ARG) + 12];
        int image, fd;
        char **argv;

        plan->magic = PID1_PLAN_MAGIC;
        plan->size = sizeof(*plan);
        image = reaper_tiny_image("supd", err);
        if (image < 0)
                return -1;
        fd = plan_pipe(plan, err);
        if (fd < 0) {
                close(image);
                return -1;
        }
        snprintf(plan_arg, sizeof(plan_arg), "%s%d", PID1_PLAN_ARG, fd);
        argv = init_argv(argv0, plan_arg, command);
        if (argv)
                syscall(SYS_execveat, image, "", argv, environ, AT_EMPTY_PATH);
        sup_fail(err, argv ? errno : ENOMEM, "exec of the tiny init");
        free(argv);
        close(fd);
        close(image);
        return -1;
}
