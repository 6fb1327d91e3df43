/* confd/sandbox.c — what a sandboxed service gets when it does not say.
 *
 * A service that asks for any isolation (namespaces, root, seccomp) is
 * meant to be contained, so it gets what Docker and runc give a container
 * unless a key says otherwise: Docker's seccomp profile and capabilities
 * (bounding set too; MKNOD left out, see SANDBOX_DEFAULT_CAPS),
 * no_new_privileges (systemd implies it for its sandbox options, bwrap
 * always sets it), and, when the service has a mount namespace of its own,
 * runc's masked and read-only paths and a private /dev (as runc's and
 * bwrap's: no host disk to open raw with root's DAC_OVERRIDE). Without the seccomp profile any
 * process could still make a user namespace and reach kernel code meant
 * for root of one (Docker blocks unshare and clone's namespace flags the
 * same way). The paths themselves are one table in
 * runtime/mount_defaults.c; here only the switch is set. */
#include <sched.h>

#include "confd/confd_int.h"

bool confd_sandboxed(const struct svc_spec *s)
{
        return s->sandbox.namespaces || s->sandbox.root || s->sandbox.seccomp != SECCOMP_NONE;
}

/* The runtime sets up mounts whenever the service has a mount namespace,
 * which a PID or network namespace implies (a fresh /proc, /sys). */
static bool has_mount_ns(const struct sandbox_spec *sb)
{
        return sb->namespaces & (CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET);
}

void confd_sandbox_defaults(struct svc_spec *s, bool sandboxed)
{
        struct sandbox_spec *sb = &s->sandbox;
        char why[WHY];

        if (!sandboxed)
                return;
        if (!(sb->given & SB_GIVEN_CAPS)) {
                /* libcap knows these names since 2.x; failing closed anyway */
                if (val_caps(SANDBOX_DEFAULT_CAPS, &sb->caps, why) < 0)
                        sb->caps = 0;
                sb->caps_set = true;
                sb->caps_ambient = false;
        }
        if (!(sb->given & SB_GIVEN_NO_NEW_PRIVS))
                sb->no_new_privileges = true;
        if (!(sb->given & SB_GIVEN_SECCOMP))
                sb->seccomp = SECCOMP_DEFAULT;
        if (!has_mount_ns(sb))
                return;
        if (!(sb->given & SB_GIVEN_MASKED_PATHS))
                sb->masked_defaults = true;
        if (!(sb->given & SB_GIVEN_PRIVATE_DEV))
                sb->private_dev = true;
        if (!(sb->given & SB_GIVEN_READ_ONLY_PATHS))
                sb->read_only_defaults = true;
}
