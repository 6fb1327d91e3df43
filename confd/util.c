/* confd/util.c — growable strings, string vectors, the diagnostics list. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include "confd/confd_int.h"
#include "common/log.h"

FILE *open_regular(const char *path)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        struct stat st;
        FILE *f;

        if (fd < 0)
                return NULL;
        if (fstat(fd, &st) < 0) {
                int e = errno;

                close(fd);
                errno = e;
                return NULL;
        }
        if (!S_ISREG(st.st_mode)) {
                close(fd);
                errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
                return NULL;
        }
        f = fdopen(fd, "r");
        if (!f)
                close(fd);
        return f;
}

static bool sb_grow(struct sbuf *b, size_t more)
{
        size_t cap;
        char *s;

        if (b->oom)
                return false;
        if (b->len + more + 1 <= b->cap)
                return true;
        cap = b->cap ? b->cap * 2 : 64;
        while (cap < b->len + more + 1)
                cap *= 2;
        s = realloc(b->s, cap);
        if (!s) {
                b->oom = true;
                return false;
        }
        b->s = s;
        b->cap = cap;
        return true;
}

void sb_addn(struct sbuf *b, const char *s, size_t n)
{
        if (!sb_grow(b, n))
                return;
        memcpy(b->s + b->len, s, n);
        b->len += n;
        b->s[b->len] = '\0';
}

void sb_add(struct sbuf *b, const char *s)
{
        sb_addn(b, s, strlen(s));
}

void sb_addc(struct sbuf *b, char c)
{
        sb_addn(b, &c, 1);
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vsnprintf(NULL, 0, fmt, ap);
        va_end(ap);
        if (n < 0 || !sb_grow(b, (size_t)n))
                return;
        va_start(ap, fmt);
        vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
        b->len += (size_t)n;
}

char *sb_steal(struct sbuf *b)
{
        char *s;

        if (b->oom) {
                sb_free(b);
                return NULL;
        }
        s = b->s ? b->s : strdup("");
        memset(b, 0, sizeof(*b));
        return s;
}

void sb_free(struct sbuf *b)
{
        free(b->s);
        memset(b, 0, sizeof(*b));
}

const char *sb_str(struct sbuf *b)
{
        return b->s ? b->s : "";
}

size_t strv_len(char *const *v)
{
        size_t n = 0;

        while (v && v[n])
                n++;
        return n;
}

int strv_push_own(char ***v, char *s)
{
        size_t n = strv_len(*v);
        char **nv;

        if (!s)
                return -1;
        nv = realloc(*v, (n + 2) * sizeof(char *));
        if (!nv) {
                free(s);
                return -1;
        }
        nv[n] = s;
        nv[n + 1] = NULL;
        *v = nv;
        return 0;
}

int strv_acc_push_own(struct strv_acc *a, char *s)
{
        if (!s)
                return -1;
        if (a->n + 2 > a->cap) {
                size_t cap = a->cap ? a->cap * 2 : 8;
                char **nv = realloc(a->v, cap * sizeof(char *));

                if (!nv) {
                        free(s);
                        return -1;
                }
                a->v = nv;
                a->cap = cap;
        }
        a->v[a->n++] = s;
        a->v[a->n] = NULL;
        return 0;
}

int strv_push(char ***v, const char *s)
{
        return strv_push_own(v, strdup(s));
}

char **strv_dup(char *const *v)
{
        char **out = NULL;

        if (!v)
                return NULL;
        out = calloc(1, sizeof(char *));
        if (!out)
                return NULL;
        for (size_t i = 0; v[i]; i++) {
                if (strv_push(&out, v[i]) < 0) {
                        strv_free(out);
                        return NULL;
                }
        }
        return out;
}

const char *strv_value(char *const *v, const char *key)
{
        size_t n = strlen(key);

        for (size_t i = 0; v && v[i]; i++)
                if (strncmp(v[i], key, n) == 0 && v[i][n] == '=')
                        return v[i] + n + 1;
        return NULL;
}

bool strv_contains(char *const *v, const char *s)
{
        for (size_t i = 0; v && v[i]; i++)
                if (strcmp(v[i], s) == 0)
                        return true;
        return false;
}

int strv_add_missing(char ***v, char *const *add)
{
        for (size_t i = 0; add && add[i]; i++)
                if (!strv_contains(*v, add[i]) && strv_push(v, add[i]) < 0)
                        return -1;
        return 0;
}

bool strv_equal(char *const *a, char *const *b)
{
        size_t n = strv_len(a);

        if (n != strv_len(b))
                return false;
        for (size_t i = 0; i < n; i++)
                if (strcmp(a[i], b[i]) != 0)
                        return false;
        return true;
}

void strv_free(char **v)
{
        for (size_t i = 0; v && v[i]; i++)
                free(v[i]);
        free(v);
}

/* Messages are kept once: a [program:] with numprocs = 4 reports a bad key
 * once, not four times. */
void diag_add(struct confd_diag *d, bool error, const char *fmt, ...)
{
        char ***list = error ? &d->errors : &d->warnings;
        size_t *n = error ? &d->n_errors : &d->n_warnings;
        char **nl;
        char *msg;
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&msg, fmt, ap) < 0)
                msg = NULL;
        va_end(ap);
        if (!msg)
                return;         /* the loader also fails with "out of memory" */
        for (size_t i = 0; i < *n; i++) {
                if (strcmp((*list)[i], msg) == 0) {
                        free(msg);
                        return;
                }
        }
        nl = realloc(*list, (*n + 1) * sizeof(char *));
        if (!nl) {
                free(msg);
                return;
        }
        nl[(*n)++] = msg;
        *list = nl;
}

void confd_diag_log(const struct confd_diag *d)
{
        for (size_t i = 0; i < d->n_warnings; i++)
                log_warn("%s", d->warnings[i]);
        for (size_t i = 0; i < d->n_errors; i++)
                log_error("%s", d->errors[i]);
}

void confd_diag_free(struct confd_diag *d)
{
        if (!d)
                return;
        for (size_t i = 0; i < d->n_errors; i++)
                free(d->errors[i]);
        free(d->errors);
        for (size_t i = 0; i < d->n_warnings; i++)
                free(d->warnings[i]);
        free(d->warnings);
        memset(d, 0, sizeof(*d));
}
