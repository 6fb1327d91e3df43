#!/usr/bin/env bash
# tests/bench/wakeups.sh — figure 2: idle wakeups.
#
# Context switches (voluntary + involuntary, /proc/PID/status) and CPU
# (/proc/PID/schedstat) of the idle supervisor over a quiet window of
# $BENCH_IDLE seconds, scaled to one minute:
#   2a  10 services: supervisord, s6 tree, runit tree, supd -c (the sum over
#       the supervisor's processes, services excluded; bench_probe samples);
#   2b  one command (`sleep`) under tini, dumb-init, catatonit, supd as PID 1.
# All stacks idle side by side in one window (idle processes do not disturb
# each other), $BENCH_RUNS_WAKE rounds (default 3).
set -u
. "$(dirname "$0")/lib.sh"
bench_peers_ready || exit 1
: "${BENCH_RUNS_WAKE:=$([ "$BENCH_QUICK" = 1 ] && echo 1 || echo 3)}"
idle_ms=$((BENCH_IDLE * 1000))

declare -A W C
round() {
        local kind init pid dir c0 c1 s0 s1
        local -A probe_pid probe_dir ns init_pid
        for kind in "${BENCH_SUPERVISORS[@]}"; do
                if [ "$kind" = supd ] && ! bench_sup_available supd; then
                        W[svc-$kind]+=" unavailable"; C[svc-$kind]+=" unavailable"
                        continue
                fi
                bench_probe_start "$kind" "$BENCH_SVCS" $((BENCH_IDLE + 60)) -s "$BENCH_SETTLE_MS" -i "$idle_ms"
                probe_pid[$kind]=$PROBE_PID probe_dir[$kind]=$PROBE_DIR
        done
        for init in "${BENCH_INITS[@]}"; do
                if bench_ns_start "$init" sleep 100000 && bench_child_exe "$INIT_PID" /bin/sleep; then
                        ns[$init]=$NS_PID init_pid[$init]=$INIT_PID
                else
                        ns[$init]=$NS_PID init_pid[$init]=
                fi
        done
        sleep "$(awk -v ms="$BENCH_SETTLE_MS" 'BEGIN {print ms / 1000}')"
        declare -A cx cpu
        for init in "${BENCH_INITS[@]}"; do
                pid=${init_pid[$init]}
                [ -n "$pid" ] || continue
                cx[$init]=$(bench_ctxt "$pid")
                read -r cpu[$init] _ <"/proc/$pid/schedstat"
        done
        sleep "$BENCH_IDLE"
        for init in "${BENCH_INITS[@]}"; do
                pid=${init_pid[$init]}
                if [ -n "$pid" ] && c1=$(bench_ctxt "$pid") && read -r s1 _ <"/proc/$pid/schedstat"; then
                        c0=${cx[$init]} s0=${cpu[$init]}
                        W[cmd-$init]+=" $(awk -v d=$((c1 - c0)) -v t="$BENCH_IDLE" 'BEGIN {print d * 60 / t}')"
                        C[cmd-$init]+=" $(awk -v d=$((s1 - s0)) -v t="$BENCH_IDLE" 'BEGIN {print d / 1000 * 60 / t}')"
                else
                        W[cmd-$init]+=" fail"; C[cmd-$init]+=" fail"
                fi
                bench_stop "${ns[$init]}"
        done
        for kind in "${BENCH_SUPERVISORS[@]}"; do
                [ -n "${probe_pid[$kind]:-}" ] || continue
                bench_probe_finish "${probe_pid[$kind]}" "${probe_dir[$kind]}" "$kind" "$BENCH_SVCS"
                W[svc-$kind]+=" $(awk -v d="$(bench_kv "$PROBE_OUT" wakeups)" -v t="$BENCH_IDLE" \
                        'BEGIN {print d == "" ? "fail" : d * 60 / t}')"
                C[svc-$kind]+=" $(awk -v d="$(bench_kv "$PROBE_OUT" idle_cpu_us)" -v t="$BENCH_IDLE" \
                        'BEGIN {print d == "" ? "fail" : d * 60 / t}')"
        done
}

for ((r = 0; r < BENCH_RUNS_WAKE; r++)); do round; done
# shellcheck disable=SC2086
for kind in "${BENCH_SUPERVISORS[@]}"; do
        bench_record "2a idle, $BENCH_SVCS services" wakeups /min "$kind" ${W[svc-$kind]}
        bench_record "2a idle, $BENCH_SVCS services" CPU µs/min "$kind" ${C[svc-$kind]}
done
# shellcheck disable=SC2086
for init in "${BENCH_INITS[@]}"; do
        bench_record "2b idle, 1 command" wakeups /min "$init" ${W[cmd-$init]}
        bench_record "2b idle, 1 command" CPU µs/min "$init" ${C[cmd-$init]}
done
exit 0
