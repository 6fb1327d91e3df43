/* cmd/supctl_shell.c — supervisorctl's interactive shell.
 *
 * `supervisorctl` with no command (or -i after one) shows the status, then
 * reads commands a line at a time from stdin and runs each as if it were
 * given on the command line; `exit`, `quit` or end of input leave. Plain
 * line reading, no readline: no history or completion, but nothing to
 * link, and a script can pipe its commands in. The prompt `supervisor> `
 * is shown only when stdin is a terminal, so piped output is the commands'
 * output alone. Ctrl-C ends the command running (`tail -f`, `top`) and
 * goes back to the prompt; at the prompt it leaves, as supervisorctl does. */
#include "cmd/supctl_int.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SHELL_WORDS 64

volatile sig_atomic_t supctl_interrupted;

static void on_sigint(int sig)
{
        (void)sig;
        supctl_interrupted = 1;
}

/* No SA_RESTART: a read waiting on supd or on stdin returns EINTR. */
static void catch_sigint(void)
{
        struct sigaction sa = { .sa_handler = on_sigint };

        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, NULL);
}

/* A usage line "  reread, avail   what..." names the topic in its first
 * column: the commands before the description, separated by ", ". */
static bool names_topic(const char *line, size_t len, const char *topic)
{
        size_t tlen = strlen(topic);
        const char *p = line + 2, *end = line + len, *gap;

        if (len < 3 || strncmp(line, "  ", 2) != 0 || line[2] == ' ')
                return false;
        gap = memmem(p, (size_t)(end - p), "  ", 2);
        end = gap ? gap : end;
        for (; p < end; p++) {
                if (p != line + 2 && !(p - line >= 4 && p[-2] == ',' && p[-1] == ' '))
                        continue;
                if ((size_t)(end - p) >= tlen && strncmp(p, topic, tlen) == 0 &&
                    (p + tlen == end || p[tlen] == ' ' || p[tlen] == ','))
                        return true;
        }
        return false;
}

/* help: the command lines of supctl's usage; help TOPIC: the lines about
 * it (its line and the indented ones that go on from it). */
static void shell_help(const char *help_text, const char *topic)
{
        const char *line = strstr(help_text, "\n\n");
        bool on = false, any = false;

        if (!topic) {
                const char *end = line ? strstr(line + 2, "\n\n") : NULL;
                if (line && end)
                        printf("%.*s\n", (int)(end - (line + 2)), line + 2);
                puts("  help [COMMAND], exit, quit     this list; leave the shell (so does end of input)");
                return;
        }
        for (line = help_text; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "") {
                size_t len = strcspn(line, "\n");

                if (names_topic(line, len, topic))
                        on = any = true;
                else if (on && !(len > 4 && strspn(line, " ") > 4))
                        on = false;
                if (on)
                        printf("%.*s\n", (int)len, line);
        }
        if (!any)
                printf("*** No help on %s\n", topic);
}

static int split_words(char *line, char **words)
{
        int n = 0;

        for (char *w = strtok(line, " \t\r\n"); w && n < SHELL_WORDS; w = strtok(NULL, " \t\r\n"))
                words[n++] = w;
        return n;
}

int supctl_shell(const char *sock, supctl_run_fn run, const char *help_text)
{
        bool tty = isatty(STDIN_FILENO);
        char *line = NULL, *words[SHELL_WORDS + 1];
        size_t cap = 0;
        int n;

        catch_sigint();
        words[0] = "status";
        run(sock, 1, words);
        for (;;) {
                if (tty)
                        fputs("supervisor> ", stdout);
                fflush(stdout);
                supctl_interrupted = 0;
                if (getline(&line, &cap, stdin) < 0) {
                        if (tty)
                                putchar('\n');
                        break;          /* end of input, or Ctrl-C at the prompt */
                }
                n = split_words(line, words);
                if (n == 0)
                        continue;
                if (!strcmp(words[0], "exit") || !strcmp(words[0], "quit"))
                        break;
                if (!strcmp(words[0], "help")) {
                        shell_help(help_text, n > 1 ? words[1] : NULL);
                        continue;
                }
                words[n] = NULL;
                run(sock, n, words);
        }
        free(line);
        fflush(stdout);
        return 0;
}
