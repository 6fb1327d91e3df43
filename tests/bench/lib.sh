# tests/bench/lib.sh — shared by the benchmark scripts (bash).
#
# A figure script measures, then calls `bench_record` once per row:
#     bench_record FIGURE METRIC UNIT SUBJECT VALUE...
# which appends "FIGURE|METRIC|UNIT|SUBJECT|v1 v2 ..." to $BENCH_RESULTS.
# `bench_table FILE` prints those rows as medians with the min–max spread
# and the ratio supd / peer for each row of the same figure and metric.
# A value "fail" marks a run that did not complete (shown as FAIL).
#
# Every process a script starts goes through bench_bg (or runs in the
# foreground); bench_cleanup kills the tracked PIDs at exit. Anything that
# needs a PID namespace runs under `unshare --pid --fork --mount-proc
# --kill-child`, so killing the unshare process takes the whole namespace.
#
# Knobs (environment): BENCH_QUICK=1 (tiny sizes, one run), BENCH_RUNS
# (runs per figure, default 5), BENCH_RUNS_BIG (runs with 1000 services,
# default 2), BENCH_SVCS (the "10 services" of figures 1-5, default 10),
# BENCH_IDLE (seconds of the idle window, default 65: longer than
# libev's ~60 s sleep cap, so a once-a-minute wakeup cannot fall between),
# BENCH_SUPERVISORD_1000=1 (also start supervisord with 1000 programs,
# which takes minutes), BENCH_SUPD (supd binary, default the release build build/supd).

: "${BENCH_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${BENCH_SUPD:=$BENCH_ROOT/build/supd}"
: "${HELPERS:=$BENCH_ROOT/build/helpers}"
: "${BENCH_QUICK:=0}"
if [ "$BENCH_QUICK" = 1 ]; then
        : "${BENCH_RUNS:=1}" "${BENCH_RUNS_BIG:=1}" "${BENCH_IDLE:=1}"
        : "${BENCH_BIG:=3}" "${BENCH_SETTLE_MS:=100}" "${BENCH_WARMUP:=0}" "${BENCH_SVCS:=2}"
else
        : "${BENCH_RUNS:=5}" "${BENCH_RUNS_BIG:=2}" "${BENCH_IDLE:=65}"
        : "${BENCH_BIG:=1000}" "${BENCH_SETTLE_MS:=1000}" "${BENCH_WARMUP:=1}" "${BENCH_SVCS:=10}"
fi
: "${BENCH_RESULTS:=}"

BENCH_PIDS=()
BENCH_TMPS=()

bench_cleanup() {
        local pid d
        for pid in "${BENCH_PIDS[@]}"; do
                kill -KILL "$pid" 2>/dev/null || true
        done
        for pid in "${BENCH_PIDS[@]}"; do
                wait "$pid" 2>/dev/null || true
        done
        for d in "${BENCH_TMPS[@]}"; do
                rm -rf "$d"
        done
}
trap bench_cleanup EXIT

bench_log() { echo "bench: $*" >&2; }

# bench_tmp: a fresh scratch dir (removed at exit) in $BT.
bench_tmp() {
        BT=$(mktemp -d /tmp/sup-bench.XXXXXX)
        BENCH_TMPS+=("$BT")
}

# bench_bg CMD...: start in the background, track it; pid in $BG_PID.
bench_bg() {
        "$@" &
        BG_PID=$!
        BENCH_PIDS+=("$BG_PID")
}

# bench_wait PID: wait for a tracked process and forget it (a PID is never
# killed after it was reaped: the number may belong to someone else by then).
bench_wait() {
        local rc=0 i
        wait "$1" 2>/dev/null || rc=$?
        for i in "${!BENCH_PIDS[@]}"; do
                [ "${BENCH_PIDS[$i]}" = "$1" ] && unset 'BENCH_PIDS[i]'
        done
        return $rc
}

# bench_stop PID: kill one tracked process and wait for it.
bench_stop() {
        kill -KILL "$1" 2>/dev/null || true
        bench_wait "$1" || true
}

# Peers are installed with apt-get only when missing (tests/lib/deps.sh).
. "$BENCH_ROOT/tests/lib/deps.sh"
bench_need() { need_cmd "$@"; }

# bench_peers_ready: every peer and tool the benchmarks drive.
bench_peers_ready() {
        local ok=0
        bench_need unshare util-linux || ok=1
        bench_need tini tini || ok=1
        bench_need dumb-init dumb-init || ok=1
        bench_need catatonit catatonit || ok=1
        bench_need supervisord supervisor || ok=1
        bench_need s6-svscan s6 || ok=1
        bench_need runsvdir runit || ok=1
        return $ok
}

bench_record() {        # FIGURE METRIC UNIT SUBJECT VALUE...
        local fig=$1 metric=$2 unit=$3 subj=$4
        shift 4
        [ $# -gt 0 ] || set -- fail
        if [ -n "$BENCH_RESULTS" ]; then
                echo "$fig|$metric|$unit|$subj|$*" >>"$BENCH_RESULTS"
        else
                echo "$fig|$metric|$unit|$subj|$*"
        fi
}

# One awk library for the statistics, so a table of a hundred rows costs
# one process (forks are slow on a loaded machine).
BENCH_AWK_LIB='
function isnum(x) { return x ~ /^-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?$/ }
# stats(list): sets MED MIN MAX N from a space-separated list; 0 if any is not a number
function stats(list,   v, n, i, j, t) {
        n = split(list, v, " ")
        if (n == 0) return 0
        for (i = 1; i <= n; i++) { if (!isnum(v[i])) return 0; v[i] += 0 }
        for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
        MED = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
        MIN = v[1]; MAX = v[n]; N = n
        return 1
}
function fmt(x,   a) {
        a = x < 0 ? -x : x
        if (x == int(x) && a < 1e6) return sprintf("%d", x)
        return sprintf(a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : a == 0 ? "%d" : "%.3g", x)
}
function ratio(a, b,   r) {
        if (!isnum(a) || !isnum(b)) return "–"
        if (b == 0) return a == 0 ? "1 (both 0)" : "∞"
        r = a / b
        return sprintf(r >= 10 ? "%.0f" : r >= 1 ? "%.2f" : r >= 0.01 ? "%.3f" : "%.2g", r)
}
'

# bench_stats VALUE...: "median min max n", or "fail" when one is not a number.
bench_stats() {
        awk -v list="$*" "$BENCH_AWK_LIB"'BEGIN {
                if (stats(list)) print MED, MIN, MAX, N; else print "fail" }'
}

bench_median() { bench_stats "$@" | awk '{print $1}'; }

# bench_table [FILE]: the results as a Markdown table, rows in recorded order;
# the last column is supd's median over the row's (same figure and metric).
bench_table() {
        awk -F'|' "$BENCH_AWK_LIB"'
        { fig[NR] = $1; met[NR] = $2; unit[NR] = $3; subj[NR] = $4; vals[NR] = $5
          if ($4 == "supd" && stats($5)) supd[$1 "|" $2] = MED }
        END {
                print "| figure | metric | subject | median | min–max | n | supd / subject |"
                print "|---|---|---|---|---|---|---|"
                for (i = 1; i <= NR; i++) {
                        if (!stats(vals[i])) {
                                printf "| %s | %s, %s | %s | FAIL (%s) | | | |\n", fig[i], met[i], unit[i], subj[i], vals[i]
                                continue
                        }
                        k = fig[i] "|" met[i]
                        printf "| %s | %s, %s | %s | **%s** | %s–%s | %d | %s |\n", fig[i], met[i], unit[i],
                                subj[i], fmt(MED), fmt(MIN), fmt(MAX), N,
                                subj[i] == "supd" ? "–" : ratio(k in supd ? supd[k] : "x", MED)
                }
        }' "${1:-$BENCH_RESULTS}"
}

# bench_kv TEXT KEY: the value of "KEY=value" in TEXT (first match).
bench_kv() { sed -n "s/^$2=//p" <<<"$1" | head -n 1; }

# --- single-command inits ------------------------------------------------

# supd-static: the static multi-call build (`make static`, which run.sh
# makes), when built; the quick smoke test leaves it out (it may be stale).
BENCH_INITS=(tini tini-static dumb-init catatonit supd)
[ -x "$BENCH_ROOT/build/sup-static" ] && [ "$BENCH_QUICK" != 1 ] && BENCH_INITS+=(supd-static)

# bench_init_argv NAME: the argv prefix that makes NAME run a command.
bench_init_argv() {
        case "$1" in
        tini) INIT_ARGV=(tini --) ;;
        tini-static) INIT_ARGV=(tini-static --) ;;
        dumb-init) INIT_ARGV=(dumb-init) ;;
        catatonit) INIT_ARGV=(catatonit --) ;;
        supd) INIT_ARGV=("$BENCH_SUPD" --) ;;
        supd-static) INIT_ARGV=("$BENCH_ROOT/build/sup-static" --) ;;
        *) return 1 ;;
        esac
}

# bench_deadline SECONDS: set DEADLINE; bench_before_deadline: still in time?
# (bash builtins only: on a loaded machine every fork in a wait loop costs.)
bench_deadline() { DEADLINE=$(( ${EPOCHREALTIME/./} + $1 * 1000000 )); }
bench_before_deadline() { [ "${EPOCHREALTIME/./}" -lt "$DEADLINE" ]; }

# bench_children PID: the children of PID in $CHILDREN (an array).
bench_children() {
        CHILDREN=()
        { read -r -a CHILDREN <"/proc/$1/task/$1/children"; } 2>/dev/null || true
}

# bench_ns_start INIT CMD...: INIT runs CMD as PID 1 of a new PID namespace,
# in the background. Sets NS_PID (the unshare process, tracked) and
# INIT_PID (the init as seen from here), or returns 1.
bench_ns_start() {
        local name=$1
        shift
        bench_init_argv "$name" || return 1
        bench_bg unshare --pid --fork --mount-proc --kill-child "${INIT_ARGV[@]}" "$@"
        NS_PID=$BG_PID
        INIT_PID=
        bench_deadline 10
        while bench_before_deadline; do
                bench_children "$NS_PID"
                INIT_PID=${CHILDREN[0]:-}
                [ -n "$INIT_PID" ] && ! [ "/proc/$INIT_PID/exe" -ef /usr/bin/unshare ] && return 0
                kill -0 "$NS_PID" 2>/dev/null || return 1
                sleep 0.01
        done
        return 1
}

# bench_child_exe PID PROG: wait until PID has a child running PROG (a path).
bench_child_exe() {
        local c
        bench_deadline 10
        while bench_before_deadline; do
                bench_children "$1"
                for c in "${CHILDREN[@]}"; do
                        [ "/proc/$c/exe" -ef "$2" ] && return 0
                done
                kill -0 "$1" 2>/dev/null || return 1
                sleep 0.01
        done
        return 1
}

# bench_smaps PID: "rss pss private private_dirty" in kB from smaps_rollup.
bench_smaps() {
        awk '/^Rss:/ {r = $2} /^Pss:/ {p = $2} /^Private_(Clean|Dirty):/ {v += $2}
             /^Private_Dirty:/ {d = $2} END {print r + 0, p + 0, v + 0, d + 0}' "/proc/$1/smaps_rollup"
}

# bench_ctxt PID: voluntary + nonvoluntary context switches so far.
bench_ctxt() {
        awk '/^(non)?voluntary_ctxt_switches:/ {s += $2} END {print s + 0}' "/proc/$1/status"
}

# --- supervisors with N services -------------------------------------------

BENCH_SUPERVISORS=(supervisord s6 runit supd)

# bench_svc_dirs DIR N: N service dirs DIR/sN whose run is a symlink to
# bench_svc, in one process (2000 forks of mkdir/ln take minutes on a busy
# machine).
bench_svc_dirs() {
        python3 - "$1" "$2" "$HELPERS/bench_svc" <<'PY'
import os, sys
top, n, svc = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.mkdir(top)
for i in range(1, n + 1):
    os.mkdir(f"{top}/s{i}")
    os.symlink(svc, f"{top}/s{i}/run")
PY
}

# bench_sup_prepare KIND N: a fresh dir $BT with FIFO $BT/fifo and KIND's
# configuration for N bench_svc services. Sets SUP_ARGV (the command the
# probe runs) and SUP_STOP (the signal number that stops everything).
bench_sup_prepare() {
        local kind=$1 n=$2 i
        bench_tmp
        mkfifo "$BT/fifo"
        case "$kind" in
        supervisord)
                {
                        printf '[supervisord]\nnodaemon=true\nlogfile=%s/supervisord.log\n' "$BT"
                        printf 'pidfile=%s/supervisord.pid\nchildlogdir=%s\nminfds=%d\n' "$BT" "$BT" $((n * 8 + 1024))
                        printf '[unix_http_server]\nfile=%s/supervisor.sock\n' "$BT"
                        printf '[rpcinterface:supervisor]\n'
                        printf 'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n'
                        for ((i = 1; i <= n; i++)); do
                                printf '[program:s%d]\ncommand=%s/bench_svc\nautorestart=true\n' $i "$HELPERS"
                        done
                } >"$BT/supervisord.conf"
                SUP_ARGV=(supervisord -c "$BT/supervisord.conf")
                SUP_STOP=15 ;;
        s6)
                bench_svc_dirs "$BT/scan" "$n"
                SUP_ARGV=(s6-svscan -c $((n + 10)) "$BT/scan")
                SUP_STOP=15 ;;
        runit)
                bench_svc_dirs "$BT/sv" "$n"
                SUP_ARGV=(runsvdir "$BT/sv")
                SUP_STOP=1 ;;   # runsvdir: HUP = stop every runsv (TERM would orphan them)
        supd)
                {
                        printf '[supd]\nsocket = %s/supd.sock\n' "$BT"
                        for ((i = 1; i <= n; i++)); do
                                printf '\n[service:s%d]\ncommand = %s/bench_svc\n' $i "$HELPERS"
                                printf 'restart = always\nrestart_delay = 0\nstart_retries = 0\n'
                        done
                } >"$BT/sup.ini"
                SUP_ARGV=("$BENCH_SUPD" -c "$BT/sup.ini")
                SUP_STOP=15 ;;
        *) return 1 ;;
        esac
}

# bench_probe_start KIND N TIMEOUT PROBE-OPTIONS...: run KIND with N
# services under bench_probe (PID 1 of a new PID namespace), in the
# background; PROBE_PID, PROBE_DIR. bench_probe_finish waits for it: its
# key=value output in $PROBE_OUT, the supervisor's output was $BT/log.
bench_probe_start() {
        local kind=$1 n=$2 limit=$3
        shift 3
        bench_sup_prepare "$kind" "$n" || return 1
        PROBE_DIR=$BT PROBE_KIND=$kind PROBE_N=$n
        bench_bg env BENCH_FIFO="$BT/fifo" timeout -k 5 "$limit" \
                unshare --pid --fork --mount-proc --kill-child \
                "$HELPERS/bench_probe" -n "$n" -f "$BT/fifo" -o "$BT/log" -t "$limit" "$@" -- \
                "${SUP_ARGV[@]}" >"$BT/probe.out" 2>&1
        PROBE_PID=$BG_PID
}

bench_probe_finish() {  # [PID DIR KIND N] (default: the last started)
        local pid=${1:-$PROBE_PID} dir=${2:-$PROBE_DIR} kind=${3:-$PROBE_KIND} n=${4:-$PROBE_N}
        bench_wait "$pid"
        PROBE_OUT=$(cat "$dir/probe.out")
        if grep -q '=fail\|=timeout' <<<"$PROBE_OUT" || [ -z "$PROBE_OUT" ]; then
                bench_log "$kind with $n services: $(tr '\n' ' ' <<<"$PROBE_OUT")"
                bench_log "  its log: $(tail -n 3 "$dir/log" 2>/dev/null | tr '\n' ' ')"
        fi
        rm -rf "$dir"
}

bench_probe() {         # KIND N TIMEOUT PROBE-OPTIONS... in the foreground
        PROBE_OUT=
        bench_probe_start "$@" && bench_probe_finish
}

# bench_sup_available KIND: can this stack run here (supd: config mode built)?
bench_sup_available() {
        case "$1" in
        supd) [ -x "$BENCH_SUPD" ] && bench_sup_prepare supd 1 &&
                "$BENCH_SUPD" --check -c "$BT/sup.ini" >/dev/null 2>&1 ;;
        *) return 0 ;;
        esac
}
