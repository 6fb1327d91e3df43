/* docs/config.md is generated from confd's key table (`make docs`); this
 * test fails when the committed file is stale, so docs and parser agree.
 * `test_confd_doc --doc` prints the generated file. Run from the repo root. */
#include "tests/unit/confd_util.h"

#define TEMPLATE "docs/config.md.in"
#define DOC "docs/config.md"

static char *slurp(const char *path)
{
        FILE *f = fopen(path, "r");
        char *buf = NULL;
        size_t len = 0;
        FILE *m;
        int ch;

        if (!f)
                return NULL;
        m = open_memstream(&buf, &len);
        while ((ch = fgetc(f)) != EOF)
                fputc(ch, m);
        fclose(m);
        fclose(f);
        return buf;
}

static char *generate(void)
{
        char *tmpl = slurp(TEMPLATE), *out = NULL;
        size_t len = 0;
        FILE *m;

        if (!tmpl)
                return NULL;
        m = open_memstream(&out, &len);
        confd_doc(m, tmpl);
        fclose(m);
        free(tmpl);
        return out;
}

TEST(committed_doc_matches_the_key_table)
{
        char *want = generate(), *have = slurp(DOC);

        CHECK(want != NULL);
        CHECK(have != NULL);
        if (want && have && strcmp(want, have) != 0) {
                fprintf(stderr, "  " DOC " is stale: run `make docs` and commit it\n");
                check_failed_now = 1;
        }
        free(want);
        free(have);
}

TEST(every_key_of_our_sections_is_documented)
{
        static const char *keys[] = {
                "`socket`", "`shutdown_timeout`", "`include`", "`log_format`", "`command`",
                "`restart_delay`", "`stderr`", "`limit_nofile`", "`seccomp_deny`",
                "`stdout_logfile`", "`autorestart`", "`numprocs`", "`minfds`", "`files`",
        };
        char *doc = generate();

        CHECK(doc != NULL);
        for (size_t i = 0; doc && i < sizeof(keys) / sizeof(keys[0]); i++) {
                if (!strstr(doc, keys[i])) {
                        fprintf(stderr, "  %s is not in the doc\n", keys[i]);
                        check_failed_now = 1;
                }
        }
        CHECK(doc && !strstr(doc, "@@KEYS"));
        free(doc);
}

int main(int argc, char **argv)
{
        if (argc > 1 && strcmp(argv[1], "--doc") == 0) {
                char *doc = generate();

                if (!doc) {
                        fprintf(stderr, "cannot read " TEMPLATE "\n");
                        return 1;
                }
                fputs(doc, stdout);
                free(doc);
                return 0;
        }
        return check_main(argc, argv);
}
