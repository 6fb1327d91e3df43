#!/usr/bin/env bash
# tests/bench/control.sh — figure 12: `status` while the control socket is
# crowded: the slowest of the status answers given while 64 (then 200)
# silent clients stay connected, and while 2,000 clients connect and leave
# (tests/lib/ctl_probe.py idle / churn), against no crowd at all. supd
# with 10 services; ms per answer. supd only: the peers' control planes
# (supervisorctl's XML-RPC, s6-svstat) do not take a crowd the same way.
set -u
. "$(dirname "$0")/lib.sh"
PROBE=$BENCH_ROOT/tests/lib/ctl_probe.py
churn_n=$([ "$BENCH_QUICK" = 1 ] && echo 100 || echo 2000)
bench_tmp
{
        printf '[supd]\nsocket = %s/sock\n\n' "$BT"
        for ((i = 0; i < 10; i++)); do printf '[service:s%d]\ncommand = sleep 100000\n\n' "$i"; done
} >"$BT/sup.ini"

slowest() { sed -n 's/.*slowest \([0-9.]*\) ms.*/\1/p' "$BT/probe"; }

declare -A R
for ((r = 0; r < BENCH_RUNS; r++)); do
        rm -f "$BT/sock"
        bench_bg unshare --pid --fork --mount-proc --kill-child "$BENCH_SUPD" -c "$BT/sup.ini" >/dev/null 2>&1
        pid=$BG_PID
        for ((i = 0; i < 500; i++)); do [ -S "$BT/sock" ] && break; sleep 0.02; done
        for load in "idle 0" "idle 64" "idle 200" "churn $churn_n"; do
                # shellcheck disable=SC2086
                set -- $load
                python3 "$PROBE" "$1" "$BT/sock" "$2" >"$BT/probe" 2>&1
                v=$(slowest)
                R[$load]+=" ${v:-fail}"
        done
        bench_stop "$pid"
done
# shellcheck disable=SC2086
{
        bench_record "12 status, no other client" "slowest answer" ms supd ${R[idle 0]}
        bench_record "12 status, 64 silent clients" "slowest answer" ms supd ${R[idle 64]}
        bench_record "12 status, 200 silent clients" "slowest answer" ms supd ${R[idle 200]}
        bench_record "12 status, $churn_n clients come and go" "slowest answer" ms supd ${R[churn $churn_n]}
}
exit 0
