/* memhog — allocate and touch memory in 1 MiB steps until killed or the
 * cap (argv[1] MiB, default 4096) is reached; prints progress to stdout.
 * With argv[2] = MS, it waits MS milliseconds after each step and, at the
 * cap, holds its memory until killed: a slowly growing service. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        long cap = argc > 1 ? atol(argv[1]) : 4096;
        long step_ms = argc > 2 ? atol(argv[2]) : 0;
        struct timespec step = { step_ms / 1000, step_ms % 1000 * 1000000 };

        for (long mb = 1; mb <= cap; mb++) {
                char *p = malloc(1 << 20);

                if (!p) {
                        printf("malloc failed at %ld MiB\n", mb);
                        return 1;
                }
                memset(p, 0x5a, 1 << 20);
                if (mb % 16 == 0) {
                        printf("%ld MiB\n", mb);
                        fflush(stdout);
                }
                if (step_ms)
                        nanosleep(&step, NULL);
        }
        printf("survived %ld MiB\n", cap);
        fflush(stdout);
        while (step_ms)
                pause();
        return 0;
}
