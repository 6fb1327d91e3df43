/* common/io.c — whole-buffer socket writes. */
#include "common/io.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/types.h>

int io_send_all(int fd, const void *buf, size_t len)
{
        const char *p = buf;

        while (len > 0) {
                ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -1;
                p += n;
                len -= (size_t)n;
        }
        return 0;
}
