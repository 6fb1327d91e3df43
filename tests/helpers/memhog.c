/* memhog — allocate and touch memory in 1 MiB steps until killed or the
 * cap (argv[1] MiB, default 4096) is reached; prints progress to stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
        long cap = argc > 1 ? atol(argv[1]) : 4096;

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
        }
        printf("survived %ld MiB\n", cap);
        return 0;
}
