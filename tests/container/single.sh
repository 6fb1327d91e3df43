# tests/container/single.sh — supd as a container's PID 1 in single-command
# mode (ENTRYPOINT ["supd", "--"]), run by runc.

test_exit_code_is_the_commands() {
        ct_new supd -- sh -c 'exit 7'
        ct_start
        expect_exit 7 20 "$CT_PID"
}

test_death_by_signal_is_128_plus_n() {
        ct_new supd -- sh -c 'kill -KILL $$'
        ct_start
        expect_exit 137 20 "$CT_PID"
}

test_missing_command_is_127() {
        ct_new supd -- /no/such/command
        ct_start
        expect_exit 127 20 "$CT_PID"
        ct_out_has 'no/such/command' || fail "no message naming the command: $(cat "$T/out")"
}

# `runc kill ID TERM` signals the container's PID 1 only: supd must pass it
# on, and the container ends with what the command made of it.
test_runc_kill_term_is_forwarded() {
        ct_new supd -- sh -c 'trap "echo got-term; exit 42" TERM; echo ready; while :; do sleep 0.1; done'
        ct_start
        wait_for 20 ct_out_has '^ready$' || fail "command did not start: $(cat "$T/out")"
        runc kill "$CT_ID" TERM || fail "runc kill failed"
        expect_exit 42 20 "$CT_PID"
        ct_out_has '^got-term$' || fail "the command did not get TERM: $(cat "$T/out")"
}

# Orphans re-parented to PID 1 are reaped: five background sleeps lose
# their parent, end, and must not stay zombies.
test_orphans_are_reaped() {
        ct_new supd -- sh -c 'for i in 1 2 3 4 5; do sh -c "sleep 3 & exit 0"; done; echo spawned; exec sleep 60'
        ct_start
        wait_for 20 ct_out_has '^spawned$' || fail "command did not start: $(cat "$T/out")"
        wait_for 10 ct_init_children_at_least 5 || fail "the orphans never existed: $(ct_ps)"
        wait_for 15 ct_init_children_reaped 1 || fail "orphans not reaped: $(ct_ps)"
        runc kill "$CT_ID" KILL
        expect_exit 137 20 "$CT_PID"
}
