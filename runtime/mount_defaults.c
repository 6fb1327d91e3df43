/* runtime/mount_defaults.c — the one list of what a sandboxed service does
 * not see or cannot change: `masked_paths = default` and
 * `read_only_paths = default`, which confd/sandbox.c turns on for every
 * service with a mount namespace. runc's lists (Docker's are the same):
 * kernel memory, keys, timers and scheduler internals, firmware and power
 * interfaces are hidden; /proc's writable kernel knobs are read-only. A
 * path the kernel does not have is skipped, as runc does.
 *
 * sup adds /sys, recursively, to the read-only list: runc mounts a fresh
 * sysfs read-only, but a service without a network namespace of its own
 * sees the host's /sys, and with it the cgroup tree (/sys/fs/cgroup), which
 * must not be writable from inside (a service could leave its own cgroup,
 * or raise its limits on v1). docs/security.md lists both. */
#include "runtime/runtime_int.h"

#include <stddef.h>

const char *const mount_default_masked[] = {
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
        "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
        "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
        NULL
};

const char *const mount_default_read_only[] = {
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", "/sys",
        NULL
};
