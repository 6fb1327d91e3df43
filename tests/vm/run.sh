#!/usr/bin/env bash
# tests/vm/run.sh [PATTERN] — the real-kernel level (`make test-vm`).
#
# Boots Debian's own kernel under qemu (TCG: no KVM needed) with an initramfs
# made here from Debian packages (busybox-static, apparmor) and the freshly
# built supd/supctl/suprun, so the cgroup v2 and AppArmor code paths run on a
# kernel that has them, which this host's kernel (cgroup v1 hybrid, no
# AppArmor) does not. Nothing is installed into the host's /boot: the .debs
# are fetched with `apt-get download` into build/vm/ (a cache) and unpacked
# there.
#
# Inside, /init (tests/vm/init) moves the tree to a tmpfs root, mounts
# /proc, /sys, cgroup2 and securityfs, runs the suites (tests/vm/suite/*.sh,
# via tests/vm/driver.sh) and the host's integration files named in
# $VM_INTEGRATION (same test functions, reported as vm/FILE/test_...; each
# suprun call in a cgroup of its own, tests/vm/suprun-own-cgroup.sh; the
# test library is tests/lib/lib.sh for both levels) and finally
# execs supd as the VM's PID 1 (tests/vm/pid1.sh). Results come back on the
# second serial port, one "PASS name" / "FAIL name" line per check, and are
# printed here for tests/run.sh to count; the kernel's console (first
# serial port) is shown when something failed. A hung VM is killed at
# $VM_TIMEOUT seconds.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
PATTERN=${1:-}
VM=$ROOT/build/vm
DEBS=$VM/debs
VM_TIMEOUT=${VM_TIMEOUT:-240}
# Integration files (tests/integration/*.sh) whose tests run in the VM too.
VM_INTEGRATION="runtime suprun escape"
# Release binaries: the VM runs under TCG, where ASan's cost is paid twice.
BIN=${VM_BIN:-$ROOT/build}

. "$ROOT/tests/lib/deps.sh"
. "$ROOT/tests/lib/rootfs.sh"

die() { echo "FAIL vm/rig: $*"; exit 1; }

# --- host tools and Debian packages --------------------------------------

need_cmd qemu-system-x86_64 qemu-system-x86 || die "qemu-system-x86 not installable"
need_cmd cpio cpio || die "cpio not installable"
need_pkg busybox-static || die "busybox-static not installable"
for b in supd supctl suprun; do
        [ -x "$BIN/$b" ] || die "$BIN/$b not built (run make first)"
done

# The kernel: the one linux-image-amd64 points at today (or the cached one).
kernel_deb() {
        local deb name
        deb=$(ls "$DEBS"/linux-image-[0-9]*-amd64_*.deb 2>/dev/null | head -n 1)
        if [ -z "$deb" ]; then
                name=$(apt-cache depends linux-image-amd64 2>/dev/null |
                       awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
                if [ -z "$name" ]; then
                        __deps_update
                        name=$(apt-cache depends linux-image-amd64 2>/dev/null |
                               awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
                fi
                [ -n "$name" ] || return 1
                deb=$(fetch_deb "$name" "$DEBS") || return 1
        fi
        echo "$deb"
}

unpack() {      # unpack DEB DIR: dpkg -x once per .deb
        local deb=$1 dir=$2
        [ -f "$dir/.from" ] && [ "$(cat "$dir/.from")" = "$(basename "$deb")" ] && return 0
        rm -rf "$dir" && mkdir -p "$dir" || return 1
        dpkg -x "$deb" "$dir" || return 1
        basename "$deb" >"$dir/.from"
}

kdeb=$(kernel_deb) || die "cannot download Debian's kernel (linux-image-amd64)"
# Only /boot of the kernel package is needed (the modules are not: serial,
# initramfs, cgroups and AppArmor are built in); dpkg -x of the whole
# package would unpack 400 MB for nothing.
if [ ! -f "$VM/kernel/.from" ] || [ "$(cat "$VM/kernel/.from")" != "$(basename "$kdeb")" ]; then
        rm -rf "$VM/kernel" && mkdir -p "$VM/kernel"
        dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$VM/kernel" ./boot ||
                die "cannot unpack $kdeb"
        basename "$kdeb" >"$VM/kernel/.from"
fi
KERNEL=$(ls "$VM"/kernel/boot/vmlinuz-* 2>/dev/null | head -n 1)
[ -n "$KERNEL" ] || die "no vmlinuz in $kdeb"

aadeb=$(fetch_deb apparmor "$DEBS") || die "cannot download apparmor"
unpack "$aadeb" "$VM/apparmor" || die "cannot unpack $aadeb"

# --- initramfs -------------------------------------------------------------

R=$VM/root
rootfs_init "$R" && mkdir -p "$R"/{etc/apparmor.d,vm} || die "cannot make $R"
rootfs_busybox "$R" || die "cannot install busybox"
rootfs_put_elf "$R" /bin/bash /usr/bin/bash || die "cannot copy bash"
rootfs_put_elf "$R" "$VM/apparmor/sbin/apparmor_parser" /usr/sbin/apparmor_parser ||
        die "cannot copy apparmor_parser"
cp -r "$VM/apparmor/etc/apparmor" "$R/etc/" &&
cp -r "$VM/apparmor/etc/apparmor.d/tunables" "$R/etc/apparmor.d/" &&
cp -r "$VM/apparmor/usr/share/apparmor-features" "$R/usr/share/" ||
        die "cannot copy apparmor's configuration"
for b in supd supctl suprun; do
        rootfs_put_elf "$R" "$BIN/$b" "/usr/sbin/$b" || die "cannot copy $b"
done
for h in "$ROOT"/build/helpers/*; do
        [ -x "$h" ] || continue
        rootfs_put_elf "$R" "$h" "/vm/helpers/$(basename "$h")" || die "cannot copy $h"
done
rootfs_users "$R"
cp "$ROOT"/tests/vm/init "$R/init"
cp "$ROOT"/tests/vm/*.sh "$ROOT"/tests/vm/*.ini "$R/vm/"
rm -f "$R/vm/run.sh"
cp -r "$ROOT"/tests/vm/suite "$R/vm/"
# The host's test library and the integration files that must hold on
# cgroup v2 as well: driver.sh runs their test functions as vm/FILE/...
mkdir -p "$R/vm/sup/tests/lib" "$R/vm/sup/tests/integration" &&
cp "$ROOT"/tests/lib/lib*.sh "$R/vm/sup/tests/lib/" || die "cannot copy tests/lib"
for f in $VM_INTEGRATION; do
        cp "$ROOT/tests/integration/$f.sh" "$R/vm/sup/tests/integration/" || die "cannot copy $f.sh"
done
printf '%s\n' "$PATTERN" >"$R/vm/pattern"
chmod +x "$R/init" "$R"/vm/*.sh

# Uncompressed: the kernel unpacks it faster than it would inflate it.
(cd "$R" && find . | cpio -o -H newc --quiet) >"$VM/initrd.cpio" || die "cpio failed"

# --- boot --------------------------------------------------------------------

CONSOLE=$VM/console.log RESULTS=$VM/results.log
boot() {
        rm -f "$CONSOLE" "$RESULTS"
        # no_timer_check: under TCG on a busy host the kernel's IO-APIC timer
        # check can time out and panic before userspace ("timer doesn't work").
        timeout -k 5 "$VM_TIMEOUT" qemu-system-x86_64 -accel tcg -m 1024 -smp 2 \
                -display none -monitor none -no-reboot -nic none \
                -serial "file:$CONSOLE" -serial "file:$RESULTS" \
                -kernel "$KERNEL" -initrd "$VM/initrd.cpio" \
                -append "console=ttyS0 panic=-1 loglevel=4 no_timer_check" \
                </dev/null >"$VM/qemu.log" 2>&1
}
start=$(date +%s)
boot
qrc=$?
# A kernel that never reached /init says nothing about sup: boot once more
# (the first console is kept for the record).
if ! grep -aq '^VM BOOTED' "$RESULTS" 2>/dev/null; then
        echo "# the VM did not reach /init; booting again (first console: $VM/console.first.log)"
        cp "$CONSOLE" "$VM/console.first.log" 2>/dev/null
        boot
        qrc=$?
fi
secs=$(( $(date +%s) - start ))

# --- results -----------------------------------------------------------------

touch "$RESULTS" "$CONSOLE"
# The results port carries the suites' output; "#" lines are a failed
# check's own log, kept for the failure report below.
grep -aE '^(PASS|FAIL) ' "$RESULTS" | tr -d '\r'
fails=$(grep -acE '^FAIL ' "$RESULTS")

bad=0
# supd as PID 1 exits with its command's code; the kernel panics ("Attempted
# to kill init!") and prints the exit status it got from PID 1.
want=$(sed -n 's/^PID1 EXPECT \([0-9]*\).*/\1/p' "$RESULTS" | head -n 1)
if [ -n "$want" ]; then
        got=$(grep -ao 'Attempted to kill init! exitcode=0x[0-9a-f]*' "$CONSOLE" | head -n 1)
        got=${got##*=}
        if [ -n "$got" ] && [ $(( got >> 8 )) = "$want" ] && [ $(( got & 0xff )) = 0 ]; then
                echo "PASS vm/pid1/test_exit_code_reaches_the_kernel"
        else
                echo "FAIL vm/pid1/test_exit_code_reaches_the_kernel"
                echo "    # expected supd to exit $want as PID 1; the kernel said: ${got:-nothing}"
                fails=$((fails + 1))
        fi
fi
if [ $qrc = 124 ] || [ $qrc = 137 ]; then
        echo "FAIL vm/rig: the VM did not finish within ${VM_TIMEOUT}s (killed)"; bad=1
elif [ $qrc != 0 ]; then
        echo "FAIL vm/rig: qemu exited $qrc"; bad=1
fi
if ! grep -aq '^VM DRIVER DONE' "$RESULTS"; then
        echo "FAIL vm/rig: the suites did not run to the end"; bad=1
fi
if [ "$fails" != 0 ] || [ $bad = 1 ]; then
        # Kernel first: tests/run.sh shows the tail, where the checks' own
        # output is the more useful part.
        echo "--- kernel console (last 40 lines) ---"
        tr -d '\r' <"$CONSOLE" | tail -n 40
        cat "$VM/qemu.log"
        echo "--- VM output (results port), VM took ${secs}s ---"
        # Indented: tests/run.sh must not count these PASS/FAIL lines twice.
        tr -d '\r' <"$RESULTS" | tail -n 150 | sed 's/^/  /'
        exit 1
fi
echo "PASS vm/rig/boots_runs_suites_powers_off"
echo "# VM boot to power-off: ${secs}s"
exit 0
