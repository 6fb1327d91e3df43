# tests/vm/lib.sh — helpers for the checks that run inside the test VM (bash
# + busybox; no coreutils, no procps). Same shape as tests/lib/lib.sh: a
# check is a function test_NAME in tests/vm/suite/FILE.sh, runs in its own
# bash under a deadline, fails through `fail MSG` or any non-zero return,
# and what it registered with `bg` / `cleanup` is undone at the end.

SUPD=/usr/sbin/supd
SUPCTL=/usr/sbin/supctl
SUPRUN=/usr/sbin/suprun
CG=/sys/fs/cgroup

LIB_PIDS=()
LIB_CLEANUPS=()

fail() { echo "FAILED: $*" >&2; exit 1; }
note() { echo "# $*" >&2; }
cleanup() { LIB_CLEANUPS+=("$*"); }

lib_finish() {
        local i pid
        for ((i = ${#LIB_CLEANUPS[@]} - 1; i >= 0; i--)); do
                eval "${LIB_CLEANUPS[$i]}" >/dev/null 2>&1 || true
        done
        for pid in "${LIB_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
        for pid in "${LIB_PIDS[@]}"; do wait "$pid" 2>/dev/null; done
        [ -n "${T:-}" ] && rm -rf "$T"
}

lib_run_test() {
        T=$(mktemp -d /tmp/vmtest.XXXXXX)
        trap lib_finish EXIT
        cd "$T" || exit 1
        "$1"
}

bg() { "$@" & BG_PID=$!; LIB_PIDS+=("$BG_PID"); }

# Microseconds since the epoch, from bash itself (busybox date has no %N).
now_us() { local t=${EPOCHREALTIME/./}; echo "${t#0}"; }

# wait_for SECONDS CMD...: poll CMD until it succeeds or the deadline passes.
wait_for() {
        local limit=$1 deadline
        shift
        deadline=$(( $(now_us) + limit * 1000000 ))
        until "$@"; do
                [ "$(now_us)" -lt "$deadline" ] || return 1
                sleep 0.05
        done
}

# expect_exit CODE SECONDS [PID]: a bg process exits with CODE in time.
expect_exit() {
        local want=$1 limit=$2 pid=${3:-$BG_PID} rc
        wait_for "$limit" proc_gone "$pid" || fail "pid $pid still running after ${limit}s"
        wait "$pid"; rc=$?
        [ "$rc" = "$want" ] || fail "exit code $rc, expected $want"
}

# The process is gone or a zombie waiting for us.
proc_gone() { ! [ -d "/proc/$1" ] || [ "$(proc_state "$1")" = Z ]; }

# Single-letter state of a process (R, S, Z...), empty when it is gone.
proc_state() { sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null; }

# The cgroup v2 path of a process ("/a/b"), empty when it is gone.
proc_cgroup() { sed -n 's/^0:://p' "/proc/$1/cgroup" 2>/dev/null; }

file_has() { [ -f "$1" ] && grep -qE -- "$2" "$1"; }

# cg_new NAME: a fresh cgroup directly under the root with every controller
# the kernel has enabled for its children; removed (processes killed) at the
# end of the check. Prints its path.
cg_new() {
        local path=$CG/$1
        cg_enable_all "$CG" || return 1
        mkdir "$path" || return 1
        cleanup cg_destroy "$path"
        echo "$path"
}

cg_enable_all() {       # cg_enable_all DIR: +every available controller
        local c ctl=""
        for c in $(cat "$1/cgroup.controllers"); do ctl="$ctl +$c"; done
        [ -z "$ctl" ] || echo "$ctl" >"$1/cgroup.subtree_control"
}

# Kill everything in a cgroup tree and remove it, leaves first.
cg_destroy() {
        local d
        [ -d "$1" ] || return 0
        [ -f "$1/cgroup.kill" ] && echo 1 >"$1/cgroup.kill"
        for d in "$1"/*/; do
                [ -d "$d" ] && cg_destroy "${d%/}"
        done
        wait_for 5 rmdir "$1" 2>/dev/null
}

# in_cgroup DIR CMD...: run CMD in cgroup DIR. In the background, call
# /vm/in-cgroup.sh itself (`bg /vm/in-cgroup.sh DIR CMD...`): a function
# would run in a subshell and $BG_PID would not be the command's pid.
in_cgroup() { /vm/in-cgroup.sh "$@"; }

# The one service cgroup suprun made under DIR (not its own leaf "supd").
svc_cgroup() {
        local d
        for d in "$1"/*/; do
                d=${d%/}
                [ -d "$d" ] && [ "${d##*/}" != supd ] && { echo "$d"; return 0; }
        done
        return 1
}

# Some process is in the cgroup (cgroupfs files always have size 0: no -s).
cg_populated() { [ -n "$(cat "$1/cgroup.procs" 2>/dev/null)" ]; }

svc_cgroup_gone() { ! svc_cgroup "$1" >/dev/null; }

# A cgroup and what is in it, for messages.
cg_show() {
        local pid
        echo "$1:"
        for pid in $(cat "$1/cgroup.procs" 2>/dev/null); do
                echo "  $pid $(proc_state "$pid") $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
        done
}

# events_at_least FILE KEY N: the flat-keyed file has KEY >= N.
events_at_least() {
        local v
        v=$(sed -n "s/^$2 //p" "$1" 2>/dev/null)
        [ -n "$v" ] && [ "$v" -ge "$3" ]
}
