# tests/integration/compat.sh — supd called as tini (tini-static,
# docker-init) and as dumb-init: their command lines, environment, exit
# codes and behaviour, each checked on the real program too (lib_compat.sh);
# and the same features under supd's own name.

# --- tini: command line and exit codes --------------------------------------

tini_usage() {
        local bin=$2
        run_status 1 "$bin"
        grep -q 'Usage:' "$T/err.txt" || fail "no usage on stderr"
        run_status 1 "$bin" -x true
        run_status 1 "$bin" -e 256 true
        grep -q 'Not a valid option for -e: 256' "$T/err.txt" || fail "-e 256: $(cat "$T/err.txt")"
        run_status 1 "$bin" -e 1x true
        run_status 1 "$bin" -p KILL true        # tini wants SIG-names
        grep -q 'Not a valid option for -p: KILL' "$T/err.txt" || fail "-p KILL: $(cat "$T/err.txt")"
        run_status 0 "$bin" -h
        grep -q -- '-e EXIT_CODE' "$T/out.txt" || fail "-h: no usage on stdout"
        run_status 0 "$bin" --version
        grep -q '^tini version 0\.19' "$T/out.txt" || fail "--version: $(cat "$T/out.txt")"
        run_status 0 "$bin" -l
        [ -s "$T/out.txt" ] || fail "-l printed nothing"
        # getopt permutes: the command's -h is tini's unless after --.
        run_status 0 "$bin" true -h
        grep -q 'Usage:' "$T/out.txt" || fail "true -h: tini's -h was not read"
        run_status 0 "$bin" -s -- sh -c 'echo "$0"' -h
        grep -qx -- '-h' "$T/out.txt" || fail "after --: $(cat "$T/out.txt")"
}
test_tini_usage_versions_and_option_errors() { for_impls tini tini_usage; }

tini_exit_codes() {
        local bin=$2
        run_status 3 "$bin" -s -- sh -c 'exit 3'
        run_status 143 "$bin" -s -- "$PROBE" die 15
        run_status 0 "$bin" -s -e 3 -- sh -c 'exit 3'
        run_status 0 "$bin" -s -e 2 -e 143 -- "$PROBE" die 15
        run_status 4 "$bin" -s -e 3 -- sh -c 'exit 4'
        run_status 127 "$bin" -s -- /nonexistent/cmd
        grep -q 'exec /nonexistent/cmd failed: No such file or directory' "$T/err.txt" ||
                fail "exec message: $(cat "$T/err.txt")"
        run_status 126 "$bin" -s -- /etc
        run_status 0 "$bin" -s -e 127 -- /nonexistent/cmd
}
test_tini_exit_codes_and_e_remap() { for_impls tini tini_exit_codes; }

# --- tini: environment and messages -----------------------------------------

tini_subreaper_and_verbosity() {
        local bin=$2
        run_status 0 "$bin" -- true
        grep -q "isn't registered as a child subreaper" "$T/err.txt" ||
                fail "no subreaper warning when neither PID 1 nor -s"
        run_status 0 env TINI_VERBOSITY=0 "$bin" -- true
        [ ! -s "$T/err.txt" ] || fail "TINI_VERBOSITY=0 still printed: $(cat "$T/err.txt")"
        run_status 0 "$bin" -s -- true
        [ ! -s "$T/err.txt" ] || fail "-s still warned: $(cat "$T/err.txt")"
        run_status 0 env TINI_SUBREAPER= "$bin" -- true
        [ ! -s "$T/err.txt" ] || fail "TINI_SUBREAPER still warned: $(cat "$T/err.txt")"
        # As a subreaper the command's orphan is ours to reap (-w says so).
        run_status 0 env TINI_SUBREAPER=1 "$bin" -w -- sh -c "cd '$T' && $(make_orphan_and_wait)"
        grep -q "Reaped zombie process with pid=$(cat "$T/orphan")" "$T/err.txt" ||
                fail "TINI_SUBREAPER: the orphan was not ours: $(cat "$T/err.txt")"
        # -v counts: -vvv says something where -s alone is silent (tini: on stdout).
        run_status 0 "$bin" -s -vvv -- true
        [ -s "$T/out.txt" ] || [ -s "$T/err.txt" ] || fail "-vvv said nothing"
}
test_tini_subreaper_and_verbosity_env() { for_impls tini tini_subreaper_and_verbosity; }

# make_orphan_and_wait: shell text for a command (run in $T) whose child
# leaves a process behind, reparented to the init, which exits only once
# the command lets it; the command then waits until the init reaped it.
# Its pid is in $T/orphan.
make_orphan_and_wait() {
        # shellcheck disable=SC2016
        echo 'rm -f fifo; mkfifo fifo; sh -c "cat fifo >/dev/null & echo \$! >orphan"; echo x >fifo;' \
             'p=$(cat orphan); while kill -0 $p 2>/dev/null; do sleep 0.02; done'
}

tini_warns_on_reaped_zombies() {
        local bin=$2 p
        local cmd
        cmd=$(make_orphan_and_wait)
        run_status 0 "$bin" -s -w -- sh -c "cd '$T' && $cmd"
        p=$(cat "$T/orphan")
        grep -q "Reaped zombie process with pid=$p" "$T/err.txt" || fail "-w: $(cat "$T/err.txt")"
        run_status 0 "$bin" -s -- sh -c "cd '$T' && $cmd"
        ! grep -q 'Reaped zombie' "$T/err.txt" || fail "warned without -w"
}
test_tini_w_warns_on_reaped_zombies() { for_impls tini tini_warns_on_reaped_zombies; }

# --- tini: signals and what is left -----------------------------------------

tini_signals_child_or_group() {   # -g or TINI_KILL_PROCESS_GROUP: the group
        local bin=$2 how leftover
        local cmd="trap 'exit 0' USR1; '$PROBE' report '$T/out' --exit-on 10 & wait; wait"
        for how in -g env; do
                rm -f "$T/out"
                if [ "$how" = -g ]; then bg "$bin" -s -g -- sh -c "$cmd"
                else bg env TINI_KILL_PROCESS_GROUP=1 "$bin" -s -- sh -c "$cmd"; fi
                probe_ready "$T/out"
                kill -USR1 "$BG_PID"
                expect_exit 0 20
                file_has "$T/out" '^sig 10$' || fail "$how: the group got no USR1"
        done
        rm -f "$T/out"
        bg "$bin" -s -- sh -c "$cmd"
        probe_ready "$T/out"
        leftover=$(probe_field "$T/out" pid)
        kill_at_end "$leftover"
        kill -USR1 "$BG_PID"
        expect_exit 0 20
        ! file_has "$T/out" '^sig 10$' || fail "without -g the child's child got USR1"
        # tini exits with its child and leaves the rest alone: no TERM.
        alive "$leftover" || fail "tini ended the leftover probe"
        ! file_has "$T/out" '^sig 15$' || fail "the leftover got TERM"
}
test_tini_g_and_env_signal_the_group_and_leftovers_are_left() {
        for_impls tini tini_signals_child_or_group
}

# kill_parent_of_init BIN ARGS...: BIN ARGS run by a shell that is then
# killed; the probe's report is $T/out.
parent_dies() {
        bg sh -c '"$@" & echo $! >"$0"; wait' "$T/init.pid" "$@"
        probe_ready "$T/out"
        kill -KILL "$BG_PID"
        wait "$BG_PID" 2>/dev/null
        wait_for 20 test -s "$T/init.pid" || fail "no init pid"
        kill_at_end "$(cat "$T/init.pid")"
}

tini_parent_death_signal() {
        local bin=$2
        parent_dies "$bin" -s -p SIGUSR1 -- "$PROBE" report "$T/out" --exit-on 10
        wait_for 20 file_has "$T/out" '^sig 10$' || fail "no USR1 after the parent died"
        wait_for 20 proc_gone "$(cat "$T/init.pid")" || fail "init outlived its child"
}
test_tini_p_parent_death_signal() { for_impls tini tini_parent_death_signal; }

tini_ttin_ttou_dropped() {
        local bin=$2
        bg "$bin" -s -- "$PROBE" report "$T/out" --exit-on 15
        probe_ready "$T/out"
        kill -TTIN "$BG_PID"
        kill -TTOU "$BG_PID"
        send_and_see "$BG_PID" 12 "$T/out"
        ! grep -qE '^sig (21|22)$' "$T/out" || fail "TTIN/TTOU reached the child"
        kill -TERM "$BG_PID"
        expect_exit 0 20
}
test_tini_drops_ttin_ttou() { for_impls tini tini_ttin_ttou_dropped; }

# --- dumb-init: command line and exit codes ---------------------------------

dumb_init_usage() {
        local bin=$2
        run_status 1 "$bin"
        grep -q 'Usage:' "$T/err.txt" || fail "no usage on stderr"
        run_status 1 "$bin" -x true
        run_status 1 "$bin" --bogus true
        run_status 0 "$bin" --help
        grep -q -- '--single-child' "$T/err.txt" || fail "--help"
        run_status 0 "$bin" -V
        grep -q '^dumb-init v1\.2\.5' "$T/err.txt" || fail "-V: $(cat "$T/err.txt")"
        run_status 0 "$bin" --version
        local bad
        for bad in 0:1 32:1 1:32 x 15 15:-1; do
                run_status 1 "$bin" -r "$bad" true
                grep -q 'Usage: -r option takes' "$T/err.txt" || fail "-r $bad: $(cat "$T/err.txt")"
        done
        # Options stop at the first non-option.
        run_status 0 "$bin" sh -c 'echo "$0"' -v
        grep -qx -- '-v' "$T/out.txt" || fail "the command's -v: $(cat "$T/out.txt")"
        run_status 3 "$bin" sh -c 'exit 3'
        run_status 3 "$bin" -c -- sh -c 'exit 3'
        run_status 143 "$bin" "$PROBE" die 15
        run_status 2 "$bin" /nonexistent/cmd
        grep -q '\[dumb-init\] /nonexistent/cmd: No such file or directory' "$T/err.txt" ||
                fail "exec message: $(cat "$T/err.txt")"
        run_status 0 "$bin" true
        [ ! -s "$T/err.txt" ] || fail "quiet by default: $(cat "$T/err.txt")"
        run_status 0 "$bin" -v true
        grep -q '^\[dumb-init\] ' "$T/err.txt" || fail "-v said nothing"
        run_status 0 env DUMB_INIT_DEBUG=1 "$bin" true
        grep -q '^\[dumb-init\] ' "$T/err.txt" || fail "DUMB_INIT_DEBUG=1 said nothing"
}
test_dumb_init_usage_versions_and_exit_codes() { for_impls dumb-init dumb_init_usage; }

# --- dumb-init: sessions, groups and what is left ---------------------------

dumb_init_setsid_mode() {
        local bin=$2 child
        # The child leads a session; signals go to its group; when it exits
        # the group gets TERM.
        bg "$bin" sh -c "'$PROBE' report '$T/out' --exit-on 15 & wait"
        probe_ready "$T/out"
        child=$(children_of "$BG_PID" | head -n1)
        [ "$(session_of "$child")" = "$child" ] || fail "child $child is not a session leader"
        kill -USR1 "$BG_PID"
        expect_exit 138 20
        file_has "$T/out" '^sig 10$' || fail "the group got no USR1"
        wait_for 10 file_has "$T/out" '^sig 15$' || fail "the leftover got no TERM"
}
test_dumb_init_setsid_mode_signals_the_group_and_terms_leftovers() {
        for_impls dumb-init dumb_init_setsid_mode
}

dumb_init_single_child() {
        local bin=$2 how child leftover
        for how in -c env; do
                rm -f "$T/out"
                if [ "$how" = -c ]; then bg "$bin" -c sh -c "'$PROBE' report '$T/out' & wait"
                else bg env DUMB_INIT_SETSID=0 "$bin" sh -c "'$PROBE' report '$T/out' & wait"; fi
                probe_ready "$T/out"
                leftover=$(probe_field "$T/out" pid)
                kill_at_end "$leftover"
                child=$(children_of "$BG_PID" | head -n1)
                [ "$(pgrp_of "$child")" = "$(pgrp_of "$BG_PID")" ] ||
                        fail "$how: the child left our process group"
                kill -USR1 "$BG_PID"
                expect_exit 138 20
                ! file_has "$T/out" '^sig 10$' || fail "$how: USR1 reached the child's child"
                ! file_has "$T/out" '^sig 15$' || fail "$how: the leftover got TERM"
                alive "$leftover" || fail "$how: the leftover was ended"
        done
}
test_dumb_init_single_child_signals_the_child_and_leaves_leftovers() {
        for_impls dumb-init dumb_init_single_child
}

dumb_init_rewrite() {
        local bin=$2
        # USR1 → USR2; TERM is dropped; the leftover TERM is rewritten too.
        bg "$bin" -r 10:12 -r 15:0 -r 1:3 "$PROBE" report "$T/out" --exit-on 3
        probe_ready "$T/out"
        send_and_see "$BG_PID" 12 "$T/out"      # USR2 unchanged
        kill -USR1 "$BG_PID"
        wait_for 10 eval '[ "$(grep -c "^sig 12$" "$T/out")" = 2 ]' || fail "USR1 was not rewritten to USR2"
        kill -TERM "$BG_PID"
        kill -HUP "$BG_PID"
        expect_exit 0 20
        ! grep -qE '^sig (10|15|1)$' "$T/out" || fail "a rewritten signal arrived as itself"
        file_has "$T/out" '^sig 3$' || fail "HUP was not rewritten to QUIT"
        rm -f "$T/out"
        bg "$bin" -r 15:12 sh -c "'$PROBE' report '$T/out' --exit-on 12 & wait"
        probe_ready "$T/out"
        kill -INT "$BG_PID"
        expect_exit 130 20
        wait_for 10 file_has "$T/out" '^sig 12$' || fail "the leftover TERM was not rewritten"
}
test_dumb_init_r_rewrites_and_drops_signals() { for_impls dumb-init dumb_init_rewrite; }

dumb_init_tty_signals_stop_it() {
        local bin=$2 sig child
        for sig in TSTP TTIN TTOU; do
                rm -f "$T/out"
                bg "$bin" "$PROBE" report "$T/out" --exit-on 15
                probe_ready "$T/out"
                child=$(probe_field "$T/out" pid)
                kill -"$sig" "$BG_PID"
                # Rewritten to STOP for the child's group, then it stops itself.
                wait_for 10 stopped "$child" || fail "$sig: the child did not stop"
                wait_for 10 stopped "$BG_PID" || fail "$sig: dumb-init did not stop itself"
                kill -CONT "$BG_PID"
                wait_for 10 file_has "$T/out" '^sig 18$' || fail "$sig: CONT was not forwarded"
                ! stopped "$child" || fail "$sig: the child stays stopped"
                kill -TERM "$BG_PID"
                expect_exit 0 20
        done
        # -c: TSTP is forwarded as itself, then dumb-init stops.
        rm -f "$T/out"
        bg "$bin" -c "$PROBE" report "$T/out" --exit-on 15
        probe_ready "$T/out"
        kill -TSTP "$BG_PID"
        wait_for 10 file_has "$T/out" '^sig 20$' || fail "-c: TSTP not forwarded"
        wait_for 10 stopped "$BG_PID" || fail "-c: dumb-init did not stop itself"
        kill -CONT "$BG_PID"
        kill -TERM "$BG_PID"
        expect_exit 0 20
}
test_dumb_init_tty_signals_stop_the_child_and_itself() {
        for_impls dumb-init dumb_init_tty_signals_stop_it
}

dumb_init_job_control_on_a_terminal() {
        python3 "$SUP_ROOT/tests/helpers/pty_jobctl.py" "$2" >"$T/pty.log" 2>&1 ||
                fail "$(cat "$T/pty.log")"
}
test_dumb_init_ctrl_z_and_fg_in_a_shell() { for_impls dumb-init dumb_init_job_control_on_a_terminal; }

# --- supd's own name --------------------------------------------------------

test_supd_bare_prints_usage_and_exits_2() {
        local run=()
        # A machine with a default config would run it: hide it.
        [ -e /etc/sup/sup.ini ] && run=(unshare -m sh -c 'mount -t tmpfs none /etc/sup && exec "$0"')
        env -u SUP_CONFIG "${run[@]}" "$SUPD" >"$T/out.txt" 2>"$T/err.txt"
        [ $? = 2 ] || fail "bare supd: expected exit 2"
        grep -q '^usage: supd' "$T/err.txt" || fail "no usage: $(cat "$T/err.txt")"
        [ "$(wc -l <"$T/err.txt")" -le 3 ] || fail "not short: $(cat "$T/err.txt")"
}

test_supd_r_rewrites_and_drops_signals() {
        run_sub -r USR1:USR2 -r SIGHUP:0 -r 3:15 -- "$PROBE" report "$T/out" --exit-on 15
        probe_ready "$T/out"
        kill -USR1 "$SUPD_PID"
        wait_for 10 file_has "$T/out" '^sig 12$' || fail "USR1 was not rewritten to USR2"
        kill -HUP "$SUPD_PID"
        kill -QUIT "$SUPD_PID"
        expect_exit 0 20
        ! grep -qE '^sig (10|1|3)$' "$T/out" || fail "a rewritten signal arrived as itself"
        local bad
        for bad in USR1 USR1:BOGUS NOPE:1 KILL:TERM; do
                "$SUPD" -r "$bad" -- true 2>"$T/err"
                [ $? = 2 ] || fail "-r $bad: expected exit 2"
                [ "$(wc -l <"$T/err")" = 1 ] || fail "-r $bad: $(cat "$T/err")"
        done
        "$SUPD" -r USR1:USR2 -c /dev/null 2>/dev/null
        [ $? = 2 ] || fail "-r in config mode: expected a usage error"
}

test_supd_e_remaps_exit_codes() {
        local args
        run_status 0 "$SUPD" -e 3 -- sh -c 'exit 3'
        run_status 0 "$SUPD" -e 1 -e 143 -- "$PROBE" die 15
        run_status 4 "$SUPD" -e 3 -- sh -c 'exit 4'
        for args in "-e 256" "-e x" "-e"; do
                # shellcheck disable=SC2086
                run_status 2 "$SUPD" $args -- true
        done
        # Config mode: the run's code.
        printf '[supd]\nsocket = %s\n\n[service:app]\ncommand = sh -c "exit 5"\ncritical = yes\nrestart = never\n' \
                "$T/ctl.sock" >"$T/sup.ini"
        run_pid1 -e 5 -c "$T/sup.ini"
        expect_exit 0 30
}

test_supd_p_parent_death_signal() {
        parent_dies "$SUPD" -p USR1 -- "$PROBE" report "$T/out" --exit-on 10
        wait_for 20 file_has "$T/out" '^sig 10$' || fail "no USR1 after the parent died"
        wait_for 20 proc_gone "$(cat "$T/init.pid")" || fail "supd outlived its child"
        run_status 2 "$SUPD" -p NOSUCH -- true
}

test_supd_leftovers_leave_flag() {
        run_status 0 "$SUPD" --leftovers=leave -- sh -c "sleep 1000 & echo \$! >'$T/pid'; exit 0"
        kill_at_end "$(cat "$T/pid")"
        alive "$(cat "$T/pid")" || fail "--leftovers=leave ended the leftover"
        run_status 0 "$SUPD" --leftovers=sweep -- sh -c "sleep 1000 & echo \$! >'$T/pid2'; exit 0"
        ! alive "$(cat "$T/pid2")" || fail "--leftovers=sweep left it"
        run_status 2 "$SUPD" --leftovers=maybe -- true
}

test_supd_leftovers_config_key() {
        local mode
        for mode in leave sweep; do
                rm -f "$T/pid"
                printf '[supd]\nsocket = %s\nleftovers = %s\nshutdown_timeout = 2s\n' "$T/ctl.sock" "$mode" >"$T/sup.ini"
                "$SUPD" -c "$T/sup.ini" --check | grep -qx "leftovers = $mode" || fail "--check: no leftovers = $mode"
                # The main command's child escapes its process group (setsid),
                # then the command exits (the service's group is killed).
                run_sub -c "$T/sup.ini" -- sh -c "setsid sleep 1000 & echo \$! >'$T/pid';
                        until [ \"\$(cut -d' ' -f6 /proc/\$!/stat)\" = \$! ]; do sleep 0.02; done"
                expect_exit 0 30
                kill_at_end "$(cat "$T/pid")"
                if [ "$mode" = leave ]; then
                        alive "$(cat "$T/pid")" || fail "leftovers = leave: it was ended"
                else
                        ! alive "$(cat "$T/pid")" || fail "leftovers = sweep: it was left"
                fi
        done
        printf '[supd]\nleftovers = some\n' >"$T/bad.ini"
        "$SUPD" -c "$T/bad.ini" --check 2>"$T/err"
        [ $? = 2 ] || fail "a bad value loaded"
        grep -q 'bad.ini:2: \[supd\] leftovers: .*sweep.*leave' "$T/err" || fail "message: $(cat "$T/err")"
}

test_supd_j_ctrl_z_and_fg_in_a_shell() {
        python3 "$SUP_ROOT/tests/helpers/pty_jobctl.py" "$SUPD" -j -- >"$T/pty.log" 2>&1 ||
                fail "$(cat "$T/pty.log")"
}
