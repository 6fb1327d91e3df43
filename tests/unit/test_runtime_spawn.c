/* Unit tests of rt_spawn without sandbox keys: real fork/exec, stdio,
 * session, signals, environment, the status pipe and exec failures. */
#include "tests/unit/check.h"
#include "runtime/runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *sh_argv[4] = { "/bin/sh", "-c", NULL, NULL };

static struct svc_spec make_spec(const char *script)
{
        struct svc_spec s;

        memset(&s, 0, sizeof(s));
        s.name = "t";
        sh_argv[2] = (char *)script;
        s.argv = sh_argv;
        s.umask = -1;
        s.ready_fd = -1;
        return s;
}

static struct rt_stdio plain_io(int out)
{
        struct rt_stdio io = { .in = -1, .out = out, .err = -1, .ready_fd = -1 };
        return io;
}

/* Everything the child wrote to the pipe until EOF. */
static void read_all(int fd, char *buf, size_t size)
{
        size_t len = 0;
        ssize_t n;

        while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
                len += (size_t)n;
        buf[len] = '\0';
}

static int wait_code(pid_t pid)
{
        int st;

        if (waitpid(pid, &st, 0) != pid)
                return -1;
        return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Run a script, return its stdout and exit code; status must be EOF. */
static int run(struct svc_spec *s, struct rt_stdio *io, char *out, size_t size)
{
        struct sup_err err = { 0, "" };
        struct rt_proc p;
        int pipefd[2];

        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return -1;
        io->out = pipefd[1];
        if (rt_spawn(s, io, &p, &err) < 0) {
                fprintf(stderr, "  rt_spawn: %s\n", err.msg);
                return -1;
        }
        close(pipefd[1]);
        CHECK_INT(rt_read_status(&p, NULL, &err), 0);
        read_all(pipefd[0], out, size);
        close(pipefd[0]);
        close(p.status_fd);
        rt_release(&p);
        return wait_code(p.pid);
}

TEST(runs_a_command_with_stdout_and_exit_code)
{
        struct svc_spec s = make_spec("echo hello; exit 3");
        struct rt_stdio io = plain_io(-1);
        char out[256];

        CHECK_INT(run(&s, &io, out, sizeof(out)), 3);
        CHECK_STR(out, "hello\n");
}

TEST(child_leads_its_own_session)
{
        struct svc_spec s = make_spec("ps -o sid= -o pid= -p $$ | awk '{print ($1 == $2)}'");
        struct rt_stdio io = plain_io(-1);
        char out[64];

        CHECK_INT(run(&s, &io, out, sizeof(out)), 0);
        CHECK_STR(out, "1\n");
}

TEST(inherited_ignores_and_mask_are_restored)
{
        struct svc_spec s = make_spec("grep -E '^Sig(Ign|Blk)' /proc/self/status");
        struct rt_stdio io = plain_io(-1);
        struct sigconf conf;
        sigset_t old, block;
        char out[256];

        /* supd itself blocks/handles everything; the child must not see that. */
        sigemptyset(&conf.mask);
        sigemptyset(&conf.ignored);
        sigaddset(&conf.ignored, SIGHUP);
        sigemptyset(&block);
        sigaddset(&block, SIGTERM);
        sigprocmask(SIG_BLOCK, &block, &old);
        io.sigconf = &conf;
        CHECK_INT(run(&s, &io, out, sizeof(out)), 0);
        sigprocmask(SIG_SETMASK, &old, NULL);
        CHECK(strstr(out, "SigBlk:\t0000000000000000") != NULL);
        CHECK(strstr(out, "SigIgn:\t0000000000000001") != NULL);
}

TEST(environment_directory_umask_and_notify_socket)
{
        char *env[] = { "SUP_A=1", "SUP_B=two words", NULL };
        struct svc_spec s = make_spec("echo \"$SUP_A|$SUP_B|$NOTIFY_SOCKET|$(pwd)|$(umask)\"");
        struct rt_stdio io = plain_io(-1);
        char out[256];

        s.environment = env;
        s.directory = "/tmp";
        s.umask = 027;
        io.notify_socket = "/run/x.sock";
        CHECK_INT(run(&s, &io, out, sizeof(out)), 0);
        CHECK_STR(out, "1|two words|/run/x.sock|/tmp|0027\n");
}

/* The environment is built by the parent: the service's entries override
 * supd's (the last of a name wins), PATH comes from it for the command
 * search, and supd's own environment is left as it was (the child of a
 * plain spawn borrows supd's memory). */
TEST(environment_overrides_and_leaves_supd_alone)
{
        char *env[] = { "SUP_T_X=service", "SUP_T_Y=1", "SUP_T_Y=2", "PATH=/nonexistent:/bin", NULL };
        char *argv[] = { "sh", "-c", "echo \"$SUP_T_X|$SUP_T_Y|$PATH|$SUP_T_KEEP\"", NULL };
        struct svc_spec s = make_spec("");
        struct rt_stdio io = plain_io(-1);
        char **before = environ;
        char out[256];

        setenv("SUP_T_X", "supd", 1);
        setenv("SUP_T_KEEP", "kept", 1);
        before = environ;
        s.argv = argv;
        s.environment = env;
        CHECK_INT(run(&s, &io, out, sizeof(out)), 0);
        CHECK_STR(out, "service|2|/nonexistent:/bin|kept\n");
        CHECK(environ == before);
        CHECK_STR(getenv("SUP_T_X"), "supd");
        CHECK(getenv("SUP_T_Y") == NULL);
        unsetenv("SUP_T_X");
        unsetenv("SUP_T_KEEP");
}

/* The watchdog's pair: WATCHDOG_PID is the service's own pid, filled in
 * by the child (supd's environment never holds it). */
TEST(watchdog_environment_names_the_service)
{
        char *env[] = { "WATCHDOG_PID=stale", NULL };
        struct svc_spec s = make_spec("echo \"$WATCHDOG_USEC $WATCHDOG_PID $$\"");
        struct rt_stdio io = plain_io(-1);
        char out[128];
        unsigned long long usec = 0;
        long wpid = 0, self = -1;

        s.environment = env;
        io.watchdog_usec = 1500000;
        CHECK_INT(run(&s, &io, out, sizeof(out)), 0);
        CHECK(sscanf(out, "%llu %ld %ld", &usec, &wpid, &self) == 3);
        CHECK(usec == 1500000);
        CHECK(wpid == self);
        CHECK(getenv("WATCHDOG_PID") == NULL);
}

TEST(ready_fd_is_placed_and_other_fds_are_closed)
{
        struct svc_spec s = make_spec("echo ready >&5; ls /proc/self/fd | sort -n | tr '\\n' ' '");
        struct rt_stdio io = plain_io(-1);
        int ready[2], leak;
        char out[256], msg[32];

        CHECK(pipe2(ready, O_CLOEXEC) == 0);
        leak = open("/dev/null", O_RDONLY);     /* not CLOEXEC: must not reach the child */
        s.ready_fd = 5;
        io.ready_fd = ready[1];
        CHECK_INT(run(&s, &io, out, sizeof(out)), 0);
        close(ready[1]);
        read_all(ready[0], msg, sizeof(msg));
        close(ready[0]);
        close(leak);
        CHECK_STR(msg, "ready\n");
        /* 0 1 2, the readiness fd, and the fd ls itself opens on /proc/self/fd */
        CHECK(strncmp(out, "0 1 2 ", 6) == 0);
        CHECK(strstr(out, " 5 ") != NULL);
}

/* A plain child shares supd's fd table until its first step: with many
 * fds open (its pipe far above the slots) it still gets only its stdio,
 * and supd's own 0-2 are what they were. */
TEST(plain_spawn_with_many_fds_open_leaves_the_parent_table_alone)
{
        struct svc_spec s = make_spec("ls /proc/self/fd | sort -n | tr '\\n' ' '");
        struct rt_stdio io = plain_io(-1);
        struct stat before[3], after[3];
        int many[300], i;
        char out[256];

        for (i = 0; i < 300; i++)
                many[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
        for (i = 0; i < 3; i++)
                CHECK(fstat(i, &before[i]) == 0);
        CHECK_INT(run(&s, &io, out, sizeof(out)), 0);
        for (i = 0; i < 3; i++) {
                CHECK(fstat(i, &after[i]) == 0);
                CHECK(after[i].st_dev == before[i].st_dev && after[i].st_ino == before[i].st_ino);
        }
        for (i = 0; i < 300; i++)
                close(many[i]);
        /* 0 1 2 and the fd ls itself opens on /proc/self/fd */
        CHECK_STR(out, "0 1 2 3 ");
}

/* Docker's and podman's seccomp profiles before 2021 deny close_range
 * (EPERM), and unshare without CAP_SYS_ADMIN: a plain spawn still runs its
 * command (the fd table copied by clone, as fork does). In a child process,
 * so that the filter stays there. */
TEST(plain_spawn_runs_where_close_range_and_unshare_are_denied)
{
        struct svc_spec s = make_spec("echo hi; exit 3");
        struct rt_stdio io = plain_io(-1);
        char out[64];
        pid_t pid = fork();

        CHECK(pid >= 0);
        if (pid == 0) {
                scmp_filter_ctx f = seccomp_init(SCMP_ACT_ALLOW);

                if (!f || seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(close_range), 0) ||
                    seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 0) ||
                    seccomp_load(f))
                        _exit(2);
                _exit(run(&s, &io, out, sizeof(out)) == 3 && strcmp(out, "hi\n") == 0 ? 0 : 1);
        }
        CHECK_INT(wait_code(pid), 0);
}

/* execvp runs a script without #! through /bin/sh with a copy of argv on
 * the child's stack: with 50000 arguments that is 400 kB, which must land
 * on a stack sized for it, not over supd's (the parent's) memory. */
TEST(plain_spawn_of_a_script_without_shebang_and_a_huge_argv)
{
        enum { N = 50000 };
        char dir[] = "/tmp/sup-argv-XXXXXX", script[64], out[64];
        static char *argv[N + 2];
        static const char body[] = "echo $#\n";
        struct svc_spec s = make_spec("");
        struct rt_stdio io = plain_io(-1);
        int fd;

        CHECK(mkdtemp(dir) != NULL);
        snprintf(script, sizeof(script), "%s/count", dir);
        fd = open(script, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
        CHECK(fd >= 0);
        CHECK(write(fd, body, sizeof(body) - 1) == (ssize_t)(sizeof(body) - 1));
        close(fd);
        argv[0] = script;
        for (int i = 1; i <= N; i++)
                argv[i] = "x";
        argv[N + 1] = NULL;
        s.argv = argv;
        CHECK_INT(run(&s, &io, out, sizeof(out)), 0);
        CHECK_STR(out, "50000\n");
        unlink(script);
        rmdir(dir);
}

TEST(missing_command_reports_exec_with_127)
{
        static char *argv[] = { "/nonexistent/prog", NULL };
        struct svc_spec s = make_spec("");
        struct rt_stdio io = plain_io(-1);
        struct sup_err err = { 0, "" };
        struct rt_proc p;

        s.argv = argv;
        CHECK_INT(rt_spawn(&s, &io, &p, &err), 0);
        CHECK_INT(rt_read_status(&p, NULL, &err), -1);
        CHECK_INT(err.errnum, ENOENT);
        CHECK(strstr(err.msg, "exec /nonexistent/prog") != NULL);
        CHECK(strstr(err.msg, "127") != NULL);
        close(p.status_fd);
        CHECK_INT(wait_code(p.pid), 127);
        rt_release(&p);
}

TEST(not_executable_reports_126)
{
        static char *argv[] = { "/etc/passwd", NULL };
        struct svc_spec s = make_spec("");
        struct rt_stdio io = plain_io(-1);
        struct sup_err err = { 0, "" };
        struct rt_proc p;

        s.argv = argv;
        CHECK_INT(rt_spawn(&s, &io, &p, &err), 0);
        CHECK_INT(rt_read_status(&p, NULL, &err), -1);
        CHECK_INT(err.errnum, EACCES);
        close(p.status_fd);
        CHECK_INT(wait_code(p.pid), 126);
        rt_release(&p);
}

TEST(plain_spawn_returns_after_execve)
{
        struct svc_spec s = make_spec("read x");       /* blocks on stdin after execve */
        struct rt_stdio io = plain_io(-1);
        struct sup_err err = { 0, "" };
        struct rt_proc p;
        int in[2];

        CHECK(pipe2(in, O_CLOEXEC) == 0);
        io.in = in[0];
        CHECK_INT(rt_spawn(&s, &io, &p, &err), 0);
        close(in[0]);
        /* a plain spawn (vfork) returns after execve: nothing to watch */
        CHECK_INT(p.status_fd, -1);
        CHECK_INT(rt_read_status(&p, NULL, &err), 0);
        close(in[1]);                           /* read x gets EOF, exits 1 */
        CHECK_INT(wait_code(p.pid), 1);
        rt_release(&p);
}

TEST(signal_reaches_the_process_group)
{
        struct svc_spec s = make_spec("sleep 30 & wait");
        struct rt_stdio io = plain_io(-1);
        struct sup_err err = { 0, "" };
        struct rt_proc p;

        CHECK_INT(rt_spawn(&s, &io, &p, &err), 0);
        CHECK_INT(rt_read_status(&p, NULL, &err), 0);
        close(p.status_fd);
        CHECK_INT(rt_signal(&p, SIGKILL, &err), 0);
        CHECK_INT(wait_code(p.pid), 128 + SIGKILL);
        /* the background sleep was in the same group: it is gone as well */
        for (int i = 0; i < 200 && rt_has_stragglers(&p); i++)
                usleep(10000);
        CHECK(!rt_has_stragglers(&p));
        rt_release(&p);
}

int main(int argc, char **argv)
{
        return check_main(argc, argv);
}
