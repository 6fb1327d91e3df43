#!/usr/bin/env bash
# tests/bench/startstop.sh — figures 3 and 4 with 10 services.
#
# 3  start → all running: from fork of the supervisor until the 10th
#    bench_svc has announced itself on the FIFO (it runs its main()).
#    ($BENCH_BIG services: measured in the big runs of memory.sh.)
# 4  shutdown: from the stop signal (TERM; runsvdir: HUP, its "stop every
#    service" signal — TERM would leave the runsv tree running) until no
#    process but the probe is left in the PID namespace. Services die on
#    TERM at once, so this is the supervisor's own shutdown path.
# The supervisor runs as the only child of bench_probe, the PID 1 that
# measures (a supervisor that exits early gets no credit: its leftovers
# are counted until they are gone).
set -u
. "$(dirname "$0")/lib.sh"
bench_peers_ready || exit 1

declare -A S P
for kind in "${BENCH_SUPERVISORS[@]}"; do
        if [ "$kind" = supd ] && ! bench_sup_available supd; then
                S[$kind]=unavailable P[$kind]=unavailable
                continue
        fi
        bench_sup_prepare "$kind" 1 && rm -rf "$BT"   # for SUP_STOP
        stop=$SUP_STOP
        [ "$BENCH_WARMUP" = 1 ] && bench_probe "$kind" "$BENCH_SVCS" 60 -s 0
        for ((r = 0; r < BENCH_RUNS; r++)); do
                bench_probe "$kind" "$BENCH_SVCS" 60 -s "$BENCH_SETTLE_MS" -k "$stop"
                S[$kind]+=" $(bench_kv "$PROBE_OUT" start_ms)"
                P[$kind]+=" $(bench_kv "$PROBE_OUT" stop_ms)"
        done
done
# shellcheck disable=SC2086
for kind in "${BENCH_SUPERVISORS[@]}"; do
        bench_record "3 start → all running, $BENCH_SVCS services" time ms "$kind" ${S[$kind]}
done
# shellcheck disable=SC2086
for kind in "${BENCH_SUPERVISORS[@]}"; do
        bench_record "4 stop signal → last process gone, $BENCH_SVCS services" time ms "$kind" ${P[$kind]}
done
exit 0
