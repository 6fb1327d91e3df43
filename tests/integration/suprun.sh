# tests/integration/suprun.sh — suprun as a command: exit codes, signals,
# options, config files, errors.

test_exit_code_passes_through() {
        "$SUPRUN" -- sh -c 'exit 7'
        [ $? = 7 ] || fail "exit code not passed through"
}

test_death_by_signal_is_128_plus_n() {
        "$SUPRUN" -- sh -c 'kill -USR1 $$'
        [ $? = 138 ] || fail "expected 128+SIGUSR1"
        "$SUPRUN" --namespaces pid,mount -- sh -c 'kill -TERM $$'
        [ $? = 143 ] || fail "expected 128+SIGTERM through the reaper"
}

test_signals_are_forwarded() {
        bg "$SUPRUN" --namespaces pid,mount -- sh -c 'trap "echo got-term; exit 0" TERM; echo ready; while :; do sleep 0.1; done' >out 2>&1
        wait_for 10 file_has out ready || fail "not started"
        kill -TERM "$BG_PID"
        expect_exit 0 10
        out_has out got-term || fail "TERM not forwarded"
}

test_missing_command_exits_127() {
        "$SUPRUN" -- /nonexistent/prog >out 2>&1
        [ $? = 127 ] || fail "expected 127"
        out_has out "exec /nonexistent/prog: No such file or directory" || fail "message"
        "$SUPRUN" -- /etc/passwd >out 2>&1
        [ $? = 126 ] || fail "expected 126 for a non-executable"
}

test_usage_errors_exit_2() {
        "$SUPRUN" --no-such-option -- true >out 2>&1
        [ $? = 2 ] || fail "unknown option"
        "$SUPRUN" >out 2>&1
        [ $? = 2 ] || fail "no command"
        "$SUPRUN" --memory-max lots -- true >out 2>&1
        [ $? = 2 ] || fail "bad value"
        out_has out "--memory-max: expected a size" || fail "the message does not name the option"
}

test_command_is_passed_verbatim() {
        "$SUPRUN" -- sh -c 'cd / ; pwd' >out 2>&1 || fail "$(cat out)"
        [ "$(cat out)" = / ] || fail "got: $(cat out)"
        "$SUPRUN" --namespaces pid,mount -- sh -c $'echo one\n echo two' >out 2>&1 || fail "$(cat out)"
        [ "$(tr '\n' ' ' <out)" = "one two " ] || fail "got: $(cat out)"
        "$SUPRUN" -- printf '%s|' "a b" "'" '"' '$HOME' '\' '#x' '' >out 2>&1 || fail "$(cat out)"
        [ "$(cat out)" = "a b|'|\"|\$HOME|\\|#x||" ] || fail "got: $(cat out)"
        "$SUPRUN" --env 'GREETING=hello  world' --env "Q='x'" -- sh -c 'echo "$GREETING|$Q"' >out 2>&1 ||
                fail "$(cat out)"
        [ "$(cat out)" = "hello  world|'x'" ] || fail "environment not verbatim: $(cat out)"
}

test_errors_name_the_options() {
        "$SUPRUN" --private-tmp -- true >out 2>&1
        [ $? = 2 ] || fail "accepted --private-tmp without a mount namespace"
        out_has out "--private-tmp needs --namespaces mount" || fail "message"
        "$SUPRUN" --hostname box -- true >out 2>&1
        out_has out "--hostname needs --namespaces uts" || fail "message"
        "$SUPRUN" --env novalue -- true >out 2>&1
        out_has out '--env: expected KEY=VALUE; got "novalue"' || fail "message"
        ! grep -qE "\[service|private_tmp|namespaces =|suprun options" out || fail "config terms: $(cat out)"
}

test_stdin_and_stdout_pass_through() {
        [ "$(echo hello | "$SUPRUN" --namespaces pid,mount -- cat)" = hello ] || fail "stdin/stdout"
}

test_inherited_ignored_signal_stays_ignored() {
        (trap '' HUP; "$SUPRUN" -- grep SigIgn /proc/self/status) >out 2>&1
        local ign
        ign=$(awk '{print $2}' out)
        (( (0x$ign & 1) == 1 )) || fail "SIGHUP not ignored in the child: $ign"
}

test_config_service_sandbox_with_another_command() {
        cat >sup.ini <<EOT
[service:web]
command = sleep 1000
namespaces = uts mount
hostname = web-box
private_tmp = yes
EOT
        "$SUPRUN" -c sup.ini -s web -- sh -c 'hostname; ls -A /tmp | wc -l' >out 2>&1 || fail "$(cat out)"
        [ "$(tr '\n' ' ' <out)" = "web-box 0 " ] || fail "got: $(cat out)"
        "$SUPRUN" -c sup.ini -s nope -- true >out 2>&1
        [ $? = 2 ] || fail "unknown service"
        out_has out 'no service "nope"' || fail "message"
}
