/* common/err.h — the one error convention: return 0 or -1 and fill a record.
 *
 * A fallible function returns 0 on success or -1 after sup_fail() has
 * written what failed and why into *err, in words an operator understands.
 * Callers add context with sup_wrap() or pass the record up unchanged. */
#ifndef SUP_COMMON_ERR_H
#define SUP_COMMON_ERR_H

struct sup_err {
        int errnum;             /* errno of the root cause, 0 when none */
        char msg[512];          /* "what: why", no trailing newline */
};

/* Format msg, append ": strerror(errnum)" when errnum != 0, return -1. */
int sup_fail(struct sup_err *err, int errnum, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Prefix the message already in *err with more context; return -1. */
int sup_wrap(struct sup_err *err, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

#endif
