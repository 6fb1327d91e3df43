/* confd/confd_int.h — what the files of confd share; nothing outside confd/
 * includes this.
 *
 * Calls go one way, down this list: a file calls only files below it.
 *
 *   build.c   raw sections → specs, supervisord translation; the entry points
 *   check.c   cross-key and cross-service validation (dependencies, cycles)
 *   parse.c   files → raw sections (inih), includes; their lookup and errors
 *   expand.c  supervisord's %(name)s expansion
 *   print.c   `supd --check` output and the generated reference doc
 *   spec.c    free, compare, the "main" service
 *   keys.c    THE key table: name, type, default, sections, doc, setter
 *   values.c  one parser per value type (durations, sizes, commands, ...)
 *   util.c    growable strings, string vectors, the diagnostics list
 */
#ifndef SUP_CONFD_CONFD_INT_H
#define SUP_CONFD_CONFD_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "confd/confd.h"

/* ---- growable string ---------------------------------------------------- */

struct sbuf {
        char *s;
        size_t len, cap;
        bool oom;
};

void sb_add(struct sbuf *b, const char *s);
void sb_addn(struct sbuf *b, const char *s, size_t n);
void sb_addc(struct sbuf *b, char c);
void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *sb_steal(struct sbuf *b);         /* NULL on OOM; the buffer is reset */
void sb_free(struct sbuf *b);
const char *sb_str(struct sbuf *b);     /* "" when empty */

/* NULL-terminated string vectors */
size_t strv_len(char *const *v);
int strv_push(char ***v, const char *s);        /* copies s; 0 / -1 */
int strv_push_own(char ***v, char *s);          /* takes s (freed on failure) */
/* A vector being built: each push O(1), where strv_push first finds the
 * end. v is a strv (NULL-terminated) once something was pushed. */
struct strv_acc {
        char **v;
        size_t n, cap;
};
int strv_acc_push_own(struct strv_acc *a, char *s);     /* takes s */
char **strv_dup(char *const *v);                /* NULL in → NULL out */
bool strv_contains(char *const *v, const char *s);
/* VALUE of the first "KEY=VALUE" in v, or NULL */
const char *strv_value(char *const *v, const char *key);
/* pushes each string of add that *v lacks (lists that add up); 0 / -1 */
int strv_add_missing(char ***v, char *const *add);
bool strv_equal(char *const *a, char *const *b);
void strv_free(char **v);

/* ---- diagnostics -------------------------------------------------------- */

void diag_add(struct confd_diag *d, bool error, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* ---- value parsers (values.c) ------------------------------------------- */

/* Each returns 0, or -1 with `why` (size WHY) filled when the generic
 * "expected ...; got ..." message of the type is not specific enough. */
#define WHY 256

int val_bool(const char *s, bool *out);
int val_uint(const char *s, uint64_t max, uint64_t *out);
int val_int(const char *s, long long min, long long max, long long *out);
int val_octal(const char *s, unsigned max, unsigned *out);
int val_double(const char *s, double *out);
/* words separated by blanks or commas (quotes not special) */
int val_list(const char *s, char ***out);
/* shell-like words: quotes and backslashes, no expansion; sep_comma also
 * splits on unquoted commas (supervisord's environment form) */
int val_words(const char *s, bool sep_comma, char ***out, char *why);
int val_env(const char *s, char ***env, char *why);     /* merges into *env */
int val_caps(const char *s, uint64_t *caps, char *why);
/* What a sandboxed service keeps unless capabilities= says otherwise (the
 * key's doc line shows the same text): Docker's default set but MKNOD,
 * which Docker can grant only because its device cgroup stops a node from
 * being opened; sup sets up no device cgroup, and a root service that can
 * make the node of the host's disk could read and write it raw. */
#define SANDBOX_DEFAULT_CAPS "CHOWN DAC_OVERRIDE FSETID FOWNER NET_RAW SETGID SETUID " \
        "SETFCAP SETPCAP NET_BIND_SERVICE SYS_CHROOT KILL AUDIT_WRITE"
int val_syscalls(const char *s, char ***out, char *why);
int val_namespaces(const char *s, unsigned long *ns, char *why);
int val_idmap(const char *s, struct id_map **map, size_t *n, char *why);
int val_binds(const char *s, const char *dir, struct bind_mount **b, size_t *n, char *why);
void binds_free(struct bind_mount *b, size_t n);
int val_rlimit(const char *s, int resource, struct rlimit *lim, char *why);
int val_exit_codes(const char *s, uint8_t set[32], char *why);
int val_signal_name(int sig, char *buf, size_t len);   /* "TERM" or the number */
bool val_name_ok(const char *name);                     /* service names */

/* An absolute path: relative ones resolve against dir (the config file's
 * directory). Returns a new string or NULL on OOM. */
char *val_path(const char *s, const char *dir);

/* Print helpers: the shortest exact unit. */
void fmt_duration(struct sbuf *b, uint64_t ms);
void fmt_size(struct sbuf *b, uint64_t bytes);
void fmt_namespace_set(struct sbuf *b, unsigned long ns);      /* "pid mount" */
/* Characters that make fmt_word quote a word: what val_words would read
 * otherwise (blanks, quotes, escapes, list separators, comments). */
#define WORD_SPECIALS " \t\n\r\f\v\"'\\,;#$`"
void fmt_word(struct sbuf *b, const char *w);   /* quoted when needed */

/* Open a regular file for reading, never blocking on a FIFO or a device:
 * a config naming /dev/stdin must fail, not hang PID 1. NULL + errno. */
FILE *open_regular(const char *path);

/* Seccomp profile files (format in docs/config.md). */
int val_seccomp_profile(const char *path, char ***allow, char ***deny, char *why);

/* ---- the key table (keys.c) --------------------------------------------- */

enum sect_kind {
        SEC_SUPD            = 1 << 0,
        SEC_SERVICE         = 1 << 1,
        SEC_PROGRAM         = 1 << 2,
        SEC_SUPERVISORD     = 1 << 3,
        SEC_UNIX_HTTP       = 1 << 4,
        SEC_INET_HTTP       = 1 << 5,
        SEC_SUPERVISORCTL   = 1 << 6,
        SEC_INCLUDE         = 1 << 7,
        SEC_GROUP           = 1 << 8,
        SEC_EVENTLISTENER   = 1 << 9,
        SEC_FCGI            = 1 << 10,
        SEC_RPCINTERFACE    = 1 << 11,
        SEC_CTLPLUGIN       = 1 << 12,
};
#define SEC_SUPERVISORD_ANY (SEC_PROGRAM | SEC_SUPERVISORD | SEC_UNIX_HTTP | SEC_INET_HTTP | \
                             SEC_SUPERVISORCTL | SEC_INCLUDE | SEC_GROUP | SEC_EVENTLISTENER | \
                             SEC_FCGI | SEC_RPCINTERFACE | SEC_CTLPLUGIN)

/* supervisord-only settings of one [program:] section, turned into log
 * targets once the whole section is read. */
struct prog_opts {
        char *logfile[2];               /* stdout_logfile, stderr_logfile; NULL = AUTO */
        bool redirect_stderr;
        bool stopasgroup, killasgroup;
        /* [service:] stderr_log_*: applied after the section, whatever the order */
        bool err_size_set, err_keep_set;
        uint64_t err_size;
        unsigned err_keep;
};

/* Where a setter writes, and what it may look at. */
/* [supervisord] settings every [program:] inherits. */
struct sv_globals {
        char **env;                     /* [supervisord] environment */
        int umask;                      /* [supervisord] umask (022 when the section exists) */
        bool seen;
};

struct set_ctx {
        struct loader *L;
        struct sup_config *cfg;
        struct sv_globals *g;
        struct svc_spec *svc;           /* service keys */
        struct prog_opts *prog;         /* [program:] keys */
        const char *dir;                /* directory of the file being read */
        unsigned sect;                  /* SEC_* of the section */
        char why[WHY];                  /* specific error message */
        char warn[WHY];                 /* set by a setter: warned once per key name */
};

struct confd_key {
        const char *name;
        unsigned sections;              /* SEC_* where it is valid */
        const char *type;               /* the value type, for docs and messages */
        const char *def;                /* default in [service:] / [supd], NULL = unset */
        const char *def_prog;           /* default in [program:] when different */
        const char *doc;                /* one line */
        int (*set)(struct set_ctx *c, const struct confd_key *k, const char *val);
        /* Appends the effective value for `supd --check`; nothing = not printed. */
        void (*fmt)(const struct svc_spec *s, const struct sup_config *cfg,
                    const struct confd_key *k, struct sbuf *out);
        size_t offset;                  /* where the value is stored: offsetof() in the
                                         * struct its setter writes (svc_spec, prog_opts
                                         * or sup_config) */
        int resource;                   /* limit_* keys: the RLIMIT_* they set */
        long long min, max;             /* numeric range; both 0 = any */
};

/* health.c: the health_check and health_action values */
int set_health_check(struct set_ctx *c, const struct confd_key *k, const char *v);
void fmt_health_check(const struct svc_spec *s, const struct sup_config *cfg,
                      const struct confd_key *k, struct sbuf *o);
int set_health_action(struct set_ctx *c, const struct confd_key *k, const char *v);
void fmt_health_action(const struct svc_spec *s, const struct sup_config *cfg,
                       const struct confd_key *k, struct sbuf *o);
void fmt_health_duration(const struct svc_spec *s, const struct sup_config *cfg,
                         const struct confd_key *k, struct sbuf *o);
void fmt_health_count(const struct svc_spec *s, const struct sup_config *cfg,
                      const struct confd_key *k, struct sbuf *o);
void fmt_watchdog(const struct svc_spec *s, const struct sup_config *cfg,
                  const struct confd_key *k, struct sbuf *o);

extern const struct confd_key confd_keys[];
extern const size_t confd_nkeys;

const struct confd_key *key_find(const char *name, unsigned sect);
/* "expected a duration like 500ms, 2s, 1m" for a type */
const char *key_expect(const char *type);

/* Apply the defaults of every key for a section kind. 0 / -1 (bug or OOM). */
int keys_defaults(struct set_ctx *c, unsigned sect);

/* ---- %(name)s expansion (expand.c) -------------------------------------- */

/* supervisord's %(name)s expansions; NULL / false = not available here. */
struct expand_vars {
        const char *here;
        const char *program_name, *group_name, *host_node_name;
        bool has_num;
        long process_num, numprocs;
        char ***env1;                   /* "K=V" vectors looked up before getenv() */
        char ***env2;
};
int expand(const char *in, const struct expand_vars *v, char **out, char *why);

/* ---- raw sections (parse.c) --------------------------------------------- */

struct raw_entry {
        char *key;                      /* lower-cased */
        char *value;
        int line;
};

struct raw_section {
        char *header;                   /* text between [ and ] */
        unsigned kind;                  /* SEC_*, 0 = unknown */
        char *name;                     /* after "kind:" or NULL */
        const char *file;               /* owned by the loader's file list */
        const char *dir;
        int line;
        struct raw_entry *e;
        size_t n;
};

struct loader {
        struct confd_diag *diag;
        struct raw_section **secs;
        size_t n_secs;
        char **files;                   /* display names of files read (owned) */
        char **dirs;                    /* their directories (owned) */
        char **real;                    /* realpath of each file, to refuse re-inclusion */
        bool oom;
        char **warned;                  /* warning keys already given */
};

/* `from` prefixes messages about the file itself ("" for the top file) */
int parse_file(struct loader *L, const char *path, int depth, const char *from);
int parse_text(struct loader *L, const char *text, size_t len, const char *name,
               const char *dir, int depth);
void loader_free(struct loader *L);
/* The entry for key in s (the last one when given twice), or NULL. */
const struct raw_entry *raw_find(const struct raw_section *s, const char *key);
void loader_warn_once(struct loader *L, const char *key, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
/* The error "FILE:LINE: [section] key: why" about entry e of s; an empty
 * why is an allocation that failed. */
void raw_error(struct loader *L, const struct raw_section *s, const struct raw_entry *e,
               const char *why);

/* ---- building (build.c) and checking (check.c) -------------------------- */

/* Where a service's keys were given, for messages after the build. */
struct svc_origin {
        struct svc_spec *svc;
        const struct raw_section *sec;
};
void check_sandbox(struct loader *L, const struct svc_origin *o);
void check_health(struct loader *L, const struct svc_origin *o);       /* health.c */
void check_dependencies(struct loader *L, struct sup_config *cfg,
                        const struct svc_origin *orig, size_t n);

/* ---- spec.c --------------------------------------------------------------- */

struct svc_spec *spec_new(void);
void spec_free(struct svc_spec *s);

#endif
