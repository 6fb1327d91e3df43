#!/usr/bin/env bash
# tests/container/run.sh [PATTERN] — the real-container level
# (`make test-container`).
#
# supd is the process of an OCI bundle run by runc, exactly as
# ENTRYPOINT ["supd", "-c", "/etc/sup/sup.ini", "--"] would run it. The
# rootfs (build/container/rootfs: busybox-static, supd, supctl and their
# shared libraries) is made here and shared read-only by every check; each
# check writes its own config.json (from `runc spec`, edited with jq) and
# its own sup.ini, bind-mounted at /etc/sup.
#
# Every test_* function of tests/container/*.sh runs alone in a fresh bash
# with tests/lib/lib.sh and tests/container/lib.sh loaded, under a
# deadline, and prints "PASS container/FILE/FUNCTION" or "FAIL ...". The
# container's cgroups go under this process's own cgroup, and every
# container and cgroup a check made is removed at its end.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
PATTERN=${1:-}
export SUP_ROOT=$ROOT
# The container runs the ASan build by default, as the other levels do.
export SUPD=${SUPD:-$ROOT/build/asan/supd}
export SUPCTL=${SUPCTL:-$ROOT/build/asan/supctl}
export CT_ROOTFS=$ROOT/build/container/rootfs

. "$ROOT/tests/lib/deps.sh"
. "$ROOT/tests/lib/rootfs.sh"

die() { echo "FAIL container/rig: $*"; exit 1; }

need_cmd runc runc || die "runc not installable"
need_cmd jq jq || die "jq not installable"
need_pkg busybox-static || die "busybox-static not installable"
for b in "$SUPD" "$SUPCTL"; do
        [ -x "$b" ] || die "$b not built (run make asan first)"
done

# --- rootfs --------------------------------------------------------------

R=$CT_ROOTFS
rootfs_init "$R" && mkdir -p "$R/etc/sup" || die "cannot make $R"
rootfs_busybox "$R" || die "cannot install busybox"
rootfs_put_elf "$R" "$SUPD" /usr/sbin/supd || die "cannot copy supd"
rootfs_put_elf "$R" "$SUPCTL" /usr/sbin/supctl || die "cannot copy supctl"
for h in "$ROOT"/build/helpers/*; do
        [ -x "$h" ] || continue
        rootfs_put_elf "$R" "$h" "/usr/bin/$(basename "$h")" || die "cannot copy $h"
done
rootfs_users "$R"

# The template every check starts from.
TPL=$ROOT/build/container/config.tpl.json
(cd "$(dirname "$TPL")" && rm -f config.json && runc spec && mv config.json "$TPL") ||
        die "runc spec failed"

# The container's cgroups: under our own cgroup for every hierarchy. On a
# v1 hybrid host each controller may place us differently; the deepest
# path is under all the others (or we refuse to guess).
own=/
while IFS=: read -r _ _ path; do
        [ ${#path} -gt ${#own} ] && own=$path
done </proc/self/cgroup
while IFS=: read -r _ _ path; do
        case "$own/" in "${path%/}/"*) ;; *) die "own cgroups do not nest: $(cat /proc/self/cgroup)" ;; esac
done </proc/self/cgroup
export CT_OWN_CGROUP=${own%/}
export CT_TPL=$TPL

# --- checks ------------------------------------------------------------------

matches() { [ -z "$PATTERN" ] || [[ "$1" == *"$PATTERN"* ]]; }

LOGDIR=$(mktemp -d /tmp/sup-container.XXXXXX)
fails=0
for file in tests/container/*.sh; do
        suite=$(basename "$file" .sh)
        case "$suite" in run|lib) continue ;; esac
        for fn in $(bash -c "source tests/lib/lib.sh; source tests/container/lib.sh; source '$file'; declare -F" |
                    awk '$3 ~ /^test_/ {print $3}'); do
                name=container/$suite/$fn
                matches "$name" || continue
                log=$LOGDIR/$suite.$fn.log
                if timeout -k 5 "${TEST_TIMEOUT:-60}" bash -c \
                        "source tests/lib/lib.sh; source tests/container/lib.sh; source '$file'; lib_run_test $fn" \
                        >"$log" 2>&1 </dev/null; then
                        echo "PASS $name"
                else
                        echo "FAIL $name"
                        sed 's/^/    | /' "$log"
                        fails=$((fails + 1))
                fi
        done
done
rm -rf "$LOGDIR"
[ $fails = 0 ]
