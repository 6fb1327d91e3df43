/* runtime/ns.c — child-side namespace steps: unshare, loopback, hostname. */
#include "runtime/runtime_int.h"

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
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

/* unshare(2) with a message naming what could not be made. The cgroup
 * namespace goes alone, after the child joined its own cgroup, so that the
 * namespace is rooted there. */
int ns_unshare(unsigned long flags, struct sup_err *err)
{
        static const struct { unsigned long flag; const char *name; } names[] = {
                { CLONE_NEWNS, "mount" }, { CLONE_NEWUTS, "uts" }, { CLONE_NEWIPC, "ipc" },
                { CLONE_NEWNET, "net" }, { CLONE_NEWCGROUP, "cgroup" },
        };
        char list[64] = "";
        int e;

        if (unshare((int)flags) == 0)
                return 0;
        e = errno;
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
                if (flags & names[i].flag)
                        snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
                                 list[0] ? "," : "", names[i].name);
        return sup_fail(err, e, "unshare(%s)", list);
}
