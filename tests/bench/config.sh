#!/usr/bin/env bash
# tests/bench/config.sh — figure 11: config size against `supd --check` and
# reload time, to show the growth stays linear: environment pairs of one
# service (1k, 10k, 100k, 200k) and services with a few keys each (1k,
# 10k, 100k). Each size is timed BENCH_RUNS times (wall clock, ms); the
# row's "per 1k" line divides by the size, so linear growth reads as a
# flat column. Reload: supd runs the config (autostart = no), `supctl
# reload` is timed end to end. supd only: no peer has a check mode.
set -u
. "$(dirname "$0")/lib.sh"
SUPCTL_BIN=${BENCH_SUPCTL:-$BENCH_ROOT/build/supctl}
if [ "$BENCH_QUICK" = 1 ]; then
        env_sizes=(1000 10000) svc_sizes=(1000)
else
        env_sizes=(1000 10000 100000 200000) svc_sizes=(1000 10000 100000)
fi
bench_tmp

config_env() {          # N: one service with N environment pairs
        printf '[supd]\nsocket = %s/sock\n\n[service:app]\ncommand = /bin/true\nautostart = no\nenvironment =' "$BT"
        awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf " K%d=v%d", i, i; print "" }'
}

config_svcs() {         # N: N services with a few keys each
        printf '[supd]\nsocket = %s/sock\n\n' "$BT"
        awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
                printf "[service:s%d]\ncommand = /bin/sleep 1000\nautostart = no\nenvironment = A=%d B=2\nstop_timeout = 3s\n\n", i, i }'
}

ms_since() { echo $(( ($(now_us) - $1) / 1000 )); }
now_us() { local t=${EPOCHREALTIME//[!0-9]/}; echo "${t#0}"; }

check_ms() {            # FILE: one `supd --check`
        local t0=$(now_us)
        "$BENCH_SUPD" --check -c "$1" >/dev/null 2>&1 || { echo fail; return; }
        ms_since "$t0"
}

reload_ms() {           # FILE: supd runs it; one `supctl reload`, timed
        local t0 ms pid i
        rm -f "$BT/sock"
        bench_bg unshare --pid --fork --mount-proc --kill-child "$BENCH_SUPD" -c "$1" >/dev/null 2>&1
        pid=$BG_PID
        for ((i = 0; i < 3000; i++)); do [ -S "$BT/sock" ] && break; sleep 0.02; done
        t0=$(now_us)
        if "$SUPCTL_BIN" -s "$BT/sock" reload >/dev/null 2>&1; then ms=$(ms_since "$t0"); else ms=fail; fi
        bench_stop "$pid"
        echo "$ms"
}

measure() {             # KIND N: rows for one size
        local kind=$1 n=$2 f="$BT/$1-$2.ini" c=() r=() per=() v k
        "config_$kind" "$n" >"$f"
        for ((k = 0; k < BENCH_RUNS; k++)); do
                v=$(check_ms "$f")
                c+=("$v")
                [ "$v" = fail ] || per+=("$(awk -v v="$v" -v n="$n" 'BEGIN { printf "%.3f", v * 1000 / n }')")
        done
        for ((k = 0; k < BENCH_RUNS_BIG; k++)); do r+=("$(reload_ms "$f")"); done
        bench_record "11 config: $n $kind" "--check" ms supd "${c[@]}"
        bench_record "11 config: $n $kind" "--check per 1k" ms supd "${per[@]}"
        bench_record "11 config: $n $kind" reload ms supd "${r[@]}"
}

for n in "${env_sizes[@]}"; do measure env "$n"; done
for n in "${svc_sizes[@]}"; do measure svcs "$n"; done
exit 0
