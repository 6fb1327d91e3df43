/* confd/confd.h — INI text in, validated specs (or exact errors) out.
 *
 * Pure: no syscalls beyond reading the files named by the config and its
 * includes. Every problem is collected, none stops the parse early, and each
 * reads "FILE:LINE: [section] key: what was expected". */
#ifndef SUP_CONFD_CONFD_H
#define SUP_CONFD_CONFD_H

#include <stdio.h>

#include "confd/spec.h"

struct confd_diag {
        char **errors;          /* each one line, no newline */
        size_t n_errors;
        char **warnings;
        size_t n_warnings;
};

/* Load a config file and everything it includes. Returns NULL when there
 * was any error (diag->n_errors > 0). Warnings may be present either way. */
struct sup_config *confd_load_file(const char *path, struct confd_diag *diag);

/* The same for text in memory; `name` stands for the file in messages and
 * relative includes resolve against `dir` (NULL = cwd). suprun builds its
 * one-service config this way from its long options. */
struct sup_config *confd_load_string(const char *text, const char *name, const char *dir,
                                     struct confd_diag *diag);

/* A config with no services and every [supd] default (single-command use). */
struct sup_config *confd_empty(void);

/* Add the main command of `supd -c FILE -- CMD ARGS` as service "main":
 * critical, restart=never, defaults otherwise. NULL on allocation failure
 * (or when the config already has a service named "main"). */
struct svc_spec *confd_add_main(struct sup_config *cfg, char *const argv[]);

/* Replace the spec's command (suprun -c FILE -s SERVICE -- CMD). 0, or -1
 * (argv empty or out of memory) with the spec unchanged. */
int confd_set_command(struct svc_spec *spec, char *const argv[]);

/* A sandboxed service's defaults, for each key not given: Docker's seccomp
 * profile, Docker's capabilities but MKNOD (bounding set too),
 * no_new_privileges, and with a mount namespace runc's masked and
 * read-only paths. `sandboxed`: any of
 * namespaces, root, seccomp set (confd_sandboxed), which is how the loader
 * calls it for every service once its keys are read; suprun passes true,
 * as every suprun run is sandboxed. Idempotent. */
void confd_sandbox_defaults(struct svc_spec *spec, bool sandboxed);
bool confd_sandboxed(const struct svc_spec *spec);

/* Two specs run the same way (reload restarts a service only when not). */
bool confd_spec_equal(const struct svc_spec *a, const struct svc_spec *b);

/* `supd --check`: the effective services in INI form, defaults filled in. */
void confd_print(FILE *out, const struct sup_config *cfg);

void confd_free(struct sup_config *cfg);
/* Every warning, then every error, one line each, through common/log.h. */
void confd_diag_log(const struct confd_diag *diag);
void confd_diag_free(struct confd_diag *diag);

/* Value parsers, shared with supctl/suprun option parsing. 0 or -1. */
int confd_parse_duration(const char *s, uint64_t *ms);
int confd_parse_size(const char *s, uint64_t *bytes);
int confd_parse_signal(const char *s, int *sig);   /* "TERM", "SIGTERM", "15" */

/* The reference (docs/config.md): `tmpl` with each line "@@KEYS:supd@@",
 * "@@KEYS:service@@", "@@KEYS:program@@", "@@KEYS:supervisord@@",
 * "@@KEYS:other@@" replaced by that table of keys. 0 / -1 (write error). */
int confd_doc(FILE *out, const char *tmpl);

#endif
