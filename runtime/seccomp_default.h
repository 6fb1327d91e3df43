/* runtime/seccomp_default.h — the data of `seccomp = default` (internal). */
#ifndef SUP_RUNTIME_SECCOMP_DEFAULT_H
#define SUP_RUNTIME_SECCOMP_DEFAULT_H

struct seccomp_cap_group {
        int cap;                        /* -1 ends the table */
        const char *names[32];          /* NULL-terminated */
};

extern const char *const seccomp_default_allow[];
extern const struct seccomp_cap_group seccomp_default_cap_groups[];

#endif
