/* Unit tests of rt_spawn without sandbox keys: real fork/exec, stdio,
 * session, signals, environment, the status pipe and exec failures. */
#include "tests/unit/check.h"
#include "runtime/runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
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

TEST(status_read_is_nonblocking_safe)
{
        struct svc_spec s = make_spec("read x");       /* blocks on stdin after execve */
        struct rt_stdio io = plain_io(-1);
        struct sup_err err = { 0, "" };
        struct rt_proc p;
        struct pollfd pfd;
        int in[2];

        CHECK(pipe2(in, O_CLOEXEC) == 0);
        io.in = in[0];
        CHECK_INT(rt_spawn(&s, &io, &p, &err), 0);
        close(in[0]);
        fcntl(p.status_fd, F_SETFL, O_NONBLOCK);
        pfd.fd = p.status_fd;
        pfd.events = POLLIN;
        CHECK(poll(&pfd, 1, 5000) == 1);        /* EOF after execve */
        CHECK_INT(rt_read_status(&p, NULL, &err), 0);
        CHECK(p.pidfd >= 0);
        close(in[1]);                           /* read x gets EOF, exits 1 */
        close(p.status_fd);
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
