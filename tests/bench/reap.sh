#!/usr/bin/env bash
# tests/bench/reap.sh — figure 6: reaping as PID 1.
#
# tini, dumb-init, catatonit and supd (single-command mode) each run
# bench_orphans as PID 1 of a new PID namespace. bench_orphans makes
# $BENCH_ORPHANS (default 5000) double forks, so every grandchild is an
# orphan the init must reap, then waits until nothing but PID 1 and itself
# is left. Figures: orphans reaped per second (start of the loop → last one
# reaped) and the CPU the init spent per orphan (its /proc/1/schedstat
# run time over the loop, ns resolution). Inits interleaved across runs.
# The producer's fork speed bounds the rate: the CPU per orphan is the
# figure that tells the inits apart.
set -u
. "$(dirname "$0")/lib.sh"
bench_peers_ready || exit 1
: "${BENCH_ORPHANS:=$([ "$BENCH_QUICK" = 1 ] && echo 20 || echo 5000)}"

one() {         # INIT → bench_orphans' output line, or nothing
        bench_tmp
        bench_init_argv "$1" || return 1
        bench_bg timeout -k 5 120 unshare --pid --fork --mount-proc --kill-child \
                "${INIT_ARGV[@]}" "$HELPERS/bench_orphans" "$BENCH_ORPHANS" >"$BT/out" 2>&1
        bench_wait "$BG_PID" || bench_log "$1: $(cat "$BT/out")"
        grep '^orphans=' "$BT/out"
        rm -rf "$BT"
}

declare -A RATE CPU
if [ "$BENCH_WARMUP" = 1 ]; then
        for init in "${BENCH_INITS[@]}"; do one "$init" >/dev/null; done
fi
for ((r = 0; r < BENCH_RUNS; r++)); do
        for init in "${BENCH_INITS[@]}"; do
                line=$(one "$init")
                if [[ "$line" == *" left=0 "* ]]; then
                        RATE[$init]+=" $(awk -v n="$BENCH_ORPHANS" '{ for (i = 1; i <= NF; i++) {
                                split($i, kv, "="); if (kv[1] == "reaped_s") print n / kv[2] } }' <<<"$line")"
                        CPU[$init]+=" $(awk -v n="$BENCH_ORPHANS" '{ for (i = 1; i <= NF; i++) {
                                split($i, kv, "="); if (kv[1] == "init_cpu_us") print kv[2] / n } }' <<<"$line")"
                else
                        RATE[$init]+=" fail"; CPU[$init]+=" fail"
                fi
        done
done
# shellcheck disable=SC2086
for init in "${BENCH_INITS[@]}"; do
        bench_record "6 reaping $BENCH_ORPHANS orphans as PID 1" rate orphans/s "$init" ${RATE[$init]}
done
# shellcheck disable=SC2086
for init in "${BENCH_INITS[@]}"; do
        bench_record "6 reaping $BENCH_ORPHANS orphans as PID 1" "init CPU" "µs/orphan" "$init" ${CPU[$init]}
done
exit 0
