/* PLACEHOLDER until confd lands: delete this file when confd provides these. */
#include <stdlib.h>
#include <string.h>
#include "confd/confd.h"

static void diag_err(struct confd_diag *d, const char *m)
{
        d->errors = realloc(d->errors, sizeof(char *) * (d->n_errors + 1));
        d->errors[d->n_errors++] = strdup(m);
}
struct sup_config *confd_load_file(const char *p, struct confd_diag *d) { (void)p; diag_err(d, "confd: not built yet"); return NULL; }
struct sup_config *confd_load_string(const char *t, const char *n, const char *dir, struct confd_diag *d) { (void)t; (void)n; (void)dir; diag_err(d, "confd: not built yet"); return NULL; }
struct sup_config *confd_empty(void) { struct sup_config *c = calloc(1, sizeof(*c)); if (c) c->shutdown_timeout = 10000; return c; }
struct svc_spec *confd_add_main(struct sup_config *c, char *const argv[]) { (void)c; (void)argv; return NULL; }
bool confd_spec_equal(const struct svc_spec *a, const struct svc_spec *b) { return a == b; }
void confd_print(FILE *o, const struct sup_config *c) { (void)o; (void)c; }
void confd_free(struct sup_config *c) { free(c); }
void confd_diag_free(struct confd_diag *d) { for (size_t i = 0; i < d->n_errors; i++) free(d->errors[i]); free(d->errors); for (size_t i = 0; i < d->n_warnings; i++) free(d->warnings[i]); free(d->warnings); memset(d, 0, sizeof(*d)); }
int confd_parse_duration(const char *s, uint64_t *ms) { (void)s; (void)ms; return -1; }
int confd_parse_size(const char *s, uint64_t *b) { (void)s; (void)b; return -1; }
int confd_parse_signal(const char *s, int *sig) { (void)s; (void)sig; return -1; }
