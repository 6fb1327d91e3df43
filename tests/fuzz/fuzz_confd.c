/* tests/fuzz/fuzz_confd.c — libFuzzer over confd's parser and validator.
 *
 * Any bytes as a config file: loading must not crash, leak, hit undefined
 * behaviour or hang, and a config that loads must print, re-load from its
 * own print, and compare equal to itself. Run by tests/fuzz/run.sh. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "confd/confd.h"

/* Relative includes resolve against the cwd: make it an empty directory. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        char dir[] = "/tmp/sup-fuzz.XXXXXX";

        (void)argc; (void)argv;
        if (mkdtemp(dir) && chdir(dir) == 0)
                rmdir(dir);     /* stays our cwd, empty and unlinked */
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct confd_diag diag = { 0 }, diag2 = { 0 };
        struct sup_config *cfg, *again;
        char *text = malloc(size + 1), *out = NULL;
        size_t len = 0;
        FILE *f;

        if (!text)
                return 0;
        memcpy(text, data, size);
        text[size] = '\0';
        cfg = confd_load_string(text, "fuzz.ini", NULL, &diag);
        free(text);
        if ((cfg == NULL) != (diag.n_errors > 0))
                abort();        /* NULL exactly when there are errors */
        if (cfg) {
                char *argv[] = { "main-cmd", "arg", NULL };

                f = open_memstream(&out, &len);
                confd_print(f, cfg);
                fclose(f);
                again = confd_load_string(out, "print.ini", NULL, &diag2);
                if (!again || again->n_services != cfg->n_services)
                        abort();        /* --check output must itself load */
                for (size_t i = 0; i < cfg->n_services; i++)
                        if (!confd_spec_equal(cfg->services[i], again->services[i]))
                                abort();
                confd_add_main(cfg, argv);
                confd_free(again);
                free(out);
        }
        confd_free(cfg);
        confd_diag_free(&diag);
        confd_diag_free(&diag2);
        return 0;
}
