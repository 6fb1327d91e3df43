#!/usr/bin/env bash
# tests/bench/restart.sh — figure 5: crash-to-restart latency.
#
# One of 10 services is SIGKILLed; the time until its replacement runs
# (announces itself on the FIFO). Each crash comes $BENCH_RESTART_GAP ms
# (default 1200) after the previous start, past the 1 s "started too
# recently" guards of runsv and s6-supervise. supd: restart_delay = 0;
# the others at their defaults (supervisord autorestart=true).
# $BENCH_RESTARTS crashes (default 4) per run, every sample is kept.
set -u
. "$(dirname "$0")/lib.sh"
bench_peers_ready || exit 1
: "${BENCH_RESTART_GAP:=$([ "$BENCH_QUICK" = 1 ] && echo 300 || echo 1200)}"
: "${BENCH_RESTARTS:=$([ "$BENCH_QUICK" = 1 ] && echo 1 || echo 4)}"
runs=$(( BENCH_RUNS > 3 ? 3 : BENCH_RUNS ))

declare -A L
for kind in "${BENCH_SUPERVISORS[@]}"; do
        if [ "$kind" = supd ] && ! bench_sup_available supd; then
                L[$kind]=unavailable
                continue
        fi
        for ((r = 0; r < runs; r++)); do
                bench_probe "$kind" "$BENCH_SVCS" 60 -s 0 -r "$BENCH_RESTARTS" -g "$BENCH_RESTART_GAP"
                v=$(bench_kv "$PROBE_OUT" restart_ms)
                L[$kind]+=" ${v//,/ }"
                [ -n "$v" ] || L[$kind]+=" fail"
        done
done
# shellcheck disable=SC2086
for kind in "${BENCH_SUPERVISORS[@]}"; do
        bench_record "5 crash → restarted, 1 of $BENCH_SVCS services" time ms "$kind" ${L[$kind]}
done
exit 0
