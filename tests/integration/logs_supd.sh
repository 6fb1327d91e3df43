# Log routing through a real supd (PID 1 of its own PID namespace): the
# router as supd wires it — slots from the config, pipes dup'ed by the
# runtime, supd's own messages on stderr, `supctl logs` from the ring.

logs_supd_config() {    # logs_supd_config EXTRA_SERVICES: writes $T/sup.ini
        cat >"$T/sup.ini" <<EOF2
[supd]
socket = $T/sock
shutdown_timeout = 2s

$1
EOF2
}

test_supd_console_is_lossless_and_whole_while_a_neighbour_crashes() {
        logs_supd_config "[service:big]
command = $LOGWRITER 300000 4096
restart = never

[service:other]
command = $LOGWRITER 300000 4093 OTHER
restart = never

[service:crash]
command = /bin/sh -c \"echo boom; exit 3\"
restart = always
restart_delay = 20ms
restart_delay_max = 50ms
start_retries = 0"
        run_pid1 -c "$T/sup.ini" >"$T/out" 2>"$T/err"
        wait_for 60 eval '[ "$(grep -c "^big | " "$T/out")" -ge 300000 ] && [ "$(grep -c "^other | " "$T/out")" -ge 300000 ]' ||
                fail "lines missing: $(grep -c '^big | ' "$T/out") big, $(grep -c '^other | ' "$T/out") other"
        grep -v '^crash | boom$' "$T/out" | "$LOGCHECK" 300000 'big | ' 'other | ' >"$T/check" 2>&1 ||
                fail "$(cat "$T/check")"
        [ "$(grep -c '^crash | boom$' "$T/out")" -ge 5 ] || fail "crash did not keep restarting"
        ! grep -q 'boom' "$T/err" || fail "service output in supd's stderr"
        grep -q '^supd: ' "$T/err" || fail "supd's own messages missing"
}

test_supd_file_target_rotates() {
        logs_supd_config "[service:f]
command = $LOGWRITER 5000 4096
restart = never
stdout = file:$T/f.log
log_max_size = 100000
log_keep = 2"
        run_pid1 -c "$T/sup.ini" >"$T/out" 2>"$T/err"
        wait_for 30 eval '[ -f "$T/f.log.2" ] && [ "$(stat -c %s "$T/f.log")" = 100000 ]' ||
                fail "$(ls -l "$T")"
        [ ! -e "$T/f.log.3" ] || fail "more than log_keep files"
        "$LOGWRITER" 5000 4096 | tail -c 300000 | cmp - <(concat_rotated "$T/f.log" 2) ||
                fail "rotated files are not the end of the stream"
        ! grep -q '^f | ' "$T/out" || fail "file output also on the console"
}

test_supctl_logs_prints_the_last_lines() {
        logs_supd_config "[service:t]
command = /bin/sh -c \"seq 1 500; exec sleep 60\"
restart = never"
        run_pid1 -c "$T/sup.ini" >"$T/out" 2>"$T/err"
        wait_for 20 file_has "$T/out" '^t \| 500$' || fail "no output"
        wait_for 10 "$SUPCTL" -s "$T/sock" status >/dev/null 2>&1 || true
        "$SUPCTL" -s "$T/sock" logs -n 3 t >"$T/logs" 2>&1 || fail "supctl logs: $(cat "$T/logs")"
        [ "$(cat "$T/logs")" = "$(printf '498\n499\n500')" ] || fail "supctl logs printed: $(cat "$T/logs")"
}
