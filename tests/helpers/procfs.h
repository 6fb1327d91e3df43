/* tests/helpers/procfs.h — reading small /proc files, for the benchmark
 * helpers (each helper is one program; this header is all they share). */
#ifndef SUP_TESTS_HELPERS_PROCFS_H
#define SUP_TESTS_HELPERS_PROCFS_H

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

/* The file's first len-1 bytes, NUL-terminated; -1 when it cannot be read. */
static inline int procfs_read(const char *path, char *buf, size_t len)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        ssize_t n;

        if (fd < 0)
                return -1;
        n = read(fd, buf, len - 1);
        close(fd);
        if (n < 0)
                return -1;
        buf[n] = 0;
        return 0;
}

/* The number after KEY ("\nRss:") in a /proc status-like text; 0 if absent. */
static inline long long procfs_field(const char *buf, const char *key)
{
        const char *p = strstr(buf, key);

        return p ? atoll(p + strlen(key)) : 0;
}

#endif
