#!/usr/bin/env bash
# tests/bench/health.sh — figure 10: supd's own CPU per health check.
#
# $BENCH_SVCS services, each checked every 100 ms, for a window of
# $BENCH_HEALTH_WINDOW seconds (default 10): supd's CPU time over the window
# (/proc/PID/schedstat: what the kernel charged supd itself, not the check
# commands, which are children with their own accounts) divided by the checks
# completed in it (the "checks" count of `supctl status --json`, read outside
# the window). Kinds: exec `/bin/true` without a sandbox; exec in a sandbox
# (pid, mount, uts, net namespaces, user nobody: setns through the pidfd);
# tcp and http against a loopback listener the script starts. No peer runs
# checks inside a multi-service container, so the rows are supd's alone;
# the goal is under 1 ms per exec check and nothing measurable per tcp check.
set -u
. "$(dirname "$0")/lib.sh"
: "${BENCH_HEALTH_WINDOW:=$([ "$BENCH_QUICK" = 1 ] && echo 2 || echo 10)}"
runs=$(( BENCH_RUNS > 3 ? 3 : BENCH_RUNS ))
SUPCTL=${BENCH_SUPCTL:-$BENCH_ROOT/build/supctl}
port=$((20000 + RANDOM % 20000))

# config KIND: $BT/sup.ini with $BENCH_SVCS services checked the KIND way.
config() {
        local kind=$1 i check extra=""
        printf '[supd]\nsocket = %s/s.sock\nshutdown_timeout = 2s\n\n' "$BT" >"$BT/sup.ini"
        case $kind in
        exec) check="/bin/true" ;;
        exec-sandbox) check="/bin/true"
                extra=$'namespaces = pid mount uts net\nuser = nobody\n' ;;
        tcp) check="tcp:$port" ;;
        http) check="http:$port/" ;;
        esac
        for ((i = 0; i < BENCH_SVCS; i++)); do
                printf '[service:s%d]\ncommand = sleep 100000\n%shealth_check = %s\nhealth_interval = 100ms\n\n' \
                        "$i" "$extra" "$check" >>"$BT/sup.ini"
        done
}

checks() {
        "$SUPCTL" -s "$BT/s.sock" status --json 2>/dev/null |
                python3 -c 'import json, sys; print(sum((s["health"] or {}).get("checks", 0) for s in json.load(sys.stdin)["services"]))'
}

# measure KIND: appends µs per check to V[KIND].
declare -A V
measure() {
        local kind=$1 pid c0 c1 t0 t1
        bench_tmp
        config "$kind"
        bench_bg unshare --pid --fork --mount-proc --kill-child "$BENCH_SUPD" -c "$BT/sup.ini"
        local ns=$BG_PID
        bench_deadline 10
        pid=
        while bench_before_deadline && [ -z "$pid" ]; do
                bench_children "$ns"
                pid=${CHILDREN[0]:-}
                sleep 0.05
        done
        bench_deadline 20
        while bench_before_deadline && ! [ "$(checks)" -ge "$BENCH_SVCS" ] 2>/dev/null; do sleep 0.1; done
        if [ -z "$pid" ] || ! [ "$(checks)" -ge "$BENCH_SVCS" ] 2>/dev/null; then
                V[$kind]+=" fail"
                bench_stop "$ns"
                return
        fi
        c0=$(checks)
        read -r t0 _ <"/proc/$pid/schedstat"
        sleep "$BENCH_HEALTH_WINDOW"
        read -r t1 _ <"/proc/$pid/schedstat"
        c1=$(checks)
        bench_log "$kind: $((c1 - c0)) checks, supd CPU $(( (t1 - t0) / 1000 )) µs"
        V[$kind]+=" $(awk -v t=$((t1 - t0)) -v n=$((c1 - c0)) 'BEGIN { print (n > 0 ? t / n / 1000 : "fail") }')"
        bench_stop "$ns"
}

bench_tmp
LISTENER=$BT
cat >"$LISTENER/srv.py" <<PY
import http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers()
    def log_message(self, *a): pass
http.server.ThreadingHTTPServer(("127.0.0.1", $port), H).serve_forever()
PY
bench_bg python3 "$LISTENER/srv.py"
for ((r = 0; r < runs; r++)); do
        for kind in exec exec-sandbox tcp http; do
                measure "$kind"
        done
done
# shellcheck disable=SC2086
for kind in exec exec-sandbox tcp http; do
        bench_record "10 health checks, $BENCH_SVCS services every 100 ms" "supd CPU per check" µs \
                "supd $kind" ${V[$kind]}
done
exit 0
