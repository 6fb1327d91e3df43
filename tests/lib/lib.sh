# tests/lib/lib.sh — helpers for integration tests (bash).
#
# A test is a function test_NAME in tests/integration/FILE.sh. It runs in its
# own bash with a private scratch dir $T, fails through `fail MSG` (or any
# non-zero return), and everything it started with `bg`/`run_pid1` is killed
# by PID at the end, whatever happened. Waits have deadlines; never assert
# on a bare sleep. Topic helpers live in tests/lib/lib_*.sh and load here.

: "${SUP_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${SUPD:=$SUP_ROOT/build/asan/supd}"
: "${SUPCTL:=$SUP_ROOT/build/asan/supctl}"
: "${SUPRUN:=$SUP_ROOT/build/asan/suprun}"

LIB_PIDS=()             # background processes to kill at the end
LIB_CLEANUPS=()         # commands to run at the end (umount, rmdir cgroup...)

fail() { echo "FAILED: $*" >&2; exit 1; }
note() { echo "# $*" >&2; }

# cleanup CMD...: run CMD at the end of the test (last registered runs first).
cleanup() { LIB_CLEANUPS+=("$*"); }

lib_finish() {
        local i pid
        for ((i = ${#LIB_CLEANUPS[@]} - 1; i >= 0; i--)); do
                eval "${LIB_CLEANUPS[$i]}" >/dev/null 2>&1 || true
        done
        for pid in "${LIB_PIDS[@]}"; do
                kill -KILL "$pid" 2>/dev/null || true
        done
        for pid in "${LIB_PIDS[@]}"; do
                wait "$pid" 2>/dev/null || true
        done
        [ -n "${T:-}" ] && rm -rf "$T"
}

lib_run_test() {
        T=$(mktemp -d /tmp/sup-test.XXXXXX)
        trap lib_finish EXIT
        cd "$T" || exit 1
        "$1"
}

# bg CMD...: start in the background, track its pid in $BG_PID.
bg() {
        "$@" &
        BG_PID=$!
        LIB_PIDS+=("$BG_PID")
}

# run_pid1 ARGS...: supd ARGS as PID 1 of a new PID namespace (with its own
# /proc), in the background. $PID1_HOST is its pid as seen from here (the
# unshare process, which waits for it and exits with its code).
run_pid1() {
        bg unshare --pid --fork --mount-proc --kill-child "$SUPD" "$@"
        PID1_HOST=$BG_PID
}

# wait_for SECONDS CMD...: poll CMD until it succeeds or the deadline passes.
wait_for() {
        local limit=$1 deadline
        shift
        deadline=$(( $(now_us) + limit * 1000000 ))
        until "$@"; do
                [ "$(now_us)" -lt "$deadline" ] || return 1
                sleep 0.02
        done
}

# Microseconds since the epoch, from bash itself: no fork, and busybox date
# (the VM level runs these helpers too) has no %N.
now_us() { local t=${EPOCHREALTIME//[!0-9]/}; echo "${t#0}"; }

# expect_exit CODE SECONDS [PID]: PID (default: last bg) exits with CODE in time.
expect_exit() {
        local want=$1 limit=$2 pid=${3:-$BG_PID} rc
        wait_for "$limit" proc_gone "$pid" || fail "pid $pid still running after ${limit}s"
        wait "$pid"
        rc=$?
        [ "$rc" = "$want" ] || fail "exit code $rc, expected $want"
}

# The process is gone or a zombie waiting for us (from /proc: busybox's ps
# has no -p).
proc_gone() { ! [ -d "/proc/$1" ] || [ "$(proc_state "$1")" = Z ]; }

# Single-letter state of a process (R, S, Z...), empty when it is gone.
proc_state() { sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null; }

# file_has FILE REGEX: the file exists and a line matches.
file_has() { [ -f "$1" ] && grep -qE -- "$2" "$1"; }

for __f in "$SUP_ROOT"/tests/lib/lib_*.sh; do
        [ -f "$__f" ] && . "$__f"
done
unset __f
