# tests/integration/reaper.sh — PID 1 of a service's PID namespace (the
# reaper) holds nothing of supd or suprun, cannot be read from the sandbox,
# and a reaper that is stopped or traced is a failure supd and suprun
# report, never a hang. The probe (tests/helpers/reaperpoke.c) scans
# /proc/1/mem for a secret, or ptrace-stops PID 1.

POKE=$SUP_ROOT/build/helpers/reaperpoke

test_suprun_reaper_holds_nothing_of_suprun() {
        local secret=sup-secret-$RANDOM$RANDOM
        "$SUPRUN" --namespaces pid,mount --env "SECRET=$secret" -- sh -c 'tr "\0" " " </proc/1/cmdline' \
                >out 2>&1 || fail "$(cat out)"
        grep -q "^sup-reaper " out || fail "PID 1 is not the reaper program: $(cat out)"
        # Every capability (CAP_SYS_PTRACE): the memory is readable, and empty of it.
        "$SUPRUN" --namespaces pid,mount --capabilities all --env "SECRET=$secret" \
                -- "$POKE" memscan 1 "$secret" >out 2>&1
        [ $? = 1 ] || fail "scan of the reaper: $(cat out)"
        out_has out "not found" || fail "the secret is in the reaper"
        # The check can fail: the same scan finds it in the command itself.
        "$SUPRUN" --namespaces pid,mount --env "SECRET=$secret" -- "$POKE" memscan self "$secret" >out 2>&1 ||
                fail "the scan does not find what is there: $(cat out)"
}

test_reaper_memory_is_refused_without_cap_sys_ptrace() {
        # uid 0 with the default capabilities (Docker's: no CAP_SYS_PTRACE),
        # and the reaper is non-dumpable.
        "$SUPRUN" --namespaces pid,mount -- "$POKE" memscan 1 anything >out 2>&1
        [ $? = 2 ] || fail "/proc/1/mem was opened: $(cat out)"
        out_has out "refused: Permission denied" || fail "$(cat out)"
        "$SUPRUN" --namespaces pid,mount -- "$POKE" stop 1 >out 2>&1
        [ $? = 2 ] || fail "the reaper was ptrace-stopped: $(cat out)"
}

test_sigstop_to_the_reaper_is_ignored() {
        bg "$SUPRUN" --namespaces pid,mount -- sh -c 'kill -STOP 1; exit 3'
        expect_exit 3 15
}

test_ptrace_stopped_reaper_fails_suprun_instead_of_hanging() {
        bg "$SUPRUN" --namespaces pid,mount --capabilities all -- sh -c '"$0" stop 1 & while ! grep -q "tracing stop" /proc/1/status; do sleep 0.05; done; exit 3' "$POKE" \
                >out 2>&1
        expect_exit 1 30
        out_has out "stopped or traced; killed" || fail "not reported"
}

test_supd_reaper_holds_no_other_services_secret() {
        local secret=db-pass-$RANDOM$RANDOM
        ctl_config "[service:db]
command = sleep 100000
environment = DBPASS=$secret

[service:probe]
command = sh -c '$POKE memscan 1 $secret >$T/scan; exec sleep 100000'
namespaces = pid mount
capabilities = all"
        ctl_run
        sv_wait_file 20 "$T/scan"
        grep -q "not found" "$T/scan" || fail "scan of the reaper: $(cat "$T/scan")"
        ctl_stop_supd
}

test_supd_reports_a_ptrace_stopped_reaper() {
        ctl_config "[service:victim]
command = sh -c '$POKE stop 1 & while ! grep -q \"tracing stop\" /proc/1/status; do sleep 0.05; done; exit 0'
namespaces = pid mount
capabilities = all
restart = never

[service:other]
command = sleep 100000"
        ctl_run
        ctl_wait_state 30 victim EXITED
        ctl status victim >"$T/st" 2>&1
        grep -q "reaper .*stopped or traced" "$T/st" || fail "status: $(cat "$T/st")"
        grep -q "did not exit .* after the service did: stopped or traced; killing it" "$T/out" ||
                fail "no log line: $(tail -5 "$T/out")"
        [ "$(ctl_state other)" = RUNNING ] || fail "the other service suffered"
        ctl_stop_supd
}
