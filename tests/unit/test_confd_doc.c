/* docs/config.md and the man page docs/supd.ini.5 are generated from
 * confd's key table (`make docs`); this test fails when a committed file is
 * stale, so docs and parser agree. `test_confd_doc --doc` and `--man` print
 * the generated files. Run from the repo root. */
#include "tests/unit/confd_util.h"

#define TEMPLATE "docs/config.md.in"
#define DOC "docs/config.md"
#define MAN_TEMPLATE "docs/supd.ini.5.in"
#define MAN "docs/supd.ini.5"

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

static char *generate_from(const char *template, int (*gen)(FILE *, const char *))
{
        char *tmpl = slurp(template), *out = NULL;
        size_t len = 0;
        FILE *m;

        if (!tmpl)
                return NULL;
        m = open_memstream(&out, &len);
        gen(m, tmpl);
        fclose(m);
        free(tmpl);
        return out;
}

static char *generate(void)
{
        return generate_from(TEMPLATE, confd_doc);
}

TEST(committed_man_page_matches_the_key_table)
{
        char *want = generate_from(MAN_TEMPLATE, confd_doc_man), *have = slurp(MAN);

        CHECK(want != NULL);
        CHECK(have != NULL);
        if (want && have && strcmp(want, have) != 0) {
                fprintf(stderr, "  " MAN " is stale: run `make docs` and commit it\n");
                check_failed_now = 1;
        }
        CHECK(want && strstr(want, ".B restart_delay\n") && !strstr(want, "@@KEYS"));
        free(want);
        free(have);
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
        if (argc > 1 && (strcmp(argv[1], "--doc") == 0 || strcmp(argv[1], "--man") == 0)) {
                char *doc = argv[1][2] == 'd' ? generate() : generate_from(MAN_TEMPLATE, confd_doc_man);

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
