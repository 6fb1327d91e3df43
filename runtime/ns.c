/* runtime/ns.c — child-side namespace steps: loopback, hostname, cgroup ns. */
#include "runtime/child.h"

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

/* A fresh network namespace has only `lo`, and down: bring it up, nothing else. */
int ns_loopback_up(struct sup_err *err)
{
        struct ifreq ifr;
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

        if (fd < 0)
                return sup_fail(err, errno, "socket");
        memset(&ifr, 0, sizeof(ifr));
        strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
        if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
                int e = errno;
                close(fd);
                return sup_fail(err, e, "lo: SIOCGIFFLAGS");
        }
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0) {
                int e = errno;
                close(fd);
                return sup_fail(err, e, "lo: bring up");
        }
        close(fd);
        return 0;
}

int ns_set_hostname(const char *name, struct sup_err *err)
{
        if (sethostname(name, strlen(name)) < 0)
                return sup_fail(err, errno, "sethostname %s", name);
        return 0;
}

/* After joining our own cgroup, so the namespace is rooted there. */
int ns_unshare_cgroup(struct sup_err *err)
{
        if (unshare(CLONE_NEWCGROUP) < 0)
                return sup_fail(err, errno, "unshare(CLONE_NEWCGROUP)");
        return 0;
}
