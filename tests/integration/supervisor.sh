# tests/integration/supervisor.sh — the supervisor with supd as real PID 1:
# ordering, readiness, restarts, critical services, shutdown, reload, scale.

test_crash_backs_off_with_growing_delays_then_fatal() {
        sv_config "[service:crash]
command = sh -c 'date +%s.%N >> $T/starts; exit 1'
restart_delay = 100ms
restart_delay_max = 2s
start_retries = 4"
        sv_run
        sv_wait_log 20 'gave up: crash entered FATAL: exited 1 \(4 failures in a row\)'
        [ "$(wc -l <"$T/starts")" = 4 ] || fail "expected 4 starts, got $(wc -l <"$T/starts")"
        mapfile -t t <"$T/starts"
        local g1 g2 g3
        g1=$(awk -v a="${t[0]}" -v b="${t[1]}" 'BEGIN { print b - a }')
        g2=$(awk -v a="${t[1]}" -v b="${t[2]}" 'BEGIN { print b - a }')
        g3=$(awk -v a="${t[2]}" -v b="${t[3]}" 'BEGIN { print b - a }')
        note "gaps $g1 $g2 $g3"
        sv_ge "$g1" 0.1 && sv_ge "$g2" 0.2 && sv_ge "$g3" 0.4 || fail "delays below 0.1/0.2/0.4s: $g1 $g2 $g3"
        sv_ge "$g3" "$g1" || fail "delays did not grow: $g1 $g2 $g3"
        kill -TERM "$(sv_pid)"
        expect_exit 0 10
}

# A dependent's start mark appears only after its dependency's ready signal.
check_gated() {         # check_gated READY_MARK DEPENDENT_MARK
        sv_wait_file 10 "$T/$2"
        sv_ge "$(cat "$T/$2")" "$(cat "$T/$1")" || fail "$2 ($(cat "$T/$2")) before $1 ($(cat "$T/$1"))"
}

test_notify_readiness_gates_dependents() {
        sv_config "[service:db]
command = sh -c 'sleep 0.5; $(sv_mark db.ready); $SD_NOTIFY READY=1; exec sleep 1000'
ready = notify

[service:web]
command = sh -c '$(sv_mark web.start); exec sleep 1000'
after = db"
        sv_run
        check_gated db.ready web.start
        kill -TERM "$(sv_pid)"
        expect_exit 0 10
}

test_fd_readiness_gates_dependents() {
        sv_config "[service:db]
command = sh -c 'sleep 0.5; $(sv_mark db.ready); echo >&3; exec sleep 1000'
ready = fd:3

[service:web]
command = sh -c '$(sv_mark web.start); exec sleep 1000'
after = db"
        sv_run
        check_gated db.ready web.start
        kill -TERM "$(sv_pid)"
        expect_exit 0 10
}

test_delay_readiness_gates_dependents() {
        sv_config "[service:db]
command = sh -c '$(sv_mark db.start); exec sleep 1000'
ready = delay:1500ms

[service:web]
command = sh -c '$(sv_mark web.start); exec sleep 1000'
after = db"
        sv_run
        sv_wait_file 10 "$T/web.start"
        # the delay counts from the spawn, the mark from a little later
        sv_ge "$(cat "$T/web.start")" "$(awk -v a="$(cat "$T/db.start")" 'BEGIN { printf "%.6f", a + 1.0 }')" ||
                fail "web started less than 1s after db (delay 1.5s)"
        kill -TERM "$(sv_pid)"
        expect_exit 0 10
}

test_oneshot_gates_dependents_and_its_failure_blocks_them() {
        sv_config "[service:migrate]
type = oneshot
command = sh -c 'sleep 0.3; $(sv_mark migrate.done)'

[service:web]
command = sh -c '$(sv_mark web.start); exec sleep 1000'
after = migrate

[service:broken]
type = oneshot
command = sh -c 'exit 3'
restart = never

[service:blocked]
command = sh -c '$(sv_mark blocked.start); exec sleep 1000'
after = broken"
        sv_run
        check_gated migrate.done web.start
        sv_wait_log 10 'broken: EXITED: exited 3'
        [ ! -e "$T/blocked.start" ] || fail "blocked started after its dependency failed"
        kill -TERM "$(sv_pid)"
        expect_exit 0 10
        [ ! -e "$T/blocked.start" ] || fail "blocked started after its dependency failed"
}

test_critical_exit_ends_the_run_with_its_code() {
        sv_config "[service:app]
command = sh -c 'sleep 0.3; exit 7'
critical = yes
restart = never

[service:other]
command = sleep 1000"
        sv_run
        expect_exit 7 10
}

test_main_command_exit_code() {
        sv_config "[service:side]
command = sleep 1000"
        sv_run -- sh -c 'sleep 0.2; exit 5'
        expect_exit 5 10
        sv_run -- sh -c 'exit 0'
        expect_exit 0 10
}

test_sigterm_stops_in_reverse_order_and_kills_grandchildren() {
        # supd as a subreaper (not PID 1): what it leaves behind would survive
        sv_config "[service:db]
command = sh -c 'trap \"$(sv_mark db.stop); exit 0\" TERM; echo >&3; while :; do sleep 0.05; done'
ready = fd:3

[service:web]
command = sh -c 'sleep 1000 & echo \$! > $T/gc.pid; trap \"sleep 0.2; $(sv_mark web.stop); exit 0\" TERM; echo >&3; while :; do sleep 0.05; done'
ready = fd:3
after = db"
        sv_socket
        bg "$SUPD" -c "$T/sup.ini" >"$T/out" 2>&1
        local supd=$BG_PID gc
        sv_wait_log 10 'web: RUNNING'
        sv_wait_file 5 "$T/gc.pid"
        gc=$(cat "$T/gc.pid")
        kill -0 "$gc" || fail "grandchild not running"
        kill -TERM "$supd"
        expect_exit 0 10 "$supd"
        sv_ge "$(cat "$T/db.stop")" "$(cat "$T/web.stop")" || fail "db stopped before web"
        ! kill -0 "$gc" 2>/dev/null || { kill -KILL "$gc"; fail "grandchild $gc survived"; }
}

test_stop_timeout_sends_sigkill_and_exit_code_1() {
        sv_config "[service:stubborn]
command = sh -c 'trap \"\" TERM; echo >&3; while :; do sleep 0.05; done'
ready = fd:3
stop_timeout = 300ms"
        sv_run
        sv_wait_log 10 'stubborn: RUNNING'
        kill -TERM "$(sv_pid)"
        expect_exit 1 10
        sv_log_has 'stubborn: still running .* sending SIGKILL' || fail "no SIGKILL message"
}

test_ten_services_stop_promptly() {
        local i cfg=""
        for i in $(seq 1 10); do
                cfg+="[service:s$i]
command = sleep 1000
"
        done
        sv_config "$cfg"
        sv_run
        local pid
        pid=$(sv_pid)
        wait_for 10 eval '[ "$(grep -c "RUNNING" "$T/out")" -ge 10 ]' || fail "not all running"
        kill -TERM "$pid"
        expect_exit 0 5
        [ "$(grep -c 'STOPPED' "$T/out")" -ge 10 ] || fail "not all stopped"
}

test_reload_changes_only_what_changed() {
        local a b c
        sv_config "[service:a]
command = sh -c 'echo \$\$ > $T/a.pid; exec sleep 1000'

[service:b]
command = sh -c 'echo \$\$ > $T/b.pid; exec sleep 1000'

[service:c]
command = sh -c 'echo \$\$ > $T/c.pid; exec sleep 1000'"
        sv_run
        local pid
        pid=$(sv_pid)
        sv_wait_file 10 "$T/a.pid"; sv_wait_file 10 "$T/b.pid"; sv_wait_file 10 "$T/c.pid"
        a=$(cat "$T/a.pid"); b=$(cat "$T/b.pid"); c=$(cat "$T/c.pid")
        rm "$T/b.pid"
        sv_config "[service:a]
command = sh -c 'echo \$\$ > $T/a.pid; exec sleep 1000'

[service:b]
command = sh -c 'echo \$\$ > $T/b.pid; exec sleep 999'

[service:d]
command = sh -c 'echo \$\$ > $T/d.pid; exec sleep 1000'"
        kill -HUP "$pid"
        sv_wait_log 10 'added 1, removed 1, changed 1, unchanged 1'
        sv_wait_file 10 "$T/d.pid"
        sv_wait_file 10 "$T/b.pid"
        [ "$(cat "$T/a.pid")" = "$a" ] || fail "a was restarted"
        [ "$(cat "$T/b.pid")" != "$b" ] || fail "b was not restarted"
        sv_wait_log 10 'c: removed'
        # a broken config changes nothing
        printf '[service:a]\ncommand = sleep 1\nbogus_key = 1\n' >"$T/sup.ini"
        kill -HUP "$pid"
        sv_wait_log 10 'reload: '
        sv_log_has 'bogus_key' || fail "the error does not name the key"
        b=$(cat "$T/b.pid")
        kill -TERM "$pid"
        expect_exit 0 10
        [ "$(grep -c 'a: spawned' "$T/out")" = 1 ] || fail "a spawned more than once"
        [ "$(grep -c 'b: spawned' "$T/out")" = 2 ] || fail "b spawned other than twice"
}

test_no_wakeups_while_idle() {
        sv_config "[service:idle]
command = sleep 1000
ready = delay:100ms
restart_delay_max = 5s

[service:idle2]
command = sleep 1000
after = idle"
        sv_run
        local pid n
        pid=$(sv_pid)
        sv_wait_log 10 'idle2: RUNNING'
        sleep 0.3
        n=$(sv_wakeups "$pid" 2)
        note "context switches over 2s: $n"
        [ "$n" = 0 ] || fail "supd woke up $n times while idle"
        kill -TERM "$pid"
        expect_exit 0 10
}

# The release build: a clone of an ASan process copies its huge shadow
# mappings' page tables, which makes a thousand spawns take minutes.
test_a_thousand_services_start_and_stop() {
        local i SUPD=$SUP_ROOT/build/supd
        sv_socket
        for i in $(seq 1 1000); do
                printf '[service:s%d]\ncommand = sleep 1000\nstdout = null\n\n' "$i"
        done >"$T/sup.ini"
        sv_run
        local pid
        pid=$(sv_pid)
        wait_for 90 eval '[ "$(grep -c ": RUNNING" "$T/out")" -ge 1000 ]' ||
                fail "only $(grep -c ': RUNNING' "$T/out") of 1000 running"
        [ "$(cat /proc/"$pid"/task/*/children | wc -w)" -ge 1000 ] || fail "fewer than 1000 children"
        note "supd VmRSS: $(awk '/VmRSS/ {print $2, $3}' /proc/"$pid"/status)"
        kill -TERM "$pid"
        expect_exit 0 60
}

test_demo_runs_in_order_and_exits_0_on_sigint() {
        (cd "$SUP_ROOT" && SUPD=$SUPD examples/demo.sh --for 3) >"$T/out" 2>&1 || fail "demo exited $?"
        local m d w
        m=$(grep -n 'migration done' "$T/out" | head -n1 | cut -d: -f1)
        d=$(grep -n 'db: RUNNING' "$T/out" | head -n1 | cut -d: -f1)
        w=$(grep -n 'web: spawned' "$T/out" | head -n1 | cut -d: -f1)
        [ -n "$m" ] && [ -n "$d" ] && [ -n "$w" ] || { cat "$T/out"; fail "demo output incomplete"; }
        [ "$m" -lt "$d" ] && [ "$d" -lt "$w" ] || fail "demo start order wrong: migrate $m db $d web $w"
        grep -q 'all services stopped; exit code 0' "$T/out" || fail "demo did not stop cleanly"
}

# The demo's first line, pasted into a second terminal, reaches it.
test_demo_first_line_lets_a_second_terminal_talk_to_it() {
        (cd "$SUP_ROOT" && SUPD=$SUPD exec examples/demo.sh) >"$T/out" 2>&1 &
        local pid=$! line
        LIB_PIDS+=("$pid")
        wait_for 10 file_has "$T/out" . || fail "demo printed nothing"
        line=$(head -n 1 "$T/out")
        [[ $line == "export SUP_SOCKET=/"* ]] || fail "first line is not the socket: $line"
        (unset SUP_SOCKET; eval "$line"; wait_for 20 "$SUPCTL" status web >/dev/null 2>&1) ||
                fail "supctl with the demo's line: $(unset SUP_SOCKET; eval "$line"; "$SUPCTL" status 2>&1)"
        # nothing of the run came before it
        [ "$(grep -n 'spawned' "$T/out" | head -n 1 | cut -d: -f1)" -gt 1 ] || fail "$(head -n 3 "$T/out")"
        kill -INT "$pid"
        expect_exit 0 30 "$pid"
}

# What a service wrote comes before the lines that say it ended, and
# before supd's last line.
test_service_output_comes_before_its_end_and_supds_last_line() {
        (cd "$SUP_ROOT" && SUPD=$SUPD examples/demo.sh --for 3) >"$T/out" 2>&1 || fail "demo exited $?"
        before() {      # before REGEX1 REGEX2: first match of 1 is above last match of 2
                local a b
                a=$(grep -nE -- "$1" "$T/out" | tail -n 1 | cut -d: -f1)
                b=$(grep -nE -- "$2" "$T/out" | head -n 1 | cut -d: -f1)
                [ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ] ||
                        fail "'$1' (line ${a:-none}) not before '$2' (line ${b:-none}): $(cat "$T/out")"
        }
        before 'migrate \| migration done' 'migrate: pid [0-9]+ exited'
        before 'migrate \| migration done' 'migrate: EXITED'
        before 'db \| bye' 'db: pid [0-9]+ exited'
        before 'db \| bye' 'all services stopped; exit code 0'
        before '^(db|web|worker|migrate) \|' 'all services stopped'
        [ "$(tail -n 1 "$T/out")" = "supd: info: all services stopped; exit code 0" ] ||
                fail "supd's last line is not last: $(tail -n 3 "$T/out")"
}

# The same rule, made certain: a last line without a newline is held until
# the process is reaped, and it still comes before "exited".
test_unfinished_last_line_comes_before_exited() {
        sv_config "[service:say]
type = oneshot
command = sh -c 'echo first; printf \"no newline at the end\"'"
        sv_run
        sv_wait_log 30 'say: EXITED'
        kill -TERM "$(sv_pid)"
        expect_exit 0 30 "$PID1_HOST"
        local a b c
        a=$(grep -n 'say | no newline at the end$' "$T/out" | cut -d: -f1)
        b=$(grep -nE 'say: pid [0-9]+ exited' "$T/out" | cut -d: -f1)
        c=$(grep -n 'all services stopped' "$T/out" | cut -d: -f1)
        [ -n "$a" ] && [ -n "$b" ] && [ -n "$c" ] && [ "$a" -lt "$b" ] && [ "$b" -lt "$c" ] ||
                fail "order: line ${a:-none}, exited ${b:-none}, end ${c:-none}: $(cat "$T/out")"
}

# A service whose cgroup holds a daemon that left its session and ignores
# TERM: stopping the service kills the whole cgroup and removes it, though
# the daemon is still exiting when the service is released.
cgroup_service_config() {       # cgroup_service_config NAME
        sv_config "[service:$1]
command = sh -c \"setsid sh -c 'trap \\\"\\\" TERM; echo up > $T/daemon; exec sleep 600' & exec sleep 600\"
memory_max = 64M
stop_timeout = 1s"
}

# cgroup_pids NAME: the host pids in the service's cgroup (of any hierarchy).
cgroup_pids() {
        local d
        for d in $(own_cgroup_dirs); do
                [ -f "$d/$1/cgroup.procs" ] && cat "$d/$1/cgroup.procs"
        done | sort -u
}

# cgroup_dirs_gone NAME: no hierarchy of ours holds a cgroup NAME any more.
cgroup_dirs_gone() {
        local d
        for d in $(own_cgroup_dirs); do
                [ ! -d "$d/$1" ] || return 1
        done
}

cgroup_dirs_show() {
        local d
        for d in $(own_cgroup_dirs); do
                [ -d "$d/$1" ] && echo "$d/$1: procs [$(tr '\n' ' ' <"$d/$1/cgroup.procs")]"
        done
}

# cgroup_service_start NAME: supd runs NAME with its daemon; CG_PIDS = both.
cgroup_service_start() {
        cgroup_service_config "$1"
        sv_run
        sv_wait_file 10 "$T/daemon"
        wait_for 10 eval '[ "$(cgroup_pids '"$1"' | wc -l)" -ge 2 ]' ||
                fail "service and daemon not in the cgroup: $(cgroup_dirs_show "$1")"
        CG_PIDS=$(cgroup_pids "$1")
}

none_alive() {
        local p
        for p in "$@"; do kill -0 "$p" 2>/dev/null && return 1; done
        return 0
}

test_supctl_stop_kills_and_removes_the_cgroup() {
        local name=cgstop$$
        cgroup_service_start $name
        "$SUPCTL" stop $name >"$T/ctl.out" 2>&1 || fail "supctl stop: $(cat "$T/ctl.out")"
        # shellcheck disable=SC2086
        wait_for 10 none_alive $CG_PIDS || fail "processes of the service outlived it: $CG_PIDS"
        wait_for 10 cgroup_dirs_gone $name || fail "cgroup left after stop: $(cgroup_dirs_show $name)"
        kill -0 "$(sv_pid)" || fail "supd is gone"
        kill -TERM "$(sv_pid)"
        expect_exit 0 10
}

test_shutdown_kills_and_removes_the_cgroup() {
        local name=cgdown$$
        cgroup_service_start $name
        kill -TERM "$(sv_pid)"
        expect_exit 0 10
        # shellcheck disable=SC2086
        none_alive $CG_PIDS || fail "processes of the service outlived supd: $CG_PIDS"
        cgroup_dirs_gone $name || fail "cgroup left after supd exited: $(cgroup_dirs_show $name)"
}

# {time} in log_format: supd's own lines carry the same timestamp first.
test_supd_messages_carry_the_time_of_log_format() {
        sv_config "[supd]
log_format = {time} {name} | {line}

[service:say]
type = oneshot
command = echo hello"
        sv_run
        sv_wait_log 30 'say: EXITED'
        kill -TERM "$(sv_pid)"
        expect_exit 0 30 "$PID1_HOST"
        local iso='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z '
        grep -qE "${iso}say \| hello$" "$T/out" || fail "service line: $(cat "$T/out")"
        grep -qE "${iso}supd: info: say: EXITED$" "$T/out" || fail "supd line: $(cat "$T/out")"
        ! grep -E '^supd: ' "$T/out" || fail "a supd line without the time"
}
