# tests/integration/supervisord.sh — supervisord configurations written the
# way real images write them (tests/integration/supervisord/), run unchanged
# with supd as PID 1: services start, the console and the files get the
# lines, event listeners end the container, signals stop everything.

SVD=$SUP_ROOT/tests/integration/supervisord

# svd_run FILE: supd -c FILE as PID 1; the configs find $T through %(ENV_T)s.
# Signal dispositions as a container gets them: a background job of a
# script starts with SIGINT and SIGQUIT ignored, which services inherit.
svd_run() {
        export T
        sv_socket
        bg unshare --pid --fork --mount-proc --kill-child env --default-signal "$SUPD" -c "$1" \
                >"$T/out" 2>&1
        PID1_HOST=$BG_PID
}

# svd_exit CODE SECONDS: supd ends with CODE in time (its output on failure).
svd_exit() {
        wait_for "$2" proc_gone "$PID1_HOST" || fail "supd still running after ${2}s:
$(cat "$T/out")"
        expect_exit "$1" 1 "$PID1_HOST"
}

# svd_exec CMD...: CMD inside supd's PID and mount namespaces, as the
# container's own scripts run.
svd_exec() { nsenter -t "$(sv_pid)" -p -m -- "$@"; }

test_php_stack_lines_go_where_configured_and_the_listener_ends_it() {
        svd_run "$SVD/php-nginx.conf"
        sv_wait_file 10 "$T/supervisord.pid"
        [ "$(cat "$T/supervisord.pid")" = 1 ] || fail "pidfile holds $(cat "$T/supervisord.pid"), not 1"
        # migrate cannot reach its database and exits: the bash listener
        # (events=...EXITED...) sends SIGQUIT to the pid in the pidfile
        svd_exit 0 20
        sv_log_has '^php-fpm \| php-fpm: ready to handle connections$' || fail "php-fpm's stdout not on the console"
        sv_log_has '^nginx \| nginx: start worker processes$' || fail "/proc/1/fd/2 is not the console"
        sv_log_has '^migrate \| SQLSTATE\[HY000\] \[2002\] Connection refused$' || fail "/dev/fd/2 is not the console"
        file_has "$T/worker.log" '^worker 0 processing$' && file_has "$T/worker.log" '^worker 1 processing$' ||
                fail "numprocs workers did not write their file: $(cat "$T/worker.log" 2>&1)"
        [ ! -e "$T/cron.log" ] || fail "cron (autostart=false) had its log file created"
        sv_log_has 'migrate: EXITED' || fail "migrate did not exit: $(cat "$T/out")"
        sv_log_has 'shutting down' || fail "the listener did not end the container"
        [ ! -e "$T/supervisord.pid" ] || fail "pidfile left behind"
}

test_python_listener_ends_the_container_when_uwsgi_crashes() {
        svd_run "$SVD/uwsgi-nginx.conf"
        sv_wait_log 10 'uWSGI is running'
        sv_wait_log 10 'quit_on_failure: RUNNING'
        sv_wait_log 10 'nginx \| nginx started'
        touch "$T/crash"
        svd_exit 0 20
        sv_log_has '^quit_on_failure \| PROCESS_STATE_EXITED uwsgi from RUNNING: ending the container$' ||
                fail "the listener's stderr: $(grep quit_on_failure "$T/out")"
        file_has "$T/events.log" '^ver:3\.0 server:supervisor serial:[0-9]+ pool:quit_on_failure poolserial:[0-9]+ eventname:PROCESS_STATE_EXITED len:[0-9]+$' ||
                fail "header: $(cat "$T/events.log")"
        file_has "$T/events.log" '^processname:uwsgi groupname:uwsgi from_state:RUNNING expected:0 pid:[0-9]+$' ||
                fail "payload: $(cat "$T/events.log")"
        # len: is the payload's length exactly
        python3 - "$T/events.log" <<'PY' || fail "len: does not match the payload: $(cat "$T/events.log")"
import sys
lines = open(sys.argv[1]).read().split('\n')
h = dict(x.split(':') for x in lines[0].split())
assert int(h['len']) == len(lines[1]), (h['len'], lines[1])
PY
        sv_log_has 'nginx: STOPPED' || fail "nginx was not stopped"
}

test_selenium_pidfile_groups_includes_and_sigint() {
        mkdir -p "$T/run"
        svd_run "$SVD/selenium-node.conf"
        sv_wait_file 10 "$T/run/supervisord.pid"
        sv_wait_log 10 'node:selenium-node: RUNNING'
        sv_log_has '^node:xvfb \| xvfb started on :99$' || fail "group members' lines: $(cat "$T/out")"
        "$SUPCTL" status >"$T/status" 2>&1
        for p in node:xvfb node:vnc node:selenium-node; do
                grep -q "^$p " "$T/status" || fail "$p not in status: $(cat "$T/status")"
        done
        "$SUPCTL" stop 'node:*' >/dev/null 2>&1 || fail "supctl stop node:*: $("$SUPCTL" stop 'node:*' 2>&1)"
        "$SUPCTL" status 'node:*' >"$T/status" 2>&1
        [ "$(grep -c ' STOPPED ' "$T/status")" = 3 ] || fail "not all stopped: $(cat "$T/status")"
        "$SUPCTL" start 'node:*' >/dev/null 2>&1 || fail "supctl start node:*"
        sv_wait_log 10 'node:vnc: RUNNING.*' 
        # the entry script's way to stop the node
        svd_exec bash -c 'kill -s SIGINT $(cat "$T/run/supervisord.pid")'
        svd_exit 0 10
        [ ! -e "$T/run/supervisord.pid" ] || fail "pidfile left behind"
}

test_tick_listener_gets_ticks_on_the_5s_boundary_and_sigterm_is_fast() {
        svd_run "$SVD/tick-health.conf"
        wait_for 15 file_has "$T/ticks.log" '^TICK_5 ' || fail "no TICK_5: $(cat "$T/ticks.log" 2>&1; cat "$T/out")"
        file_has "$T/ticks.log" '^SUPERVISOR_STATE_CHANGE_RUNNING app-box\|$' ||
                fail "no SUPERVISOR_STATE_CHANGE_RUNNING with identifier: $(cat "$T/ticks.log")"
        local when
        when=$(sed -n 's/^TICK_5 app-box|when:\([0-9]*\)$/\1/p' "$T/ticks.log" | head -n1)
        [ -n "$when" ] && [ $((when % 5)) = 0 ] || fail "when: is not a 5 s boundary: $(cat "$T/ticks.log")"
        kill -TERM "$(sv_pid)"
        svd_exit 0 10
}

# priority, as supervisord orders it: groups by the group's priority (a
# program alone is its own group), then by the program's; starts go out
# lowest first, shutdown goes highest first and waits for each to be down.
test_priority_orders_starts_and_shutdown_waits() {
        svd_run "$SVD/priority-stack.conf"
        sv_wait_log 10 'cron: RUNNING'
        local want="mysql php-fpm queue:scheduler queue:worker nginx cron" got
        got=$(sed -n 's/^supd: info: \(.*\): spawned, pid .*/\1/p' "$T/out" | tr '\n' ' ')
        [ "$got" = "$want " ] || fail "start order: $got, expected $want"
        kill -TERM "$(sv_pid)"
        svd_exit 0 15
        got=$(sed 's/^stop //' "$T/stops" | tr '\n' ' ')
        want="cron nginx queue:worker queue:scheduler php-fpm mysql"
        [ "$got" = "$want " ] || fail "stop order: $got, expected $want"
        "$SUPD" --check -c "$SVD/priority-stack.conf" >"$T/check" 2>&1 || fail "--check: $(cat "$T/check")"
        grep -A8 '^\[service:queue:worker\]' "$T/check" | grep -q '^priority = 20:2$' ||
                fail "--check does not print the group's priority: $(cat "$T/check")"
}

# FAIL makes supd send the same event again; output outside the protocol
# puts a listener in UNKNOWN, and supd goes on.
test_listener_fail_resends_and_garbage_is_unknown() {
        cat >"$T/sup.conf" <<EOF
[supervisord]
nodaemon=true

[program:once]
command=true
startsecs=0
autorestart=false

[eventlistener:picky]
command=bash -c 'n=0; printf "READY\n"; while read -r hdr; do len=\${hdr##*len:}; read -r -N "\$len" payload; n=\$((n+1)); echo "\$n \$hdr" >>"$T/got"; if [ \$n = 1 ]; then printf "RESULT 4\nFAIL"; else printf "RESULT 2\nOK"; fi; printf "READY\n"; done'
events=PROCESS_STATE_EXITED
startsecs=0

[eventlistener:chatty]
command=sh -c 'echo "starting up"; exec sleep 100000'
events=PROCESS_STATE_EXITED
startsecs=0
EOF
        svd_run "$T/sup.conf"
        wait_for 10 eval '[ "$(wc -l <"$T/got" 2>/dev/null)" -ge 2 ]' || fail "event not resent: $(cat "$T/got" 2>&1; cat "$T/out")"
        local s1 s2
        s1=$(sed -n '1s/.* serial:\([0-9]*\) .*/\1/p' "$T/got")
        s2=$(sed -n '2s/.* serial:\([0-9]*\) .*/\1/p' "$T/got")
        [ -n "$s1" ] && [ "$s1" = "$s2" ] || fail "a different event came after FAIL: $(cat "$T/got")"
        sv_wait_log 10 'picky: event was rejected'
        sv_wait_log 10 'chatty: has entered the UNKNOWN state'
        kill -TERM "$(sv_pid)"
        svd_exit 0 10
}

# Listeners that take no TICK cost no timer: supd sleeps until something
# happens.
test_no_wakeups_without_a_tick_listener() {
        cat >"$T/sup.conf" <<EOF
[supervisord]
nodaemon=true

[program:app]
command=sleep 100000

[eventlistener:watch]
command=bash -c 'printf "READY\n"; while read -r hdr; do read -r -N "\${hdr##*len:}" p; printf "RESULT 2\nOKREADY\n"; done'
events=PROCESS_STATE
EOF
        svd_run "$T/sup.conf"
        local pid n
        pid=$(sv_pid)
        sv_wait_log 10 'watch: RUNNING'
        sv_wait_log 10 'app: RUNNING'
        sleep 0.5
        n=$(sv_wakeups "$pid" 2)
        note "context switches over 2s: $n"
        [ "$n" = 0 ] || fail "supd woke up $n times while idle"
        kill -TERM "$pid"
        svd_exit 0 10
}

# --check names what start refuses: errors where supervisord refuses the
# file (exit 2), warnings where one service would fail at its start.
test_check_names_users_log_dirs_and_commands() {
        cat >"$T/sup.conf" <<EOF
[program:app]
command=sh -c 'exec sleep 1'
user=no-such-user-here
stdout_logfile=$T/missing/app.log

[program:tool]
command=no-such-command-here --serve
EOF
        "$SUPD" --check -c "$T/sup.conf" >"$T/check.out" 2>"$T/check.err"
        [ $? = 2 ] || fail "--check: exit $?, expected 2: $(cat "$T/check.err")"
        file_has "$T/check.err" "error: .*app: user: no such user \"no-such-user-here\"" || fail "user: $(cat "$T/check.err")"
        file_has "$T/check.err" "error: .*app: stdout: the directory $T/missing of $T/missing/app.log does not exist" ||
                fail "log dir: $(cat "$T/check.err")"
        file_has "$T/check.err" "warning: .*tool: command: no-such-command-here is not found in PATH" ||
                fail "command: $(cat "$T/check.err")"
        printf '[program:tool]\ncommand=no-such-command-here\n' >"$T/warn.conf"
        "$SUPD" --check -c "$T/warn.conf" >/dev/null 2>&1 || fail "warnings alone made --check fail"
}

# supervisorctl's command line, through a link of that name.
test_supervisorctl_habits() {
        svd_run "$SVD/selenium-node.conf"
        sv_wait_log 10 'node:vnc: RUNNING'
        ln -s "$SUPCTL" "$T/supervisorctl"
        local ctl="$T/supervisorctl -s unix://$T/ctl.sock -u user -p 123"
        $ctl status 'node:*' >"$T/st" || fail "status node:*: $(cat "$T/st")"
        [ "$(grep -c RUNNING "$T/st")" = 3 ] || fail "status node:*: $(cat "$T/st")"
        # supervisorctl's own lines: name to 33 columns, state to 10, pid and uptime
        grep -Eq '^node:xvfb {24}RUNNING {3}pid [0-9]+, uptime 0:[0-9]{2}:[0-9]{2}$' "$T/st" ||
                fail "status is not in supervisorctl's format: $(cat "$T/st")"
        grep -q '^NAME' "$T/st" && fail "a header line breaks grep -v RUNNING: $(cat "$T/st")"
        [ "$($ctl pid)" = "$(sv_pid)" ] || fail "pid: $($ctl pid 2>&1), supd is $(sv_pid)"
        $ctl tail node:xvfb >"$T/tail" || fail "tail"
        file_has "$T/tail" 'xvfb started on :99' || fail "tail: $(cat "$T/tail")"
        $ctl tail node:xvfb stderr >/dev/null 2>"$T/err" && fail "tail NAME stderr answered with both streams"
        file_has "$T/err" 'cannot be told apart' || fail "tail NAME stderr of redirect_stderr: $(cat "$T/err")"
        $ctl update >"$T/upd" 2>&1 || fail "update: $(cat "$T/upd")"
        $ctl restart 'node:*' >/dev/null || fail "restart node:*"
        kill -TERM "$(sv_pid)"
        svd_exit 0 10
}

# tail NAME stderr|stdout: the stream's own file, or the kept lines that
# came from it; both when none is named; a clear no under redirect_stderr.
test_supervisorctl_tail_stderr_shows_stderr_alone() {
        svd_run "$SVD/django-celery.conf"
        sv_wait_log 10 'beat: RUNNING'
        sv_wait_log 10 'gunicorn: RUNNING'
        ln -s "$SUPCTL" "$T/supervisorctl"
        local ctl="$T/supervisorctl -s unix://$T/ctl.sock"
        [ "$($ctl tail gunicorn stderr)" = "[ERROR] worker timeout" ] ||
                fail "tail gunicorn stderr: $($ctl tail gunicorn stderr 2>&1)"
        [ "$($ctl tail gunicorn stdout)" = "GET / 200" ] || fail "tail gunicorn stdout: $($ctl tail gunicorn stdout 2>&1)"
        [ "$($ctl tail gunicorn | sort | tr '\n' ,)" = "GET / 200,[ERROR] worker timeout," ] ||
                fail "tail gunicorn: $($ctl tail gunicorn 2>&1)"
        wait_for 10 eval '$ctl tail celery stderr | grep -q .' || fail "tail celery stderr: nothing"
        $ctl tail celery stderr >"$T/cel" || fail "tail celery stderr failed"
        grep -qv '^celery: WARNING lost connection$' "$T/cel" && fail "tail celery stderr has stdout: $(cat "$T/cel")"
        $ctl tail celery stdout | grep -q WARNING && fail "tail celery stdout has stderr"
        # live: stderr lines only
        bg $ctl tail -f celery stderr >"$T/follow"
        local follower=$BG_PID
        wait_for 10 eval '[ "$(grep -c WARNING "$T/follow")" -ge 3 ]' || fail "tail -f celery stderr: $(cat "$T/follow")"
        kill "$follower"
        grep -q 'task ok' "$T/follow" && fail "tail -f celery stderr has stdout lines"
        $ctl tail beat stderr >/dev/null 2>"$T/err"; [ $? = 1 ] || fail "tail beat stderr did not fail"
        file_has "$T/err" 'beat: stderr goes to the same log as stdout' || fail "tail beat stderr: $(cat "$T/err")"
        [ "$($ctl tail beat | tr '\n' ,)" = "beat: scheduler up,beat: a warning," ] || fail "tail beat: $($ctl tail beat 2>&1)"
        kill -TERM "$(sv_pid)"
        svd_exit 0 10
}

# supervisorctl with no command: its shell. Status first, then a command a
# line from stdin (piped here: no prompt), help, quit; Ctrl-C ends a
# command that follows and the shell goes on with the next line.
test_supervisorctl_shell_reads_commands_from_stdin() {
        svd_run "$SVD/selenium-node.conf"
        sv_wait_log 10 'node:vnc: RUNNING'
        ln -s "$SUPCTL" "$T/supervisorctl"
        local ctl="$T/supervisorctl -s unix://$T/ctl.sock" sh
        printf 'stop node:vnc\nstatus node:vnc\n\nhelp tail\nhelp\nquit\nstop node:xvfb\n' |
                $ctl >"$T/sh.out" 2>"$T/sh.err" || fail "shell exit $?: $(cat "$T/sh.err")"
        [ "$(grep -c '^node:vnc ' "$T/sh.out")" = 2 ] || fail "no status before the commands: $(cat "$T/sh.out")"
        file_has "$T/sh.out" '^node:vnc: stopped$' || fail "stop in the shell: $(cat "$T/sh.out")"
        file_has "$T/sh.out" '^node:vnc {25}STOPPED {3}[A-Z][a-z]{2} [0-9]{2} [0-9]{2}:[0-9]{2} [AP]M$' ||
                fail "status in the shell: $(cat "$T/sh.out")"
        file_has "$T/sh.out" '^  tail \[-f\] NAME' || fail "help tail: $(cat "$T/sh.out")"
        file_has "$T/sh.out" 'exit, quit' || fail "help: $(cat "$T/sh.out")"
        grep -q 'supervisor>' "$T/sh.out" && fail "a prompt on a pipe: $(cat "$T/sh.out")"
        [ "$("$SUPCTL" status node:xvfb | grep -c RUNNING)" = 1 ] || fail "a line after quit was run"
        # an unknown command is said and the shell goes on; end of input ends it
        printf 'bogus\npid node:xvfb\n' | $ctl >"$T/sh.out" 2>"$T/sh.err" || fail "shell exit $?"
        file_has "$T/sh.err" 'unknown command "bogus"' || fail "unknown command: $(cat "$T/sh.err")"
        [ "$(tail -n1 "$T/sh.out")" = "$("$SUPCTL" pid node:xvfb)" ] || fail "after an error: $(cat "$T/sh.out")"
        # Ctrl-C during tail -f: back to reading commands
        mkfifo "$T/in"
        exec 7<>"$T/in"         # the writer first: opening a fifo to read waits for one
        # (bash -c: a background job's stdin is /dev/null unless its own
        # command redirects it)
        bg bash -c "exec $ctl <'$T/in'" >"$T/sh.out" 2>"$T/sh.err" 7>&-
        sh=$BG_PID
        echo 'tail -f node:xvfb' >&7
        wait_for 10 file_has "$T/sh.out" "xvfb started" || fail "tail -f in the shell: $(cat "$T/sh.out" "$T/sh.err")"
        kill -INT "$sh"
        echo 'pid node:vnc' >&7
        wait_for 10 file_has "$T/sh.out" '^0$' || fail "the shell did not go on after Ctrl-C: $(cat "$T/sh.out" "$T/sh.err")"
        exec 7>&-
        wait_for 10 proc_gone "$sh" || fail "end of input did not end the shell"
        kill -TERM "$(sv_pid)"
        svd_exit 0 10
}

# pid NAME, avail, reread, clear, maintail: supervisorctl's output.
test_supervisorctl_pid_avail_reread_clear() {
        local ctl host
        cat >"$T/app.conf" <<'CONF'
[supervisord]
nodaemon=true

[program:web]
command=sh -c 'echo $$ >%(ENV_T)s/web.pid; echo hello-web; exec sleep 1000'
stdout_logfile=%(ENV_T)s/web.log

[program:old]
command=sleep 1000
autostart=false
CONF
        svd_run "$T/app.conf"
        sv_wait_log 10 'web: RUNNING'
        wait_for 10 file_has "$T/web.log" hello-web || fail "web.log: $(cat "$T/web.log" 2>&1)"
        ctl="$SUPCTL -s unix://$T/ctl.sock"
        # the caller inside the container sees the service's own pid
        [ "$(svd_exec $ctl pid web)" = "$(cat "$T/web.pid")" ] ||
                fail "pid web: $(svd_exec $ctl pid web 2>&1), web is $(cat "$T/web.pid")"
        # the caller on the host sees it as the host numbers it
        host=$(cat /proc/"$(sv_pid)"/task/*/children); host=${host% }
        [ "$($ctl pid all | tr '\n' ' ')" = "$host 0 " ] ||
                fail "pid all: $($ctl pid all 2>&1), web is $host here"
        $ctl pid nosuch >/dev/null 2>&1; [ $? = 4 ] || fail "pid of an unknown name did not exit 4"
        [ "$($ctl reread)" = "No config updates to processes" ] || fail "reread: $($ctl reread 2>&1)"
        $ctl avail >"$T/avail" || fail "avail: $(cat "$T/avail")"
        grep -Eq '^web +in use +auto +999:999$' "$T/avail" || fail "avail: $(cat "$T/avail")"
        grep -Eq '^old +in use +manual +999:999$' "$T/avail" || fail "avail: $(cat "$T/avail")"
        # change web, add new, drop old: reported, nothing applied
        sed -i -e 's/exec sleep 1000/exec sleep 2000/' -e 's/^\[program:old\]/[program:new]/' "$T/app.conf"
        $ctl reread >"$T/rr" || fail "reread: $(cat "$T/rr")"
        [ "$(sort "$T/rr" | tr '\n' ,)" = "new: available,old: disappeared,web: changed," ] ||
                fail "reread: $(cat "$T/rr")"
        $ctl avail >"$T/avail" || fail "avail: $(cat "$T/avail")"
        grep -Eq '^new +avail +manual +999:999$' "$T/avail" || fail "avail after edit: $(cat "$T/avail")"
        grep -q '^old' "$T/avail" && fail "avail lists a program no longer in the file: $(cat "$T/avail")"
        [ "$($ctl pid web)" = "$host" ] || fail "reread restarted web"
        $ctl status old >/dev/null 2>&1; [ $? = 3 ] || fail "reread removed old"
        # clear: the ring and the file, through supd's fd
        [ "$($ctl clear web)" = "web: cleared" ] || fail "clear web: $($ctl clear web 2>&1)"
        [ -s "$T/web.log" ] && fail "clear left web.log: $(cat "$T/web.log")"
        [ -z "$($ctl tail web)" ] || fail "tail after clear: $($ctl tail web)"
        [ "$($ctl clear all | tr '\n' ' ')" = "web: cleared old: cleared " ] || fail "clear all: $($ctl clear all 2>&1)"
        $ctl maintail >/dev/null 2>"$T/mt" && fail "maintail pretended to show supd's log"
        file_has "$T/mt" 'keeps no log of its own' || fail "maintail: $(cat "$T/mt")"
        # update applies what reread listed, in supervisorctl's words
        $ctl update >"$T/upd" || fail "update: $(cat "$T/upd")"
        [ "$(sort "$T/upd" | tr '\n' ,)" = "new: added process group,old: removed process group,web: updated process group," ] ||
                fail "update: $(cat "$T/upd")"
        [ -z "$($ctl update all)" ] || fail "a second update changed something: $($ctl update all)"
        $ctl update web >/dev/null 2>&1; [ $? = 2 ] || fail "update NAME was not refused"
        sv_wait_log 10 'web: RUNNING.*' 
        kill -TERM "$(sv_pid)"
        svd_exit 0 10
}

# A service with a PID namespace of its own: supd numbers it by its PID 1
# (supd's child), whose own namespace is not supd's; the host still finds it.
test_supervisorctl_pid_of_a_pid_namespaced_service_from_the_host() {
        local ctl host
        cat >"$T/iso.ini" <<'CONF'
[service:iso]
command = sleep 1000
namespaces = pid
CONF
        svd_run "$T/iso.ini"
        sv_wait_log 10 'iso: RUNNING'
        ctl="$SUPCTL -s unix://$T/ctl.sock"
        host=$(cat /proc/"$(sv_pid)"/task/*/children); host=${host% }
        [ -n "$host" ] && [ "$($ctl pid iso)" = "$host" ] ||
                fail "pid iso: $($ctl pid iso 2>&1), its PID 1 is $host here"
        kill -TERM "$(sv_pid)"
        svd_exit 0 10
}
