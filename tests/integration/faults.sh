# tests/integration/faults.sh — faults and abuse, each against a real supd
# as PID 1 of its own pid namespace: log files under attack or on a broken
# disk, clients that crowd, idle or babble, fd exhaustion, a second supd,
# configs of 200,000 pairs and 10,000 services. Each test asserts that
# nothing is lost and that supd keeps answering. Speeds are printed as
# notes (tests/bench/ measures them), never asserted.

SLEEPER="sh -c 'exec sleep 100000'"

# faults_config SERVICES: $T/sup.ini with the socket in $T.
faults_config() { ctl_config "$1"; }

# A service line: the log's INFO column (status) or "log_held" (JSON).
faults_held() { ctl status "$1" 2>/dev/null | awk -v n="$1" '$1 == n' | grep -o 'log held: .*'; }
faults_held_json() {
        ctl status --json "$1" 2>/dev/null |
                python3 -c 'import json,sys; print(json.load(sys.stdin)["services"][0]["log_held"] or "")'
}

# --- log files ----------------------------------------------------------------

test_log_directory_writable_by_others_is_refused() {
        mkdir -m 0755 "$T/logs"
        chown 65534 "$T/logs"
        faults_config "[service:app]
command = $SLEEPER
stdout = file:$T/logs/app.log"
        run_pid1 -c "$T/sup.ini" >"$T/out" 2>&1
        expect_exit 1 20
        grep -q "log directory $T/logs: writable by others (owner uid 65534" "$T/out" ||
                fail "no refusal naming the directory and its owner: $(cat "$T/out")"
        [ ! -e "$T/logs/app.log" ] || fail "supd created a file in the refused directory"
}

test_symlink_swapped_in_is_never_followed() {
        # The service (nobody) owns its log directory (accepted with
        # log_dir_shared) and swaps in a symlink to a root-only file: first
        # once, while supd's file is open (supd notices its file is gone and
        # must not reopen through the link), then in a loop while supd
        # rotates every 4 KiB.
        chmod 0711 "$T"
        mkdir -m 0755 "$T/logs"
        chown 65534 "$T/logs"
        printf 'root only\n' >"$T/secret"
        chmod 0600 "$T/secret"
        mkfifo -m 0644 "$T/go" "$T/go2"
        cat >"$T/swap.sh" <<SCRIPT
echo first
read x <$T/go
ln -sfn $T/secret $T/logs/app.log
echo "after the swap"
read x <$T/go2
( i=0; while [ \$i -lt 300 ]; do ln -sfn $T/secret $T/logs/app.log; i=\$((i + 1)); done
  rm -f $T/logs/app.log ) &
i=0
while [ \$i -lt 2000 ]; do echo "line \$i padding padding padding padding"; i=\$((i + 1)); done
wait
echo "last line"
exec sleep 100000
SCRIPT
        chmod 0755 "$T/swap.sh"
        faults_config "[service:app]
command = /bin/sh $T/swap.sh
user = nobody
stdout = file:$T/logs/app.log
log_max_size = 4K
log_keep = 3
log_dir_shared = yes"
        ctl_run
        wait_for 20 grep -qs '^first$' "$T/logs/app.log" || fail "first line missing: $(tail -3 "$T/out")"
        echo go >"$T/go"
        wait_for 30 eval '[ "$(faults_held app)" = "log held: ELOOP on $T/logs/app.log" ]' ||
                fail "status: $(ctl status app 2>&1)"
        grep -q "log file $T/logs/app.log: a symlink, never followed: .*; holding stdout" "$T/out" ||
                fail "no warning with its reason: $(grep warning "$T/out")"
        ctl_expect 0 logs app           # read through supd's fd, never the link
        ! grep -q 'root only' "$T/ctl.out" || fail "supctl logs printed the root-only file"
        rm -f "$T/logs/app.log"
        wait_for 30 grep -qs '^after the swap$' "$T/logs/app.log" || fail "held line never arrived"
        echo go >"$T/go2"
        wait_for 60 grep -qs '^last line$' "$T/logs/app.log" ||
                fail "output did not flow again: $(ls -l "$T/logs"; tail -5 "$T/out")"
        [ "$(cat "$T/secret")" = "root only" ] || fail "supd wrote through the symlink: $(head -3 "$T/secret")"
        ! grep -q 'warning: app: ;' "$T/out" || fail "a warning without its reason"
        ctl_stop_supd
}

test_full_tmpfs_holds_output_shows_it_and_loses_nothing() {
        mkdir "$T/small"
        mount -t tmpfs -o size=512k,mode=0700 tmpfs "$T/small" || fail "cannot mount a tmpfs"
        cleanup umount -l "$T/small"
        head -c 480k /dev/zero >"$T/small/filler" 2>/dev/null
        faults_config "[service:app]
command = sh -c '$LOGWRITER 3000 4096; exec sleep 100000'
stdout = file:$T/small/app.log
log_max_size = 0"
        ctl_run
        wait_for 30 eval '[ -n "$(faults_held app)" ]' ||
                fail "status does not show the held log: $(ctl status app 2>&1)"
        [ "$(faults_held app)" = "log held: ENOSPC on $T/small/app.log" ] ||
                fail "INFO: $(faults_held app)"
        [ "$(faults_held_json app)" = "log held: ENOSPC on $T/small/app.log" ] ||
                fail "JSON log_held: $(faults_held_json app)"
        grep -q "warning: app: log file $T/small/app.log: .*No space left on device; holding stdout" "$T/out" ||
                fail "the warning lacks its reason: $(grep warning "$T/out")"
        rm -f "$T/small/filler"
        wait_for 30 eval '[ "$(stat -c %s "$T/small/app.log")" = 300000 ]' ||
                fail "after space came back the file has $(stat -c %s "$T/small/app.log") of 300000 bytes"
        "$LOGCHECK" 3000 '' <"$T/small/app.log" >"$T/check" 2>&1 || fail "$(cat "$T/check")"
        wait_for 10 eval '[ -z "$(faults_held app)" ]' || fail "still held: $(faults_held app)"
        ctl_stop_supd
}

test_removed_log_directory_holds_then_flows_into_the_new_one() {
        mkdir -m 0700 "$T/logs"
        mkfifo "$T/go"
        faults_config "[service:app]
command = sh -c 'echo before; read x <$T/go; $LOGWRITER 1000 4096; exec sleep 100000'
stdout = file:$T/logs/app.log"
        ctl_run
        wait_for 20 grep -qs '^before$' "$T/logs/app.log" || fail "first line missing"
        rm -rf "$T/logs"
        echo go >"$T/go"
        wait_for 30 eval '[ "$(faults_held app)" = "log held: ENOENT on $T/logs/app.log" ]' ||
                fail "status: $(ctl status app 2>&1)"
        ctl_expect 0 status app         # supd answers while the service is held
        mkdir -m 0700 "$T/logs"
        wait_for 30 eval '[ "$(stat -c %s "$T/logs/app.log" 2>/dev/null)" = 100000 ]' ||
                fail "the new file has $(stat -c %s "$T/logs/app.log" 2>&1) of 100000 bytes"
        "$LOGCHECK" 1000 '' <"$T/logs/app.log" >"$T/check" 2>&1 || fail "$(cat "$T/check")"
        ctl_stop_supd
}

test_stopped_console_reader_holds_output_supd_answers_nothing_lost() {
        mkfifo "$T/console" "$T/go"
        bg sh -c "exec cat <'$T/console' >'$T/console.out'"
        local reader=$BG_PID
        faults_config "[service:app]
command = sh -c 'read x <$T/go; $LOGWRITER 20000 4096; exec sleep 100000'"
        run_pid1 -c "$T/sup.ini" >"$T/console" 2>"$T/out"
        CTL_SUPD=$BG_PID
        wait_for 20 test -S "$T/supd.sock" || fail "no socket"
        kill -STOP "$reader"
        cleanup kill -CONT "$reader"
        echo go >"$T/go"
        wait_for 30 eval '[ "$(faults_held app)" = "log held: console stdout not taking output" ]' ||
                fail "status: $(ctl status app 2>&1)"
        python3 "$CTL_PROBE" idle "$T/supd.sock" 1 >&2 || fail "status did not answer with the console stopped"
        kill -CONT "$reader"
        wait_for 60 eval '[ "$(grep -c "^app | " "$T/console.out")" -ge 20000 ]' ||
                fail "$(grep -c '^app | ' "$T/console.out") of 20000 lines"
        "$LOGCHECK" 20000 'app | ' <"$T/console.out" >"$T/check" 2>&1 || fail "$(cat "$T/check")"
        ctl_stop_supd
}

# --- the control socket -----------------------------------------------------------

test_status_answers_while_2000_clients_come_and_go() {
        faults_config "[service:web]
command = $SLEEPER"
        ctl_run
        ctl_wait_state 20 web RUNNING
        python3 "$CTL_PROBE" churn "$T/supd.sock" 2000 >"$T/probe" 2>&1 || fail "$(cat "$T/probe")"
        note "$(cat "$T/probe")"
        ctl_expect 0 status web
        ctl_stop_supd
}

test_64_idle_clients_do_not_hold_the_table() {
        faults_config "[service:web]
command = $SLEEPER"
        ctl_run
        ctl_wait_state 20 web RUNNING
        python3 "$CTL_PROBE" idle "$T/supd.sock" 64 >"$T/probe" 2>&1 || fail "$(cat "$T/probe")"
        note "$(cat "$T/probe")"
        python3 "$CTL_PROBE" idle "$T/supd.sock" 200 >"$T/probe" 2>&1 || fail "$(cat "$T/probe")"
        note "$(cat "$T/probe")"
        ctl_stop_supd
}

test_10mb_request_and_garbage_get_errors_supd_answers() {
        faults_config "[service:chatty]
command = sh -c 'while :; do echo chatter; sleep 0.01; done'

[service:web]
command = $SLEEPER"
        ctl_run
        ctl_wait_state 20 web RUNNING
        python3 "$CTL_PROBE" big "$T/supd.sock" 10000000 >"$T/probe" 2>&1 || fail "$(cat "$T/probe")"
        python3 "$CTL_PROBE" bad "$T/supd.sock" >"$T/probe" 2>&1 || fail "$(cat "$T/probe")"
        head -c 1000000 /dev/urandom | python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
try:
    s.sendall(sys.stdin.buffer.read())
except OSError:
    pass
s.close()' "$T/supd.sock"
        ctl_expect 0 status web
        ctl_stop_supd
}

test_status_json_streams_10000_services_and_reload_keeps_them() {
        local i
        {
                printf '[supd]\nsocket = %s\nshutdown_timeout = 3s\n\n' "$T/supd.sock"
                for ((i = 0; i < 10000; i++)); do
                        printf '[service:s%d]\ncommand = sleep 100000\nautostart = no\nenvironment = A=%d B=2\nstop_timeout = 3s\n\n' "$i" "$i"
                done
        } >"$T/sup.ini"
        ctl_run
        ctl_expect 3 status --json
        python3 - "$T/ctl.out" <<'EOF' || fail "JSON of 10000 services"
import json, sys
s = json.load(open(sys.argv[1]))["services"]
assert len(s) == 10000 and s[0]["name"] == "s0" and s[-1]["name"] == "s9999", len(s)
EOF
        [ "$(stat -c %s "$T/ctl.out")" -gt 1048576 ] || fail "the reply was smaller than the old 1 MiB bound"
        ctl_expect 0 reload
        ctl_out_has 'unchanged 10000'
        # autostart = no: no service holds a pipe
        local fds
        fds=$(ls "/proc/$(pgrep -P "$CTL_SUPD" -x supd | head -1)/fd" | wc -l)
        [ "$fds" -lt 100 ] || fail "supd holds $fds fds for 10000 services that never ran"
        ctl_expect 0 start s5
        ctl_expect 0 status s5
        ctl_stop_supd
}

test_200k_environment_pairs_check_and_reload() {
        python3 - "$T" <<'EOF'
import sys
t = sys.argv[1]
pairs = " ".join("K%d=v%d" % (i, i) for i in range(200000))
open(t + "/sup.ini", "w").write("[supd]\nsocket = %s/supd.sock\nshutdown_timeout = 3s\n\n"
    "[service:big]\ncommand = /bin/true\nautostart = no\nenvironment = %s\n\n"
    "[service:web]\ncommand = sh -c 'exec sleep 100000'\n" % (t, pairs))
EOF
        local t0 t1
        t0=$(now_us)
        "$SUPD" --check -c "$T/sup.ini" >"$T/check" 2>&1 || fail "$(tail -3 "$T/check")"
        t1=$(now_us)
        note "--check of 200000 pairs: $(( (t1 - t0) / 1000 )) ms (ASan build)"
        grep -q 'K199999=v199999' "$T/check" || fail "the last pair is missing"
        ctl_run
        ctl_wait_state 20 web RUNNING
        ctl_expect 0 reload
        ctl_out_has 'unchanged 2'
        ctl_expect 0 status web
        ctl_stop_supd
}

# --- fds and a second supd ---------------------------------------------------------

test_emfile_at_start_is_reported_and_retried() {
        local i cfg=""
        for ((i = 0; i < 40; i++)); do
                cfg+="[service:o$i]
type = oneshot
command = sleep 0.3
restart_delay = 50ms
restart_delay_max = 200ms
start_retries = 100

"
        done
        for ((i = 0; i < 200; i++)); do
                cfg+="[service:idle$i]
command = $SLEEPER
autostart = no

"
        done
        faults_config "$cfg"
        bg unshare --pid --fork --mount-proc --kill-child sh -c "ulimit -n 48 && exec '$SUPD' -c '$T/sup.ini'" \
                >"$T/out" 2>&1
        CTL_SUPD=$BG_PID
        wait_for 20 test -S "$T/supd.sock" || fail "no socket: $(tail -5 "$T/out")"
        wait_for 60 eval '[ "$(ctl status 2>/dev/null | grep -c "^o[0-9]* *EXITED")" = 40 ]' ||
                fail "not all 40 oneshots ran: $(ctl status 2>&1 | grep -v 'idle' | head -20)"
        grep -q 'Too many open files' "$T/out" || fail "no start failed for EMFILE: raise the count"
        ctl_expect 3 status
        ctl_stop_supd
}

test_second_supd_on_the_same_socket_refuses_to_start() {
        faults_config "[service:web]
command = sh -c 'echo \$\$ >>$T/runs; exec sleep 100000'"
        ctl_run
        ctl_wait_state 20 web RUNNING
        bg unshare --pid --fork --mount-proc --kill-child "$SUPD" -c "$T/sup.ini" >"$T/second" 2>&1
        expect_exit 1 20
        grep -q "refusing to start: control socket $T/supd.sock: another supd is answering on it" "$T/second" ||
                fail "message: $(cat "$T/second")"
        [ "$(wc -l <"$T/runs")" = 1 ] || fail "the second supd started services: $(cat "$T/runs")"
        ctl_expect 0 status web
        ctl_stop_supd

        : >"$T/supd.sock.file"
        sed -i "s|^socket = .*|socket = $T/supd.sock.file|" "$T/sup.ini"
        bg "$SUPD" -c "$T/sup.ini" >"$T/third" 2>&1
        expect_exit 1 20
        grep -q "control socket $T/supd.sock.file: exists and is not a socket" "$T/third" ||
                fail "regular file: $(cat "$T/third")"
        ln -s "$T/elsewhere" "$T/supd.sock.link"
        sed -i "s|^socket = .*|socket = $T/supd.sock.link|" "$T/sup.ini"
        bg "$SUPD" -c "$T/sup.ini" >"$T/fourth" 2>&1
        expect_exit 1 20
        grep -q "control socket $T/supd.sock.link: exists and is not a socket" "$T/fourth" ||
                fail "symlink: $(cat "$T/fourth")"
        [ "$(wc -l <"$T/runs")" = 1 ] || fail "a refused supd started services"
}
