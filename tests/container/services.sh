# tests/container/services.sh — supd as a container's PID 1 with a config,
# exactly as ENTRYPOINT ["supd", "-c", "/etc/sup/sup.ini", "--"] (+ CMD)
# runs it under runc.

ENTRY=(supd -c /etc/sup/sup.ini)

# A oneshot, a service after it, and the main command after both: each
# starts only when the one before is done or up.
test_services_start_in_order() {
        ct_ini <<'EOF_INI'
[service:migrate]
type = oneshot
command = /bin/sh -c "echo migrate-done"
[service:web]
command = /bin/sh -c "echo web-up; exec sleep 60"
after = migrate
EOF_INI
        ct_new "${ENTRY[@]}" -- sh -c 'echo main-up; exec sleep 60'
        ct_start
        wait_for 20 ct_out_has 'main-up' || fail "the main command never started: $(cat "$T/out")"
        wait_for 20 ct_out_has 'web-up' || fail "web never started: $(cat "$T/out")"
        local m w
        m=$(grep -n 'migrate-done' "$T/out" | head -n 1 | cut -d: -f1)
        w=$(grep -n 'web-up' "$T/out" | head -n 1 | cut -d: -f1)
        [ -n "$m" ] && [ -n "$w" ] && [ "$m" -lt "$w" ] ||
                fail "web started before migrate was done: $(cat "$T/out")"
}

# `runc kill ID TERM` (what `docker stop` does): every service gets its
# stop signal, stops in time, and the container exits 0.
test_runc_kill_term_stops_everything_with_0() {
        ct_ini <<'EOF_INI'
[service:a]
command = /bin/sh -c "trap 'echo a-got-term; exit 0' TERM; echo a-up; while :; do sleep 0.1; done"
[service:b]
command = /bin/sh -c "trap 'echo b-got-term; exit 0' TERM; echo b-up; while :; do sleep 0.1; done"
EOF_INI
        ct_new "${ENTRY[@]}"
        ct_start
        wait_for 20 ct_out_has 'a-up' || fail "a never started: $(cat "$T/out")"
        wait_for 20 ct_out_has 'b-up' || fail "b never started: $(cat "$T/out")"
        runc kill "$CT_ID" TERM || fail "runc kill failed"
        expect_exit 0 30 "$CT_PID"
        ct_out_has 'a-got-term' || fail "a was not stopped with TERM: $(cat "$T/out")"
        ct_out_has 'b-got-term' || fail "b was not stopped with TERM: $(cat "$T/out")"
}

# The main command (CMD) is critical: its exit ends the container with its code.
test_main_command_exit_ends_the_container() {
        ct_ini <<'EOF_INI'
[service:side]
command = /bin/sleep 60
EOF_INI
        ct_new "${ENTRY[@]}" -- sh -c 'sleep 0.5; exit 9'
        ct_start
        expect_exit 9 30 "$CT_PID"
}

test_critical_service_exit_ends_the_container() {
        ct_ini <<'EOF_INI'
[service:side]
command = /bin/sleep 60
[service:core]
command = /bin/sh -c "sleep 0.5; exit 5"
critical = yes
restart = never
EOF_INI
        ct_new "${ENTRY[@]}"
        ct_start
        expect_exit 5 30 "$CT_PID"
}

# Orphans a service leaves behind (its children re-parented to PID 1) are
# reaped.
test_orphans_of_services_are_reaped() {
        ct_ini <<'EOF_INI'
[service:forker]
command = /bin/sh -c "for i in 1 2 3 4 5; do sh -c 'sleep 3 & exit 0'; done; echo spawned; exec sleep 60"
EOF_INI
        ct_new "${ENTRY[@]}"
        ct_start
        wait_for 20 ct_out_has 'spawned' || fail "forker never ran: $(cat "$T/out")"
        wait_for 10 ct_init_children_at_least 5 || fail "the orphans never existed: $(ct_ps)"
        wait_for 15 ct_init_children_reaped 1 || fail "orphans not reaped: $(ct_ps)"
}

# `runc exec ID supctl status` — the operator's view and the exec probe.
test_runc_exec_supctl_status_answers() {
        ct_ini <<'EOF_INI'
[service:web]
command = /bin/sleep 60
[service:worker]
command = /bin/sleep 60
EOF_INI
        ct_new "${ENTRY[@]}"
        ct_start
        wait_for 20 ct_status_ok || fail "supctl status: $(runc exec "$CT_ID" supctl status 2>&1)"
        runc exec "$CT_ID" supctl status >status 2>&1 || fail "supctl status: $(cat status)"
        grep -qE '^web +RUNNING' status || fail "no RUNNING web: $(cat status)"
        grep -qE '^worker +RUNNING' status || fail "no RUNNING worker: $(cat status)"
        runc exec "$CT_ID" supctl status nosuch >/dev/null 2>&1
        [ $? = 4 ] || fail "unknown name: exit code not 4"
}

ct_status_ok() { runc exec "$CT_ID" supctl status >/dev/null 2>&1; }
