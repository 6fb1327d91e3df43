/* runtime/apparmor.c — `apparmor = PROFILE`: confine the service at execve.
 *
 * When AppArmor is not enabled a profile is an error, unless its name starts
 * with '-' (systemd's convention): then one warning and the service runs
 * unconfined. */
#include "runtime/runtime_int.h"
#include "common/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static bool apparmor_enabled(void)
{
        char c = 0;
        int fd = open("/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                return false;
        if (read(fd, &c, 1) != 1)
                c = 0;
        close(fd);
        return c == 'Y';
}

static bool optional(const char *profile)
{
        return profile[0] == '-';
}

/* 1 loaded, 0 not loaded, -1 cannot tell (securityfs not mounted). */
static int profile_loaded(const char *name)
{
        FILE *f = fopen("/sys/kernel/security/apparmor/profiles", "re");
        char line[512];
        size_t len = strlen(name);
        int found = 0;

        if (!f)
                return -1;
        while (!found && fgets(line, sizeof(line), f))
                found = strncmp(line, name, len) == 0 && line[len] == ' ';
        fclose(f);
        return found;
}

/* At load time: a mandatory profile that cannot be applied fails the
 * service now, with the reason; an optional one gets one warning. */
int apparmor_check(const char *profile, struct sup_err *err)
{
        const char *name;
        const char *why;

        if (!profile)
                return 0;
        name = optional(profile) ? profile + 1 : profile;
        if (!apparmor_enabled())
                why = "AppArmor is not enabled on this kernel";
        else if (profile_loaded(name) == 0)
                why = "the profile is not loaded (apparmor_parser -r it first)";
        else
                return 0;
        if (!optional(profile))
                return sup_fail(err, 0, "apparmor %s: %s (prefix the name with '-' to run "
                                "unconfined then)", name, why);
        log_warn("apparmor %s: %s; running unconfined", name, why);
        return 0;
}

static int write_attr(const char *path, const char *buf, size_t len)
{
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        ssize_t n;

        if (fd < 0)
                return -1;
        n = write(fd, buf, len);
        close(fd);
        return n == (ssize_t)len ? 0 : -1;
}

int apparmor_exec(const char *profile, struct sup_err *err)
{
        char buf[512];
        const char *name;
        int len;

        if (!profile)
                return 0;
        name = optional(profile) ? profile + 1 : profile;
        if (!apparmor_enabled()) {
                if (optional(profile))
                        return 0;
                return sup_fail(err, 0, "%s: AppArmor is not enabled", name);
        }
        len = snprintf(buf, sizeof(buf), "exec %s", name);
        if (len < 0 || (size_t)len >= sizeof(buf))
                return sup_fail(err, ENAMETOOLONG, "%s", name);
        if (write_attr("/proc/thread-self/attr/apparmor/exec", buf, (size_t)len) == 0 ||
            write_attr("/proc/self/attr/exec", buf, (size_t)len) == 0)
                return 0;
        if (optional(profile))
                return 0;
        return sup_fail(err, errno, "exec profile %s", name);
}
