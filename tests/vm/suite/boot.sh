# tests/vm/suite/boot.sh — the rig itself: what the other suites rely on
# being true of this kernel (if one of these fails, so will they).

test_cgroup2_mounted_with_every_controller() {
        local c
        grep -q '^cgroup2 /sys/fs/cgroup cgroup2 ' /proc/mounts ||
                fail "no cgroup2 at /sys/fs/cgroup: $(cat /proc/mounts)"
        for c in cpu cpuset io memory pids hugetlb; do
                grep -qw "$c" "$CG/cgroup.controllers" ||
                        fail "controller $c missing: $(cat "$CG/cgroup.controllers")"
        done
        [ "$(proc_cgroup $$)" = / ] || fail "the driver is not in the root cgroup"
        [ -f "$CG/cgroup.kill" ] || [ -f "$CG/cgroup.procs" ] || fail "no cgroup files"
}

# /init moved the tree off the initramfs: a sandbox `root` needs pivot_root,
# which cannot leave rootfs (vm/runtime/test_root_pivots_into_busybox_tree).
test_root_is_a_mounted_tmpfs() {
        grep -q '^tmpfs / tmpfs ' /proc/mounts || fail "/ is not a tmpfs mount: $(grep ' / ' /proc/mounts)"
        grep -q ' / rootfs ' /proc/mounts && fail "rootfs is still visible: $(cat /proc/mounts)"
        return 0
}

test_apparmor_enabled() {
        [ "$(cat /sys/module/apparmor/parameters/enabled)" = Y ] || fail "AppArmor is not enabled"
        [ -d /sys/kernel/security/apparmor ] || fail "no apparmorfs in securityfs"
        grep -qw apparmor /sys/kernel/security/lsm || fail "lsm: $(cat /sys/kernel/security/lsm)"
}

# The rig's AppArmor works without sup: a profile loaded with
# apparmor_parser confines a process that asks for it at exec.
test_apparmor_parser_loads_and_confines() {
        mkdir -p /tmp/aa && echo hidden >/tmp/aa/secret && echo open >/tmp/aa/public
        cleanup rm -rf /tmp/aa
        cat >vmrig.profile <<'P'
profile vmrig-probe flags=(enforce) {
  /usr/bin/busybox mrix,
  /dev/** rw,
  /proc/** r,
  /tmp/** rw,
  deny /tmp/aa/secret r,
}
P
        apparmor_parser -r vmrig.profile || fail "apparmor_parser could not load the profile"
        cleanup apparmor_parser -R "$T/vmrig.profile"
        grep -q '^vmrig-probe (enforce)' /sys/kernel/security/apparmor/profiles ||
                fail "profile not listed: $(cat /sys/kernel/security/apparmor/profiles)"
        local cur
        cur=$(sh -c 'echo -n "exec vmrig-probe" >/proc/self/attr/exec && exec cat /proc/self/attr/current')
        [ "$cur" = "vmrig-probe (enforce)" ] || fail "attr/current: '$cur'"
        sh -c 'echo -n "exec vmrig-probe" >/proc/self/attr/exec && exec cat /tmp/aa/public' >/dev/null ||
                fail "the profile denies what it allows"
        ! sh -c 'echo -n "exec vmrig-probe" >/proc/self/attr/exec && exec cat /tmp/aa/secret' 2>/dev/null ||
                fail "the profile did not deny /tmp/aa/secret"
}
