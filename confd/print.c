/* confd/print.c — the key table turned into text: `supd --check` output
 * (effective services, defaults filled in, supervisord keys translated)
 * and the reference tables of docs/config.md. */
#include <stdlib.h>
#include <string.h>

#include "confd/confd_int.h"

static void print_keys(FILE *out, const struct svc_spec *s, const struct sup_config *cfg,
                       unsigned sect)
{
        for (size_t i = 0; i < confd_nkeys; i++) {
                const struct confd_key *k = &confd_keys[i];
                struct sbuf v = { 0 };

                if (!(k->sections & sect) || !k->fmt)
                        continue;
                k->fmt(s, cfg, k, &v);
                if (v.len)
                        fprintf(out, "%s = %s\n", k->name, sb_str(&v));
                sb_free(&v);
        }
}

void confd_print(FILE *out, const struct sup_config *cfg)
{
        if (!cfg)
                return;
        fprintf(out, "; effective configuration%s%s: every default filled in, supervisord keys "
                "translated\n", cfg->path ? " of " : "", cfg->path ? cfg->path : "");
        fprintf(out, "[supd]\n");
        print_keys(out, NULL, cfg, SEC_SUPD);
        for (size_t i = 0; i < cfg->n_services; i++) {
                const struct svc_spec *s = cfg->services[i];

                fprintf(out, "\n[service:%s]\n", s->name);
                if (s->file && s->line)
                        fprintf(out, "; from %s:%d%s\n", s->file, s->line,
                                s->from_supervisord ? " (a supervisord [program:])" : "");
                else if (s->main)
                        fprintf(out, "; the main command (supd -- COMMAND)\n");
                print_keys(out, s, cfg, SEC_SERVICE);
        }
}

/* ---- docs/config.md ------------------------------------------------------------ */

/* A '|' in a cell's text would end the cell. */
static void cell_text(FILE *out, const char *s)
{
        for (; s && *s; s++) {
                if (*s == '|')
                        fputs("\\|", out);
                else
                        fputc(*s, out);
        }
}

static void cell(FILE *out, const char *s)
{
        fputs("| ", out);
        cell_text(out, s);
        fputc(' ', out);
}

static void code_cell(FILE *out, const char *s)
{
        if (!s || !*s) {
                cell(out, "");
                return;
        }
        fputs("| `", out);
        cell_text(out, s);
        fputs("` ", out);
}

static void table(FILE *out, const char *what)
{
        if (strcmp(what, "supd") == 0 || strcmp(what, "service") == 0) {
                unsigned sect = what[1] == 'u' ? SEC_SUPD : SEC_SERVICE;

                fprintf(out, "| key | value | default | %sdescription |\n", sect == SEC_SERVICE ?
                        "in [program:] | " : "");
                fprintf(out, "|---|---|---|%s---|\n", sect == SEC_SERVICE ? "---|" : "");
                for (size_t i = 0; i < confd_nkeys; i++) {
                        const struct confd_key *k = &confd_keys[i];

                        if (!(k->sections & sect))
                                continue;
                        code_cell(out, k->name);
                        cell(out, k->type);
                        code_cell(out, k->def);
                        if (sect == SEC_SERVICE) {
                                if (!(k->sections & SEC_PROGRAM))
                                        cell(out, "");
                                else if (k->def_prog)
                                        cell(out, "yes, default ");
                                else
                                        cell(out, "yes");
                                if (k->def_prog)
                                        fprintf(out, "`%s` ", k->def_prog);
                        }
                        cell(out, k->doc);
                        fputs("|\n", out);
                }
                return;
        }
        if (strcmp(what, "program") == 0 || strcmp(what, "supervisord") == 0) {
                unsigned sect = what[0] == 'p' ? SEC_PROGRAM : SEC_SUPERVISORD;

                fputs("| key | default | in sup |\n|---|---|---|\n", out);
                for (size_t i = 0; i < confd_nkeys; i++) {
                        const struct confd_key *k = &confd_keys[i];

                        if (!(k->sections & sect) ||
                            (sect == SEC_PROGRAM && (k->sections & SEC_SERVICE)))
                                continue;
                        code_cell(out, k->name);
                        code_cell(out, k->def);
                        cell(out, k->doc);
                        fputs("|\n", out);
                }
                return;
        }
        /* the small supervisord sections */
        {
                static const struct { unsigned sect; const char *name; } small[] = {
                        { SEC_UNIX_HTTP, "[unix_http_server]" },
                        { SEC_SUPERVISORCTL, "[supervisorctl]" },
                        { SEC_INCLUDE, "[include]" },
                        { SEC_GROUP, "[group:NAME]" },
                        { SEC_EVENTLISTENER, "[eventlistener:NAME]" },
                };

                fputs("| section | key | in sup |\n|---|---|---|\n", out);
                for (size_t j = 0; j < sizeof(small) / sizeof(small[0]); j++) {
                        for (size_t i = 0; i < confd_nkeys; i++) {
                                const struct confd_key *k = &confd_keys[i];

                                if (!(k->sections & small[j].sect))
                                        continue;
                                cell(out, small[j].name);
                                code_cell(out, k->name);
                                cell(out, k->doc);
                                fputs("|\n", out);
                        }
                }
        }
}

/* Copy the template, replacing each line "@@KEYS:what@@" by that table. */
static int doc_expand(FILE *out, const char *tmpl, void (*tab)(FILE *, const char *))
{
        const char *p = tmpl;

        while (*p) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t)(nl - p) : strlen(p);

                if (n > 10 && strncmp(p, "@@KEYS:", 7) == 0 && strncmp(p + n - 2, "@@", 2) == 0) {
                        char what[32];

                        snprintf(what, sizeof(what), "%.*s", (int)(n - 9), p + 7);
                        tab(out, what);
                } else {
                        fwrite(p, 1, n, out);
                        fputc('\n', out);
                }
                p += n + (nl ? 1 : 0);
        }
        return ferror(out) ? -1 : 0;
}

int confd_doc(FILE *out, const char *tmpl)
{
        fputs("<!-- generated by `make docs` from docs/config.md.in and confd/keys.c; "
              "edit those, not this file -->\n", out);
        return doc_expand(out, tmpl, table);
}

/* ---- docs/supd.ini.5 ----------------------------------------------------------- */

/* Text safe in a roff line: backslashes as \e, '-' as \-; a line that would
 * start with '.' or '\'' gets \& first. */
static void roff_text(FILE *out, const char *s)
{
        if (s && (*s == '.' || *s == '\''))
                fputs("\\&", out);
        for (; s && *s; s++) {
                if (*s == '\\')
                        fputs("\\e", out);
                else if (*s == '-')
                        fputs("\\-", out);
                else
                        fputc(*s, out);
        }
}

/* One .TP entry per key of the section kind: name, type and default, doc. */
static void man_keys(FILE *out, unsigned sect, bool program_map)
{
        for (size_t i = 0; i < confd_nkeys; i++) {
                const struct confd_key *k = &confd_keys[i];

                if (!(k->sections & sect) || (program_map && (k->sections & SEC_SERVICE)))
                        continue;
                fputs(".TP\n.B ", out);
                roff_text(out, k->name);
                fputc('\n', out);
                if (!program_map && k->type && *k->type) {
                        fputs(".I ", out);
                        roff_text(out, k->type);
                        fputc('\n', out);
                }
                if (k->def && *k->def) {
                        fputs("(default: ", out);
                        roff_text(out, k->def);
                        fputs(")\n", out);
                }
                if (k->doc && *k->doc) {
                        roff_text(out, k->doc);
                        fputc('\n', out);
                }
        }
}

static void man_table(FILE *out, const char *what)
{
        if (strcmp(what, "supd") == 0)
                man_keys(out, SEC_SUPD, false);
        else if (strcmp(what, "service") == 0)
                man_keys(out, SEC_SERVICE, false);
        else if (strcmp(what, "program") == 0)
                man_keys(out, SEC_PROGRAM, true);
        else if (strcmp(what, "supervisord") == 0)
                man_keys(out, SEC_SUPERVISORD, true);
}

int confd_doc_man(FILE *out, const char *tmpl)
{
        fputs(".\\\" generated by `make docs` from docs/supd.ini.5.in and confd/keys.c;\n"
              ".\\\" edit those, not this file\n", out);
        return doc_expand(out, tmpl, man_table);
}
