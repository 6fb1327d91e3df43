# tests/integration/control.sh — supctl and the control socket, against a real
# supd as PID 1 of its own pid namespace (socket in $T).

SLEEPER="sh -c 'exec sleep 100000'"

# --- status and exit codes ----------------------------------------------------

test_status_rows_json_and_exit_codes() {
        ctl_config "[service:web]
command = $SLEEPER

[service:job]
type = oneshot
command = true

[service:crash]
command = sh -c 'exit 1'
restart_delay = 10ms
start_retries = 1

[service:idle]
command = $SLEEPER
autostart = no"
        ctl_run
        ctl_wait_state 20 web RUNNING
        ctl_wait_state 20 crash FATAL
        ctl_wait_state 20 job EXITED

        ctl_expect 0 status web
        ctl_out_has '^NAME +STATE +PID +UPTIME +RESTARTS +EXIT +HEALTH +MEM +TASKS +CPU +INFO$'
        ctl_out_has '^web +RUNNING +[0-9]+ +0:0[0-9]:[0-9][0-9] +0 +- +- +[0-9.]+[BKMG] +1 +[0-9.]+s$'
        ctl_expect 0 status web job             # a oneshot that succeeded counts as up
        ctl_expect 3 status                     # crash is FATAL, idle STOPPED
        ctl_out_has '^crash +FATAL +- +- +[0-9]+ +1 +.*exited 1'
        ctl_out_has '^idle +STOPPED +- +- +0 +- +- +- +- +-$'
        ctl_expect 3 status crash
        ctl_expect 4 status web nope
        ctl_err_has '^supctl: nope: ERROR \(no such service\)$'
        ctl_out_has '^web +RUNNING'

        ctl_expect 3 status --json
        python3 - "$T/ctl.out" <<'EOF' || fail "JSON: $(cat "$T/ctl.out")"
import json, sys
doc = json.load(open(sys.argv[1]))
s = {x["name"]: x for x in doc["services"]}
assert list(s) == ["web", "job", "crash", "idle"], list(s)
assert s["web"]["state"] == "RUNNING" and isinstance(s["web"]["pid"], int) and s["web"]["pid"] > 0
assert s["web"]["uptime_s"] >= 0 and s["web"]["restarts"] == 0 and s["web"]["exit"] is None
assert s["web"]["reason"] is None and s["web"]["up"] is True and s["web"]["type"] == "simple"
assert s["job"]["state"] == "EXITED" and s["job"]["exit"] == {"code": 0} and s["job"]["up"] is True
assert s["crash"]["state"] == "FATAL" and s["crash"]["exit"] == {"code": 1}
assert "exited 1" in s["crash"]["reason"] and s["crash"]["pid"] is None and s["crash"]["uptime_s"] is None
assert s["idle"]["state"] == "STOPPED" and s["idle"]["autostart"] is False
EOF
        ctl_stop_supd
}

test_exit_column_keeps_the_last_exit_after_a_restart() {
        # The first run exits 3, the restart stays up: EXIT (and JSON "exit")
        # still say 3 while the new process runs.
        ctl_config "[service:flaky]
command = sh -c 'test -e $T/second && exec sleep 100000; touch $T/second; exit 3'
restart = always
restart_delay = 10ms"
        ctl_run
        wait_for 20 test -e "$T/second" || fail "flaky never ran"
        wait_for 20 eval '[ "$(ctl_state flaky)" = RUNNING ] && [ "$(ctl status flaky | awk '"'"'$1 == "flaky" {print $5}'"'"')" = 1 ]' ||
                fail "flaky not RUNNING after a restart: $(ctl status flaky 2>&1)"
        ctl_expect 0 status flaky
        ctl_out_has '^flaky +RUNNING +[0-9]+ +[0-9]+:[0-9][0-9]:[0-9][0-9] +1 +3 +- +[0-9.]+[BKMG] +1 +[0-9.]+s$'
        ctl_expect 0 status --json flaky
        python3 - "$T/ctl.out" <<'EOF' || fail "JSON: $(cat "$T/ctl.out")"
import json, sys
s = json.load(open(sys.argv[1]))["services"][0]
assert s["state"] == "RUNNING" and s["restarts"] == 1, s
assert s["exit"] == {"code": 3} and s["oom_killed"] is False, s
EOF
        ctl_stop_supd
}

test_usage_errors_exit_2() {
        ctl_config "[service:web]
command = $SLEEPER"
        ctl_run
        ctl_expect 2 frobnicate
        ctl_err_has 'unknown command'
        ctl_expect 2 start
        ctl_expect 2 signal TERM
        ctl_expect 2 logs
        ctl_expect 2 logs -n x web
        ctl_expect 2 status --bogus
        ctl_expect 2 reload extra
        ctl_expect 2 signal NOSUCHSIG web
        ctl_err_has 'bad signal name'
        ctl_expect 2 start all web
        "$SUPCTL" >/dev/null 2>&1; [ $? = 2 ] || fail "no command: expected 2"
        "$SUPCTL" --help | grep -q '^usage: supctl' || fail "--help"
        ctl_stop_supd
}

test_no_supd_running_says_so_and_exits_4() {
        local rc
        "$SUPCTL" -s "$T/none.sock" status 2>"$T/err"
        rc=$?
        [ $rc = 4 ] || fail "exit $rc, expected 4"
        [ "$(cat "$T/err")" = "supctl: cannot connect to $T/none.sock: no supd running (No such file or directory)" ] ||
                fail "message: $(cat "$T/err")"
        # resolution order: -s, $SUP_SOCKET, [supd] socket of -c / $SUP_CONFIG
        printf '[supd]\nsocket = %s\n' "$T/from-config.sock" >"$T/c.ini"
        SUP_SOCKET="$T/from-env.sock" "$SUPCTL" -c "$T/c.ini" status 2>&1 | grep -q "from-env.sock" ||
                fail "\$SUP_SOCKET did not win over the config"
        "$SUPCTL" -c "$T/c.ini" status 2>&1 | grep -q "from-config.sock" || fail "-c FILE not read"
        SUP_CONFIG="$T/c.ini" "$SUPCTL" status 2>&1 | grep -q "from-config.sock" || fail "\$SUP_CONFIG not read"
        SUP_SOCKET="$T/from-env.sock" "$SUPCTL" -s "$T/none.sock" status 2>&1 | grep -q "none.sock" ||
                fail "-s did not win"
        "$SUPCTL" -c "$T/missing.ini" status >/dev/null 2>&1
        rc=$?
        [ $rc = 2 ] || fail "unreadable -c FILE: exit $rc, expected 2"
}

# --- actions --------------------------------------------------------------------

test_start_stop_restart_wait_and_say_what_happened() {
        ctl_config "[service:web]
command = $SLEEPER

[service:idle]
command = $SLEEPER
autostart = no

[service:broken]
command = /nonexistent/program
autostart = no
restart_delay = 10ms
start_retries = 1"
        ctl_run
        ctl_wait_state 20 web RUNNING
        ctl_expect 0 start idle
        ctl_out_has '^idle: started$'
        [ "$(ctl_state idle)" = RUNNING ] || fail "idle not RUNNING after start returned"
        ctl_expect 0 start web
        ctl_out_has '^web: already running$'

        ctl_expect 0 stop idle web
        ctl_out_has '^idle: stopped$'
        ctl_out_has '^web: stopped$'
        [ "$(ctl_state web)" = STOPPED ] || fail "web not STOPPED after stop returned"
        ctl_expect 0 stop web
        ctl_out_has '^web: already stopped$'

        ctl_expect 3 start broken
        ctl_err_has '^supctl: broken: ERROR \((spawn error|abnormal termination): .+\)$'
        ctl_expect 3 start all
        ctl_out_has '^web: started$'
        ctl_out_has '^idle: started$'
        ctl_err_has '^supctl: broken: ERROR'

        local old new
        old=$(ctl_pid web)
        ctl_expect 0 restart web
        ctl_out_has '^web: restarted$'
        new=$(ctl_pid web)
        [ -n "$new" ] && [ "$new" != "$old" ] || fail "restart kept pid $old (now $new)"
        ctl_expect 4 start nope
        ctl_err_has '^supctl: nope: ERROR \(no such service\)$'
        ctl_expect 4 stop web nope
        ctl_out_has '^web: stopped$'
        ctl_stop_supd
}

test_signal_reaches_the_service() {
        ctl_config "[service:web]
command = sh -c 'trap \"echo got >> $T/usr1\" USR1; while :; do sleep 0.1; done'

[service:once]
command = $SLEEPER
restart = never

[service:idle]
command = $SLEEPER
autostart = no"
        ctl_run
        ctl_wait_state 20 web RUNNING
        ctl_expect 0 signal USR1 web
        ctl_out_has '^web: signalled$'
        wait_for 10 test -s "$T/usr1" || fail "the service did not get SIGUSR1"
        ctl_expect 0 signal SIGUSR1 web
        ctl_expect 3 signal TERM idle
        ctl_err_has '^supctl: idle: ERROR \(not running\)$'
        ctl_expect 4 signal TERM nope
        ctl_wait_state 20 once RUNNING
        ctl_expect 0 signal 9 once
        wait_for 20 eval '[ "$(ctl status once | awk '\''$1 == "once" { print $6 }'\'')" = SIGKILL ]' ||
                fail "EXIT column does not say SIGKILL: $(ctl status once)"
        ctl_expect 3 status --json web once      # once is EXITED: not up
        grep -q '"name": "once".*"exit": {"signal": "SIGKILL", "signo": 9}' "$T/ctl.out" ||
                fail "JSON exit: $(cat "$T/ctl.out")"
        ctl_stop_supd
}

test_reload_applies_changes_and_refuses_a_bad_config() {
        ctl_config "[service:web]
command = $SLEEPER"
        ctl_run
        ctl_wait_state 20 web RUNNING
        ctl_config "[service:web]
command = $SLEEPER

[service:extra]
command = $SLEEPER"
        ctl_expect 0 reload
        ctl_out_has '^reloaded: added 1, removed 0, changed 0, unchanged 1$'
        ctl_wait_state 20 extra RUNNING
        cp "$T/sup.ini" "$T/good.ini"
        printf '\n[service:bad]\ncommand = true\nno_such_key = 1\n' >>"$T/sup.ini"
        ctl_expect 1 reload
        ctl_err_has 'reload failed, nothing changed: .*sup.ini:[0-9]+.*no_such_key'
        ctl_expect 0 status web extra
        ctl_expect 4 status bad
        ctl_stop_supd
}

# --- logs -------------------------------------------------------------------------

test_logs_tail_and_follow_across_a_restart() {
        ctl_config "[service:talk]
command = sh -c 'i=0; while :; do i=\$((i+1)); echo \"tick \$\$ \$i\"; sleep 0.05; done'"
        ctl_run
        ctl_wait_state 20 talk RUNNING
        wait_for 10 eval '[ "$(ctl logs -n 5 talk | wc -l)" = 5 ]' || fail "no 5 lines kept"
        ctl_expect 0 logs -n 3 talk
        [ "$(wc -l <"$T/ctl.out")" = 3 ] || fail "logs -n 3 gave: $(cat "$T/ctl.out")"
        ctl_out_has '^tick [0-9]+ [0-9]+$'
        ctl_expect 4 logs nope

        bg "$SUPCTL" -s "$T/supd.sock" logs -f -n 0 talk >"$T/follow" 2>"$T/follow.err"
        local follower=$BG_PID first
        wait_for 10 test -s "$T/follow" || fail "logs -f printed nothing"
        first=$(awk 'NR == 1 { print $2 }' "$T/follow")
        ctl_expect 0 restart talk
        wait_for 20 eval "grep -q '^tick [0-9]* ' '$T/follow' && awk '\$2 != $first' '$T/follow' | grep -q tick" ||
                fail "no lines of the new process after restart: $(tail -3 "$T/follow")"
        kill -0 "$follower" || fail "the follower ended"
        ctl_stop_supd
        # supd's exit ends the follow with success
        wait_for 10 eval '! kill -0 '"$follower"' 2>/dev/null' || fail "follower still running after supd exit"
        wait "$follower"
        [ $? = 0 ] || fail "follower exit code $?"
}

# --- shutdown, socket file -------------------------------------------------------

test_shutdown_stops_supd_and_removes_the_socket() {
        ctl_config "[service:web]
command = $SLEEPER"
        ctl_run
        [ "$(stat -c %a "$T/supd.sock")" = 600 ] || fail "socket mode $(stat -c %a "$T/supd.sock"), expected 600"
        ctl_wait_state 20 web RUNNING
        ctl_expect 0 shutdown
        ctl_out_has 'shutting down'
        expect_exit 0 15 "$CTL_SUPD"
        [ ! -e "$T/supd.sock" ] || fail "socket file left behind"
        ctl_expect 4 status
}

test_stale_socket_is_replaced_and_a_live_one_kept() {
        python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$T/supd.sock"
        [ -S "$T/supd.sock" ] || fail "could not make a stale socket"
        ctl_config "[service:web]
command = $SLEEPER"
        ctl_run
        ctl_wait_state 20 web RUNNING
        # a second supd on the same socket must not take it over
        local ino
        ino=$(stat -c %i "$T/supd.sock")
        bg "$SUPD" -c "$T/sup.ini" >"$T/second" 2>&1
        local second=$BG_PID
        wait_for 20 grep -q 'another supd is answering' "$T/second" ||
                fail "second supd did not refuse the socket: $(cat "$T/second")"
        kill -TERM "$second" 2>/dev/null
        wait_for 15 eval '! kill -0 '"$second"' 2>/dev/null' || fail "second supd still running"
        [ "$(stat -c %i "$T/supd.sock")" = "$ino" ] || fail "the live socket file was replaced"
        ctl_expect 0 status web
        ctl_stop_supd
}

# --- access ------------------------------------------------------------------------

# supctl copied where an unprivileged user can run it.
ctl_as_nobody() {       # ctl_as_nobody SETPRIV_GROUP_ARGS... -- SUPCTL_ARGS...
        local g=()
        while [ "$1" != -- ]; do g+=("$1"); shift; done
        shift
        setpriv --reuid=65534 --regid=65534 "${g[@]}" "$T/supctl" -s "$T/supd.sock" "$@"
}

test_only_root_own_uid_and_socket_group_may_connect() {
        getent group users >/dev/null || fail "this test needs the 'users' group (gid 100)"
        chmod 0711 "$T"
        cp "$SUPCTL" "$T/supctl"
        chmod 0755 "$T/supctl"
        ctl_config "socket_group = users" "[service:web]
command = $SLEEPER"
        ctl_run
        ctl_wait_state 20 web RUNNING
        [ "$(stat -c '%a %G' "$T/supd.sock")" = "660 users" ] ||
                fail "socket is $(stat -c '%a %G' "$T/supd.sock"), expected 660 users"
        local rc
        ctl_as_nobody --clear-groups -- status >"$T/o" 2>"$T/e"
        rc=$?
        [ $rc = 4 ] || fail "nobody without the group: exit $rc, expected 4"
        grep -q 'permission denied' "$T/e" || fail "nobody: $(cat "$T/e")"

        ctl_as_nobody --groups=100 -- status web >"$T/o" 2>"$T/e"
        rc=$?
        [ $rc = 0 ] || fail "member of users: exit $rc, expected 0: $(cat "$T/e")"
        grep -q '^web  *RUNNING' "$T/o" || fail "member of users: $(cat "$T/o")"

        # The file mode is one fence; supd checks the peer itself as well.
        chmod 0666 "$T/supd.sock"
        ctl_as_nobody --clear-groups -- status >"$T/o" 2>"$T/e"
        rc=$?
        [ $rc = 4 ] || fail "nobody on an open socket: exit $rc, expected 4"
        [ "$(cat "$T/e")" = "supctl: permission denied: uid 65534 is not allowed (socket_group=users)" ] ||
                fail "refusal message: $(cat "$T/e")"
        [ ! -s "$T/o" ] || fail "a refused client got output: $(cat "$T/o")"
        ctl_as_nobody --clear-groups -- shutdown >/dev/null 2>&1
        ctl_expect 0 status web         # still there: the refused shutdown did nothing
        ctl_stop_supd
}

# --- robustness ---------------------------------------------------------------------

test_malformed_requests_get_an_error_and_supd_survives() {
        ctl_config "[service:web]
command = $SLEEPER"
        ctl_run
        ctl_wait_state 20 web RUNNING
        python3 "$CTL_PROBE" bad "$T/supd.sock" >"$T/probe" 2>&1 || fail "$(cat "$T/probe")"
        note "$(cat "$T/probe")"
        ctl_expect 0 status web
        ctl_stop_supd
}

test_hundred_clients_at_once_while_others_are_stuck() {
        ctl_config "[service:web]
command = $SLEEPER

[service:chatty]
command = sh -c 'while :; do yes aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | head -n 500; sleep 0.01; done'
stdout = null"
        ctl_run
        ctl_wait_state 20 web RUNNING
        python3 "$CTL_PROBE" crowd "$T/supd.sock" 100 >"$T/probe" 2>&1 || fail "$(cat "$T/probe")"
        note "$(cat "$T/probe")"
        ctl_expect 0 status web chatty
        ctl_stop_supd
}

# A non-root supd with no socket configured (podman --user, Kubernetes
# runAsNonRoot) picks a place it can create, and supctl, as the same user
# with nothing set, finds it there: $XDG_RUNTIME_DIR first, else a
# directory of its own under /tmp.
nonroot_uid=64123
as_nonroot() {  # as_nonroot CMD...: as uid/gid $nonroot_uid, with no socket set
        env -u SUP_SOCKET -u SUP_CONFIG setpriv --reuid=$nonroot_uid --regid=$nonroot_uid \
                --clear-groups "$@"
}
nonroot_setup() {
        chmod 0755 "$T"
        cp "$SUPD" "$SUPCTL" "$T/" && chmod 0755 "$T/supd" "$T/supctl"
        printf '[service:web]\ncommand = %s\n' "$SLEEPER" >"$T/sup.ini"
        chmod 0644 "$T/sup.ini"
}
test_nonroot_supd_picks_a_socket_supctl_finds() {
        nonroot_setup
        rm -rf "/tmp/supd-$nonroot_uid"
        cleanup rm -rf "/tmp/supd-$nonroot_uid"
        bg unshare --pid --fork --mount-proc --kill-child \
                env -u XDG_RUNTIME_DIR -u SUP_SOCKET setpriv --reuid=$nonroot_uid \
                --regid=$nonroot_uid --clear-groups "$T/supd" -c "$T/sup.ini"
        local sock=/tmp/supd-$nonroot_uid/supd.sock
        wait_for 20 test -S "$sock" || fail "no socket at $sock"
        [ "$(stat -c '%u %a' "/tmp/supd-$nonroot_uid")" = "$nonroot_uid 700" ] ||
                fail "not private: $(stat -c '%u %a' "/tmp/supd-$nonroot_uid")"
        wait_for 20 as_nonroot env -u XDG_RUNTIME_DIR "$T/supctl" status web >/dev/null 2>&1 ||
                fail "supctl as the same user: $(as_nonroot env -u XDG_RUNTIME_DIR "$T/supctl" status 2>&1)"
        as_nonroot "$T/supctl" shutdown >/dev/null 2>&1
        expect_exit 0 30
}

test_nonroot_supd_prefers_xdg_runtime_dir() {
        nonroot_setup
        mkdir -m 0700 "$T/xdg" && chown $nonroot_uid "$T/xdg"
        bg unshare --pid --fork --mount-proc --kill-child \
                env -u SUP_SOCKET XDG_RUNTIME_DIR="$T/xdg" setpriv --reuid=$nonroot_uid \
                --regid=$nonroot_uid --clear-groups "$T/supd" -c "$T/sup.ini"
        wait_for 20 test -S "$T/xdg/supd.sock" || fail "no socket in \$XDG_RUNTIME_DIR"
        wait_for 20 as_nonroot env XDG_RUNTIME_DIR="$T/xdg" "$T/supctl" status web >/dev/null 2>&1 ||
                fail "supctl: $(as_nonroot env XDG_RUNTIME_DIR="$T/xdg" "$T/supctl" status 2>&1)"
        as_nonroot env XDG_RUNTIME_DIR="$T/xdg" "$T/supctl" shutdown >/dev/null 2>&1
        expect_exit 0 30
}

# No socket anywhere: supctl says where it looked and how to point it.
test_supctl_without_a_socket_says_where_it_looked() {
        as_nonroot env XDG_RUNTIME_DIR="$T/none" "$SUPCTL" status >out 2>err
        local rc=$?
        [ $rc = 4 ] || fail "exit $rc, expected 4"
        [ "$(wc -l <err)" = 1 ] || fail "not one line: $(cat err)"
        for w in /run/supd.sock "$T/none/supd.sock" "/tmp/supd-$nonroot_uid/supd.sock" \
                 '-s PATH' 'SUP_SOCKET=PATH'; do
                grep -qF -- "$w" err || fail "does not name $w: $(cat err)"
        done
}

# The probe rule: `supctl status` with no names does not fail on a service
# that was never meant to run (autostart = no, never started); named, it
# counts; once started and stopped again it counts as any other.
test_status_for_probes_skips_services_never_meant_to_run() {
        ctl_config "[service:web]
command = $SLEEPER

[service:tool]
command = $SLEEPER
autostart = no"
        ctl_run
        ctl_wait_state 20 web RUNNING
        ctl_expect 0 status
        ctl_out_has '^tool +STOPPED'
        ctl_expect 3 status tool
        ctl_expect 0 start tool
        ctl_expect 0 stop tool
        ctl_expect 3 status
}

# `status --json` answers errors in JSON too; stdout stays one document.
test_status_json_errors_are_json() {
        ctl_config "[service:web]
command = $SLEEPER"
        ctl_run
        ctl_wait_state 20 web RUNNING
        ctl_expect 4 status --json nosuch web
        python3 - "$T/ctl.out" "$T/ctl.err" <<'PY' || fail "not JSON: $(cat "$T/ctl.out" "$T/ctl.err")"
import json, sys
doc = json.load(open(sys.argv[1]))
assert [s["name"] for s in doc["services"]] == ["web"], doc
errs = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
assert errs == [{"error": "no such service", "service": "nosuch"}], errs
PY
}

# With --json every error supctl prints is a JSON object on stderr, one a
# line, its own ones too (no socket, refused, usage, a reply it cannot
# read), with the exit codes of the text form.
test_status_json_client_errors_are_json() {
        # json_err CODE KEY=VALUE... -- ARGS...: supctl ARGS exits CODE, its
        # stderr is one JSON object holding each KEY=VALUE (VALUE a substring),
        # its stdout empty.
        json_err() {
                local want=$1 rc
                shift
                local checks=()
                while [ "$1" != -- ]; do checks+=("$1"); shift; done
                shift
                "$SUPCTL" "$@" >"$T/j.out" 2>"$T/j.err"
                rc=$?
                [ $rc = "$want" ] || fail "supctl $* exited $rc, expected $want: $(cat "$T/j.err")"
                [ ! -s "$T/j.out" ] || fail "supctl $*: stdout: $(cat "$T/j.out")"
                python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1, lines
doc = json.loads(lines[0])
for kv in sys.argv[2:]:
    k, v = kv.split("=", 1)
    assert v in doc[k], (k, v, doc)
' "$T/j.err" "${checks[@]}" || fail "supctl $*: stderr not the JSON expected: $(cat "$T/j.err")"
        }
        json_err 4 "error=no supd running" "socket=$T/none.sock" -- -s "$T/none.sock" status --json
        json_err 2 'error=unknown option "--jsn" (did you mean --json?)' -- -s "$T/none.sock" status --json --jsn
        SUP_CONFIG=$T/no.ini XDG_RUNTIME_DIR=$T/nodir json_err 4 "error=no supd socket found" \
                "error=$T/nodir/supd.sock" -- status --json
        # a quote, a backslash and a control character in the path stay JSON
        json_err 4 "socket=$T/a\"b\\c"$'\t'".sock" -- -s "$T/a\"b\\c"$'\t'".sock" status --json

        # a socket nobody accepts on: refused
        python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/dead.sock"
        json_err 4 "error=Connection refused" "socket=$T/dead.sock" -- -s "$T/dead.sock" status --json

        # a peer that answers what supctl cannot read, then one that hangs up,
        # then one whose error is text: each comes out as JSON
        fake_peer() {   # fake_peer SOCK REPLY: answer one request with REPLY
                rm -f "$1"
                bg python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1]); s.listen(1)
c, _ = s.accept(); c.recv(4096); c.sendall(sys.argv[2].encode()); c.close()
' "$1" "$2"
                wait_for 10 test -S "$1" || fail "fake peer did not listen"
        }
        fake_peer "$T/odd.sock" $'HTTP/1.1 400 Bad Request\n'
        json_err 1 "error=unexpected reply from supd: HTTP/1.1" -- -s "$T/odd.sock" status --json
        fake_peer "$T/mute.sock" ""
        json_err 4 "error=closed the connection before answering" -- -s "$T/mute.sock" status --json
        fake_peer "$T/text.sock" $'err supd: usage: status [--json] [NAME...]\ndone 2\n'
        json_err 2 "error=usage: status [--json]" -- -s "$T/text.sock" status --json

        # without --json the same errors stay one text line
        "$SUPCTL" -s "$T/none.sock" status >"$T/j.out" 2>"$T/j.err"
        [ $? = 4 ] || fail "text form exit code changed"
        grep -qx "supctl: cannot connect to $T/none.sock: no supd running (No such file or directory)" "$T/j.err" ||
                fail "text form: $(cat "$T/j.err")"
}

# Every binary says its version; a usage error is one line that names the
# mistake (and the closest right word) and where to read more.
test_usage_errors_are_one_line_with_suggestions() {
        local b out
        for b in "$SUPD" "$SUPCTL" "$SUPRUN"; do
                out=$("$b" --version) || fail "$b --version exited $?"
                [[ $out =~ ^(supd|supctl|suprun)\ [0-9]+\.[0-9]+ ]] || fail "$b --version: $out"
        done
        one_line() {    # one_line EXPECTED_REGEX CMD...: exit 2, one stderr line matching
                local want=$1 rc
                shift
                "$@" >out 2>err
                rc=$?
                [ $rc = 2 ] || fail "$* exited $rc: $(cat err)"
                [ "$(wc -l <err)" = 1 ] || fail "$* printed $(wc -l <err) lines: $(cat err)"
                grep -qE -- "$want" err || fail "$*: $(cat err), expected /$want/"
        }
        one_line '^supctl: unknown command "restrat" \(did you mean restart\?\); see supctl --help$' \
                "$SUPCTL" -s "$T/none" restrat web
        one_line '^supctl: unknown option --verison \(did you mean --version\?\); see supctl --help$' \
                "$SUPCTL" --verison
        one_line '^supctl: status: unknown option "--jsn" \(did you mean --json\?\)' "$SUPCTL" status --jsn
        one_line '^supctl: option -s needs a value' "$SUPCTL" -s
        one_line '^supctl: logs: give one service name' "$SUPCTL" logs a b
        one_line '^suprun: unknown option --memry-max \(did you mean --memory-max\?\); see suprun --help$' \
                "$SUPRUN" --memry-max 1M -- true
        one_line '^supd: unknown option --chek \(did you mean --check\?\)' "$SUPD" --chek
}

# A misspelt service name gets the closest one; supctl says it is speaking.
test_unknown_service_suggests_the_closest_name() {
        ctl_config "[service:web]
command = $SLEEPER"
        ctl_run
        ctl_wait_state 20 web RUNNING
        ctl_expect 4 status wbe
        ctl_err_has '^supctl: wbe: ERROR \(no such service; did you mean web\?\)$'
        ctl_expect 4 stop frobnicate
        ctl_err_has '^supctl: frobnicate: ERROR \(no such service\)$'
        ctl_expect 2 signal FOO web
        ctl_err_has '^supctl: bad signal name'
        ! grep -q 'supd:' "$T/ctl.err" || fail "supctl's message says supd: $(cat "$T/ctl.err")"
}

# logs -f with no name follows every service, each line prefixed as on
# the console (log_format), services a reload adds included.
test_logs_follow_without_a_name_follows_every_service() {
        ctl_config "log_format = <{name}> {line}" "[service:a]
command = sh -c 'while :; do echo from-a; sleep 0.2; done'

[service:b]
command = sh -c 'while :; do echo from-b; sleep 0.2; done'"
        ctl_run
        ctl_wait_state 20 a RUNNING
        bg ctl logs -f >"$T/follow" 2>&1
        wait_for 20 file_has "$T/follow" '^<a> from-a$' || fail "no a: $(cat "$T/follow")"
        wait_for 20 file_has "$T/follow" '^<b> from-b$' || fail "no b: $(cat "$T/follow")"
        printf '\n[service:c]\ncommand = sh -c "while :; do echo from-c; sleep 0.2; done"\n' >>"$T/sup.ini"
        ctl_expect 0 reload
        wait_for 20 file_has "$T/follow" '^<c> from-c$' || fail "no c after reload: $(tail "$T/follow")"
        ! grep -vqE '^<[abc]> from-[abc]$' "$T/follow" || fail "stray lines: $(grep -vE '^<[abc]> ' "$T/follow")"
}

# logs -f -n N with no name: the last N lines of all services in the order
# they came (each prefixed as on the console), then the live lines. The
# services take turns on files the test creates, so the order is known.
test_logs_follow_all_gives_the_merged_backlog_first() {
        ctl_config "log_format = <{name}:{stream}> {line}" "[service:a]
command = sh -c 'step() { while [ ! -e $T/go\$1 ]; do sleep 0.05; done; }; echo a-1; step 3; echo a-3 >&2; step 5; echo a-5; exec sleep 100000'

[service:b]
command = sh -c 'step() { while [ ! -e $T/go\$1 ]; do sleep 0.05; done; }; step 2; echo b-2; step 4; echo b-4; exec sleep 100000'"
        ctl_run
        wait_for 20 eval 'ctl logs a 2>/dev/null | grep -qx a-1' || fail "no a-1: $(tail -5 "$T/out")"
        touch "$T/go2"
        wait_for 20 eval 'ctl logs b 2>/dev/null | grep -qx b-2' || fail "no b-2"
        touch "$T/go3"
        wait_for 20 eval 'ctl logs a 2>/dev/null | grep -qx a-3' || fail "no a-3"
        touch "$T/go4"
        wait_for 20 eval 'ctl logs b 2>/dev/null | grep -qx b-4' || fail "no b-4"

        ctl_expect 0 logs -n 2 a                # one service: unchanged
        [ "$(cat "$T/ctl.out")" = "$(printf 'a-1\na-3')" ] || fail "logs -n 2 a: $(cat "$T/ctl.out")"
        bg ctl logs -f -n 3 >"$T/follow" 2>"$T/follow.err"
        local follower=$BG_PID
        wait_for 10 eval '[ "$(wc -l <"$T/follow")" -ge 3 ]' || fail "no backlog: $(cat "$T/follow" "$T/follow.err")"
        touch "$T/go5"
        wait_for 20 file_has "$T/follow" '^<a:stdout> a-5$' || fail "no live line: $(cat "$T/follow")"
        # a's stderr goes where its stdout goes by default: the console
        # labels it so, and so does the backlog
        [ "$(cat "$T/follow")" = "$(printf '<b:stdout> b-2\n<a:stdout> a-3\n<b:stdout> b-4\n<a:stdout> a-5')" ] ||
                fail "backlog then live, in order: $(cat "$T/follow")"
        file_has "$T/out" '^<a:stdout> a-3$' || fail "console: $(cat "$T/out")"
        [ ! -s "$T/follow.err" ] || fail "stderr: $(cat "$T/follow.err")"
        kill "$follower"
        wait "$follower" 2>/dev/null

        ctl_stop_supd
}

# --- sandboxed services and the socket -------------------------------------------

test_sandboxed_service_cannot_use_the_socket_unless_granted() {
        mkdir "$T/link"
        cat >"$T/try.sh" <<EOT
#!/bin/sh
# \$1: name of the output, \$2: socket to use, \$3: service to stop
while [ ! -e "$T/go" ]; do sleep 0.05; done
if [ -S "$T/supd.sock" ]; then echo "socket visible" >"$T/\$1"; else echo "socket hidden" >"$T/\$1"; fi
"$SUPCTL" -s "\$2" stop "\$3" >>"$T/\$1" 2>&1
echo "rc=\$?" >>"$T/\$1.rc"
exec sleep 100000
EOT
        chmod +x "$T/try.sh"
        ctl_config "[service:db]
command = $SLEEPER

[service:db2]
command = $SLEEPER

[service:probe]
command = $T/try.sh probe.out $T/link/supd.sock db
namespaces = pid mount

[service:sidecar]
command = $T/try.sh sidecar.out $T/supd.sock db2
namespaces = pid mount
control_access = yes"
        ctl_run
        ctl_wait_state 20 probe RUNNING
        ctl_wait_state 20 sidecar RUNNING
        # Another name for the socket (a hard link), so the refusal is seen
        # apart from the hiding: the probe connects through it.
        ln "$T/supd.sock" "$T/link/supd.sock" || fail "cannot link the socket"
        touch "$T/go"
        sv_wait_file 20 "$T/probe.out.rc"
        sv_wait_file 20 "$T/sidecar.out.rc"
        grep -q "socket hidden" "$T/probe.out" || fail "the socket is visible: $(cat "$T/probe.out")"
        grep -q "permission denied: pid [0-9]* is inside the sandbox of service probe" "$T/probe.out" ||
                fail "not refused: $(cat "$T/probe.out")"
        ! grep -q "rc=0" "$T/probe.out.rc" || fail "supctl stop succeeded from the sandbox"
        [ "$(ctl_state db)" = RUNNING ] || fail "db was stopped from a sandbox"
        grep -q "socket visible" "$T/sidecar.out" || fail "hidden from the granted service: $(cat "$T/sidecar.out")"
        grep -q "rc=0" "$T/sidecar.out.rc" || fail "the granted service was refused: $(cat "$T/sidecar.out")"
        ctl_wait_state 10 db2 STOPPED
        # From here (supd's own namespaces) uid 0 is let in as before.
        ctl_expect 0 status db
        ctl_stop_supd
}

# A service sandboxed by seccomp alone shares supd's namespaces and sees the
# socket: it is refused all the same (more confined than supd, and in the
# service's session), even as uid 0. The one granted control_access is let
# in, told apart by its cgroup (pids_max) although it left the session.
test_seccomp_only_sandbox_is_refused_in_supds_namespaces() {
        cat >"$T/try.sh" <<EOT
#!/bin/sh
# \$1: name of the output, \$2: service to stop
while [ ! -e "$T/go" ]; do sleep 0.05; done
setsid "$SUPCTL" -s "$T/supd.sock" stop "\$2" >>"$T/\$1" 2>&1
echo "rc=\$?" >>"$T/\$1.rc"
exec sleep 100000
EOT
        chmod +x "$T/try.sh"
        ctl_config "[service:db]
command = $SLEEPER

[service:db2]
command = $SLEEPER

[service:probe]
command = $T/try.sh probe.out db
seccomp = default

[service:sidecar]
command = $T/try.sh sidecar.out db2
seccomp = default
pids_max = 100
control_access = yes"
        ctl_run
        ctl_wait_state 20 probe RUNNING
        ctl_wait_state 20 sidecar RUNNING
        touch "$T/go"
        sv_wait_file 20 "$T/probe.out.rc"
        sv_wait_file 20 "$T/sidecar.out.rc"
        grep -q "permission denied: pid [0-9]* is inside the sandbox of .*seccomp filter" "$T/probe.out" ||
                fail "not refused: $(cat "$T/probe.out")"
        ! grep -q "rc=0" "$T/probe.out.rc" || fail "supctl stop succeeded from the sandbox"
        [ "$(ctl_state db)" = RUNNING ] || fail "db was stopped from a seccomp sandbox"
        grep -q "rc=0" "$T/sidecar.out.rc" || fail "the granted service was refused: $(cat "$T/sidecar.out")"
        ctl_wait_state 10 db2 STOPPED
        ctl_expect 0 status db
        ctl_stop_supd
}
