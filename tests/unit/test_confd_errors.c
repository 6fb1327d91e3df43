/* Unit tests of confd's error messages: every one names the file, the
 * line, the section, the key and what was expected, and all of them are
 * reported, not just the first. */
#include "tests/unit/confd_util.h"

TEST(wrong_duration_names_file_line_section_key)
{
        CHECK_ONE_ERROR("[service:web]\ncommand = true\nrestart_delay = fast\n",
                        "t.ini:3: [service:web] restart_delay: expected a duration like 500ms, "
                        "2s, 1m; got \"fast\"");
}

TEST(wrong_values_of_each_type)
{
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nlog_max_size = big\n",
                        "t.ini:3: [service:x] log_max_size: expected a size like 512K, 10M, 1G; "
                        "got \"big\"");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\ncritical = maybe\n",
                        "t.ini:3: [service:x] critical: expected yes or no (also true/false, "
                        "on/off, 1/0); got \"maybe\"");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nstop_signal = STOPIT\n",
                        "t.ini:3: [service:x] stop_signal: expected a signal name like TERM or "
                        "SIGTERM, or a number; got \"STOPIT\"");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nrestart = sometimes\n",
                        "t.ini:3: [service:x] restart: expected one of always, on-failure or "
                        "never; got \"sometimes\"");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\ntype = forking\n",
                        "t.ini:3: [service:x] type: expected one of simple or oneshot; got "
                        "\"forking\"");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nstart_retries = -1\n",
                        "t.ini:3: [service:x] start_retries: expected a number from 0 to 1000000; "
                        "got \"-1\"");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nio_weight = 0\n",
                        "t.ini:3: [service:x] io_weight: expected a number from 1 to 10000; "
                        "got \"0\"");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nstdout = syslog\n",
                        "t.ini:3: [service:x] stdout: expected one of console, file:PATH or "
                        "null; got \"syslog\"");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nready = fd:1\n",
                        "t.ini:3: [service:x] ready: expected fd:N with N from 3 to 1023 (0-2 "
                        "are stdin/stdout/stderr); got \"fd:1\"");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nsuccess_exit = 0 300\n",
                        "t.ini:3: [service:x] success_exit: expected exit codes from 0 to 255 "
                        "like \"0 2\"; got \"300\"");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\numask = 8\n",
                        "t.ini:3: [service:x] umask: expected an octal mode like 022, or "
                        "inherit; got \"8\"");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\ncpu_max = half\n",
                        "t.ini:3: [service:x] cpu_max: expected a number of CPUs above 0 like "
                        "0.5 or 2; got \"half\"");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nlimit_nofile = lots\n",
                        "t.ini:3: [service:x] limit_nofile: expected N (a count), SOFT:HARD or "
                        "infinity; got \"lots\"");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nlimit_nofile = 10:5\n",
                        "t.ini:3: [service:x] limit_nofile: the soft limit is above the hard "
                        "limit in \"10:5\"");
}

TEST(names_checked_against_the_libraries)
{
        CHECK_ONE_ERROR("[service:x]\ncommand = true\ncapabilities = CAP_FLY\n",
                        "t.ini:3: [service:x] capabilities: unknown capability \"CAP_FLY\" "
                        "(expected names like CAP_NET_BIND_SERVICE or NET_BIND_SERVICE)");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nseccomp_deny = mount frobnicate\n",
                        "t.ini:3: [service:x] seccomp_deny: unknown syscall \"frobnicate\"");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nnamespaces = pid time\n",
                        "t.ini:3: [service:x] namespaces: unknown namespace \"time\" (expected "
                        "pid mount uts ipc net user cgroup)");
}

TEST(quoting_errors)
{
        CHECK_ONE_ERROR("[service:x]\ncommand = sh -c \"echo hi\n",
                        "t.ini:2: [service:x] command: unterminated \" quote");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nenvironment = A=1 NOVALUE\n",
                        "t.ini:3: [service:x] environment: expected KEY=VALUE pairs like A=1 "
                        "B=\"two words\"; got \"NOVALUE\"");
}

TEST(unknown_keys_are_errors_in_our_sections)
{
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nrestrat = always\n",
                        "t.ini:3: [service:x] restrat: unknown key (did you mean restart?)");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\ncomand = true\n",
                        "t.ini:3: [service:x] comand: unknown key (did you mean command?)");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nfrobnicate = 1\n",
                        "t.ini:3: [service:x] frobnicate: unknown key");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nautorestart = true\n",
                        "t.ini:3: [service:x] autorestart: unknown key (a [program:] key; here: "
                        "restart)");
        CHECK_ONE_ERROR("[supd]\nrestart = always\n",
                        "t.ini:2: [supd] restart: unknown key (a [service:NAME] key)");
}

TEST(unknown_keys_are_one_warning_in_supervisord_sections)
{
        struct sup_config *c = load("[program:a]\ncommand = true\nfrobnicate = 1\n"
                                    "[program:b]\ncommand = true\nfrobnicate = 2\n");

        CHECK(c != NULL);
        CHECK_INT(d.n_warnings, 1);
        CHECK_WARNING_HAS("t.ini:3: [program:a] frobnicate: unknown key, ignored");
        confd_free(c);
        c = load("[program:a]\ncommand = true\nautorestrat = true\n");
        CHECK(c != NULL);
        CHECK_WARNING_HAS("t.ini:3: [program:a] autorestrat: unknown key (did you mean "
                          "autorestart?), ignored");
        confd_free(c);
}

TEST(missing_command)
{
        CHECK_ONE_ERROR("[service:x]\nuser = nobody\n",
                        "t.ini:1: [service:x] command: missing; every service needs one");
}

TEST(key_given_twice_in_a_section)
{
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nuser = a\nuser = b\n",
                        "t.ini:4: [service:x] user: given twice in this section (first at line 3)");
}

TEST(bad_lines_and_sections)
{
        CHECK_ONE_ERROR("[service:x]\ncommand = true\njust some words\n",
                        "t.ini:3: expected key = value, a [section] or a comment; got \"just some "
                        "words\"");
        CHECK_ONE_ERROR("[service:x\ncommand = true\n",
                        "t.ini:1: expected a [section] header; got \"[service:x\"");
        CHECK_ONE_ERROR("[servce:x]\ncommand = true\n",
                        "t.ini:1: [servce:x]: unknown section (did you mean [service:x]?)");
        CHECK_ONE_ERROR("[sup]\nsocket = /x\n",
                        "t.ini:1: [sup]: unknown section (did you mean [supd]?)");
        CHECK_ONE_ERROR("[daemon:x]\ncommand = true\n",
                        "t.ini:1: [daemon:x]: unknown section (expected [supd], [service:NAME], "
                        "or supervisord's [program:NAME], [supervisord], ...)");
        CHECK_ONE_ERROR("command = true\n[service:x]\ncommand = true\n",
                        "t.ini:1: command: a key before any [section]");
        CHECK_ONE_ERROR("[service:a/b]\ncommand = true\n",
                        "t.ini:1: [service:a/b]: a service name is 1 to 64 letters, digits and "
                        "_ - . @, with one : between a group and a name (not \"all\")");
}

TEST(every_error_is_reported_not_just_the_first)
{
        struct sup_config *c = load("[service:a]\ncommand = true\nrestart_delay = fast\n"
                                    "stop_timeout = slow\n[service:b]\nuser = x\nbogus = 1\n");

        CHECK(c == NULL);
        CHECK_INT(d.n_errors, 4);
        CHECK_ERROR_HAS("t.ini:3: [service:a] restart_delay:");
        CHECK_ERROR_HAS("t.ini:4: [service:a] stop_timeout:");
        CHECK_ERROR_HAS("t.ini:7: [service:b] bogus: unknown key");
        CHECK_ERROR_HAS("t.ini:5: [service:b] command: missing");
}

TEST(unknown_dependency)
{
        CHECK_ONE_ERROR("[service:web]\ncommand = true\nafter = db\n",
                        "t.ini:3: [service:web] after: no service named \"db\"");
        CHECK_ONE_ERROR("[service:web]\ncommand = true\nrequires = db\n",
                        "t.ini:3: [service:web] requires: no service named \"db\"");
}

TEST(dependency_cycles_are_printed)
{
        CHECK_ONE_ERROR("[service:a]\ncommand = true\nafter = b\n"
                        "[service:b]\ncommand = true\nafter = a\n",
                        "t.ini:6: [service:b] after: dependency cycle: a -> b -> a");
        CHECK_ONE_ERROR("[service:a]\ncommand = true\nafter = b\n"
                        "[service:b]\ncommand = true\nrequires = c\n"
                        "[service:c]\ncommand = true\nafter = a\n",
                        "t.ini:9: [service:c] after: dependency cycle: a -> b -> c -> a");
        CHECK_ONE_ERROR("[service:a]\ncommand = true\nafter = a\n",
                        "t.ini:3: [service:a] after: dependency cycle: a -> a");
}

TEST(options_that_need_a_namespace)
{
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nroot = /srv/root\n",
                        "t.ini:3: [service:x] root: needs the mount namespace (add mount to "
                        "namespaces =)");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nnamespaces = pid\nbind = /a:/b\n",
                        "t.ini:4: [service:x] bind: needs the mount namespace (add mount to "
                        "namespaces =)");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nuser_map = 0 1000 1\n",
                        "t.ini:3: [service:x] user_map: needs the user namespace (add user to "
                        "namespaces =)");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nhostname = box\n",
                        "t.ini:3: [service:x] hostname: needs the uts namespace (add uts to "
                        "namespaces =)");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nnamespaces = pid\nprivate_tmp = yes\n",
                        "t.ini:4: [service:x] private_tmp: needs the mount namespace (add mount "
                        "to namespaces =)");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nmasked_paths = /proc/kcore\n",
                        "t.ini:3: [service:x] masked_paths: needs the mount namespace (add mount "
                        "to namespaces =)");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nnamespaces = pid\nread_only_paths = default\n",
                        "t.ini:4: [service:x] read_only_paths: needs the mount namespace (add "
                        "mount to namespaces =)");
}

TEST(sandbox_keys_name_what_they_expected)
{
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nnamespaces = mount\nmasked_paths = secret\n",
                        "t.ini:4: [service:x] masked_paths: expected absolute paths, \"default\" or "
                        "\"none\"; got \"secret\"");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\ncapabilities = all CAP_KILL\n",
                        "t.ini:3: [service:x] capabilities: unknown capability \"all\" (expected "
                        "names like CAP_NET_BIND_SERVICE or NET_BIND_SERVICE)");
}

TEST(service_defined_twice_names_both_places)
{
        CHECK_ONE_ERROR("[service:web]\ncommand = true\n[service:web]\ncommand = false\n",
                        "t.ini:3: [service:web]: service \"web\" is defined twice; first at "
                        "t.ini:1");
        CHECK_ONE_ERROR("[service:web]\ncommand = true\n[program:web]\ncommand = false\n",
                        "t.ini:3: [program:web]: service \"web\" is defined twice; first at "
                        "t.ini:1");
}

TEST(missing_file)
{
        struct sup_config *c;

        confd_diag_free(&d);
        c = confd_load_file("/nonexistent/sup.ini", &d);

        CHECK(c == NULL);
        CHECK_INT(d.n_errors, 1);
        CHECK_STR(d.errors[0], "cannot read /nonexistent/sup.ini: No such file or directory");
        confd_diag_free(&d);
}

TEST(only_regular_files_are_read)
{
        /* a FIFO or a tty would block PID 1 */
        CHECK_ONE_ERROR("[supd]\ninclude = /dev/null\n",
                        "t.ini:2: [supd] include: cannot read /dev/null: not a regular file");
        CHECK_ONE_ERROR("[service:x]\ncommand = true\nseccomp = /dev/zero\n",
                        "t.ini:3: [service:x] seccomp: cannot read seccomp profile /dev/zero: not "
                        "a regular file");
}

TEST(supervisord_value_errors_are_errors)
{
        CHECK_ONE_ERROR("[program:x]\ncommand = true\nautorestart = sometimes\n",
                        "t.ini:3: [program:x] autorestart: expected true, false or unexpected; "
                        "got \"sometimes\"");
        CHECK_ONE_ERROR("[program:x]\ncommand = true\nstartsecs = soon\n",
                        "t.ini:3: [program:x] startsecs: expected a duration like 500ms, 2s, 1m; "
                        "got \"soon\"");
        CHECK_ONE_ERROR("[program:x]\ncommand = /bin/app %(ENV_SUP_TEST_UNSET_VAR)s\n",
                        "t.ini:2: [program:x] command: %(ENV_SUP_TEST_UNSET_VAR)s: no environment "
                        "variable SUP_TEST_UNSET_VAR");
        CHECK_ONE_ERROR("[program:x]\ncommand = date +%s\n",
                        "t.ini:2: [program:x] command: a % must be written %% or start %(name)s");
        CHECK_ONE_ERROR("[program:x]\ncommand = true\nnumprocs = 2\n",
                        "t.ini:1: [program:x] process_name: must contain %(process_num)d (or "
                        "similar) when numprocs > 1");
        /* Python would pad to a gigabyte; the fuzzer asked for it. */
        CHECK_ONE_ERROR("[program:x]\ncommand = /bin/app %(program_name)1111111111s\n",
                        "t.ini:2: [program:x] command: %(program_name): a field width or "
                        "precision above 256");
        CHECK_ONE_ERROR("[program:x]\ncommand = /bin/app %(program_name).999s\n",
                        "t.ini:2: [program:x] command: %(program_name): a field width or "
                        "precision above 256");
}

int main(int argc, char **argv)
{
        int rc = check_main(argc, argv);

        confd_diag_free(&d);
        return rc;
}
