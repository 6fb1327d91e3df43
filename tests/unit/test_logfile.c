/* Rotating log files: the bound, the keep count, the exact stream. */
#include "check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "supervisor/logfile.h"

static char dir[64];

static void mkscratch(void)
{
        strcpy(dir, "/tmp/sup-logfile.XXXXXX");
        if (!mkdtemp(dir))
                abort();
}

static void rmscratch(void)
{
        char cmd[128];

        snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
        if (system(cmd) != 0)
                fprintf(stderr, "cleanup of %s failed\n", dir);
}

static long fsize(const char *path)
{
        struct stat st;

        return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static char *slurp_all(const char *path, unsigned keep, size_t *len)
{
        char *buf = malloc(1 << 20), name[256];
        size_t n = 0;

        for (unsigned i = keep + 1; i-- > 0;) {
                int fd;
                ssize_t r;

                if (i)
                        snprintf(name, sizeof(name), "%s.%u", path, i);
                else
                        snprintf(name, sizeof(name), "%s", path);
                fd = open(name, O_RDONLY);
                if (fd < 0)
                        continue;
                while ((r = read(fd, buf + n, (1 << 20) - n)) > 0)
                        n += (size_t)r;
                close(fd);
        }
        *len = n;
        return buf;
}

TEST(rotates_at_bound_and_keeps_n)
{
        struct logfile f;
        struct sup_err err;
        char path[128], name[160], line[32], *all;
        size_t len, expect = 0;

        mkscratch();
        snprintf(path, sizeof(path), "%s/svc.log", dir);
        CHECK(logfile_open(&f, path, 1000, 2, false, &err) == 0);
        for (int i = 0; i < 400; i++) {         /* 400 × 10 = 4000 bytes */
                int n = snprintf(line, sizeof(line), "line %04d\n", i);
                CHECK_INT(logfile_write(&f, line, (size_t)n, &err), n);
                expect += (size_t)n;
        }
        logfile_close(&f);
        CHECK_INT(fsize(path), 1000);   /* the 4th file, full */
        snprintf(name, sizeof(name), "%s.1", path);
        CHECK_INT(fsize(name), 1000);
        snprintf(name, sizeof(name), "%s.2", path);
        CHECK_INT(fsize(name), 1000);
        snprintf(name, sizeof(name), "%s.3", path);
        CHECK_INT(fsize(name), -1);     /* keep = 2 */
        all = slurp_all(path, 2, &len);
        CHECK_INT(len, 3000);
        CHECK(memcmp(all, "line 0100\n", 10) == 0);
        CHECK(memcmp(all + len - 10, "line 0399\n", 10) == 0);
        free(all);
        rmscratch();
}

TEST(big_write_is_cut_exactly_at_the_bound)
{
        struct logfile f;
        struct sup_err err;
        char path[128], name[160], buf[2500];

        mkscratch();
        snprintf(path, sizeof(path), "%s/b.log", dir);
        memset(buf, 'a', sizeof(buf));
        CHECK(logfile_open(&f, path, 1000, 5, false, &err) == 0);
        CHECK_INT(logfile_write(&f, buf, sizeof(buf), &err), 2500);
        logfile_close(&f);
        CHECK_INT(fsize(path), 500);
        snprintf(name, sizeof(name), "%s.2", path);
        CHECK_INT(fsize(name), 1000);
        rmscratch();
}

TEST(reopen_appends_and_counts_existing_size)
{
        struct logfile f;
        struct sup_err err;
        char path[128], name[160];

        mkscratch();
        snprintf(path, sizeof(path), "%s/c.log", dir);
        CHECK(logfile_open(&f, path, 10, 1, false, &err) == 0);
        CHECK_INT(logfile_write(&f, "12345678", 8, &err), 8);
        logfile_close(&f);
        CHECK(logfile_open(&f, path, 10, 1, false, &err) == 0);
        CHECK_INT(logfile_write(&f, "abcd", 4, &err), 4);
        logfile_close(&f);
        CHECK_INT(fsize(path), 2);
        snprintf(name, sizeof(name), "%s.1", path);
        CHECK_INT(fsize(name), 10);
        rmscratch();
}

TEST(keep_zero_removes_old)
{
        struct logfile f;
        struct sup_err err;
        char path[128], name[160];

        mkscratch();
        snprintf(path, sizeof(path), "%s/d.log", dir);
        CHECK(logfile_open(&f, path, 4, 0, false, &err) == 0);
        CHECK_INT(logfile_write(&f, "aaaabb", 6, &err), 6);
        logfile_close(&f);
        CHECK_INT(fsize(path), 2);
        snprintf(name, sizeof(name), "%s.1", path);
        CHECK_INT(fsize(name), -1);
        rmscratch();
}

TEST(missing_directory_is_a_clear_error)
{
        struct logfile f;
        struct sup_err err;

        CHECK(logfile_open(&f, "/nonexistent-dir/x.log", 0, 0, false, &err) == -1);
        CHECK(strstr(err.msg, "/nonexistent-dir/x.log") != NULL);
}

TEST(splice_moves_pipe_bytes_up_to_bound)
{
        struct logfile f;
        struct sup_err err;
        char path[128];
        int p[2];

        mkscratch();
        snprintf(path, sizeof(path), "%s/s.log", dir);
        CHECK(pipe2(p, O_NONBLOCK) == 0);
        CHECK(write(p[1], "0123456789abcdef", 16) == 16);
        CHECK(logfile_open(&f, path, 10, 1, false, &err) == 0);
        CHECK_INT(logfile_splice(&f, p[0], 65536, &err), 10);
        CHECK_INT(logfile_splice(&f, p[0], 65536, &err), 6);
        CHECK_INT(logfile_splice(&f, p[0], 65536, &err), -1);  /* empty */
        CHECK_INT(errno, EAGAIN);
        close(p[1]);
        p[1] = -1;
        CHECK_INT(logfile_splice(&f, p[0], 65536, &err), 0);   /* EOF */
        logfile_close(&f);
        CHECK_INT(fsize(path), 6);
        close(p[0]);
        rmscratch();
}

TEST(a_symlink_at_the_path_is_never_followed)
{
        struct logfile f;
        struct sup_err err = { 0 };
        char path[128], target[128], name[160];

        mkscratch();
        snprintf(path, sizeof(path), "%s/app.log", dir);
        snprintf(target, sizeof(target), "%s/secret", dir);
        CHECK(close(open(target, O_WRONLY | O_CREAT, 0600)) == 0);
        CHECK(symlink(target, path) == 0);
        CHECK(logfile_open(&f, path, 0, 0, false, &err) == -1);
        CHECK_INT(err.errnum, ELOOP);
        CHECK(strstr(err.msg, "a symlink, never followed") != NULL);
        CHECK_INT(fsize(target), 0);
        /* Swapped in for a rotated name: the rename replaces the link itself. */
        CHECK(unlink(path) == 0);
        snprintf(name, sizeof(name), "%s.1", path);
        CHECK(symlink(target, name) == 0);
        CHECK(logfile_open(&f, path, 4, 1, false, &err) == 0);
        CHECK_INT(logfile_write(&f, "aaaabbbb", 8, &err), 8);
        logfile_close(&f);
        CHECK_INT(fsize(target), 0);
        CHECK_INT(fsize(name), 4);
        rmscratch();
}

TEST(a_directory_others_may_write_is_refused_unless_shared)
{
        struct logfile f;
        struct sup_err err = { 0 };
        char sub[128], path[160];

        mkscratch();
        snprintf(sub, sizeof(sub), "%s/logs", dir);
        snprintf(path, sizeof(path), "%s/app.log", sub);
        CHECK(mkdir(sub, 0755) == 0);
        CHECK(chown(sub, 65534, 65534) == 0);
        CHECK(logfile_open(&f, path, 0, 0, false, &err) == -1);
        CHECK_INT(err.errnum, EPERM);
        CHECK(strstr(err.msg, sub) != NULL);
        CHECK(strstr(err.msg, "owner uid 65534") != NULL);
        CHECK(logfile_open(&f, path, 0, 0, true, &err) == 0);   /* log_dir_shared = yes */
        logfile_close(&f);
        /* World-writable but sticky and ours, like /tmp: accepted. */
        CHECK(chown(sub, geteuid(), getegid()) == 0 && chmod(sub, 01777) == 0);
        CHECK(logfile_open(&f, path, 0, 0, false, &err) == 0);
        logfile_close(&f);
        CHECK(chmod(sub, 0777) == 0);
        CHECK(logfile_open(&f, path, 0, 0, false, &err) == -1);
        rmscratch();
}

TEST(a_file_removed_under_it_is_made_again)
{
        struct logfile f;
        struct sup_err err = { 0 };
        char path[128];

        mkscratch();
        snprintf(path, sizeof(path), "%s/app.log", dir);
        CHECK(logfile_open(&f, path, 0, 0, false, &err) == 0);
        CHECK_INT(logfile_write(&f, "one\n", 4, &err), 4);
        CHECK(unlink(path) == 0);
        CHECK_INT(logfile_write(&f, "two\n", 4, &err), 4);
        CHECK_INT(fsize(path), 4);
        logfile_close(&f);
        rmscratch();
}

int main(int argc, char **argv) { return check_main(argc, argv); }
