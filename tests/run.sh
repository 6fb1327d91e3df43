#!/usr/bin/env bash
# tests/run.sh — one runner for every test level.
#
#   tests/run.sh                      all levels
#   tests/run.sh -l unit|integration|vm|container [-l ...]
#   tests/run.sh PATTERN              only tests whose name contains PATTERN
#                                     (e.g. single/test_exit_codes)
#
# Each test prints one "PASS name" or "FAIL name" line; the last line is
# "N passed, N failed". Exit status 0 only when nothing failed.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
export SUP_ROOT=$ROOT
export SUPD=${SUPD:-$ROOT/build/asan/supd}
export SUPCTL=${SUPCTL:-$ROOT/build/asan/supctl}
export SUPRUN=${SUPRUN:-$ROOT/build/asan/suprun}
# Services are real programs, not ASan builds; supd's own leaks are checked
# by the unit tests, where no child outlives a test.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

levels=()
pattern=""
while [ $# -gt 0 ]; do
        case "$1" in
        -l) levels+=("$2"); shift 2 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) pattern=$1; shift ;;
        esac
done
[ ${#levels[@]} -gt 0 ] || levels=(unit integration vm container)

# One run at a time on a machine: runs from two clones would share cgroup
# names under our own cgroup and see each other's leftovers.
# A directory, not flock(1): a lock fd would be inherited by every service
# the tests start. A lock whose holder is gone is taken over.
LOCK=/tmp/sup-tests.lock
until mkdir "$LOCK" 2>/dev/null; do
        holder=$(cat "$LOCK/pid" 2>/dev/null)
        if [ -n "$holder" ] && ! kill -0 "$holder" 2>/dev/null; then
                rm -rf "$LOCK"; continue
        fi
        [ -n "${said_waiting:-}" ] || echo "tests/run.sh: waiting for the test run of pid ${holder:-?} ($LOCK)" >&2
        said_waiting=1
        sleep 2
done
echo $$ >"$LOCK/pid"
trap 'rm -rf "$LOCK"' EXIT

passed=0 failed=0 failures=()
LOGDIR=$(mktemp -d /tmp/sup-tests.XXXXXX)

record() {      # record PASS|FAIL name [logfile]
        if [ "$1" = PASS ]; then
                passed=$((passed + 1)); echo "PASS $2"
        else
                failed=$((failed + 1)); failures+=("$2"); echo "FAIL $2"
                [ -n "${3:-}" ] && [ -f "$3" ] && tail -n 40 "$3" | sed 's/^/    | /'
        fi
}

matches() { [ -z "$pattern" ] || [[ "$1" == *"$pattern"* ]]; }

# A program that prints PASS/FAIL lines itself (unit binaries, VM, container).
run_reporting() {       # run_reporting LABEL LOG CMD...
        local label=$1 log=$2 line seen=0 rc
        shift 2
        "$@" >"$log" 2>&1
        rc=$?
        while IFS= read -r line; do
                case "$line" in
                PASS\ *) matches "${line#PASS }" && { record PASS "${line#PASS }"; seen=1; } ;;
                FAIL\ *) matches "${line#FAIL }" && { record FAIL "${line#FAIL }" "$log"; seen=1; } ;;
                esac
        done <"$log"
        if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$log"; then
                record FAIL "$label (exit $rc, no test reported failing)" "$log"
        elif [ $seen = 0 ] && [ -z "$pattern" ]; then
                record FAIL "$label (reported no test)" "$log"
        fi
}

run_unit() {
        local bin
        for bin in build/asan/tests/test_*; do
                [ -x "$bin" ] || continue
                run_reporting "unit/$(basename "$bin")" "$LOGDIR/$(basename "$bin").log" "$bin"
        done
        # the layout rules of docs/design.md, and proof that each rule bites
        run_reporting "lint/layers" "$LOGDIR/layers.log" python3 tests/lint/layers.py
        run_reporting "lint/layers --self-test" "$LOGDIR/layers-self.log" \
                python3 tests/lint/layers.py --self-test
        # the confd fuzzer, for a short bounded run (`make fuzz` runs it longer)
        if [ -x tests/fuzz/run.sh ] && matches fuzz/confd; then
                run_reporting "fuzz/confd" "$LOGDIR/fuzz.log" tests/fuzz/run.sh "${FUZZ_SECONDS:-30}"
        fi
}

# Integration: every test_* function of tests/integration/*.sh runs alone,
# in a fresh bash with tests/lib/lib.sh loaded, under a deadline.
run_integration() {
        local file name fn log
        for file in tests/integration/*.sh; do
                [ -f "$file" ] || continue
                name=$(basename "$file" .sh)
                for fn in $(bash -c "source tests/lib/lib.sh; source '$file'; declare -F" |
                            awk '$3 ~ /^test_/ {print $3}'); do
                        matches "$name/$fn" || continue
                        log="$LOGDIR/$name.$fn.log"
                        if timeout -k 5 "${TEST_TIMEOUT:-120}" \
                                bash -c "source tests/lib/lib.sh; source '$file'; lib_run_test $fn" \
                                >"$log" 2>&1 </dev/null; then
                                record PASS "$name/$fn"
                        else
                                record FAIL "$name/$fn" "$log"
                        fi
                done
        done
}

run_suite_script() {    # vm and container suites drive their own machine
        local level=$1
        [ -x "tests/$level/run.sh" ] || return 0
        run_reporting "$level" "$LOGDIR/$level.log" "tests/$level/run.sh" "$pattern"
}

# What each level runs besides our own binaries, installed before the level
# starts (tests/lib/deps.sh; apt-get only for what is missing), so a fresh
# Debian machine runs `make test` with nothing done by hand. The vm and
# container levels install theirs in tests/vm/run.sh, tests/container/run.sh.
#   busybox-static      minimal root trees (tests/lib/rootfs.sh)
#   python3             tests/lint/layers.py, control-socket probes, pty_run.py
#   clang, libclang-rt-dev   the confd fuzzer (libFuzzer's runtime)
#   man-db, groff-base  the man pages' `man --warnings` check
# The integration level's benchmark test installs the peers itself
# (bench_peers_ready in tests/bench/lib.sh).
level_deps() {  # level_deps LEVEL
        local pkgs
        case "$1" in
        unit) pkgs="busybox-static python3 clang libclang-rt-dev man-db groff-base" ;;
        integration) pkgs="busybox-static python3 man-db groff-base" ;;
        *) return 0 ;;
        esac
        . tests/lib/deps.sh
        # shellcheck disable=SC2086
        need_pkg $pkgs || record FAIL "deps/$1 (could not install: $pkgs)"
}

for level in "${levels[@]}"; do
        level_deps "$level"
        case "$level" in
        unit) run_unit ;;
        integration) run_integration ;;
        vm|container) run_suite_script "$level" ;;
        *) echo "unknown level: $level" >&2; exit 2 ;;
        esac
done

if [ $failed -gt 0 ]; then
        echo "failed:"; printf '  %s\n' "${failures[@]}"
        echo "logs: $LOGDIR"
else
        rm -rf "$LOGDIR"
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ] && [ $passed -gt 0 ]
