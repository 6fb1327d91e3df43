#!/usr/bin/env bash
# tests/bench/run.sh — every benchmark, supd side by side with its peers.
#
#   tests/bench/run.sh [--quick] [FIGURE-SCRIPT...]
#
# Runs tests/bench/{memory,wakeups,startstop,restart,reap,signals}.sh, then
# logs.sh, spawn.sh, config.sh (config growth) and control.sh (status in a
# crowd) when present, and prints one Markdown table: median,
# min–max over the runs, n, and supd's median divided by each peer's.
# --quick: every benchmark once with tiny sizes (a smoke test of the
# scripts, numbers meaningless). Raw rows and per-script logs are kept in
# build/bench/. Knobs: see tests/bench/lib.sh. Numbers are for reading;
# nothing here asserts a timing.
set -u
cd "$(dirname "$0")/../.."
export BENCH_ROOT=$PWD
scripts=()
while [ $# -gt 0 ]; do
        case "$1" in
        --quick) export BENCH_QUICK=1 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) scripts+=("$1") ;;
        esac
        shift
done
[ ${#scripts[@]} -gt 0 ] ||
        scripts=(memory wakeups startstop restart reap signals logs spawn health config control)
. tests/bench/lib.sh

# The release supd, the helper programs and the static build (`make bench`
# has built the first two; the quick smoke test builds nothing).
if [ "$BENCH_QUICK" != 1 ]; then
        make -s all helpers >&2 || exit 1
        make -s static >/dev/null 2>&1 || echo "bench: make static failed; no supd-static rows" >&2
fi
[ -x "$BENCH_ROOT/build/helpers/bench_probe" ] || { echo "bench: build the helpers first (make helpers)" >&2; exit 1; }
bench_peers_ready || { echo "bench: peers missing and could not be installed" >&2; exit 1; }

OUT=$BENCH_ROOT/build/bench
mkdir -p "$OUT"
export BENCH_RESULTS=$OUT/results.txt
: >"$BENCH_RESULTS"

machine() {
        local p
        echo "- machine: $(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, kernel $(uname -r), $( . /etc/os-release; echo "$PRETTY_NAME")"
        printf -- '- packages:'
        for p in tini dumb-init catatonit supervisor s6 runit util-linux python3; do
                printf ' %s %s,' "$p" "$(dpkg-query -W -f '${Version}' "$p" 2>/dev/null || echo '?')"
        done
        echo
        echo "- supd: $(git log -1 --format='%h %cs' 2>/dev/null), $(stat -c %s build/supd) bytes, $(file -b build/supd | cut -d, -f1-2)"
}

start=$(date +%s)
load0=$(cut -d' ' -f1-3 /proc/loadavg)
# spawn.sh (the runtime's) prints its own hyperfine table: its medians
# become rows here (subject "sup" is supd's runtime, suprun).
record_spawn() {        # LOG RUNS
        awk -v runs="$2" '
        /^command +median ms +vs sup/ { t = 1; next }
        t && NF == 5 && $3 ~ /x$/ {
                s = $1 == "sup" ? "supd" : $1
                printf "9 sandboxed spawn of /bin/true (hyperfine median of %d)|time|ms|%s|%s\n", runs, s, $2
                next }
        t && NF != 5 { t = 0 }
        /^rt_spawn plain/ { k = "plain" } /^rt_spawn sandboxed/ { k = "sandboxed" }
        /parent side/ && k { printf "9b rt_spawn, parent side (supd loop; median of %s)|%s|µs|supd|%s\n", $NF, k, $6 }
        ' "$1" | sed 's/(n=\([0-9]*\))/\1/' >>"$BENCH_RESULTS"
}

# Scripts that record no rows (other modules' own formats) are quoted as is.
RAW=()
for s in "${scripts[@]}"; do
        s=${s%.sh}
        f=tests/bench/$s.sh
        [ -f "$f" ] || { [ "$s" = logs ] || [ "$s" = spawn ] || echo "bench: no $f" >&2; continue; }
        if [ "$BENCH_QUICK" = 1 ] && { [ "$s" = logs ] || [ "$s" = spawn ]; } && [ "${BENCH_QUICK_ALL:-0}" != 1 ]; then
                echo "bench: $s skipped in quick mode (BENCH_QUICK_ALL=1 runs it)" >&2
                continue
        fi
        echo "bench: $s ..." >&2
        t0=$(date +%s)
        rows=$(wc -l <"$BENCH_RESULTS")
        args=()
        [ "$s" = spawn ] && args=("${BENCH_SPAWN_RUNS:=$([ "$BENCH_QUICK" = 1 ] && echo 3 || echo 30)}")
        bash "$f" "${args[@]}" >"$OUT/$s.log" 2>&1 || echo "bench: $f exited $? (see $OUT/$s.log)" >&2
        [ "$s" = spawn ] && record_spawn "$OUT/$s.log" "$BENCH_SPAWN_RUNS"
        [ "$(wc -l <"$BENCH_RESULTS")" -gt "$rows" ] || RAW+=("$s")
        echo "bench: $s done in $(( $(date +%s) - t0 )) s" >&2
done
load1=$(cut -d' ' -f1-3 /proc/loadavg)

echo
bench_table "$BENCH_RESULTS"
echo
for s in "${RAW[@]}"; do
        printf '%s.sh (its own output):\n\n```\n' "$s"
        grep -v '^\s*$' "$OUT/$s.log"
        printf '```\n\n'
done
machine
echo "- run: $(date -u '+%F %H:%M UTC'), $(( $(date +%s) - start )) s, $( [ "$BENCH_QUICK" = 1 ] && echo "QUICK (smoke test, numbers meaningless)" || echo "runs $BENCH_RUNS (1000 services: $BENCH_RUNS_BIG), idle window $BENCH_IDLE s"), load average $load0 before, $load1 after"
