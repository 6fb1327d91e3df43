#!/usr/bin/env bash
# tests/bench/logs.sh — 200 MB of 100-byte lines through sup's log router and
# its peers.
#
#   tests/bench/logs.sh [RUNS] [CHUNK]      (default 5 runs, 4096-byte writes)
#
# The writer (tests/helpers/logwriter) writes 2,000,000 lines of 100 bytes in
# CHUNK-byte write() calls. It is started by the supervisor under test and
# blocks on a FIFO until everything is up; t0 is stamped just before its
# first write. End: pipe paths — the checker (logcheck) has seen the last
# line of the stream, checked in order; file paths — the files hold all the
# bytes (1 ms polls). CPU = schedstat run time of the router/logger process
# from the release to 0.3 s after the end. Configurations run interleaved;
# medians are printed, with the ratio to the raw baseline of the same kind.
#
#   raw-pipe        writer | logcheck
#   raw-cat-file    writer | cat > file
#   sup-console     supd's router (tests/helpers/logdrv: the same code supd
#                   links, without the rest of supd), stdout = console with
#                   the default "{name} | {line}" prefix → pipe → logcheck
#   sup-file        the router, stdout = file:PATH, log_max_size = 100 MB,
#                   log_keep = 3 (bytes as written, no prefix)
#   supervisord     stdout_logfile=/dev/stdout, maxbytes=0 → pipe → logcheck
#                   (its own records end up inside the stream: "ok" = no)
#   s6-log          s6-svscan + s6-log n3 s100000000 ./logdir
#   svlogd          writer → FIFO → svlogd DIR (config: s100000000, n3)
#
# Every configuration is checked line by line (logcheck: every line once,
# in order, not split). With $BENCH_RESULTS set (tests/bench/run.sh) each
# run is also recorded as rows of figure 8: 8a through a pipe (console),
# 8b into files, MB/s and whether the lines came through intact (1/0).
set -eu
cd "$(dirname "$0")/../.."
ROOT=$PWD
RUNS=${1:-5}
CHUNK=${2:-4096}
LINES=2000000
BYTES=$((LINES * 100))
W=$(mktemp -d /tmp/sup-bench-logs.XXXXXX)
PIDS=()
cleanup() {
        local p
        for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
        rm -rf "$W"
}
trap cleanup EXIT

make -s build/helpers/logdrv build/helpers/logwriter build/helpers/logcheck
H=$ROOT/build/helpers
. tests/lib/deps.sh
need_cmd supervisord supervisor || true; need_cmd s6-svscan s6 || true
have_supervisord=0; command -v supervisord >/dev/null && have_supervisord=1
have_s6=0; command -v s6-svscan >/dev/null && command -v s6-log >/dev/null && have_s6=1
have_svlogd=0; command -v svlogd >/dev/null && have_svlogd=1

cpu_ns() { awk '{print $1}' "/proc/$1/schedstat" 2>/dev/null || echo 0; }

wait_file() {   # wait_file PATH SECONDS
        local i
        for ((i = 0; i < $2 * 100; i++)); do [ -e "$1" ] && return 0; sleep 0.01; done
        echo "bench: $1 did not appear" >&2; return 1
}

# Each run_* leaves R = "seconds cpu_seconds ok|no" and stops what it started.
# $1 = run dir with the FIFO "go".
release_and_time() {    # release_and_time DIR LOGGER_PID END_CMD...
        local d=$1 lp=$2 c0 c1 t0 t1
        shift 2
        wait_file "$d/go.ready" 30
        c0=$(cpu_ns "$lp")
        : >"$d/go"
        t1=$("$@")
        sleep 0.3
        c1=$(cpu_ns "$lp")
        t0=$(cat "$d/go.t0")
        [ -p "$d/stop" ] && : >"$d/stop"      # the router may exit now
        CPU=$(awk -v a="$c0" -v b="$c1" 'BEGIN{if (b > 0) printf "%.3f", (b-a)/1e9; else print "nan"}')
        SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.4f", (b-a)/1e9}')
}

pipe_end() {    # pipe_end RESULT_FILE: wait for the checker's t_end line
        local i
        for ((i = 0; i < 60000; i++)); do
                grep -q '^t_end ' "$1" 2>/dev/null && { awk '/^t_end/{print $2}' "$1"; return; }
                sleep 0.005
        done
}

writer_cmd() { echo "LOGWRITER_GO=$1/go exec $H/logwriter $LINES $CHUNK"; }
# A second service that keeps the router alive until CPU has been sampled.
keepalive() { mkfifo "$1/stop"; echo "k|null|null|once|read x < $1/stop"; }

run_raw_pipe() {
        local d=$1
        LOGWRITER_GO=$d/go "$H/logwriter" $LINES $CHUNK >"$d/out" & PIDS+=($!)
        "$H/logcheck" -t $LINES "" <"$d/out" >"$d/res" 2>/dev/null & PIDS+=($!)
        local ck=$!
        release_and_time "$d" "$ck" pipe_end "$d/res"
        wait "$ck" && OK=yes || OK=no
}

run_raw_cat_file() {
        local d=$1
        sh -c "LOGWRITER_GO=$d/go $H/logwriter $LINES $CHUNK | cat > $d/file" & PIDS+=($!)
        local sp=$!
        wait_file "$d/go.ready" 30
        local cat_pid; cat_pid=$(pgrep -P "$sp" -x cat || echo $sp)
        release_and_time "$d" "$cat_pid" "$H/logcheck" -W $BYTES "$d/file"
        wait "$sp"
        "$H/logcheck" $LINES "" <"$d/file" >/dev/null 2>&1 && OK=yes || OK=no
}

run_sup_console() {
        local d=$1
        "$H/logcheck" -t $LINES "x | " <"$d/out" >"$d/res" 2>/dev/null & PIDS+=($!)
        local ck=$!
        "$H/logdrv" "x|console|null|once|$(writer_cmd "$d")" "$(keepalive "$d")" >"$d/out" 2>/dev/null & PIDS+=($!)
        release_and_time "$d" "$!" pipe_end "$d/res"
        wait "$ck" && OK=yes || OK=no
}

run_sup_file() {
        local d=$1
        "$H/logdrv" "x|file:$d/log/x.log:100000000:3|null|once|$(writer_cmd "$d")" "$(keepalive "$d")" 2>/dev/null & PIDS+=($!)
        local drv=$!
        release_and_time "$d" "$drv" "$H/logcheck" -W $BYTES "$d/log"
        wait "$drv"
        cat "$d/log/x.log.3" "$d/log/x.log.2" "$d/log/x.log.1" "$d/log/x.log" 2>/dev/null |
                "$H/logcheck" $LINES "" >/dev/null 2>&1 && OK=yes || OK=no
}

run_supervisord() {
        local d=$1
        cat >"$d/supervisord.conf" <<EOF
[supervisord]
nodaemon=true
logfile=/dev/null
logfile_maxbytes=0
pidfile=$d/supervisord.pid
childlogdir=$d

[program:x]
command=$H/logwriter $LINES $CHUNK
environment=LOGWRITER_GO="$d/go"
stdout_logfile=/dev/stdout
stdout_logfile_maxbytes=0
stderr_logfile=NONE
autorestart=false
startsecs=0
EOF
        "$H/logcheck" -t $LINES "" <"$d/out" >"$d/res" 2>/dev/null & PIDS+=($!)
        local ck=$!
        supervisord -c "$d/supervisord.conf" >"$d/out" 2>/dev/null & PIDS+=($!)
        local sv=$!
        release_and_time "$d" "$sv" pipe_end "$d/res"
        kill -TERM "$sv"; wait "$sv" || true
        wait "$ck" && OK=yes || OK=no
}

run_s6() {
        local d=$1
        mkdir -p "$d/scan/x/log/logdir"
        printf '#!/bin/sh\nexport LOGWRITER_GO=%s/go\nexec %s/logwriter %s %s\n' "$d" "$H" $LINES $CHUNK >"$d/scan/x/run"
        : >"$d/scan/x/down"
        printf '#!/bin/sh\nexec s6-log n3 s100000000 ./logdir\n' >"$d/scan/x/log/run"
        chmod +x "$d/scan/x/run" "$d/scan/x/log/run"
        s6-svscan "$d/scan" >/dev/null 2>&1 & PIDS+=($!)
        local scan=$! i lp=""
        for ((i = 0; i < 500; i++)); do
                lp=$(pgrep -f '^s6-log n3 s100000000' -P "$(pgrep -P "$scan" -f 'supervise x/log' || echo 0)" || true)
                [ -n "$lp" ] && [ -e "$d/scan/x/supervise/control" ] && break
                sleep 0.01
        done
        s6-svc -o "$d/scan/x"
        release_and_time "$d" "${lp:-$scan}" "$H/logcheck" -W $BYTES "$d/scan/x/log/logdir"
        s6-svscanctl -t "$d/scan"; wait "$scan" || true
        (cd "$d/scan/x/log/logdir" && cat $(ls @* 2>/dev/null) current) |
                "$H/logcheck" $LINES "" >/dev/null 2>&1 && OK=yes || OK=no
}

run_svlogd() {
        local d=$1 lp
        mkdir -p "$d/svlog"
        printf 's100000000\nn3\n' >"$d/svlog/config"
        mkfifo "$d/pipe"
        svlogd "$d/svlog" <"$d/pipe" & PIDS+=($!)
        lp=$!
        LOGWRITER_GO=$d/go "$H/logwriter" $LINES $CHUNK >"$d/pipe" & PIDS+=($!)
        release_and_time "$d" "$lp" "$H/logcheck" -W $((BYTES + 12)) "$d/svlog"  # + config
        wait "$lp" || true
        (cd "$d/svlog" && cat $(ls @* 2>/dev/null) current) |
                "$H/logcheck" $LINES "" >/dev/null 2>&1 && OK=yes || OK=no
}

CONFIGS="raw_pipe raw_cat_file sup_console sup_file"
[ $have_supervisord = 1 ] && CONFIGS="$CONFIGS supervisord"
[ $have_s6 = 1 ] && CONFIGS="$CONFIGS s6"
[ $have_svlogd = 1 ] && CONFIGS="$CONFIGS svlogd"

# record CONFIG: figure 8's rows from every run of CONFIG (subject "supd"
# for sup's, so the table's last column is supd over each peer).
record() {
        local fig subj mbs ok
        [ -n "${BENCH_RESULTS:-}" ] || return 0
        case $1 in
        raw_pipe) fig=8a subj="raw pipe" ;;
        sup_console) fig=8a subj=supd ;;
        supervisord) fig=8a subj=supervisord ;;
        raw_cat_file) fig=8b subj="raw cat > file" ;;
        sup_file) fig=8b subj=supd ;;
        s6) fig=8b subj=s6-log ;;
        svlogd) fig=8b subj=svlogd ;;
        esac
        case $fig in
        8a) fig="8a logs through a pipe (console), $((BYTES / 1000000)) MB of 100-byte lines" ;;
        8b) fig="8b logs into files, $((BYTES / 1000000)) MB of 100-byte lines" ;;
        esac
        mbs=$(awk -v c="$1" -v b=$BYTES '$1 == c { printf " %s", ($2 > 0 ? sprintf("%.0f", b/$2/1e6) : "fail") }' "$W/results")
        ok=$(awk -v c="$1" '$1 == c { printf " %d", $4 == "yes" }' "$W/results")
        echo "$fig|throughput|MB/s|$subj|${mbs# }" >>"$BENCH_RESULTS"
        echo "$fig|lines intact|1 = yes|$subj|${ok# }" >>"$BENCH_RESULTS"
}

echo "# $BYTES bytes, $LINES lines of 100 bytes, $CHUNK-byte writes, $RUNS runs each (interleaved)"
echo "# $(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
for ((run = 1; run <= RUNS; run++)); do
        for c in $CONFIGS; do
                d=$W/$c.$run
                mkdir -p "$d/log"
                mkfifo "$d/go" "$d/out"
                sync
                OK=no SECS=nan CPU=nan
                "run_$c" "$d" || true
                echo "$c $SECS $CPU $OK" >>"$W/results"
                rm -rf "$d"
        done
done

for c in raw_pipe sup_console supervisord raw_cat_file sup_file s6 svlogd; do
        [[ " $CONFIGS " == *" $c "* ]] && record "$c"
done

median() { sort -g | awk '{a[NR]=$1} END{if (NR%2) print a[(NR+1)/2]; else printf "%.4f\n", (a[NR/2]+a[NR/2+1])/2}'; }

printf '%-14s %10s %9s %10s %8s %s\n' path "time,s" "MB/s" "cpu,s" ratio "correct"
for c in $CONFIGS; do
        t=$(awk -v c="$c" '$1==c{print $2}' "$W/results" | median)
        cpu=$(awk -v c="$c" '$1==c{print $3}' "$W/results" | median)
        ok=$(awk -v c="$c" '$1==c{print $4}' "$W/results" | sort | uniq -c | tr '\n' ' ')
        case $c in
        raw_pipe) base_pipe=$t ;;
        raw_cat_file) base_file=$t ;;
        esac
        case $c in
        raw_cat_file|sup_file|s6|svlogd) base=${base_file:-$t} ;;
        *) base=${base_pipe:-$t} ;;
        esac
        printf '%-14s %10s %9.0f %10s %8.2f %s\n' "$c" "$t" "$(awk -v t="$t" -v b=$BYTES 'BEGIN{print b/t/1e6}')" \
                "$cpu" "$(awk -v t="$t" -v b="$base" 'BEGIN{print b/t}')" "$ok"
done
echo "# ratio = throughput / the raw baseline of the same kind (pipe or file); higher is better"
