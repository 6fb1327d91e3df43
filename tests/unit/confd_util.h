/* tests/unit/confd_util.h — helpers shared by the confd unit tests. */
#ifndef SUP_TESTS_CONFD_UTIL_H
#define SUP_TESTS_CONFD_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "confd/confd.h"
#include "tests/unit/check.h"

/* Load text as "t.ini"; the diag is kept in `d` for inspection. */
static struct confd_diag d;

static inline struct sup_config *load(const char *text)
{
        confd_diag_free(&d);
        return confd_load_string(text, "t.ini", NULL, &d);
}

static inline void dump_diag(void)
{
        for (size_t i = 0; i < d.n_errors; i++)
                fprintf(stderr, "    error: %s\n", d.errors[i]);
        for (size_t i = 0; i < d.n_warnings; i++)
                fprintf(stderr, "    warning: %s\n", d.warnings[i]);
}

/* The one error of a config that must fail with exactly it. */
#define CHECK_ONE_ERROR(text, msg)                                              \
        do {                                                                    \
                struct sup_config *c_ = load(text);                             \
                CHECK(c_ == NULL);                                              \
                CHECK_INT(d.n_errors, 1);                                       \
                if (d.n_errors >= 1)                                            \
                        CHECK_STR(d.errors[0], msg);                            \
                else                                                            \
                        dump_diag();                                            \
                confd_free(c_);                                                 \
        } while (0)

static inline bool diag_has(char **list, size_t n, const char *needle)
{
        for (size_t i = 0; i < n; i++)
                if (strstr(list[i], needle))
                        return true;
        return false;
}

#define CHECK_ERROR_HAS(needle)                                                 \
        do {                                                                    \
                if (!diag_has(d.errors, d.n_errors, needle)) {                  \
                        fprintf(stderr, "  %s:%d: no error contains \"%s\"\n",  \
                                __FILE__, __LINE__, needle);                    \
                        dump_diag();                                            \
                        check_failed_now = 1;                                   \
                }                                                               \
        } while (0)

#define CHECK_WARNING_HAS(needle)                                               \
        do {                                                                    \
                if (!diag_has(d.warnings, d.n_warnings, needle)) {              \
                        fprintf(stderr, "  %s:%d: no warning contains \"%s\"\n",\
                                __FILE__, __LINE__, needle);                    \
                        dump_diag();                                            \
                        check_failed_now = 1;                                   \
                }                                                               \
        } while (0)

static inline const struct svc_spec *svc(const struct sup_config *c, const char *name)
{
        for (size_t i = 0; c && i < c->n_services; i++)
                if (strcmp(c->services[i]->name, name) == 0)
                        return c->services[i];
        return NULL;
}

static inline bool strv_has(char *const *v, const char *s)
{
        for (size_t i = 0; v && v[i]; i++)
                if (strcmp(v[i], s) == 0)
                        return true;
        return false;
}

/* A scratch directory under /tmp, removed by tmp_clean(). */
static char tmp_dir[64];

static inline const char *tmp_make(void)
{
        snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/sup-confd.XXXXXX");
        if (!mkdtemp(tmp_dir))
                abort();
        return tmp_dir;
}

static inline void tmp_write(const char *rel, const char *text)
{
        char path[512];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", tmp_dir, rel);
        for (char *p = path + strlen(tmp_dir) + 1; (p = strchr(p, '/')); p++) {
                *p = '\0';
                mkdir(path, 0755);
                *p = '/';
        }
        f = fopen(path, "w");
        if (!f)
                abort();
        fputs(text, f);
        fclose(f);
}

static inline void tmp_clean(void)
{
        char cmd[128];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
        if (tmp_dir[0] && system(cmd) != 0)
                fprintf(stderr, "cannot remove %s\n", tmp_dir);
}

#endif
