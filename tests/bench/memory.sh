#!/usr/bin/env bash
# tests/bench/memory.sh — figure 1: memory of the idle init / supervisor.
#
# 1a  one command (`sleep`) under tini, dumb-init, catatonit, supd, each as
#     PID 1 of its own PID namespace: smaps_rollup of the init alone.
# 1b  1, 10 and $BENCH_BIG idle services under supervisord, s6-svscan (+ one
#     s6-supervise per service), runsvdir (+ one runsv per service) and
#     supd -c: the sum over the supervisor's processes, services excluded.
# Private (Private_Clean + Private_Dirty) and PSS are the honest figures;
# RSS sums count shared libc pages once per process. Instances run one at a
# time (a second instance would share pages and lower PSS/private).
# The big runs also give figure 3's start time for $BENCH_BIG services.
set -u
. "$(dirname "$0")/lib.sh"
bench_peers_ready || exit 1
# A binary written moments ago (make) has dirty page-cache pages, which smaps
# counts as the mapping's Private_Dirty until they are written back.
sync

single_run() {          # INIT → "rss pss private dirty" or "fail"
        if ! bench_ns_start "$1" sleep 1000 || ! bench_child_exe "$INIT_PID" /bin/sleep; then
                echo fail
        else
                sleep "$(awk -v ms="$BENCH_SETTLE_MS" 'BEGIN {print ms / 1000}')"
                bench_smaps "$INIT_PID" || echo fail
        fi
        bench_stop "$NS_PID"
}

single_command() {
        local init r round rss pss priv dirty
        local -A R P V D
        if [ "$BENCH_WARMUP" = 1 ]; then
                for init in "${BENCH_INITS[@]}"; do single_run "$init" >/dev/null; done
        fi
        for ((round = 0; round < BENCH_RUNS; round++)); do
                for init in "${BENCH_INITS[@]}"; do     # interleaved across rounds
                        r=$(single_run "$init")
                        read -r rss pss priv dirty <<<"$r"
                        R[$init]+=" ${rss:-fail}"; P[$init]+=" ${pss:-fail}"
                        V[$init]+=" ${priv:-fail}"; D[$init]+=" ${dirty:-fail}"
                done
        done
        for init in "${BENCH_INITS[@]}"; do
                # shellcheck disable=SC2086
                {
                        bench_record "1a memory, 1 command" "private dirty" kB "$init" ${D[$init]}
                        bench_record "1a memory, 1 command" private kB "$init" ${V[$init]}
                        bench_record "1a memory, 1 command" PSS kB "$init" ${P[$init]}
                        bench_record "1a memory, 1 command" RSS kB "$init" ${R[$init]}
                }
        done
        return 0
}

services() {            # N RUNS WARMUP
        local n=$1 runs=$2 warm=$3 kind round limit=120
        local -A R P V S D
        local label="$n services"
        [ "$n" = 1 ] && label="1 service"
        [ "$n" -ge 100 ] && limit=600
        for kind in "${BENCH_SUPERVISORS[@]}"; do
                if [ "$kind" = supd ] && ! bench_sup_available supd; then
                        R[$kind]=unavailable P[$kind]=unavailable V[$kind]=unavailable
                        S[$kind]=unavailable D[$kind]=unavailable
                        continue
                fi
                if [ "$kind" = supervisord ] && [ "$n" -ge 100 ] && [ "${BENCH_SUPERVISORD_1000:-0}" != 1 ]; then
                        continue        # minutes per run: opt-in (see docs/benchmarks.md)
                fi
                [ "$warm" = 1 ] && [ "$BENCH_WARMUP" = 1 ] && bench_probe "$kind" "$n" $limit -s 0
                for ((round = 0; round < runs; round++)); do
                        bench_probe "$kind" "$n" $limit -s "$BENCH_SETTLE_MS" -m
                        V[$kind]+=" $(bench_kv "$PROBE_OUT" priv_kb)"
                        D[$kind]+=" $(bench_kv "$PROBE_OUT" dirty_kb)"
                        P[$kind]+=" $(bench_kv "$PROBE_OUT" pss_kb)"
                        R[$kind]+=" $(bench_kv "$PROBE_OUT" rss_kb)"
                        S[$kind]+=" $(bench_kv "$PROBE_OUT" start_ms)"
                done
        done
        for kind in "${BENCH_SUPERVISORS[@]}"; do
                [ -n "${V[$kind]:-}" ] || continue
                # shellcheck disable=SC2086
                {
                        bench_record "1b memory, $label" "private dirty" kB "$kind" ${D[$kind]}
                        bench_record "1b memory, $label" private kB "$kind" ${V[$kind]}
                        bench_record "1b memory, $label" PSS kB "$kind" ${P[$kind]}
                        bench_record "1b memory, $label" RSS kB "$kind" ${R[$kind]}
                        [ "$n" -ge 100 ] &&
                                bench_record "3 start → all running, $label" time ms "$kind" ${S[$kind]}
                }
        done
        return 0
}

single_command
if [ "$BENCH_QUICK" != 1 ]; then       # the smoke test runs the big size only
        services 1 "$BENCH_RUNS" 1
        services "$BENCH_SVCS" "$BENCH_RUNS" 1
fi
services "$BENCH_BIG" "$BENCH_RUNS_BIG" 0
exit 0
