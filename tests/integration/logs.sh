# Log routing: lossless, ordered, whole lines, rotation, and a router that
# never blocks. These run the router alone through tests/helpers/logdrv (an
# ev loop with slots and services, as supd uses them); logs_supd.sh runs
# the same through a real supd.

test_fast_writer_through_slow_console_loses_nothing_while_others_restart() {
        # 200 MB as fast as the writer can, to a console that stalls for
        # 300 ms after every 16 MB; a second service crashes every 50 ms.
        bg sh -c "'$LOGDRV' -e '$T/events' \
                'big|console|console|once|$LOGWRITER 2000000 4096' \
                'crash|null|null|always:50|echo boom; exit 3' \
                | '$LOGCHECK' -m 16 2000000 'big | ' > '$T/check' 2>&1"
        expect_exit 0 120
        grep -q '^ok 212000000 ' "$T/check" || fail "$(cat "$T/check")"
        [ "$(spawns_of "$T/events" crash)" -ge 10 ] ||
                fail "crash restarted only $(spawns_of "$T/events" crash) times"
}

test_blocked_console_stalls_only_its_writer() {
        # The console is a FIFO nobody reads for a while: the console writer
        # must stop, but another service's file output and restarts go on.
        mkfifo "$T/con"
        exec 7<>"$T/con"                # keeps the FIFO open, reads nothing
        bg "$LOGDRV" -e "$T/events" \
                "chatty|console|console|once|$LOGWRITER 200000 4096" \
                "filer|file:$T/f.log|null|once|i=0; while [ \$i -lt 50 ]; do echo line \$i; i=\$((i+1)); sleep 0.01; done" \
                "crash|null|null|always:20|exit 1" >"$T/con"
        local drv=$BG_PID
        wait_for 60 file_has "$T/f.log" '^line 49$' || fail "file output stalled behind the console"
        [ "$(spawns_of "$T/events" crash)" -ge 20 ] || fail "restarts stalled behind the console"
        kill -0 "$drv" || fail "driver died"
        # The chatty writer is held (its pipe is full), not dropped: drain now.
        "$LOGCHECK" 200000 'chatty | ' <"$T/con" 7<&- >"$T/check" 2>&1 &
        local reader=$!
        LIB_PIDS+=("$reader")
        exec 7<&-
        wait "$drv" || fail "driver exit $?"
        wait "$reader" || fail "$(cat "$T/check")"
        grep -q '^ok ' "$T/check" || fail "$(cat "$T/check")"
}

test_two_fast_writers_never_split_a_line() {
        # 4 KiB writes straddle lines; each output line must be one whole
        # input line with its own prefix.
        "$LOGDRV" "a|console|console|once|$LOGWRITER 300000 4096 AAAA" \
                  "b|console|stdout|once|$LOGWRITER 300000 4093 BBBB >&2" |
                "$LOGCHECK" 300000 'a | ' 'b | ' >"$T/check" 2>&1 || fail "$(cat "$T/check")"
}

test_rotation_at_size_bound_keeps_n_files() {
        "$LOGDRV" "r|file:$T/r.log:100000:3|null|once|$LOGWRITER 10000 4096" || fail "driver"
        local i
        for i in 1 2 3; do
                [ "$(stat -c %s "$T/r.log.$i")" = 100000 ] || fail "r.log.$i is not 100000 bytes"
        done
        [ ! -e "$T/r.log.4" ] || fail "more than keep=3 rotated files"
        [ "$(stat -c %s "$T/r.log")" = 100000 ] || fail "current is $(stat -c %s "$T/r.log") bytes"
        # The 4 files are the last 400000 bytes of the stream, exact.
        "$LOGWRITER" 10000 4096 | tail -c 400000 >"$T/want"
        concat_rotated "$T/r.log" 3 | cmp - "$T/want" || fail "rotated files differ from the stream"
}

test_line_written_just_before_a_crash_arrives() {
        "$LOGDRV" -e "$T/events" \
                "x|console|console|always:100|echo 'last words'; kill -KILL \$\$" \
                "y|console|console|once|sleep 1" >"$T/out" || fail "driver"
        [ "$(grep -c '^x | last words$' "$T/out")" -ge 3 ] || fail "$(cat "$T/out")"
}

test_unfinished_line_ends_with_its_process() {
        # printf without a newline, then a crash: the next process's output
        # must not be glued to it.
        "$LOGDRV" "p|console|console|always:100|printf 'no newline'; kill -KILL \$\$" \
                  "q|console|console|once|sleep 1" >"$T/out" || fail "driver"
        grep -qx 'p | no newline' "$T/out" || fail "$(head -5 "$T/out")"
        ! grep -q 'no newlineno' "$T/out" || fail "two processes' output joined"
}

test_partial_writes_are_joined_and_long_lines_cut() {
        "$LOGDRV" "s|console|console|once|printf 'hel'; sleep 0.2; printf 'lo '; sleep 0.2; echo world; \
yes z | head -n 40000 | tr -d '\\n'; echo; echo end" >"$T/out" || fail "driver"
        grep -qx 's | hello world' "$T/out" || fail "partial line not joined: $(head -3 "$T/out")"
        [ "$(grep -c ' \[continued\]$' "$T/out")" = 2 ] || fail "expected 2 continued pieces"
        [ "$(grep -c '^s | z' "$T/out")" = 3 ] || fail "expected 3 pieces of the long line"
        [ "$(grep '^s | z' "$T/out" | sed 's/ \[continued\]$//; s/^s | //' | tr -d '\n' | wc -c)" = 40000 ] ||
                fail "long line lost bytes"
        grep -qx 's | end' "$T/out" || fail "line after the long one"
}

test_stderr_goes_to_stderr_and_format_fields() {
        "$LOGDRV" -F '{time} {name}/{stream}: {line}' \
                "f|console|console|once|echo out; echo err >&2" >"$T/out" 2>"$T/err" || fail "driver"
        grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z f/stdout: out$' "$T/out" ||
                fail "stdout: $(cat "$T/out")"
        grep -qE 'Z f/stderr: err$' "$T/err" || fail "stderr: $(cat "$T/err")"
        grep -q '^supd: info: ' "$T/err" || fail "own messages missing from stderr"
}

test_bytes_pass_unchanged() {
        "$LOGDRV" -F '{line}' "b|console|null|once|printf '\\377\\376 \\033[1mbold\\033[0m \\r\\n'" >"$T/out" ||
                fail "driver"
        printf '\377\376 \033[1mbold\033[0m \r\n' | cmp - "$T/out" || fail "bytes changed"
}

test_null_discards_but_ring_keeps_last_lines() {
        "$LOGDRV" -T "$T/tail" "n|null|null|once|seq 1 1000" >"$T/out" || fail "driver"
        [ ! -s "$T/out" ] || fail "null target printed something"
        [ "$(grep -c '^n: ' "$T/tail")" = 200 ] || fail "ring does not hold 200 lines"
        [ "$(head -1 "$T/tail")" = "n: 801" ] && [ "$(tail -1 "$T/tail")" = "n: 1000" ] ||
                fail "ring order: $(head -1 "$T/tail") .. $(tail -1 "$T/tail")"
}

test_missing_log_directory_is_a_clear_error() {
        ! "$LOGDRV" "m|file:/nonexistent/dir/m.log|null|once|true" 2>"$T/err" || fail "accepted"
        grep -q 'm: stdout: log file /nonexistent/dir/m.log: directory /nonexistent/dir: No such file' "$T/err" || fail "$(cat "$T/err")"
}

test_tail_of_a_file_target_comes_from_the_file() {
        # File bytes are spliced past supd's memory; the tail reads them back.
        "$LOGDRV" -T "$T/tail" "f|file:$T/f.log|console|once|seq 1 5000; echo oops >&2" >/dev/null 2>&1 ||
                fail "driver"
        [ "$(grep -c '^f: ' "$T/tail")" = 200 ] || fail "$(wc -l <"$T/tail") lines in the tail"
        grep -qx 'f: 5000' "$T/tail" && grep -qx 'f: oops' "$T/tail" || fail "$(tail -3 "$T/tail")"
        [ "$(wc -l <"$T/f.log")" = 5000 ] || fail "file has $(wc -l <"$T/f.log") lines"
}
