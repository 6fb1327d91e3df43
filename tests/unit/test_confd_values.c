/* Unit tests of confd's value types: each parser, through the public
 * parsers or a one-service config. */
#include <sched.h>
#include <signal.h>
#include <sys/capability.h>

#include "tests/unit/confd_util.h"

static uint64_t dur(const char *s)
{
        uint64_t v = 12345;

        return confd_parse_duration(s, &v) == 0 ? v : (uint64_t)-1;
}

static uint64_t size(const char *s)
{
        uint64_t v = 12345;

        return confd_parse_size(s, &v) == 0 ? v : (uint64_t)-1;
}

static int sig(const char *s)
{
        int v = 0;

        return confd_parse_signal(s, &v) == 0 ? v : -1;
}

/* One [service:x] with command=true plus `line`; NULL when it fails. */
static struct sup_config *with(const char *line)
{
        char text[4096];

        snprintf(text, sizeof(text), "[service:x]\ncommand = true\n%s\n", line);
        return load(text);
}

TEST(durations_take_ms_s_m_h_and_bare_seconds)
{
        CHECK_INT(dur("500ms"), 500);
        CHECK_INT(dur("2s"), 2000);
        CHECK_INT(dur("1m"), 60000);
        CHECK_INT(dur("1h"), 3600000);
        CHECK_INT(dur("10"), 10000);
        CHECK_INT(dur("0"), 0);
        CHECK_INT(dur("1.5s"), 1500);
        CHECK_INT(dur("0.25"), 250);
        CHECK_INT(dur("3 s"), 3000);
        CHECK_INT(dur("2MIN"), 120000);
}

TEST(durations_reject_garbage)
{
        CHECK_INT(dur("fast"), -1);
        CHECK_INT(dur(""), -1);
        CHECK_INT(dur("-1s"), -1);
        CHECK_INT(dur("1x"), -1);
        CHECK_INT(dur("s"), -1);
        CHECK_INT(dur("1.2.3s"), -1);
        CHECK_INT(dur("99999999999999999999h"), -1);
        CHECK_INT(dur("5124095576030432h"), -1);   /* overflows in ms */
}

TEST(sizes_take_k_m_g_and_supervisord_kb_mb_gb)
{
        CHECK_INT(size("100"), 100);
        CHECK_INT(size("512K"), 512 * 1024);
        CHECK_INT(size("10M"), 10 << 20);
        CHECK_INT(size("1G"), 1 << 30);
        CHECK_INT(size("50MB"), 50 << 20);
        CHECK_INT(size("1kb"), 1024);
        CHECK_INT(size("2GB"), 2ULL << 30);
        CHECK_INT(size("1.5K"), 1536);
        CHECK_INT(size("0"), 0);
        CHECK_INT(size("1Q"), -1);
        CHECK_INT(size(""), -1);
        CHECK_INT(size("M"), -1);
        CHECK_INT(size("-1M"), -1);
}

TEST(signals_by_name_with_or_without_sig_and_by_number)
{
        CHECK_INT(sig("TERM"), SIGTERM);
        CHECK_INT(sig("SIGTERM"), SIGTERM);
        CHECK_INT(sig("sigkill"), SIGKILL);
        CHECK_INT(sig("hup"), SIGHUP);
        CHECK_INT(sig("15"), 15);
        CHECK_INT(sig("USR1"), SIGUSR1);
        CHECK_INT(sig("QUIT"), SIGQUIT);
        CHECK_INT(sig("FOO"), -1);
        CHECK_INT(sig("0"), -1);
        CHECK_INT(sig("99"), -1);
        CHECK_INT(sig(""), -1);
        CHECK_INT(sig("SIG"), -1);
}

TEST(booleans_in_every_supervisord_spelling)
{
        static const char *yes[] = { "yes", "true", "on", "1", "YES", "True", "On" };
        static const char *no[] = { "no", "false", "off", "0", "NO", "False", "OFF" };
        char line[64];
        struct sup_config *c;

        for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
                snprintf(line, sizeof(line), "critical = %s", yes[i]);
                c = with(line);
                CHECK(c && c->services[0]->critical);
                confd_free(c);
                snprintf(line, sizeof(line), "critical = %s", no[i]);
                c = with(line);
                CHECK(c && !c->services[0]->critical);
                confd_free(c);
        }
        c = with("critical = maybe");
        CHECK(c == NULL);
        confd_free(c);
}

TEST(commands_split_like_a_shell_without_one)
{
        struct sup_config *c = with("");
        char **a;

        confd_free(c);
        c = load("[service:x]\ncommand = a \"b c\" 'd e' f\\ g \"\" \"q\\\"x\" 'it''s' $HOME\n");
        CHECK(c != NULL);
        if (!c) {
                dump_diag();
                return;
        }
        a = c->services[0]->argv;
        CHECK_STR(a[0], "a");
        CHECK_STR(a[1], "b c");
        CHECK_STR(a[2], "d e");
        CHECK_STR(a[3], "f g");
        CHECK_STR(a[4], "");
        CHECK_STR(a[5], "q\"x");
        CHECK_STR(a[6], "its");
        CHECK_STR(a[7], "$HOME");
        CHECK(a[8] == NULL);
        confd_free(c);
}

TEST(nginx_daemon_off_keeps_its_semicolon_inside_quotes)
{
        struct sup_config *c = load("[service:web]\ncommand = /usr/sbin/nginx -g \"daemon off;\"\n");

        CHECK(c != NULL);
        if (c) {
                CHECK_STR(c->services[0]->argv[2], "daemon off;");
                CHECK(c->services[0]->argv[3] == NULL);
        }
        confd_free(c);
}

TEST(environment_in_both_forms)
{
        struct sup_config *c = with("environment = A=1 B=\"two words\" C=");
        char **e;

        CHECK(c != NULL);
        if (c) {
                e = c->services[0]->environment;
                CHECK_STR(e[0], "A=1");
                CHECK_STR(e[1], "B=two words");
                CHECK_STR(e[2], "C=");
                CHECK(e[3] == NULL);
        }
        confd_free(c);
        c = load("[program:x]\ncommand = true\nenvironment = KEY=\"val\",KEY2=\"v, 2\",KEY=again\n");
        CHECK(c != NULL);
        if (c) {
                e = c->services[0]->environment;
                CHECK_STR(e[0], "KEY=again");
                CHECK_STR(e[1], "KEY2=v, 2");
                CHECK(e[2] == NULL);
        }
        confd_free(c);
        /* the last value wins, at the first one's place; "A" is not "AB" */
        c = with("environment = B=1 AB=0 A=2 B=3 C=4 A=5");
        CHECK(c != NULL);
        if (c) {
                e = c->services[0]->environment;
                CHECK_STR(e[0], "B=3");
                CHECK_STR(e[1], "AB=0");
                CHECK_STR(e[2], "A=5");
                CHECK_STR(e[3], "C=4");
                CHECK(e[4] == NULL);
        }
        confd_free(c);
}

TEST(lists_are_space_or_comma_separated)
{
        struct sup_config *c = load("[service:a]\ncommand = true\nafter = b, c d\n"
                                    "[service:b]\ncommand = true\n[service:c]\ncommand = true\n"
                                    "[service:d]\ncommand = true\n");

        CHECK(c != NULL);
        if (c) {
                char **a = svc(c, "a")->after;

                CHECK_STR(a[0], "b");
                CHECK_STR(a[1], "c");
                CHECK_STR(a[2], "d");
                CHECK(a[3] == NULL);
        }
        confd_free(c);
}

TEST(requires_are_also_after)
{
        struct sup_config *c = load("[service:a]\ncommand = true\nrequires = b\nafter = c\n"
                                    "[service:b]\ncommand = true\n[service:c]\ncommand = true\n");

        CHECK(c != NULL);
        if (c) {
                const struct svc_spec *a = svc(c, "a");

                CHECK_STR(a->requires[0], "b");
                CHECK_STR(a->after[0], "c");
                CHECK_STR(a->after[1], "b");
        }
        confd_free(c);
}

TEST(success_exit_codes_as_a_bitset)
{
        struct sup_config *c = with("success_exit = 0 2, 143");

        CHECK(c != NULL);
        if (c) {
                CHECK(svc_exit_is_success(c->services[0], 0));
                CHECK(svc_exit_is_success(c->services[0], 2));
                CHECK(svc_exit_is_success(c->services[0], 143));
                CHECK(!svc_exit_is_success(c->services[0], 1));
                CHECK(!svc_exit_is_success(c->services[0], 256));
        }
        confd_free(c);
}

TEST(ready_none_notify_fd_delay)
{
        struct sup_config *c = with("ready = notify");

        CHECK(c && c->services[0]->ready == READY_NOTIFY);
        confd_free(c);
        c = with("ready = fd:3");
        CHECK(c && c->services[0]->ready == READY_FD && c->services[0]->ready_fd == 3);
        confd_free(c);
        c = with("ready = delay:1500ms");
        CHECK(c && c->services[0]->ready == READY_DELAY && c->services[0]->ready_delay == 1500);
        confd_free(c);
        c = with("ready = none");
        CHECK(c && c->services[0]->ready == READY_NONE);
        confd_free(c);
}

TEST(log_targets)
{
        struct sup_config *c = load("[service:x]\ncommand = true\nstdout = file:/var/log/x.log\n"
                                    "stderr = null\nlog_max_size = 1M\nlog_keep = 3\n");

        CHECK(c != NULL);
        if (c) {
                const struct svc_spec *s = c->services[0];

                CHECK_INT(s->out.kind, LOG_TO_FILE);
                CHECK_STR(s->out.path, "/var/log/x.log");
                CHECK_INT(s->out.max_size, 1 << 20);
                CHECK_INT(s->out.keep, 3);
                CHECK_INT(s->err.kind, LOG_TO_NULL);
        }
        confd_free(c);
        c = confd_load_string("[service:x]\ncommand = true\nstdout = file:logs/x.log\n"
                              "stderr = console\n", "t.ini", "/srv/app", &d);
        CHECK(c != NULL);
        if (c) {
                CHECK_STR(c->services[0]->out.path, "/srv/app/logs/x.log");
                CHECK_INT(c->services[0]->err.kind, LOG_TO_CONSOLE);
        }
        confd_free(c);
}

TEST(stderr_log_rotation_of_its_own)
{
        struct sup_config *c = load("[service:x]\ncommand = true\nstderr_log_keep = 2\n"
                                    "stdout = file:/o\nstderr = file:/e\nstderr_log_max_size = 1K\n"
                                    "log_max_size = 1M\nlog_keep = 7\n");

        CHECK(c != NULL);
        if (c) {
                const struct svc_spec *s = c->services[0];

                CHECK_INT(s->out.max_size, 1 << 20);
                CHECK_INT(s->out.keep, 7);
                CHECK_INT(s->err.max_size, 1024);      /* whatever the order */
                CHECK_INT(s->err.keep, 2);
        }
        confd_free(c);
}

TEST(capabilities_through_libcap)
{
        struct sup_config *c = with("capabilities = CAP_NET_BIND_SERVICE chown, cap_kill");

        CHECK(c != NULL);
        if (c) {
                const struct sandbox_spec *sb = &c->services[0]->sandbox;

                CHECK(sb->caps_set);
                CHECK_INT(sb->caps, (1ULL << CAP_NET_BIND_SERVICE) | (1ULL << CAP_CHOWN) |
                                    (1ULL << CAP_KILL));
        }
        confd_free(c);
        c = with("capabilities = none");
        CHECK(c && c->services[0]->sandbox.caps_set && c->services[0]->sandbox.caps == 0);
        confd_free(c);
}

TEST(syscalls_through_libseccomp)
{
        struct sup_config *c = with("seccomp = default\nseccomp_allow = ptrace personality\n"
                                    "seccomp_deny = mount, reboot");

        CHECK(c != NULL);
        if (c) {
                const struct sandbox_spec *sb = &c->services[0]->sandbox;

                CHECK_INT(sb->seccomp, SECCOMP_DEFAULT);
                CHECK_STR(sb->seccomp_allow[0], "ptrace");
                CHECK_STR(sb->seccomp_allow[1], "personality");
                CHECK_STR(sb->seccomp_deny[0], "mount");
                CHECK_STR(sb->seccomp_deny[1], "reboot");
        }
        confd_free(c);
}

TEST(seccomp_profile_file)
{
        struct sup_config *c;
        char text[512];

        tmp_make();
        tmp_write("p.seccomp", "# a profile\nread\nwrite allow   # both allowed\n\nptrace deny\n");
        snprintf(text, sizeof(text), "[service:x]\ncommand = true\nseccomp = p.seccomp\n"
                 "seccomp_allow = openat\n");
        c = confd_load_string(text, "t.ini", tmp_dir, &d);
        CHECK(c != NULL);
        if (c) {
                const struct sandbox_spec *sb = &c->services[0]->sandbox;
                char path[128];

                snprintf(path, sizeof(path), "%s/p.seccomp", tmp_dir);
                CHECK_INT(sb->seccomp, SECCOMP_PROFILE);
                CHECK_STR(sb->seccomp_profile, path);
                CHECK_STR(sb->seccomp_allow[0], "read");
                CHECK_STR(sb->seccomp_allow[1], "write");
                CHECK_STR(sb->seccomp_allow[2], "openat");
                CHECK_STR(sb->seccomp_deny[0], "ptrace");
        }
        confd_free(c);
        tmp_write("bad.seccomp", "read\nfrobnicate\n");
        c = confd_load_string("[service:x]\ncommand = true\nseccomp = bad.seccomp\n", "t.ini",
                              tmp_dir, &d);
        CHECK(c == NULL);
        CHECK_ERROR_HAS("bad.seccomp:2: unknown syscall \"frobnicate\"");
        tmp_clean();
}

TEST(namespaces_to_clone_flags)
{
        struct sup_config *c = with("namespaces = pid mount uts ipc net user cgroup");

        CHECK(c != NULL);
        if (c)
                CHECK_INT(c->services[0]->sandbox.namespaces,
                          CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC |
                          CLONE_NEWNET | CLONE_NEWUSER | CLONE_NEWCGROUP);
        confd_free(c);
}

TEST(id_maps_are_triples)
{
        struct sup_config *c = with("namespaces = user\nuser_map = 0 100000 65536\n"
                                    "gid_map = 0 100000 1, 1 200000 10");

        CHECK(c != NULL);
        if (c) {
                const struct sandbox_spec *sb = &c->services[0]->sandbox;

                CHECK_INT(sb->n_uid_map, 1);
                CHECK_INT(sb->uid_map[0].outside, 100000);
                CHECK_INT(sb->uid_map[0].count, 65536);
                CHECK_INT(sb->n_gid_map, 2);
                CHECK_INT(sb->gid_map[1].inside, 1);
                CHECK_INT(sb->gid_map[1].outside, 200000);
        }
        confd_free(c);
        c = with("namespaces = user\nuser_map = 0 100000");
        CHECK(c == NULL);
        confd_free(c);
}

TEST(binds_src_dst_ro)
{
        struct sup_config *c = with("namespaces = mount\nbind = /data:/data /etc/ssl:/etc/ssl:ro /x");

        CHECK(c != NULL);
        if (c) {
                const struct sandbox_spec *sb = &c->services[0]->sandbox;

                CHECK_INT(sb->n_binds, 3);
                CHECK_STR(sb->binds[0].src, "/data");
                CHECK(!sb->binds[0].ro);
                CHECK_STR(sb->binds[1].dst, "/etc/ssl");
                CHECK(sb->binds[1].ro);
                CHECK_STR(sb->binds[2].src, "/x");
                CHECK_STR(sb->binds[2].dst, "/x");
        }
        confd_free(c);
}

TEST(rlimits_like_systemd)
{
        struct sup_config *c = with("limit_nofile = 1024:4096\nlimit_core = infinity\n"
                                    "limit_as = 1G\nlimit_cpu = 1m");

        CHECK(c != NULL);
        if (c) {
                const struct sandbox_spec *sb = &c->services[0]->sandbox;

                CHECK_INT(sb->n_rlimits, 4);
                CHECK_INT(sb->rlimits[0].resource, RLIMIT_NOFILE);
                CHECK_INT(sb->rlimits[0].lim.rlim_cur, 1024);
                CHECK_INT(sb->rlimits[0].lim.rlim_max, 4096);
                CHECK(sb->rlimits[1].lim.rlim_cur == RLIM_INFINITY);
                CHECK_INT(sb->rlimits[2].lim.rlim_max, 1 << 30);
                CHECK_INT(sb->rlimits[3].lim.rlim_cur, 60);
        }
        confd_free(c);
}

TEST(cgroup_limits)
{
        struct sup_config *c = with("memory_max = 256M\ncpu_max = 0.5\npids_max = 200\n"
                                    "io_weight = 100");

        CHECK(c != NULL);
        if (c) {
                const struct sandbox_spec *sb = &c->services[0]->sandbox;

                CHECK_INT(sb->memory_max, 256 << 20);
                CHECK(sb->cpu_max > 0.49 && sb->cpu_max < 0.51);
                CHECK_INT(sb->pids_max, 200);
                CHECK_INT(sb->io_weight, 100);
        }
        confd_free(c);
}

TEST(umask_octal_or_inherit)
{
        struct sup_config *c = with("umask = 027");

        CHECK(c && c->services[0]->umask == 027);
        confd_free(c);
        c = with("umask = inherit");
        CHECK(c && c->services[0]->umask == -1);
        confd_free(c);
        c = with("umask = 999");
        CHECK(c == NULL);
        confd_free(c);
}

TEST(apparmor_optional_with_dash)
{
        struct sup_config *c = with("apparmor = -my-profile");

        CHECK(c && strcmp(c->services[0]->sandbox.apparmor, "-my-profile") == 0);
        confd_free(c);
}

int main(int argc, char **argv)
{
        int rc = check_main(argc, argv);

        confd_diag_free(&d);
        return rc;
}
