/* common/io.h — whole-buffer socket writes. */
#ifndef SUP_COMMON_IO_H
#define SUP_COMMON_IO_H

#include <stddef.h>

/* Send all len bytes to a socket, across short writes and EINTR; -1 with
 * errno on failure. A peer that went away gives EPIPE, never SIGPIPE. */
int io_send_all(int fd, const void *buf, size_t len);

#endif
