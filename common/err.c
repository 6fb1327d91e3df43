#include "common/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int sup_fail(struct sup_err *err, int errnum, const char *fmt, ...)
{
        va_list ap;
        int n;

        if (!err)
                return -1;
        va_start(ap, fmt);
        n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
        if (n < 0)
                n = 0;
        if (errnum && (size_t)n < sizeof(err->msg))
                snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", strerror(errnum));
        err->errnum = errnum;
        return -1;
}

int sup_wrap(struct sup_err *err, const char *fmt, ...)
{
        char prefix[256];
        char old[sizeof(err->msg)];
        va_list ap;

        if (!err)
                return -1;
        va_start(ap, fmt);
        vsnprintf(prefix, sizeof(prefix), fmt, ap);
        va_end(ap);
        memcpy(old, err->msg, sizeof(old));
        snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
        return -1;
}
