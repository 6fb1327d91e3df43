/* forkbomb — fork sleeping children until fork fails (or argv[1] of them),
 * print how many forks succeeded and the errno of the failure, then kill
 * the children. Proves pids_max from inside. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        int max = argc > 1 ? atoi(argv[1]) : 1000, n = 0, e = 0;
        pid_t kids[4096];

        if (max > 4096)
                max = 4096;
        while (n < max) {
                pid_t pid = fork();

                if (pid < 0) {
                        e = errno;
                        break;
                }
                if (pid == 0) {
                        pause();
                        _exit(0);
                }
                kids[n++] = pid;
        }
        printf("forked %d%s%s\n", n, e ? " then " : "", e ? strerror(e) : "");
        fflush(stdout);
        for (int i = 0; i < n; i++)
                kill(kids[i], SIGKILL);
        while (wait(NULL) > 0)
                ;
        return e ? 1 : 0;
}
