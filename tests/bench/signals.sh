#!/usr/bin/env bash
# tests/bench/signals.sh — figure 7: signal forwarding latency, init → child.
#
# tini, dumb-init, catatonit and supd (single-command mode) run
# `bench_siglat child` as PID 1 of a new PID namespace. From outside,
# `bench_siglat send` stamps CLOCK_MONOTONIC, sends SIGUSR1 to the init and
# reads the child's stamp taken when sigwaitinfo() returned: kill() → init
# wakes → init forwards → child runs. $BENCH_SIGNALS (default 200) signals
# a run, one in flight at a time; each run gives its median; inits
# interleaved across runs.
set -u
. "$(dirname "$0")/lib.sh"
bench_peers_ready || exit 1
: "${BENCH_SIGNALS:=$([ "$BENCH_QUICK" = 1 ] && echo 10 || echo 200)}"

one() {         # INIT → median latency in µs, or "fail"
        local out
        bench_tmp
        mkfifo "$BT/fifo"
        if ! bench_ns_start "$1" "$HELPERS/bench_siglat" child "$BT/fifo" ||
           ! bench_child_exe "$INIT_PID" "$HELPERS/bench_siglat"; then
                bench_stop "$NS_PID"
                echo fail
                return
        fi
        bench_bg timeout -k 5 60 "$HELPERS/bench_siglat" send "$INIT_PID" "$BT/fifo" "$BENCH_SIGNALS" \
                >"$BT/out" 2>&1
        bench_wait "$BG_PID"
        out=$(cat "$BT/out")
        bench_stop "$NS_PID"
        rm -rf "$BT"
        [[ "$out" == siglat_us* ]] || { bench_log "$1: $out"; echo fail; return; }
        sed -n 's/.*median=\([0-9.]*\).*/\1/p' <<<"$out"
}

declare -A LAT
if [ "$BENCH_WARMUP" = 1 ]; then
        for init in "${BENCH_INITS[@]}"; do one "$init" >/dev/null; done
fi
for ((r = 0; r < BENCH_RUNS; r++)); do
        for init in "${BENCH_INITS[@]}"; do
                LAT[$init]+=" $(one "$init")"
        done
done
# shellcheck disable=SC2086
for init in "${BENCH_INITS[@]}"; do
        bench_record "7 signal forwarding, init → child (SIGUSR1)" latency µs "$init" ${LAT[$init]}
done
exit 0
