#!/usr/bin/env bash
# tests/bench/spawn.sh — a sandboxed spawn of /bin/true: sup vs its peers.
#
#   tests/bench/spawn.sh [RUNS]          (root; default 300 runs per command)
#
# One hyperfine run (-N, no shell) over:
#   sup        suprun with namespaces pid mount uts ipc + own cgroup
#              (pids_max) + Docker-default seccomp + Docker's 14
#              capabilities + no_new_privileges
#   sup-no-cgroup  the same without the cgroup
#   sup-static the same as sup with the static multi-call build (make static)
#   sup-lib    the same sandbox through rt_spawn from a small C program
#              (no option parsing or confd; the seccomp compile of
#              rt_prepare still happens once per run)
#   sup-plain  rt_spawn with no sandbox keys (fork/exec + status pipe)
#   bwrap      bubblewrap, --unshare-all (its usual sandbox; no cgroup/seccomp)
#   unshare    util-linux, --fork --pid --mount --uts --ipc
#   runc       an OCI bundle with a busybox-static rootfs (default spec, no net ns)
#   true       plain fork/exec by hyperfine itself
# then a second run, interleaved: one run of each command in turn, so that
# every command sees the same load (hyperfine runs one command after the
# other, and on a shared machine the load drifts in between). It adds
#   bwrap-same bwrap given exactly sup's namespaces (pid mount uts ipc, a
#              fresh /proc), the very same compiled seccomp filter
#              (--seccomp FD, opened for each run) and the same 14
#              capabilities: compare with sup-no-cgroup (bwrap makes no
#              cgroup)
# Last, the parent side of rt_spawn measured inside (clock_gettime around
# rt_spawn: what supd's event loop pays).
set -eu
cd "$(dirname "$0")/../.."
ROOT=$PWD
RUNS=${1:-300}
W=$(mktemp -d /tmp/sup-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT

. tests/lib/deps.sh
need_cmd hyperfine hyperfine
need_cmd bwrap bubblewrap
need_cmd runc runc
need_pkg busybox-static

make -s all static
mkdir -p "$W/static" && ln -s "$ROOT/build/sup-static" "$W/static/suprun"
PKG_LIBS="$(pkg-config --libs inih libseccomp libcap) -lev"
cc -D_GNU_SOURCE -I. -std=gnu11 -O2 -o "$W/spawn_bench" tests/bench/spawn_bench.c \
        build/libsup.a $PKG_LIBS

SUP_OPTS="--namespaces pid,mount,uts,ipc --pids-max 1000 --seccomp default --no-new-privileges"
SUP_OPTS="$SUP_OPTS --capabilities CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FSETID,CAP_FOWNER,CAP_MKNOD"
SUP_OPTS="$SUP_OPTS,CAP_NET_RAW,CAP_SETGID,CAP_SETUID,CAP_SETFCAP,CAP_SETPCAP"
SUP_OPTS="$SUP_OPTS,CAP_NET_BIND_SERVICE,CAP_SYS_CHROOT,CAP_KILL,CAP_AUDIT_WRITE"
build/suprun $SUP_OPTS -- /bin/true || { echo "suprun cannot run the sandbox" >&2; exit 1; }
SUP_CMD="build/suprun $SUP_OPTS -- /bin/true"
CAPS=CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FSETID,CAP_FOWNER,CAP_MKNOD,CAP_NET_RAW,CAP_SETGID,CAP_SETUID
CAPS=$CAPS,CAP_SETFCAP,CAP_SETPCAP,CAP_NET_BIND_SERVICE,CAP_SYS_CHROOT,CAP_KILL,CAP_AUDIT_WRITE
# The same without a cgroup: on cgroup v1 the child's cgroup.procs write
# waits for an RCU grace period (v2 uses CLONE_INTO_CGROUP instead).
SUP_NOCG_CMD="build/suprun ${SUP_OPTS/--pids-max 1000 /} -- /bin/true"

# runc bundle: busybox-static rootfs, default spec without a network namespace.
mkdir -p "$W/bundle/rootfs/bin"
cp /bin/busybox "$W/bundle/rootfs/bin/"
ln -s busybox "$W/bundle/rootfs/bin/true"
(cd "$W/bundle" && runc spec)
python3 - "$W/bundle/config.json" <<'EOF'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/true"]
c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "network"]
json.dump(c, open(p, "w"))
EOF
RUNC_ID="sup-bench-$$"

hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$W/h.json" \
        -n sup "$SUP_CMD" \
        -n sup-no-cgroup "$SUP_NOCG_CMD" \
        -n sup-static "$W/static/suprun $SUP_OPTS -- /bin/true" \
        -n sup-lib "$W/spawn_bench run --sandbox -- /bin/true" \
        -n sup-plain "$W/spawn_bench run -- /bin/true" \
        -n bwrap "bwrap --ro-bind / / --unshare-all /bin/true" \
        -n bwrap-proc-dev "bwrap --ro-bind / / --proc /proc --dev /dev --unshare-all /bin/true" \
        -n unshare "unshare --fork --pid --mount --uts --ipc /bin/true" \
        -n runc "runc run --bundle $W/bundle $RUNC_ID" \
        -n true "/bin/true" >"$W/hyperfine.txt" 2>&1 || { cat "$W/hyperfine.txt"; exit 1; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)   runs per command: $RUNS"
table() {       # table HYPERFINE_JSON REFERENCE_COMMAND_NAME
        python3 - "$1" "$2" <<'EOF'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
ref = r[sys.argv[2]]
vs = "vs " + sys.argv[2]
cpu = lambda x: (x["user"] + x["system"]) * 1e3
print(f"{'command':<16}{'median ms':>10}{vs:>18}{'cpu ms':>9}{vs:>18}")
for name, x in r.items():
    print(f"{name:<16}{x['median']*1e3:>10.2f}{x['median']/ref['median']:>17.2f}x"
          f"{cpu(x):>9.2f}{cpu(x)/cpu(ref):>17.2f}x")
EOF
}
table "$W/h.json" sup
echo "(cpu = mean user+system time of the command and its children: less sensitive to load)"

# Interleaved, with the same sandbox in bwrap: same namespaces, fresh
# /proc, same filter, same caps.
"$W/spawn_bench" bpf "$W/filter.bpf"
BWRAP_CAPS="--cap-drop ALL"
for c in ${CAPS//,/ }; do BWRAP_CAPS="$BWRAP_CAPS --cap-add $c"; done
echo
echo "interleaved (one run of each in turn, $RUNS rounds); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$RUNS" "$W/filter.bpf" \
        "sup=$ROOT/$SUP_CMD" "sup-no-cgroup=$ROOT/$SUP_NOCG_CMD" \
        "sup-static=$W/static/suprun $SUP_OPTS -- /bin/true" \
        "bwrap=$(command -v bwrap) --ro-bind / / --unshare-all /bin/true" \
        "bwrap-proc-dev=$(command -v bwrap) --ro-bind / / --proc /proc --dev /dev --unshare-all /bin/true" \
        "bwrap-same=$(command -v bwrap) --unshare-pid --unshare-ipc --unshare-uts --bind / / --proc /proc $BWRAP_CAPS --seccomp 9 /bin/true" \
        "unshare=$(command -v unshare) --fork --pid --mount --uts --ipc /bin/true" \
        "true=/bin/true" <<'EOF'
import os, sys, time, statistics
rounds, bpf = int(sys.argv[1]), sys.argv[2]
cmds = [a.split("=", 1) for a in sys.argv[3:]]
wall = {n: [] for n, _ in cmds}
cpu = {n: [] for n, _ in cmds}
def run(name, cmd):
    argv = cmd.split()
    acts = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0)]
    if "--seccomp 9" in cmd:
        acts.append((os.POSIX_SPAWN_OPEN, 9, bpf, os.O_RDONLY, 0))
    t0 = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=acts)
    _, st, ru = os.wait4(pid, 0)
    t1 = time.perf_counter()
    if st != 0:
        sys.exit(f"{name} failed: status {st}")
    return (t1 - t0) * 1e3, (ru.ru_utime + ru.ru_stime) * 1e3
for n, c in cmds:                       # warm-up
    for _ in range(5):
        run(n, c)
for i in range(rounds):
    for n, c in (cmds if i % 2 == 0 else cmds[::-1]):
        w, u = run(n, c)
        wall[n].append(w)
        cpu[n].append(u)
ref = statistics.median(wall["sup"])
refc = statistics.mean(cpu["sup"])
print(f"{'command':<16}{'median ms':>10}{'p25':>8}{'p75':>8}{'vs sup':>8}{'cpu ms':>9}{'vs sup':>8}")
for n, _ in cmds:
    q = statistics.quantiles(wall[n], n=4)
    m = statistics.median(wall[n])
    c = statistics.mean(cpu[n])
    print(f"{n:<16}{m:>10.2f}{q[0]:>8.2f}{q[2]:>8.2f}{m / ref:>7.2f}x{c:>9.2f}{c / refc:>7.2f}x")
print("(wall time from posix_spawn to wait4 in python; cpu = user+system of the command and its children)")
EOF
echo
"$W/spawn_bench" parent 200
"$W/spawn_bench" parent 200 --sandbox
