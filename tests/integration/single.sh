# tests/integration/single.sh — `supd -- COMMAND`, as PID 1 and as a subreaper.

# --- exit codes -------------------------------------------------------------

exit_code_is() {        # exit_code_is WANT MODE CMD...   (MODE: pid1 | sub)
        local want=$1 mode=$2
        shift 2
        if [ "$mode" = pid1 ]; then run_pid1 -- "$@"; else run_sub -- "$@"; fi
        expect_exit "$want" 20
}

test_exit_codes_as_pid1() {
        local c
        for c in 0 1 3 127 255; do exit_code_is "$c" pid1 sh -c "exit $c"; done
}

test_exit_codes_as_subreaper() {
        local c
        for c in 0 1 3 126 255; do exit_code_is "$c" sub sh -c "exit $c"; done
}

test_signal_deaths_are_128_plus_n() {
        local sig mode
        for mode in pid1 sub; do
                for sig in 1 2 3 6 9 11 15; do
                        exit_code_is $((128 + sig)) "$mode" "$PROBE" die "$sig"
                done
        done
}

test_exec_not_found_is_127_with_one_line() {
        "$SUPD" -- /nonexistent/cmd 2>"$T/err"
        [ $? = 127 ] || fail "exit code $?, expected 127"
        [ "$(wc -l <"$T/err")" = 1 ] || fail "expected one line: $(cat "$T/err")"
        grep -q '/nonexistent/cmd: No such file or directory' "$T/err" || fail "message: $(cat "$T/err")"
        "$SUPD" -- no-such-command-anywhere 2>/dev/null
        [ $? = 127 ] || fail "PATH miss: expected 127"
}

# One rule for a failed exec (common/exitcode.c): `supd --`, a critical
# service and suprun give the shell's code alike, a missing directory on the
# way (ENOTDIR) included.
test_exec_failure_codes_agree_for_supd_a_service_and_suprun() {
        local want_cmd want cmd rc
        printf 'echo hi\n' >"$T/script"
        chmod 0644 "$T/script"
        for want_cmd in "127 /nonexistent/dir/x" "127 $T/script/x" "126 $T/script"; do
                want=${want_cmd%% *} cmd=${want_cmd#* }
                "$SUPD" -- "$cmd" 2>/dev/null
                rc=$?
                [ $rc = "$want" ] || fail "supd -- $cmd: exit $rc, expected $want"
                "$SUPRUN" -- "$cmd" 2>/dev/null
                rc=$?
                [ $rc = "$want" ] || fail "suprun -- $cmd: exit $rc, expected $want"
                printf '[supd]\nsocket = %s\n\n[service:app]\ncommand = %s\ncritical = yes\nrestart = never\n' \
                        "$T/ctl.sock" "$cmd" >"$T/sup.ini"
                run_pid1 -c "$T/sup.ini"
                expect_exit "$want" 30
        done
}

test_exec_not_executable_is_126_with_one_line() {
        printf 'echo hi\n' >"$T/script"
        chmod 0644 "$T/script"
        "$SUPD" -- "$T/script" 2>"$T/err"
        [ $? = 126 ] || fail "exit code $?, expected 126"
        [ "$(wc -l <"$T/err")" = 1 ] || fail "expected one line: $(cat "$T/err")"
        grep -q 'Permission denied' "$T/err" || fail "message: $(cat "$T/err")"
        run_pid1 -- /etc
        expect_exit 126 20
}

test_usage_errors_exit_2_with_one_line() {
        local args
        for args in "-x" "-t" "-t soon -- true" "--bogus" "--"; do
                # shellcheck disable=SC2086
                "$SUPD" $args 2>"$T/err"
                [ $? = 2 ] || fail "supd $args: expected exit 2"
                [ "$(wc -l <"$T/err")" = 1 ] || fail "supd $args: $(cat "$T/err")"
        done
        "$SUPD" --help | grep -q -- '-t DURATION' || fail "--help"
        "$SUPD" --version | grep -q '^supd ' || fail "--version"
}

test_options_stop_at_first_non_option() {
        # No GNU permutation: the command's own -l / -c are its own.
        [ "$("$SUPD" sh -c 'echo $0' arg0)" = arg0 ] || fail "sh -c was parsed by supd"
        "$SUPD" -q -t 1s ls -l / >/dev/null || fail "ls -l"
}

# --- signal forwarding ------------------------------------------------------

forwards_every_signal() {       # forwards_every_signal MODE
        local pid sig
        if [ "$1" = pid1 ]; then
                run_pid1 -- "$PROBE" report "$T/out" --exit-on 15
                pid=$(supd_host_pid)
        else
                run_sub -- "$PROBE" report "$T/out" --exit-on 15
                pid=$SUPD_PID
        fi
        probe_ready "$T/out"
        for sig in HUP INT QUIT USR1 USR2 PIPE ALRM CONT WINCH TSTP URG PWR SYS 34 35 50 64; do
                case $sig in [0-9]*) send_and_see "$pid" "$sig" "$T/out" ;;
                *) send_and_see "$pid" "$(kill -l "$sig")" "$T/out" ;; esac
        done
        # Real-time signals queue: three sent, three forwarded, in order.
        kill -40 "$pid"; kill -40 "$pid"; kill -40 "$pid"
        wait_for 10 eval '[ "$(grep -c "^sig 40$" "$T/out")" = 3 ]' || fail "RT signals: $(grep -c '^sig 40$' "$T/out") of 3"
        send_and_see "$pid" 15 "$T/out"
        expect_exit 0 20
}

test_forwards_every_signal_as_pid1() { forwards_every_signal pid1; }
test_forwards_every_signal_as_subreaper() { forwards_every_signal sub; }

test_ttin_ttou_are_not_forwarded() {
        run_sub -- "$PROBE" report "$T/out" --exit-on 15
        probe_ready "$T/out"
        kill -TTIN "$SUPD_PID"
        kill -TTOU "$SUPD_PID"
        send_and_see "$SUPD_PID" 45 "$T/out"   # after 21 and 22 in signalfd order
        ! grep -qE '^sig (21|22)$' "$T/out" || fail "TTIN/TTOU reached the child"
        kill -TERM "$SUPD_PID"
        expect_exit 0 20
}

test_sigpipe_supd_raised_itself_is_not_forwarded() {
        # supd's stderr is a pipe whose reader goes away: its next message
        # (-v: a TTIN is "ignored SIGTTIN") gets EPIPE, and the kernel
        # raises SIGPIPE against supd itself. That one is supd's, not the
        # command's; a SIGPIPE sent from outside still is (see above).
        local pid reader
        mkfifo "$T/err"
        bg sh -c "exec head -n 1 <'$T/err' >'$T/first'"
        reader=$BG_PID
        run_pid1 -v -- "$PROBE" report "$T/out" --exit-on 15 2>"$T/err"
        pid=$(supd_host_pid)
        probe_ready "$T/out"
        kill -TTIN "$pid"
        wait_for 10 eval '! alive '"$reader" || fail "the stderr reader did not go away"
        grep -q 'ignored SIGTTIN' "$T/first" || fail "supd's first message: $(cat "$T/first")"
        kill -TTIN "$pid"               # this message raises SIGPIPE in supd
        # WINCH (28) is read after the TTIN and the SIGPIPE that handling it
        # raised (a thread's own signal is dequeued before the process's), so
        # once the command has it, a forwarded SIGPIPE would be there first.
        send_and_see "$pid" "$(kill -l WINCH)" "$T/out"
        ! grep -q '^sig 13$' "$T/out" || fail "supd forwarded its own SIGPIPE to the command"
        kill -TERM "$pid"
        expect_exit 0 20 "$PID1_HOST"
}

test_group_flag_signals_the_process_group() {
        # tini's pgroup test: the child waits on a sleep that dies of USR1.
        run_pid1 -g -- sh -c 'trap ":" USR1; sleep 1000; exit 0'
        local pid
        pid=$(supd_host_pid)
        wait_for 10 eval '[ -n "$(children_of $(children_of '"$pid"'))" ]' || fail "no sleep"
        kill -USR1 "$pid"
        expect_exit 0 20
}

test_without_group_flag_only_the_child_is_signalled() {
        run_sub -- sh -c "trap ':' USR1; '$PROBE' report '$T/out'; exit 0"
        probe_ready "$T/out"
        kill -USR1 "$SUPD_PID"
        kill -TERM "$SUPD_PID"         # sh dies of it; the probe is TERMed as a straggler
        wait_for 10 file_has "$T/out" '^sig 15$' || fail "straggler got no TERM"
        ! file_has "$T/out" '^sig 10$' || fail "USR1 reached the child's child without -g"
        kill -KILL "$(probe_field "$T/out" pid)" 2>/dev/null
        expect_exit 143 20
}

# --- reaping ----------------------------------------------------------------

reaps_orphans() {       # reaps_orphans SUPD_PID
        local supd=$1 kids
        wait_for 30 file_has "$T/out" '^ready$' || fail "orphans were not made"
        # 500 orphans die at once; wait until only the probe is left, unreaped none.
        wait_for 30 eval '[ "$(children_of '"$supd"' | wc -l)" = 1 ]' ||
                fail "supd still has $(children_of "$supd" | wc -l) children"
        kids=$(children_of "$supd")
        [ "$(zombies_among $kids)" = 0 ] || fail "zombie left"
        [ "$(cat /proc/"$supd"/task/*/children | wc -w)" = 1 ] || fail "children left"
}

test_reaps_500_orphans_as_pid1() {
        run_pid1 -- sh -c "'$PROBE' orphans 500 300 && exec '$PROBE' report '$T/out' --exit-on 15"
        local supd
        supd=$(supd_host_pid)
        reaps_orphans "$supd"
        kill -TERM "$supd"
        expect_exit 0 20
}

test_reaps_500_orphans_as_subreaper() {
        run_sub -- sh -c "'$PROBE' orphans 500 300 && exec '$PROBE' report '$T/out' --exit-on 15"
        reaps_orphans "$SUPD_PID"
        kill -TERM "$SUPD_PID"
        expect_exit 0 20
}

# --- stragglers ------------------------------------------------------------

test_straggler_ignoring_term_is_killed_after_grace() {
        # The probe catches TERM and stays: it must get TERM, then KILL.
        run_sub -v -t 300ms -- sh -c "'$PROBE' report '$T/out' & $(until_ready "$T/out"); exit 3"
        probe_ready "$T/out"
        local straggler
        straggler=$(probe_field "$T/out" pid)
        expect_exit 3 20
        file_has "$T/out" '^sig 15$' || fail "straggler got no TERM"
        ! alive "$straggler" || fail "straggler $straggler outlived supd"
}

test_grace_is_taken_from_t() {
        "$SUPD" -t 250ms -- sh -c "'$PROBE' report '$T/out' & $(until_ready "$T/out"); exit 0" 2>"$T/err"
        grep -q '250ms after SIGTERM: sent SIGKILL' "$T/err" || fail "stderr: $(cat "$T/err")"
}

test_straggler_exiting_on_term_ends_promptly() {
        # Grace 60s, deadline 20s: only TERM can have ended it.
        run_sub -t 60s -- sh -c 'sleep 1000 & echo $! >'"$T/pid"'; exit 5'
        wait_for 10 test -s "$T/pid" || fail "no background pid"
        expect_exit 5 20
        ! alive "$(cat "$T/pid")" || fail "background sleep survived"
}

test_supd_waits_for_slow_stragglers_to_finish() {
        run_sub -t 60s -- sh -c "'$PROBE' report '$T/out' --term-exit-after 500 & $(until_ready "$T/out"); exit 4"
        probe_ready "$T/out"
        expect_exit 4 20
        file_has "$T/out" '^done$' || fail "supd exited before the straggler finished"
}

test_grandchildren_of_stragglers_are_stopped_too() {
        # Daemonised tree: the child's child double-forks and the child exits.
        run_sub -t 300ms -- sh -c "(sh -c 'sleep 1000 & echo \$! >$T/pid; wait' &) ; sleep 0.2; exit 0"
        wait_for 10 test -s "$T/pid" || fail "no grandchild"
        expect_exit 0 20
        ! alive "$(cat "$T/pid")" || fail "grandchild survived"
}

test_as_pid1_no_process_survives_the_command() {
        run_pid1 -t 300ms -- sh -c "'$PROBE' report '$T/out' & sleep 1000 & $(until_ready "$T/out"); exit 6"
        probe_ready "$T/out"
        expect_exit 6 20
        file_has "$T/out" '^sig 15$' || fail "the probe got no TERM before KILL"
}

# --- what the child inherits ----------------------------------------------

test_child_gets_inherited_sigmask_and_ignores() {
        # tini's sigconf test: block ILL TERM TTIN, ignore INT SEGV TTOU.
        # (ASan would put its own SEGV handler in place of the inherited ignore.)
        ASAN_OPTIONS="$ASAN_OPTIONS:handle_segv=0" PROBE_KEEP_FDS=- "$PROBE" with-sigs 4,15,21 2,11,22 "$SUPD" -- "$PROBE" report "$T/out" --exit-on 10 &
        LIB_PIDS+=($!)
        local supd=$!
        probe_ready "$T/out"
        [ "$(probe_field "$T/out" sigblk)" = 0000000000104008 ] || fail "SigBlk $(probe_field "$T/out" sigblk)"
        [ "$(probe_field "$T/out" sigign)" = 0000000000200402 ] || fail "SigIgn $(probe_field "$T/out" sigign)"
        kill -USR1 "$supd"
        expect_exit 0 20 "$supd"
}

test_clean_caller_gives_clean_child() {
        # Unlike catatonit, nothing blocked (TSTP!) and nothing ignored.
        "$PROBE" with-sigs - - "$SUPD" -- "$PROBE" report "$T/out" --exit-on 10 &
        LIB_PIDS+=($!)
        local supd=$!
        probe_ready "$T/out"
        [ "$(probe_field "$T/out" sigblk)" = 0000000000000000 ] || fail "SigBlk $(probe_field "$T/out" sigblk)"
        [ "$(probe_field "$T/out" sigign)" = 0000000000000000 ] || fail "SigIgn $(probe_field "$T/out" sigign)"
        kill -USR1 "$supd"
        expect_exit 0 20 "$supd"
}

test_child_gets_cwd_env_and_fds_but_not_supds() {
        mkdir "$T/work"
        (cd "$T/work" && exec 7>"$T/seven" && SUP_TEST_VAR='a b' PROBE_KEEP_FDS=7 \
                exec "$PROBE" with-sigs - - "$SUPD" -- "$PROBE" report "$T/out" --exit-on 10) &
        LIB_PIDS+=($!)
        local supd=$! fds
        probe_ready "$T/out"
        [ "$(probe_field "$T/out" cwd)" = "$T/work" ] || fail "cwd $(probe_field "$T/out" cwd)"
        file_has "$T/out" '^env SUP_TEST_VAR=a b$' || fail "environment not passed"
        fds=$(sed -n 's/^fd //p' "$T/out" | sort -n | tr '\n' ' ')
        [ "$fds" = "0 1 2 7 " ] || fail "child fds: $fds (want 0 1 2 7: inherited, none of supd's)"
        # supd itself keeps neither the inherited fd nor the directory.
        ! ls -l /proc/"$supd"/fd | grep -q "$T/seven" || fail "supd still holds fd 7"
        [ "$(readlink /proc/"$supd"/cwd)" = / ] || fail "supd cwd $(readlink /proc/"$supd"/cwd)"
        kill -USR1 "$supd"
        expect_exit 0 20 "$supd"
}

test_listen_pid_is_rewritten_to_the_child_as_pid1() {
        # As PID 1, LISTEN_PID=1 names supd: the child must see its own pid.
        LISTEN_PID=1 LISTEN_FDS=1 run_pid1 -- "$PROBE" report "$T/out" --exit-on 10 3<"$T"
        probe_ready "$T/out"
        file_has "$T/out" "^env LISTEN_PID=$(probe_field "$T/out" pid)\$" ||
                fail "LISTEN_PID: $(grep LISTEN_PID "$T/out") for pid $(probe_field "$T/out" pid)"
        file_has "$T/out" '^fd 3$' || fail "the activated socket fd 3 was not passed"
        kill -USR1 "$(supd_host_pid)"
        expect_exit 0 20
}

test_listen_pid_is_rewritten_to_the_child_as_subreaper() {
        # shellcheck disable=SC2016
        bg sh -c 'LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" -- "$1" report "$2" --exit-on 10' \
                "$SUPD" "$PROBE" "$T/out"
        probe_ready "$T/out"
        file_has "$T/out" "^env LISTEN_PID=$(probe_field "$T/out" pid)\$" ||
                fail "LISTEN_PID: $(grep LISTEN_PID "$T/out")"
        kill -USR1 "$BG_PID"
        expect_exit 0 20
}

test_listen_pid_of_someone_else_is_kept() {
        LISTEN_PID=4242 "$SUPD" -- "$PROBE" report "$T/out" --exit-on 10 &
        LIB_PIDS+=($!)
        local supd=$!
        probe_ready "$T/out"
        file_has "$T/out" '^env LISTEN_PID=4242$' || fail "LISTEN_PID changed"
        kill -USR1 "$supd"
        expect_exit 0 20 "$supd"
}

# --- terminal ---------------------------------------------------------------

test_tty_child_gets_foreground_and_ctrl_c_ends_it() {
        local mode
        for mode in sub pid1; do
                rm -f "$T/out"
                python3 "$SUP_ROOT/tests/helpers/pty_run.py" "$mode" "$T/out" \
                        "$SUPD" "$PROBE" >"$T/pty.log" 2>&1 ||
                        fail "$mode: $(cat "$T/pty.log")"
        done
}

# --- idle -------------------------------------------------------------------

test_idle_supd_does_not_wake_up() {
        run_sub -- "$PROBE" report "$T/out" --exit-on 10
        probe_ready "$T/out"
        local before after
        # Let startup settle (ASan, the first loop iterations), then count.
        wait_for 10 eval '[ "$(awk "{print \$3}" /proc/'"$SUPD_PID"'/stat)" = S ]'
        before=$(ctxt_switches "$SUPD_PID")
        sleep 3         # a quiet period; the assertion is on a count, not a time
        after=$(ctxt_switches "$SUPD_PID")
        [ "$before" = "$after" ] || fail "supd woke up $((after - before)) times while idle"
        kill -USR1 "$SUPD_PID"
        expect_exit 0 20
}

# The count above covers seconds; libev would also wake every ~60 s. So the
# wait supd blocks in while its command runs must have no timeout at all:
# /proc/PID/syscall names it (x86_64 numbers: read 0, poll 7, epoll_wait
# 232, epoll_pwait 281, ppoll 271; poll's timeout is its 3rd argument, an
# int: -1 reads 0xffffffff, epoll's the 4th; ppoll's is the 3rd too, a
# pointer: none is NULL). Once the command runs, supd's PID 1 is the tiny
# init (runtime/tiny/init.c), which blocks in read or ppoll.
test_idle_supd_waits_without_a_timeout() {
        [ "$(uname -m)" = x86_64 ] || fail "syscall numbers here are x86_64's"
        run_sub -- "$PROBE" report "$T/out" --exit-on 10
        probe_ready "$T/out"
        wait_for 10 eval '[ "$(awk "{print \$3}" /proc/'"$SUPD_PID"'/stat)" = S ]'
        local sc nr
        sc=$(cat "/proc/$SUPD_PID/syscall")
        read -r nr _ _ _ _ _ <<<"$sc"
        case $nr in
        0) ;;                                           # read(signalfd): no timeout
        7) [ "$(echo "$sc" | awk '{print $4}')" = 0xffffffff ] ||
                   fail "poll with a timeout: $sc" ;;
        232|281) [ "$(echo "$sc" | awk '{print $5}')" = 0xffffffff ] ||
                   fail "epoll_wait with a timeout: $sc" ;;
        271) [ "$(echo "$sc" | awk '{print $4}')" = 0x0 ] || fail "ppoll with a timeout: $sc" ;;
        *) fail "blocked in an unexpected system call: $sc" ;;
        esac
        kill -USR1 "$SUPD_PID"
        expect_exit 0 20
}

# --- PID 1 once the command runs: the tiny init -------------------------------

# pid_exe PID: where /proc/PID/exe points.
pid_exe() { readlink "/proc/$1/exe" 2>/dev/null; }

# What stays for the container's life is the tiny init (runtime/tiny/): the
# same process, exec'd from a memfd, with no library mapped, named and
# showing its command as supd; it still forwards, reaps and exits with the
# command's code.
test_pid1_becomes_the_tiny_init_once_the_command_runs() {
        run_pid1 -- sh -c "'$PROBE' orphans 50 200 && exec '$PROBE' report '$T/out' --exit-on 15"
        local supd
        supd=$(supd_host_pid)
        probe_ready "$T/out"
        wait_for 10 eval '[ "$(pid_exe '"$supd"')" = "/memfd:supd (deleted)" ]' ||
                fail "PID 1 is $(pid_exe "$supd"), not the tiny init"
        [ "$(cat "/proc/$supd/comm")" = supd ] || fail "comm: $(cat "/proc/$supd/comm")"
        tr '\0' ' ' <"/proc/$supd/cmdline" | grep -q -- "-- sh -c" || fail "cmdline: $(tr '\0' ' ' <"/proc/$supd/cmdline")"
        ! grep -q '\.so' "/proc/$supd/maps" || fail "a library is mapped: $(grep '\.so' "/proc/$supd/maps")"
        reaps_orphans "$supd"
        send_and_see "$supd" 10 "$T/out"
        kill -TERM "$supd"
        expect_exit 0 20
}

# Where a memfd cannot be exec'd (vm.memfd_noexec = 2, which a PID namespace
# may set for itself and its children), supd stays PID 1 and does the same.
test_without_memfd_exec_supd_stays_pid1_and_does_the_same() {
        [ -e /proc/sys/vm/memfd_noexec ] || fail "this kernel has no vm.memfd_noexec (Linux 6.3)"
        bg unshare --pid --fork --mount-proc --kill-child sh -c \
                'echo 2 >/proc/sys/vm/memfd_noexec && exec "$0" "$@"' "$SUPD" -vvv -- \
                sh -c "'$PROBE' orphans 50 200 && exec '$PROBE' report '$T/out' --exit-on 15" \
                2>"$T/fallback.err"
        PID1_HOST=$BG_PID
        local supd
        supd=$(supd_host_pid)
        probe_ready "$T/out"
        wait_for 10 grep -q "staying PID 1 ourselves" "$T/fallback.err" ||
                fail "no word of the fallback: $(cat "$T/fallback.err")"
        [ "$(pid_exe "$supd")" = "$(readlink -f "$SUPD")" ] || fail "PID 1 is $(pid_exe "$supd")"
        ! tr '\0' ' ' <"/proc/$supd/cmdline" | grep -q -- --pid1-plan || fail "handed over anyway"
        reaps_orphans "$supd"
        send_and_see "$supd" 10 "$T/out"
        kill -TERM "$supd"
        expect_exit 0 20
}
