/* sd_notify MSG... — send one sd_notify datagram ("READY=1", "STATUS=x")
 * to $NOTIFY_SOCKET, the way a service linked with libsystemd would.
 * A leading '@' names an abstract socket. Exit 0 sent, 1 failed, 2 usage. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        const char *path = getenv("NOTIFY_SOCKET");
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        char msg[4096] = "";
        size_t plen, used = 0;
        socklen_t len;
        int fd;

        if (argc < 2) {
                fprintf(stderr, "usage: sd_notify MSG...\n");
                return 2;
        }
        if (!path || !*path || (plen = strlen(path)) >= sizeof(sa.sun_path)) {
                fprintf(stderr, "sd_notify: NOTIFY_SOCKET not set\n");
                return 1;
        }
        memcpy(sa.sun_path, path, plen);
        if (path[0] == '@')
                sa.sun_path[0] = '\0';
        len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + plen + (path[0] != '@'));
        for (int i = 1; i < argc; i++)
                used += (size_t)snprintf(msg + used, sizeof(msg) - used, "%s%s", i > 1 ? "\n" : "",
                                         argv[i]);
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&sa, len) < 0) {
                perror("sd_notify");
                return 1;
        }
        close(fd);
        return 0;
}
