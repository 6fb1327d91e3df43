# tests/lib/lib_single.sh — helpers for supd's single-command mode tests.

PROBE=$SUP_ROOT/build/helpers/probe

# children_of PID: the pids of PID's children, one per line.
children_of() {
        cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | grep -v '^$' || true
}

# supd_pid: supd's host pid after run_pid1 (the child of unshare), or the
# last bg when supd was started directly (subreaper mode).
supd_host_pid() {
        local c
        wait_for 10 eval '[ -n "$(children_of '"$PID1_HOST"')" ]' || fail "unshare has no child"
        c=$(children_of "$PID1_HOST" | head -n1)
        echo "$c"
}

# run_sub ARGS...: supd ARGS as a plain process (a subreaper, not PID 1).
run_sub() {
        bg "$SUPD" "$@"
        SUPD_PID=$BG_PID
}

# probe_ready FILE: the probe wrote its report.
probe_ready() { wait_for 20 file_has "$1" '^ready$' || fail "probe did not start ($1)"; }

# probe_field FILE KEY: the value of "KEY value" in a probe report.
probe_field() { sed -n "s/^$2 //p" "$1" | head -n1; }

# send_and_see PID SIG FILE: send SIG to PID, wait until the probe logged it
# once more than before.
send_and_see() {
        local pid=$1 sig=$2 file=$3 before
        before=$(grep -c "^sig $sig\$" "$file")
        kill -s "$sig" "$pid" 2>/dev/null || kill -"$sig" "$pid" || fail "kill -$sig $pid"
        wait_for 10 eval '[ "$(grep -c "^sig '"$sig"'\$" '"$file"')" -gt '"$before"' ]' ||
                fail "signal $sig was not forwarded"
}

# zombies_among PID...: how many of these pids are zombies.
zombies_among() {
        local n=0 p
        for p in "$@"; do
                [ "$(awk '{print $3}' /proc/"$p"/stat 2>/dev/null)" = Z ] && n=$((n + 1))
        done
        echo "$n"
}

# alive PID: the process exists and is not a zombie.
alive() { kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' /proc/"$1"/stat 2>/dev/null)" != Z ]; }

# ctxt_switches PID: voluntary + nonvoluntary context switches of all its threads.
ctxt_switches() {
        cat /proc/"$1"/task/*/status | awk '/ctxt_switches/ {n += $2} END {print n}'
}

# until_ready FILE: shell text that waits until a probe wrote its report
# (for commands that start a straggler and then exit).
until_ready() { echo "until grep -qx ready '$1' 2>/dev/null; do sleep 0.02; done"; }
