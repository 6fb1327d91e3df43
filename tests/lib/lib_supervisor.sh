# tests/lib/lib_supervisor.sh — helpers for the supervisor's integration tests.
#
# Services leave marks in $T: "NAME.start" holding a timestamp (seconds with
# nanoseconds) and friends. Assertions compare marks; they never time sleeps.

SD_NOTIFY=$SUP_ROOT/build/helpers/sd_notify

# sv_socket: every supd of these tests listens in its own scratch dir.
sv_socket() { export SUP_SOCKET=$T/ctl.sock; }

# sv_config TEXT: write $T/sup.ini.
sv_config() { sv_socket; printf '%s\n' "$1" >"$T/sup.ini"; }

# sv_run [ARGS...]: supd -c $T/sup.ini as PID 1, its output in $T/out.
sv_run() { run_pid1 -c "$T/sup.ini" "$@" >"$T/out" 2>&1; }

# sv_pid: supd's own pid (as seen from here) after sv_run.
sv_pid() {
        local c
        wait_for 10 eval '[ -n "$(cat /proc/'"$PID1_HOST"'/task/*/children 2>/dev/null)" ]' ||
                fail "unshare has no child"
        c=$(cat /proc/"$PID1_HOST"/task/*/children 2>/dev/null)
        echo "${c%% *}"
}

# sv_wait_file SECONDS FILE: FILE appears.
sv_wait_file() { wait_for "$1" test -s "$2" || fail "$2 did not appear in ${1}s"; }

# sv_log_has REGEX: supd's output has a matching line.
sv_log_has() { grep -qE -- "$1" "$T/out"; }

# sv_wait_log SECONDS REGEX.
sv_wait_log() { wait_for "$1" sv_log_has "$2" || fail "no log line /$2/ in ${1}s"; }

# sv_ge A B: A >= B as decimals.
sv_ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }

# sv_mark NAME: shell snippet for a service: write a timestamp to $T/NAME.
sv_mark() { echo "date +%s.%N > $T/$1"; }

# sv_ctxt PID: voluntary + nonvoluntary context switches of PID.
sv_ctxt() { awk '/ctxt_switches/ { n += $2 } END { print n }' /proc/"$1"/status; }

# sv_wakeups PID SECONDS: how many times PID ran over a window of SECONDS
# (an observation window, not a wait for a condition).
sv_wakeups() { local b; b=$(sv_ctxt "$1"); sleep "$2"; echo $(($(sv_ctxt "$1") - b)); }
