/* cmd/supctl.c — the operator's client for supd's control socket.
 *
 * Checks the command line, sends one "sup1" request (supervisor/ctlproto.h),
 * copies the reply's "out" lines to stdout and "err" lines to stderr, and
 * exits with the code of the final "done" line. All the knowledge of
 * services lives in supd; supctl stays a thin pipe so that its exit codes
 * mean the same thing whichever supd it talks to. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cmd/cmdline.h"
#include "cmd/supctl_int.h"
#include "common/io.h"
#include "common/log.h"
#include "common/suggest.h"
#include "confd/confd.h"
#include "supervisor/control.h"
#include "supervisor/ctlproto.h"

static const char usage_text[] =
        "usage: supctl [-s SOCKET] [-c FILE] [-i] COMMAND [ARGS...]\n"
        "       supervisorctl [-s unix://SOCKET] [-c FILE] [COMMAND [ARGS...]]\n"
        "\n"
        "  status [--json|--supervisorctl] [NAME...]\n"
        "                                  one row per service (exit 3 if any is not up);\n"
        "                                  supervisorctl's lines when called by that name\n"
        "  top [NAME...]                   the status table again every second, until ^C\n"
        "  start NAME...|all               start and wait until running\n"
        "  stop NAME...|all                stop and wait until stopped\n"
        "  restart NAME...|all             stop, start, wait until running\n"
        "  signal SIGNAL NAME...|all       send a signal (TERM, SIGHUP, 9...)\n"
        "  reload                          re-read the config, apply the difference\n"
        "  logs [-f] [-n N] [--stream stdout|stderr] NAME\n"
        "                                  last N lines (default 50) of a service's output\n"
        "  logs -f [-n N]                  last N lines of all services in order, then follow\n"
        "                                  them all, prefixed as on the console\n"
        "  shutdown                        stop every service and end supd\n"
        "  tail [-f] NAME [stdout|stderr]  supervisorctl's logs (both streams by default)\n"
        "  update                          reload, saying what it added, updated, removed\n"
        "  pid                             supd's pid\n"
        "  pid NAME...|all                 main pid of each service (0: not running)\n"
        "  reread, avail                   what reload would change; the file's services\n"
        "  clear NAME...|all               empty the kept lines and the log files\n"
        "\n"
        "  -s SOCKET   control socket (default: $SUP_SOCKET, [supd] socket of the\n"
        "              config, else the first of /run/supd.sock,\n"
        "              $XDG_RUNTIME_DIR/supd.sock, /tmp/supd-UID/supd.sock that exists)\n"
        "  -c FILE     config to read the socket from (default: $SUP_CONFIG,\n"
        "              /etc/sup/sup.ini)\n"
        "  -i          then read more commands, one a line, from stdin (the shell\n"
        "              supervisorctl enters when given no command)\n"
        "  --version   print supctl's version\n"
        "\n"
        "exit: 0 ok / all listed services up, 1 action failed, 2 usage,\n"
        "      3 some service not up, 4 unknown service or no supd\n";

static int usage(void)
{
        fputs(usage_text, stdout);
        return CTL_EXIT_OK;
}

static const char *const verbs[] = { "status", "start", "stop", "restart", "signal",
                                     "reload", "logs", "shutdown", "top", "pid", "avail",
                                     "reread", "clear", "update" };

/* ---- errors: "supctl: WHY" lines, or with `status --json` one JSON
 * object a line ({"error": "WHY", "socket": "PATH"}), so a script that
 * reads JSON never meets text; the exit codes are the same ---- */

static bool json_errors;

/* {"error": WHY[, "KEY": VAL]} on stderr, escaped as status --json is. */
static void json_error(const char *why, size_t len, const char *key, const char *val)
{
        struct ctl_buf b;

        ctl_buf_init(&b, 3 * len + 3 * (val ? strlen(val) : 0) + 4 * CTL_BUF_RESERVE);
        if (ctl_buf_add(&b, "{\"error\": ", 10) < 0 || ctl_json_string(&b, why, len) < 0 ||
            (key && (ctl_buf_printf(&b, ", \"%s\": ", key) < 0 ||
                     ctl_json_string(&b, val, strlen(val)) < 0)) ||
            ctl_buf_add(&b, "}\n", 2) < 0)
                fputs("{\"error\": \"out of memory\"}\n", stderr);
        else
                fwrite(b.data, 1, b.len, stderr);
        ctl_buf_free(&b);
}

/* A client-side error; sock: the socket it concerns, or NULL. */
static void __attribute__((format(printf, 2, 3))) say_error(const char *sock, const char *fmt, ...)
{
        char why[1024];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(why, sizeof(why), fmt, ap);
        va_end(ap);
        if (json_errors)
                json_error(why, strlen(why), sock ? "socket" : NULL, sock);
        else
                fprintf(stderr, "supctl: %s\n", why);
}

/* A usage error: cmdline's one line, or its JSON form. Returns 2. */
static int __attribute__((format(printf, 1, 2))) usage_fail(const char *fmt, ...)
{
        char why[512];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(why, sizeof(why), fmt, ap);
        va_end(ap);
        if (!json_errors)
                return cmdline_usage_error("supctl", "%s", why);
        json_error(why, strlen(why), "help", "supctl --help");
        return CTL_EXIT_USAGE;
}

/* An "err" line of supd's reply under --json: its JSON stays as it is,
 * a text line ("supd: usage: ...") becomes {"error": ...}. */
static void relay_json_error(const char *text, size_t len)
{
        if (len > 0 && text[0] == '{') {
                fwrite(text, 1, len, stderr);
                fputc('\n', stderr);
                return;
        }
        if (len >= 6 && memcmp(text, "supd: ", 6) == 0) {
                text += 6;
                len -= 6;
        }
        json_error(text, len, NULL, NULL);
}

/* ---- command line checks (supd checks again; this gives one line naming
 * the mistake, with the closest word when there is one) ---- */

static int bad_word(const char *what, const char *word, const char *const *known, size_t n)
{
        struct suggest sg;

        suggest_init(&sg, word);
        for (size_t i = 0; i < n; i++)
                suggest_offer(&sg, known[i]);
        if (suggest_best(&sg))
                return usage_fail("%s \"%s\" (did you mean %s?)", what, word,
                                           suggest_best(&sg));
        return usage_fail("%s \"%s\"", what, word);
}

static bool is_number(const char *s)
{
        if (!*s)
                return false;
        for (; *s; s++)
                if (*s < '0' || *s > '9')
                        return false;
        return true;
}

/* -f and no name follows every service; otherwise one name. */
static int check_logs(int argc, char **argv)
{
        static const char *const opts[] = { "-f", "--follow", "-n", "--stream" };
        int names = 0;
        bool follow = false;

        for (int i = 0; i < argc; i++) {
                if (strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--follow") == 0) {
                        follow = true;
                        continue;
                }
                if (strcmp(argv[i], "-n") == 0) {
                        if (i + 1 >= argc || !is_number(argv[i + 1]))
                                return usage_fail("logs: -n needs a number of lines");
                        i++;
                        continue;
                }
                if (strcmp(argv[i], "--stream") == 0) {
                        if (i + 1 >= argc || (strcmp(argv[i + 1], "stdout") != 0 &&
                                              strcmp(argv[i + 1], "stderr") != 0))
                                return usage_fail("logs: --stream needs stdout or stderr");
                        i++;
                        continue;
                }
                if (argv[i][0] == '-' && argv[i][1])
                        return bad_word("logs: unknown option", argv[i], opts, 4);
                names++;
        }
        if (names > 1 || (names == 0 && !follow))
                return usage_fail("logs: give one service name (or -f alone "
                                           "to follow them all)");
        return 0;
}

static int check_command(const char *verb, int argc, char **argv)
{
        static const char *const status_opts[] = { "--json", "--supervisorctl" };

        if (strcmp(verb, "top") == 0) {
                for (int i = 0; i < argc; i++)
                        if (argv[i][0] == '-')
                                return usage_fail("top: unknown option %s", argv[i]);
                return 0;
        }
        if (strcmp(verb, "status") == 0) {
                for (int i = 0; i < argc; i++)
                        if (argv[i][0] == '-' && strcmp(argv[i], "--json") != 0 &&
                            strcmp(argv[i], "--supervisorctl") != 0)
                                return bad_word("status: unknown option", argv[i], status_opts, 2);
                return 0;
        }
        if (!strcmp(verb, "start") || !strcmp(verb, "stop") || !strcmp(verb, "restart"))
                return argc >= 1 ? 0 : usage_fail("%s: give service names, or all", verb);
        if (strcmp(verb, "signal") == 0)
                return argc >= 2 ? 0 : usage_fail("signal: give a signal and "
                                                           "service names, or all");
        if (strcmp(verb, "pid") == 0)
                return 0;       /* alone: supd's pid; with names: theirs */
        if (strcmp(verb, "update") == 0)
                return argc == 0 || (argc == 1 && !strcmp(argv[0], "all")) ? 0 :
                       usage_fail("update applies the whole file: give no names (or all)");
        if (strcmp(verb, "clear") == 0)
                return argc >= 1 ? 0 : usage_fail("clear: give service names, or all");
        if (!strcmp(verb, "reload") || !strcmp(verb, "shutdown") || !strcmp(verb, "avail") ||
            !strcmp(verb, "reread"))
                return argc == 0 ? 0 : usage_fail("%s takes no arguments", verb);
        if (strcmp(verb, "logs") == 0)
                return check_logs(argc, argv);
        return bad_word("unknown command", verb, verbs, sizeof(verbs) / sizeof(verbs[0]));
}

/* ---- socket path: -s, $SUP_SOCKET, [supd] socket, default ---- */

static char *socket_from_config(const char *cfg_path, bool explicit_cfg, int *rc)
{
        struct confd_diag diag = { 0 };
        struct sup_config *cfg;
        char *sock = NULL;

        if (!explicit_cfg && access(cfg_path, F_OK) < 0)
                return NULL;
        cfg = confd_load_file(cfg_path, &diag);
        if (!cfg) {
                say_error(NULL, "%s%s: %s", explicit_cfg ? "" : "warning: ",
                          cfg_path, diag.n_errors ? diag.errors[0] : "cannot load");
                if (explicit_cfg)
                        *rc = CTL_EXIT_USAGE;
        } else if (cfg->socket) {
                sock = strdup(cfg->socket);
        }
        confd_free(cfg);
        confd_diag_free(&diag);
        return sock;
}

/* No -s, $SUP_SOCKET or [supd] socket: the first of supd's default places
 * (supervisor/control_path.c) that holds a socket. NULL, after saying
 * where we looked and how to point us, when none does. */
static const char *socket_found(struct control_paths *p)
{
        struct stat st;
        char looked[CONTROL_PATHS_MAX * 112] = "";

        control_default_paths(p);
        for (int i = 0; i < p->n; i++) {
                if (stat(p->path[i], &st) == 0 && S_ISSOCK(st.st_mode))
                        return p->path[i];
                snprintf(looked + strlen(looked), sizeof(looked) - strlen(looked), "%s%s",
                         i ? ", " : "", p->path[i]);
        }
        say_error(NULL, "no supd socket found (looked in %s); is supd running? "
                  "Point supctl at its socket with -s PATH or SUP_SOCKET=PATH", looked);
        return NULL;
}

/* ---- talking ---- */

static int connect_to(const char *path)
{
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int fd;

        if (strlen(path) >= sizeof(sa.sun_path)) {
                say_error(path, "socket path too long: %s", path);
                return -1;
        }
        strcpy(sa.sun_path, path);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
                say_error(path, "socket: %s", strerror(errno));
                return -1;
        }
        while (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
                int e = errno;

                if (e == EINTR)
                        continue;
                if (e == ENOENT || e == ECONNREFUSED || e == ENOTSOCK)
                        say_error(path, "cannot connect to %s: no supd running (%s)", path, strerror(e));
                else if (e == EACCES || e == EPERM)
                        say_error(path, "cannot connect to %s: permission denied (%s); "
                                  "only root, supd's user and its socket_group may", path, strerror(e));
                else
                        say_error(path, "cannot connect to %s: %s", path, strerror(e));
                close(fd);
                return -1;
        }
        return fd;
}

/* Copy the reply through; return the "done" code. */
/* relay_reply's pid_ns: supd's pid, to renumber the pids of `pid NAME`
 * for our PID namespace; 0 for every other verb. */
static int relay_reply(int fd, bool follow, pid_t pid_ns)
{
        FILE *in = fdopen(fd, "r");
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        int code = -1;

        if (!in) {
                say_error(NULL, "%s", strerror(errno));
                close(fd);
                return CTL_EXIT_FAILED;
        }
        while (code < 0 && (n = getline(&line, &cap, in)) >= 0) {
                enum ctl_stream st;
                const char *text;
                size_t tlen;

                if (n > 0 && line[n - 1] == '\n')
                        n--;
                if (ctl_parse_reply(line, (size_t)n, &st, &text, &tlen, &code) < 0) {
                        say_error(NULL, "unexpected reply from supd: %.*s", (int)(n > 80 ? 80 : n), line);
                        code = CTL_EXIT_FAILED;
                        break;
                }
                if (st == CTL_DONE)
                        break;
                FILE *to = st == CTL_OUT ? stdout : stderr;
                if (to == stderr && json_errors) {
                        relay_json_error(text, tlen);
                        continue;
                }
                /* Say who speaks: supd's "supd: why" (its word on the wire,
                 * docs/protocol.md) is printed by us. */
                if (to == stderr) {
                        fputs("supctl: ", stderr);
                        if (tlen >= 6 && memcmp(text, "supd: ", 6) == 0) {
                                text += 6;
                                tlen -= 6;
                        }
                }
                if (pid_ns && to == stdout)
                        printf("%ld\n", supctl_pid_in_our_ns(pid_ns, strtol(text, NULL, 10)));
                else if (fwrite(text, 1, tlen, to) == tlen)
                        fputc('\n', to);
                if (follow && to == stdout)
                        fflush(stdout);
        }
        if (code < 0 && supctl_interrupted) {
                code = CTL_EXIT_OK;     /* Ctrl-C in the shell: back to the prompt */
        } else if (code < 0) {
                if (ferror(in))
                        say_error(NULL, "reading from supd: %s", strerror(errno));
                else
                        say_error(NULL, "supd closed the connection before answering");
                code = CTL_EXIT_UNKNOWN;
        }
        free(line);
        fclose(in);
        return code;
}

static bool wants_follow(const char *verb, int argc, char **argv)
{
        if (strcmp(verb, "logs") != 0)
                return false;
        for (int i = 0; i < argc; i++)
                if (!strcmp(argv[i], "-f") || !strcmp(argv[i], "--follow"))
                        return true;
        return false;
}

static bool wants_json(const char *verb, int argc, char **argv)
{
        if (strcmp(verb, "status") != 0)
                return false;
        for (int i = 0; i < argc; i++)
                if (!strcmp(argv[i], "--json"))
                        return true;
        return false;
}

/* `top`: `status` once a second, on a cleared screen when it is a
 * terminal, until interrupted or supd goes away. */
static int run_top(const char *sock, int argc, char **argv)
{
        bool tty = isatty(STDOUT_FILENO);
        struct sup_err err = { 0 };
        char req[CTL_REQ_MAX + 1];
        ssize_t len = ctl_format_request(req, sizeof(req), "status", argc, argv, &err);
        int rc, fd;

        if (len < 0) {
                say_error(NULL, "%s", err.msg);
                return CTL_EXIT_USAGE;
        }
        for (;;) {
                fd = connect_to(sock);
                if (fd < 0)
                        return CTL_EXIT_UNKNOWN;
                if (tty)
                        fputs("\033[H\033[2J", stdout);
                (void)io_send_all(fd, req, (size_t)len);
                rc = relay_reply(fd, false, 0);
                if (rc == CTL_EXIT_UNKNOWN || rc == CTL_EXIT_USAGE)
                        return rc;
                if (!tty)
                        putchar('\n');         /* one table after the other */
                if (fflush(stdout) != 0)
                        return CTL_EXIT_FAILED;
                sleep(1);
                if (supctl_interrupted)
                        return CTL_EXIT_OK;     /* Ctrl-C in the shell */
        }
}

/* One command's words: supervisorctl's translated, then checked. rc != 0:
 * the command ends there with that code (the reason is printed). */
static bool as_supervisorctl;   /* called by that name: its status lines */

static int prepare_command(const char **verb, int *argc, char ***argv)
{
        int rc;

        *verb = supctl_compat_verb(*verb, argc, argv, as_supervisorctl, &rc);
        if (rc)
                return rc;
        json_errors = wants_json(*verb, *argc, *argv);
        return check_command(*verb, *argc, *argv);
}

/* -s, $SUP_SOCKET, the config's [supd] socket, the default places. NULL:
 * *rc says why (already printed). *owned: what the caller frees. */
static const char *resolve_socket(const char *sock_opt, const char *cfg_opt, char **owned,
                                  struct control_paths *paths, int *rc)
{
        const char *cfg;

        *owned = NULL;
        *rc = 0;
        if (!sock_opt)
                sock_opt = getenv("SUP_SOCKET");
        if (sock_opt && *sock_opt)
                return sock_opt;
        cfg = cfg_opt ? cfg_opt : getenv("SUP_CONFIG");
        *owned = socket_from_config(cfg && *cfg ? cfg : "/etc/sup/sup.ini", cfg_opt != NULL, rc);
        if (*rc)
                return NULL;
        if (*owned)
                return *owned;
        sock_opt = socket_found(paths);
        if (!sock_opt)
                *rc = CTL_EXIT_UNKNOWN;
        return sock_opt;
}

/* Send one prepared command and relay its reply; its exit code. */
static int send_command(const char *sock, const char *verb, int argc, char **argv)
{
        char req[CTL_REQ_MAX + 1];
        struct sup_err err = { 0 };
        ssize_t len;
        int rc, fd;

        /* A refused request may be closed on us while we write: the reply
         * that says why is still there to read. */
        signal(SIGPIPE, SIG_IGN);
        if (strcmp(verb, "top") == 0)
                return run_top(sock, argc, argv);
        len = ctl_format_request(req, sizeof(req), verb, argc, argv, &err);
        if (len < 0) {
                say_error(NULL, "%s", err.msg);
                return CTL_EXIT_USAGE;
        }
        fd = connect_to(sock);
        if (fd < 0)
                return CTL_EXIT_UNKNOWN;
        if (strcmp(verb, "pid") == 0 && argc == 0) {
                rc = supctl_peer_pid(fd) < 0 ? CTL_EXIT_FAILED : CTL_EXIT_OK;
                close(fd);
                return rc;
        }
        /* No shutdown(SHUT_WR): our EOF tells supd we are gone (Ctrl-C on
         * `logs -f`), so it never holds a follower for nobody. */
        (void)io_send_all(fd, req, (size_t)len);
        rc = relay_reply(fd, wants_follow(verb, argc, argv),
                         strcmp(verb, "pid") == 0 ? supctl_peer(fd) : 0);
        if (fflush(stdout) != 0 && rc == 0)
                rc = CTL_EXIT_FAILED;
        return rc;
}

/* A line of the interactive shell: argv[0] is the verb. */
static int shell_command(const char *sock, int argc, char **argv)
{
        const char *verb = argv[0];
        int rc;

        argc--;
        argv++;
        rc = prepare_command(&verb, &argc, &argv);
        return rc ? rc : send_command(sock, verb, argc, argv);
}

static bool called_supervisorctl(const char *argv0)
{
        const char *base = strrchr(argv0, '/');

        return strcmp(base ? base + 1 : argv0, "supervisorctl") == 0;
}

int main(int argc, char **argv)
{
        static const struct option longopts[] = {
                { "socket", required_argument, NULL, 's' },
                { "config", required_argument, NULL, 'c' },
                { "interactive", no_argument, NULL, 'i' },
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, 'V' },
                { 0 }
        };
        const char *sock_opt = NULL, *cfg_opt = NULL, *verb = NULL, *sock;
        char *sock_cfg = NULL;
        struct control_paths paths;
        bool shell = called_supervisorctl(argv[0]), interactive = false;
        int opt, rc = 0;

        as_supervisorctl = shell;
        log_set_prog("supctl");
        /* "+": stop at the command, so "logs -f" keeps its own options. */
        opterr = 0;     /* our one line, not getopt's */
        while ((opt = getopt_long(argc, argv, "+:s:c:u:p:ih", longopts, NULL)) != -1) {
                switch (opt) {
                case 's':
                        if (!(sock_opt = supctl_server_path(optarg)))
                                return CTL_EXIT_USAGE;
                        break;
                case 'u':       /* supervisorctl's user and password: access is by peer uid */
                case 'p':
                        break;
                case 'i': interactive = true; break;
                case 'c': cfg_opt = optarg; break;
                case 'h': return usage();
                case 'V': return cmdline_version("supctl");
                default: return cmdline_bad_option("supctl", opt, argv, longopts);
                }
        }
        if (optind >= argc && !shell && !interactive)
                return cmdline_usage_error("supctl", "no command given (status, start, stop, ...)");
        if (optind < argc) {
                verb = argv[optind];
                argc -= optind + 1;
                argv += optind + 1;
                rc = prepare_command(&verb, &argc, &argv);
                if (rc)
                        return rc;
        }
        sock = resolve_socket(sock_opt, cfg_opt, &sock_cfg, &paths, &rc);
        if (!sock)
                return rc;
        if (verb)
                rc = send_command(sock, verb, argc, argv);
        if (!verb || interactive)
                rc = supctl_shell(sock, shell_command, usage_text);
        free(sock_cfg);
        return rc;
}
