/* cmd/suprun.c — run one command in the sandbox a service would get.
 *
 *   suprun [sandbox options...] -- COMMAND [ARG...]
 *   suprun -c FILE -s SERVICE [-- COMMAND...]
 *
 * Options are the config's keys ('_' written '-'); confd builds the one
 * service from them with the very setters and checks a config file goes
 * through, so suprun and supd can never disagree on what a key means; the
 * command is kept word for word, never parsed. suprun then spawns the
 * command with the runtime, stays in the foreground, forwards signals,
 * reaps, and exits with the command's code. */
#include "cmd/cmdline.h"
#include "common/err.h"
#include "common/log.h"
#include "common/sigconf.h"
#include "confd/confd.h"
#include "pid1/pid1.h"
#include "runtime/runtime.h"

#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXIT_USAGE 2

/* Long options that map 1:1 to a config key (value or yes/no flag). */
struct key_opt {
        const char *opt;        /* --opt */
        const char *key;        /* config key */
        bool flag;              /* a switch: --opt is key = yes, --opt=no key = no */
        bool repeat;            /* may be given more than once: values joined */
};

static const struct key_opt key_opts[] = {
        { "namespaces", "namespaces", false, true },
        { "hostname", "hostname", false, false },
        { "user-map", "user_map", false, false },
        { "gid-map", "gid_map", false, false },
        { "root", "root", false, false },
        { "read-only", "read_only", true, false },
        { "bind", "bind", false, true },
        { "private-tmp", "private_tmp", true, false },
        { "private-dev", "private_dev", true, false },
        { "read-only-paths", "read_only_paths", false, true },
        { "masked-paths", "masked_paths", false, true },
        { "memory-max", "memory_max", false, false },
        { "cpu-max", "cpu_max", false, false },
        { "pids-max", "pids_max", false, false },
        { "io-weight", "io_weight", false, false },
        { "capabilities", "capabilities", false, true },
        { "no-new-privileges", "no_new_privileges", true, false },
        { "seccomp", "seccomp", false, false },
        { "seccomp-allow", "seccomp_allow", false, true },
        { "seccomp-deny", "seccomp_deny", false, true },
        { "apparmor", "apparmor", false, false },
        { "user", "user", false, false },
        { "group", "group", false, false },
        { "directory", "directory", false, false },
        { "env", "environment", false, true },
        { "environment", "environment", false, true },
        { "umask", "umask", false, false },
        { "limit-as", "limit_as", false, false },
        { "limit-core", "limit_core", false, false },
        { "limit-cpu", "limit_cpu", false, false },
        { "limit-data", "limit_data", false, false },
        { "limit-fsize", "limit_fsize", false, false },
        { "limit-locks", "limit_locks", false, false },
        { "limit-memlock", "limit_memlock", false, false },
        { "limit-msgqueue", "limit_msgqueue", false, false },
        { "limit-nice", "limit_nice", false, false },
        { "limit-nofile", "limit_nofile", false, false },
        { "limit-nproc", "limit_nproc", false, false },
        { "limit-rss", "limit_rss", false, false },
        { "limit-rtprio", "limit_rtprio", false, false },
        { "limit-rttime", "limit_rttime", false, false },
        { "limit-sigpending", "limit_sigpending", false, false },
        { "limit-stack", "limit_stack", false, false },
};
#define N_KEYS (sizeof(key_opts) / sizeof(key_opts[0]))

struct opts {
        const char *values[N_KEYS];     /* joined repeatable values */
        char *owned[N_KEYS];
        const char *names[N_KEYS];      /* the option as given, for messages */
        char **env;                     /* each --env/--environment verbatim */
        size_t n_env;
        const char *config, *service;
        char **argv;                    /* after -- */
        int verbose;
};

static void usage(FILE *out)
{
        fprintf(out,
"usage: suprun [sandbox options...] -- COMMAND [ARG...]\n"
"       suprun -c FILE -s SERVICE [-- COMMAND [ARG...]]\n"
"\n"
"Runs COMMAND in the sandbox a supd service would get, in the foreground,\n"
"and exits with its code. Every sandbox key of the config is an option,\n"
"'_' written '-':\n"
"  --namespaces pid,mount,uts,ipc,net,user,cgroup   --hostname NAME\n"
"  --user-map 'IN OUT N'  --gid-map 'IN OUT N'      --root DIR  --read-only\n"
"  --bind SRC:DST[:ro] (repeatable)  --private-tmp  --private-dev[=no]\n"
"  --read-only-paths P...\n"
"  --masked-paths P...   --memory-max 256M  --cpu-max 0.5  --pids-max N\n"
"  --io-weight N  --capabilities CAP_X,...|all|none  --no-new-privileges[=no]\n"
"  --seccomp default|none|PROFILE  --seccomp-allow S...  --seccomp-deny S...\n"
"  --apparmor PROFILE  --limit-nofile N (any limit_*)\n"
"  --user U  --group G  --directory DIR  --env K=V (repeatable)  --umask 022\n"
"  a switch takes =no: --no-new-privileges=no; lists take none: --masked-paths none\n"
"Sandboxed by default (as a service with namespaces): Docker's capabilities,\n"
"no_new_privileges, and with a mount namespace runc's masked and read-only paths\n"
"and a private /dev.\n"
"  -c FILE -s SERVICE  use a service's settings from a config file\n"
"  -v  more messages     -h  this help     --version\n");
}

static int add_env(struct opts *o, const char *v)
{
        char **env = realloc(o->env, (o->n_env + 1) * sizeof(*env));

        if (!env)
                return -1;
        o->env = env;
        o->env[o->n_env++] = (char *)v;
        return 0;
}

static int add_value(struct opts *o, size_t i, const char *v)
{
        char *joined;

        o->names[i] = key_opts[i].opt;
        if (strcmp(key_opts[i].key, "environment") == 0)
                return add_env(o, v);
        if (!o->values[i] || !key_opts[i].repeat) {
                o->values[i] = v;
                return 0;
        }
        if (asprintf(&joined, "%s %s", o->values[i], v) < 0)
                return -1;
        free(o->owned[i]);
        o->owned[i] = joined;
        o->values[i] = joined;
        return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
        struct option lopts[N_KEYS + 3];
        int c, idx;

        for (size_t i = 0; i < N_KEYS; i++) {
                lopts[i].name = key_opts[i].opt;
                lopts[i].has_arg = key_opts[i].flag ? optional_argument : required_argument;
                lopts[i].flag = NULL;
                lopts[i].val = 0x100 + (int)i;
        }
        lopts[N_KEYS] = (struct option){ "help", no_argument, NULL, 'h' };
        lopts[N_KEYS + 1] = (struct option){ "version", no_argument, NULL, 'V' };
        lopts[N_KEYS + 2] = (struct option){ NULL, 0, NULL, 0 };
        opterr = 0;     /* our one line, not getopt's */
        while ((c = getopt_long(argc, argv, "+:c:s:vh", lopts, &idx)) != -1) {
                switch (c) {
                case 'c': o->config = optarg; break;
                case 's': o->service = optarg; break;
                case 'v': o->verbose++; break;
                case 'h': usage(stdout); exit(0);
                case 'V': exit(cmdline_version("suprun"));
                default:
                        if (c < 0x100) {
                                cmdline_bad_option("suprun", c, argv, lopts);
                                return -1;
                        }
                        if (add_value(o, (size_t)(c - 0x100),
                                      optarg ? optarg : "yes") < 0)
                                return -1;
                }
        }
        o->argv = argv + optind;
        if (!o->config && !*o->argv) {
                fprintf(stderr, "suprun: no command (suprun [options] -- COMMAND [ARG...])\n");
                return -1;
        }
        if (!o->config != !o->service) {
                fprintf(stderr, "suprun: -c FILE and -s SERVICE go together\n");
                return -1;
        }
        return 0;
}

/* The options as a one-service config: each one a key, the command as
 * given, word for word. */
static struct sup_config *options_config(const struct opts *o, struct confd_diag *diag)
{
        struct confd_option *co = calloc(N_KEYS + o->n_env + 1, sizeof(*co));
        char names[N_KEYS][32];
        struct sup_config *cfg;
        size_t n = 0;

        if (!co) {
                fprintf(stderr, "suprun: out of memory\n");
                return NULL;
        }
        for (size_t i = 0; i < N_KEYS; i++) {
                if (!o->values[i])
                        continue;
                snprintf(names[i], sizeof(names[i]), "--%s", o->names[i]);
                co[n++] = (struct confd_option){ names[i], key_opts[i].key, o->values[i] };
        }
        for (size_t i = 0; i < o->n_env; i++)
                co[n++] = (struct confd_option){ "--env", "environment", o->env[i] };
        cfg = confd_load_options("run", co, n, o->argv, diag);
        free(co);
        return cfg;
}

static struct svc_spec *find_service(struct sup_config *cfg, const char *name)
{
        for (size_t i = 0; i < cfg->n_services; i++)
                if (strcmp(cfg->services[i]->name, name) == 0)
                        return cfg->services[i];
        return NULL;
}

/* -c FILE -s SERVICE [-- CMD]: the service's settings, maybe another command. */
static struct sup_config *load_config(const struct opts *o, struct svc_spec **svc)
{
        struct confd_diag diag = { 0 };
        struct sup_config *cfg;

        cfg = o->config ? confd_load_file(o->config, &diag) : options_config(o, &diag);
        confd_diag_log(&diag);
        confd_diag_free(&diag);
        if (!cfg)
                return NULL;
        *svc = find_service(cfg, o->config ? o->service : "run");
        if (!*svc) {
                fprintf(stderr, "suprun: %s: no service \"%s\"\n", o->config, o->service);
                confd_free(cfg);
                return NULL;
        }
        /* Every run from options is sandboxed, namespaces or not; -c FILE -s
         * SERVICE runs exactly what supd would. */
        if (!o->config)
                confd_sandbox_defaults(*svc, true);
        return cfg;
}

/* ------------------------------------------------------------------ */
/* foreground: pid1_run_child forwards signals, reaps, sweeps stragglers */

static int run(struct svc_spec *svc)
{
        struct rt_stdio io = { .in = -1, .out = -1, .err = -1, .ready_fd = -1,
                               .sigconf = &sigconf_inherited };
        struct sup_err err = { 0, "" };
        struct pid1_opts opts = { .grace_ms = PID1_GRACE_MS_DEFAULT };
        struct rt_proc proc;
        int code, st, filter;
        bool exec_failed = false;

        if (rt_init(&err) < 0 || rt_prepare_but_filter(svc, &err) < 0) {
                fprintf(stderr, "suprun: %s\n", err.msg);
                return EXIT_USAGE;
        }
        /* Signals wait for the loop; the child gets the originals back. */
        pid1_block_signals();
        if (pid1_become_reaper(&err) < 0)
                fprintf(stderr, "suprun: %s\n", err.msg);
        io.foreground_tty = isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp();
        if (rt_spawn_early(svc, &io, &proc, &err) < 0) {
                fprintf(stderr, "suprun: %s\n", err.msg);
                return 1;
        }
        /* A filter that does not compile is a usage error, as in rt_prepare;
         * the child then fails at its seccomp step and is reaped below. */
        filter = rt_send_filter(svc, &proc, &err);
        if (filter < 0)
                fprintf(stderr, "suprun: %s\n", err.msg);
        st = rt_read_status(&proc, &exec_failed, &err);      /* blocks until execve or failure */
        close(proc.status_fd);
        if (st < 0 && filter == 0)
                fprintf(stderr, "suprun: %s\n", err.msg);
        opts.tty = io.foreground_tty;
        /* A reaper that outlives the command is stopped or traced: killed. */
        opts.watch_pidfd = proc.service_pidfd;
        opts.watch_deadline_ms = RT_REAPER_DEADLINE_MS;
        code = pid1_run_child(proc.pid, &opts);
        /* The sandbox could not be set up: 1 (126/127 stay for execve). */
        if (st < 0 && !exec_failed)
                code = filter < 0 ? EXIT_USAGE : 1;
        if (rt_oom_killed(&proc))
                fprintf(stderr, "suprun: %s was killed by the OOM killer (memory_max)\n",
                        svc->argv[0]);
        if (proc.cgroup && rt_has_stragglers(&proc)) {
                rt_signal(&proc, SIGKILL, &err);
                for (int i = 0; i < 500 && rt_has_stragglers(&proc); i++)
                        usleep(2000);
        }
        while (waitpid(-1, NULL, WNOHANG) > 0)
                ;
        rt_release(&proc);
        return code;
}

static struct id_map *self_map(uint32_t id)
{
        struct id_map *m = malloc(sizeof(*m));

        if (m)
                *m = (struct id_map){ .inside = id, .outside = id, .count = 1 };
        return m;
}

/* Run by a non-root user, as bwrap is: a user namespace of our own, the
 * caller's uid and gid mapped to themselves, so the other namespaces can be
 * made and the command runs as the caller (with no capability left once it
 * execs as a non-root uid). Only when a namespace or a root is asked for. */
static int add_user_namespace(struct svc_spec *svc)
{
        struct sandbox_spec *sb = &svc->sandbox;

        if (geteuid() == 0 || (sb->namespaces & CLONE_NEWUSER) || (!sb->namespaces && !sb->root))
                return 0;
        sb->namespaces |= CLONE_NEWUSER;
        if (!sb->n_uid_map && !(sb->uid_map = self_map((uint32_t)geteuid())))
                return -1;
        sb->n_uid_map = sb->n_uid_map ? sb->n_uid_map : 1;
        if (!sb->n_gid_map && !(sb->gid_map = self_map((uint32_t)getegid())))
                return -1;
        sb->n_gid_map = sb->n_gid_map ? sb->n_gid_map : 1;
        return 0;
}

/* Our own cgroup name, so parallel runs and a running supd never collide. */
static int rename_for_run(struct svc_spec *svc)
{
        char *name;

        if (asprintf(&name, "%s-suprun%d", svc->name, (int)getpid()) < 0)
                return -1;
        free(svc->name);
        svc->name = name;
        return 0;
}

int main(int argc, char **argv)
{
        struct opts o;
        struct sup_config *cfg;
        struct svc_spec *svc = NULL;
        int code;

        sigconf_capture(&sigconf_inherited);
        log_set_prog("suprun");
        memset(&o, 0, sizeof(o));
        if (parse_args(argc, argv, &o) < 0)
                return EXIT_USAGE;
        log_verbosity += o.verbose;
        cfg = load_config(&o, &svc);
        if (!cfg)
                return EXIT_USAGE;
        if (o.config && *o.argv) {      /* the service's sandbox, another command */
                if (confd_set_command(svc, o.argv) < 0) {
                        fprintf(stderr, "suprun: out of memory\n");
                        return 1;
                }
        }
        if (rename_for_run(svc) < 0 || add_user_namespace(svc) < 0) {
                fprintf(stderr, "suprun: out of memory\n");
                return 1;
        }
        code = run(svc);
        confd_free(cfg);
        for (size_t i = 0; i < N_KEYS; i++)
                free(o.owned[i]);
        free(o.env);
        return code;
}
