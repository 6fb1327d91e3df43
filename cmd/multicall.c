/* cmd/multicall.c — the entry point of the static multi-call binary.
 *
 * `make static` links supd, supctl and suprun into one file (as busybox
 * does). The program is chosen by the name it was called by (a symlink or
 * hard link named supctl runs supctl), else by a first argument naming one
 * (`sup supctl status`), else it is supd — so `ENTRYPOINT ["/sup", "--",
 * "app"]` works with no links in a scratch image. The names of tini and
 * dumb-init are supd's too: supd_main reads their command lines
 * (cmd/compat.c). */
#include <string.h>

int supd_main(int argc, char **argv);
int supctl_main(int argc, char **argv);
int suprun_main(int argc, char **argv);

static const struct {
        const char *name;
        int (*main)(int, char **);
} programs[] = {
        { "supd", supd_main },
        { "supctl", supctl_main },
        { "supervisorctl", supctl_main },       /* supervisorctl's command line */
        { "suprun", suprun_main },
        { "tini", supd_main },
        { "tini-static", supd_main },
        { "docker-init", supd_main },
        { "dumb-init", supd_main },
};

static int (*program_named(const char *path))(int, char **)
{
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

        for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++)
                if (strcmp(base, programs[i].name) == 0)
                        return programs[i].main;
        return NULL;
}

int main(int argc, char **argv)
{
        int (*prog)(int, char **) = program_named(argv[0]);

        if (prog)
                return prog(argc, argv);
        if (argc > 1 && (prog = program_named(argv[1])))
                return prog(argc - 1, argv + 1);
        return supd_main(argc, argv);
}
