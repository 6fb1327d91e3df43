/* confd/expand.c — supervisord's %(name)s expansion of a value: [include]
 * files (parse.c) and [program:] keys (build.c) both expand. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "confd/confd_int.h"

/* Python's %-format lets a width ask for any amount of padding; a config
 * has no use for more than this. */
#define FIELD_MAX 256

/* Skip the digits of a width or precision at *p; their value (capped). */
static long skip_width(const char **p)
{
        long v = 0;

        for (; isdigit((unsigned char)**p); (*p)++)
                v = v > FIELD_MAX ? v : v * 10 + (**p - '0');
        return v;
}

/* Python's "%(name)[flags][width][.prec]conv" with conv in s d i r. */
int expand(const char *in, const struct expand_vars *v, char **out, char *why)
{
        struct sbuf b = { 0 };

        while (*in) {
                const char *close, *p, *str = NULL;
                char name[128], spec[32], fmt[40];
                long num = 0;
                bool is_num = false;

                if (*in != '%') {
                        sb_addc(&b, *in++);
                        continue;
                }
                if (in[1] == '%') {
                        sb_addc(&b, '%');
                        in += 2;
                        continue;
                }
                close = in[1] == '(' ? strchr(in + 2, ')') : NULL;
                if (!close || (size_t)(close - in - 2) >= sizeof(name)) {
                        snprintf(why, WHY, "a %% must be written %%%% or start %%(name)s");
                        goto fail;
                }
                memcpy(name, in + 2, (size_t)(close - in - 2));
                name[close - in - 2] = '\0';
                p = close + 1;
                while (*p && strchr("-#0 +", *p))
                        p++;
                if (skip_width(&p) > FIELD_MAX || (*p == '.' && (p++, skip_width(&p) > FIELD_MAX))) {
                        snprintf(why, WHY, "%%(%s): a field width or precision above %d", name,
                                 FIELD_MAX);
                        goto fail;
                }
                if (!*p || !strchr("sdir", *p) || (size_t)(p - close) >= sizeof(spec)) {
                        snprintf(why, WHY, "%%(%s) must be followed by a conversion like s or d",
                                 name);
                        goto fail;
                }
                memcpy(spec, close + 1, (size_t)(p - close - 1));
                spec[p - close - 1] = '\0';

                if (strncmp(name, "ENV_", 4) == 0) {
                        str = v->env1 ? strv_value(*v->env1, name + 4) : NULL;
                        if (!str)
                                str = v->env2 ? strv_value(*v->env2, name + 4) : NULL;
                        if (!str)
                                str = getenv(name + 4);
                        if (!str) {
                                snprintf(why, WHY, "%%(%s)s: no environment variable %s", name,
                                         name + 4);
                                goto fail;
                        }
                } else if (strcmp(name, "here") == 0) {
                        str = v->here;
                } else if (strcmp(name, "program_name") == 0) {
                        str = v->program_name;
                } else if (strcmp(name, "group_name") == 0) {
                        str = v->group_name;
                } else if (strcmp(name, "host_node_name") == 0) {
                        str = v->host_node_name;
                } else if (strcmp(name, "process_num") == 0 && v->has_num) {
                        num = v->process_num;
                        is_num = true;
                } else if (strcmp(name, "numprocs") == 0 && v->has_num) {
                        num = v->numprocs;
                        is_num = true;
                }
                if (!str && !is_num) {
                        snprintf(why, WHY, "%%(%s)%c cannot be expanded here (known: ENV_X, here, "
                                 "program_name, group_name, host_node_name, process_num, numprocs)",
                                 name, *p);
                        goto fail;
                }
                if (is_num) {
                        snprintf(fmt, sizeof(fmt), "%%%s%s", spec, *p == 's' || *p == 'r' ? "ld" : "ld");
                        sb_printf(&b, fmt, num);
                } else if (*p == 's' || *p == 'r') {
                        snprintf(fmt, sizeof(fmt), "%%%ss", spec);
                        sb_printf(&b, fmt, str);
                } else {
                        snprintf(why, WHY, "%%(%s)%c: %s is not a number", name, *p, name);
                        goto fail;
                }
                in = p + 1;
        }
        *out = sb_steal(&b);
        return *out ? 0 : -1;
fail:
        sb_free(&b);
        return -1;
}

