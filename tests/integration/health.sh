# tests/integration/health.sh — health checks, the watchdog and what each
# service costs, against a real supd as PID 1 of its own pid namespace
# (socket in $T; lib_control.sh).

SLEEPER="sh -c 'exec sleep 100000'"
SD_NOTIFY=$SUP_ROOT/build/helpers/sd_notify
MEMHOG=$SUP_ROOT/build/helpers/memhog

# health NAME: the HEALTH column.
health() { ctl status "$1" 2>/dev/null | awk -v n="$1" '$1 == n { print $7 }'; }

# restarts NAME: the RESTARTS column.
restarts() { ctl status "$1" 2>/dev/null | awk -v n="$1" '$1 == n { print $5 }'; }

test_unhealthy_service_is_restarted_with_the_reason() {
        # Healthy while $T/ok exists; the check's output shows in INFO.
        ctl_config "[service:web]
command = sh -c 'touch $T/ok; exec sleep 100000'
health_check = sh -c 'echo probing web; test -e $T/ok'
health_interval = 200ms
health_timeout = 5s
health_retries = 2
restart_delay = 10ms"
        ctl_run
        wait_for 20 eval '[ "$(health web)" = healthy ]' || fail "web never healthy: $(ctl status 2>&1)"
        ctl_expect 0 status web
        ctl_out_has '^web +RUNNING +[0-9]+ .* healthy .*probing web$'
        rm -f "$T/ok"
        wait_for 20 eval '[ "$(restarts web)" = 1 ]' || fail "web not restarted: $(ctl status 2>&1)"
        grep -q 'web: BACKOFF: unhealthy: 2 failed checks in a row (exit 1: probing web)' "$T/out" ||
                fail "the restart's reason: $(grep web: "$T/out")"
        grep -q 'web: unhealthy: 2 failed checks in a row' "$T/out" || fail "no warning"
        wait_for 20 eval '[ "$(health web)" = healthy ]' || fail "web not healthy again: $(ctl status 2>&1)"
        ctl_stop_supd
}

test_report_only_marks_unhealthy_and_status_exits_3() {
        ctl_config "[service:api]
command = $SLEEPER
health_check = sh -c 'echo down >&2; exit 2'
health_interval = 100ms
health_retries = 3
health_action = report"
        ctl_run
        wait_for 20 eval '[ "$(health api)" = unhealthy ]' || fail "api never unhealthy: $(ctl status 2>&1)"
        ctl_expect 3 status api
        ctl_out_has '^api +RUNNING .* unhealthy .*exit 2: down$'
        ctl_expect 3 status --json
        python3 - "$T/ctl.out" <<'PY' || fail "JSON: $(cat "$T/ctl.out")"
import json, sys
s = json.load(open(sys.argv[1]))["services"][0]
assert s["state"] == "RUNNING" and s["up"] is False, s
h = s["health"]
assert h["status"] == "unhealthy" and h["failing_streak"] >= 3 and h["output"] == "exit 2: down", h
PY
        [ "$(restarts api)" = 0 ] || fail "report-only restarted it"
        ctl_stop_supd
}

test_start_period_failures_do_not_count_until_a_success() {
        # Failures within health_start_period leave it "starting"; once a check
        # succeeded, failures count even inside the period.
        ctl_config "[service:slow]
command = $SLEEPER
health_check = sh -c 'test -e $T/up'
health_interval = 100ms
health_start_period = 1h
health_retries = 1
health_action = report"
        ctl_run
        checks() { ctl status --json slow | python3 -c "import json,sys; h = json.load(sys.stdin)['services'][0]['health']; print(h['checks'] if h else 0)"; }
        wait_for 20 eval '[ "$(checks)" -ge 3 ]' || fail "no checks: $(ctl status 2>&1)"
        [ "$(health slow)" = starting ] || fail "failures counted in the start period: $(ctl status 2>&1)"
        touch "$T/up"
        wait_for 20 eval '[ "$(health slow)" = healthy ]' || fail "not healthy: $(ctl status 2>&1)"
        rm -f "$T/up"
        wait_for 20 eval '[ "$(health slow)" = unhealthy ]' || fail "not unhealthy: $(ctl status 2>&1)"
        ctl_stop_supd
}

test_stop_action_leaves_it_exited_with_the_reason() {
        ctl_config "[service:db]
command = $SLEEPER
health_check = false
health_interval = 100ms
health_retries = 1
health_action = stop"
        ctl_run
        ctl_wait_state 20 db EXITED
        ctl_expect 3 status db
        ctl_out_has '^db +EXITED .*unhealthy: 1 failed checks in a row \(exit 1\)$'
        ctl_stop_supd
}

test_hung_check_is_killed_at_its_timeout() {
        # Every check hangs; each is killed at the 300ms timeout, so after
        # three failed checks at most the current one is alive.
        ctl_config "[service:slow]
command = $SLEEPER
health_check = sleep 1001
health_interval = 100ms
health_timeout = 300ms
health_retries = 1
health_action = report"
        ctl_run
        streak() { ctl status --json slow | python3 -c "import json,sys; h = json.load(sys.stdin)['services'][0]['health']; print(h['failing_streak'] if h else 0)"; }
        wait_for 20 eval '[ "$(streak)" -ge 3 ]' || fail "not 3 failed checks: $(ctl status 2>&1)"
        ctl_expect 3 status slow
        ctl_out_has 'unhealthy .*timed out after 0.3s$'
        local n
        n=$(ps -eo args | grep -c '^sleep 1001$')
        [ "$n" -le 1 ] || fail "$n hung checks still run (one at a time at most)"
        ctl_stop_supd
}

test_check_runs_inside_the_sandbox() {
        # Same namespaces, user and cgroup as the service.
        ctl_config "[service:boxed]
command = $SLEEPER
namespaces = pid mount uts net
hostname = boxed
user = nobody
pids_max = 100
health_check = sh -c 'echo \$(hostname) \$(id -un) \$(cat /proc/1/comm) \$(grep -c pids:.*/boxed /proc/self/cgroup)'
health_interval = 200ms"
        ctl_run
        wait_for 20 eval '[ "$(health boxed)" = healthy ]' || fail "never healthy: $(ctl status 2>&1); $(tail "$T/out")"
        ctl_expect 0 status boxed
        # PID 1 is the service's reaper (supd's own program where the
        # tiny one is not built: runtime/reaper.c).
        ctl_out_has 'healthy .* boxed nobody (sup-reaper|supd) 1$'
        ctl_stop_supd
}

test_http_check_reaches_the_services_own_network_namespace() {
        # The listener exists only in the service's network namespace: the
        # check must connect there, not to supd's loopback.
        local port=$((20000 + RANDOM % 20000))
        ctl_config "[service:web]
command = python3 -m http.server $port --bind 127.0.0.1
namespaces = net
health_check = http:$port/
health_interval = 200ms"
        ctl_run
        wait_for 20 eval '[ "$(health web)" = healthy ]' || fail "web never healthy: $(ctl status 2>&1)"
        ctl_expect 0 status web
        ctl_out_has 'healthy .*HTTP/1.0 200 OK$'
        ! python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null ||
                fail "port $port answers outside the service's namespace: the test proves nothing"
        ctl_stop_supd
}

test_tcp_and_http_checks_against_a_loopback_listener() {
        # The test's own listener: 200 on /ok, 503 elsewhere.
        local port=$((20000 + RANDOM % 20000))
        cat >"$T/srv.py" <<PY
import http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/ok" else 503)
        self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", $port), H).serve_forever()
PY
        bg python3 "$T/srv.py"
        wait_for 20 eval "python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", $port))' 2>/dev/null" ||
                fail "listener did not come up"
        ctl_config "[service:tcp]
command = $SLEEPER
health_check = tcp:$port
health_interval = 100ms

[service:closed]
command = $SLEEPER
health_check = tcp:$((port + 1))
health_interval = 100ms
health_retries = 1
health_action = report

[service:http]
command = $SLEEPER
health_check = http:$port/ok
health_interval = 100ms

[service:http503]
command = $SLEEPER
health_check = http:$port/nope
health_interval = 100ms
health_retries = 1
health_action = report"
        ctl_run
        wait_for 20 eval '[ "$(health tcp)" = healthy ] && [ "$(health http)" = healthy ] &&
                          [ "$(health closed)" = unhealthy ] && [ "$(health http503)" = unhealthy ]' ||
                fail "checks: $(ctl status 2>&1)"
        ctl_expect 3 status
        ctl_out_has "^tcp .* healthy .*connected to 127.0.0.1:$port$"
        ctl_out_has "^closed .* unhealthy .*connect 127.0.0.1:$((port + 1)): Connection refused$"
        ctl_out_has '^http .* healthy .*HTTP/1.0 200 OK$'
        ctl_out_has '^http503 .* unhealthy .*HTTP/1.0 503 Service Unavailable \(expected 200\)$'
        ctl_stop_supd
}

test_watchdog_miss_restarts() {
        # Pets the watchdog three times, then stops: restarted for "watchdog
        # timeout"; WATCHDOG_USEC and WATCHDOG_PID are the service's.
        ctl_config "[service:pet]
command = sh -c 'echo \$WATCHDOG_USEC \$WATCHDOG_PID \$\$ >> $T/env; for i in 1 2 3; do $SD_NOTIFY WATCHDOG=1; sleep 0.1; done; exec sleep 100000'
watchdog = 500ms
restart_delay = 10ms"
        ctl_run
        wait_for 20 eval '[ "$(restarts pet)" -ge 1 ]' || fail "no restart: $(ctl status 2>&1)"
        grep -q 'pet: BACKOFF: watchdog timeout; restarting' "$T/out" || fail "reason: $(grep pet: "$T/out")"
        grep -q 'pet: pid [0-9]* killed by SIGABRT' "$T/out" || fail "not SIGABRT: $(grep pet: "$T/out")"
        read -r usec wpid self <"$T/env"
        [ "$usec" = 500000 ] || fail "WATCHDOG_USEC=$usec"
        [ "$wpid" = "$self" ] || fail "WATCHDOG_PID=$wpid, the service is $self"
        ctl_stop_supd
}

test_watchdog_usec_changes_the_period() {
        # Configured for an hour; the service shortens it to 300 ms and stops
        # petting: restarted for "watchdog timeout".
        ctl_config "[service:pet]
command = sh -c '$SD_NOTIFY WATCHDOG_USEC=300000; exec sleep 100000'
watchdog = 1h
restart_delay = 10ms"
        ctl_run
        wait_for 20 eval '[ "$(restarts pet)" -ge 1 ]' || fail "no restart: $(ctl status 2>&1)"
        grep -q 'pet: no WATCHDOG=1 for 0.3s' "$T/out" || fail "period: $(grep pet: "$T/out")"
        ctl_stop_supd
}

test_watchdog_kept_alive_does_not_restart() {
        ctl_config "[service:pet]
command = sh -c 'while :; do $SD_NOTIFY WATCHDOG=1; sleep 0.1; done'
watchdog = 1s"
        ctl_run
        ctl_wait_state 20 pet RUNNING
        touch "$T/t0"
        wait_for 20 eval '[ \$((\$(date +%s) - \$(stat -c %Y "$T/t0"))) -ge 3 ]'
        [ "$(restarts pet)" = 0 ] || fail "restarted although it pets the watchdog: $(grep pet: "$T/out")"
        ctl_stop_supd
}

test_growing_allocation_shows_growing_memory() {
        # memhog touches 1 MiB more every 20 ms up to its cap, then holds it:
        # the MEM column grows. hog has no cgroup (its process group is
        # summed), capped has one (memory_max: the kernel's count).
        ctl_config "[service:hog]
command = $MEMHOG 96 20

[service:capped]
command = $MEMHOG 96 20
memory_max = 200M"
        ctl_run
        ctl_wait_state 20 hog RUNNING
        mem() { ctl status --json | python3 -c "import json,sys; print({s['name']: s for s in json.load(sys.stdin)['services']}['$1']['memory_bytes'] or 0)"; }
        local hog1 capped1
        wait_for 20 eval '[ "$(mem hog)" -ge $((8 << 20)) ] && [ "$(mem capped)" -ge $((8 << 20)) ]' ||
                fail "no growth: hog $(mem hog), capped $(mem capped)"
        hog1=$(mem hog) capped1=$(mem capped)
        wait_for 20 eval '[ "$(mem hog)" -ge $((hog1 + (32 << 20))) ]' || fail "hog stayed at $(mem hog) from $hog1"
        wait_for 20 eval '[ "$(mem capped)" -ge $((capped1 + (32 << 20))) ]' ||
                fail "capped stayed at $(mem capped) from $capped1"
        ctl_expect 0 status --json
        python3 - "$T/ctl.out" <<'PY' || fail "JSON: $(cat "$T/ctl.out")"
import json, sys
s = {x["name"]: x for x in json.load(open(sys.argv[1]))["services"]}
assert s["hog"]["cost_from"] == "process group" and s["hog"]["tasks"] >= 1, s["hog"]
assert s["capped"]["cost_from"] == "cgroup" and s["capped"]["tasks"] >= 1, s["capped"]
assert s["hog"]["cpu_ns"] > 0 and s["capped"]["cpu_ns"] > 0
PY
        ctl_expect 0 status hog
        ctl_out_has '^hog +RUNNING .* [0-9.]+M +1 +[0-9.]+s$'
        ctl_stop_supd
}

test_top_refreshes_the_table() {
        ctl_config "[service:web]
command = $SLEEPER"
        ctl_run
        ctl_wait_state 20 web RUNNING
        bg sh -c "'$SUPCTL' -s '$T/supd.sock' top > '$T/top.out' 2>&1"
        wait_for 20 eval '[ "$(grep -cE "^NAME .* MEM +TASKS +CPU" "$T/top.out" 2>/dev/null)" -ge 3 ]' ||
                fail "top: $(cat "$T/top.out")"
        ctl_stop_supd
}

test_with_a_check_supd_wakes_only_at_its_deadlines() {
        # One TCP check a second to a closed port: a wakeup or two per check,
        # never a periodic tick in between. (Zero without checks:
        # supervisor/test_no_wakeups_while_idle.)
        ctl_config "[service:idle]
command = $SLEEPER
health_check = tcp:1
health_interval = 1s
health_retries = 1
health_action = report"
        ctl_run
        wait_for 20 eval '[ "$(health idle)" = unhealthy ]' || fail "check: $(ctl status 2>&1)"
        local n
        n=$(sv_wakeups "$(sv_pid)" 3)
        note "context switches over 3s with one check a second: $n"
        [ "$n" -ge 2 ] || fail "no check ran: $n context switches"
        [ "$n" -le 12 ] || fail "supd woke more than its deadlines: $n context switches"
        ctl_stop_supd
}

# The process that waits for a check in a service's PID namespace (the
# relay: the check must be the child of one that joined the namespace) is
# supd's program in its relay mode, holding nothing of supd: another
# service's secret is in none of its memory (the scan finds its own argv
# there), and the check itself finds it nowhere it can read.
test_check_relay_holds_nothing_of_supd() {
        cat >"$T/scan.py" <<'PY'
import sys
pid, secret = sys.argv[1], sys.argv[2].encode()
with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
    for line in maps:
        f = line.split()
        lo, hi = (int(x, 16) for x in f[0].split("-"))
        if "r" not in f[1] or hi - lo > 1 << 28 or (len(f) > 5 and f[5] in ("[vvar]", "[vsyscall]")):
            continue                    # unreadable, or a huge reservation (sanitizers)
        try:
            mem.seek(lo)
            if secret in mem.read(hi - lo):
                sys.exit(0)
        except (OSError, ValueError, OverflowError, MemoryError):
            pass                        # a region that cannot be read
sys.exit(1)
PY
        ctl_config "[service:db]
command = $SLEEPER
environment = DBPASS=s3cr3t-$$

[service:boxed]
command = $SLEEPER
namespaces = pid mount
health_check = sh -c 'cat /proc/\$PPID/environ /proc/[0-9]*/environ 2>/dev/null | grep -c s3cr3t >$T/seen; exec sleep 1002'
health_interval = 200ms
health_timeout = 30s"
        ctl_run
        local check relay
        wait_for 20 eval 'check=$(pgrep -x -f "sleep 1002" | head -1); [ -n "$check" ]' ||
                fail "no check running: $(ctl status 2>&1)"
        relay=$(awk '{print $4}' "/proc/$check/stat")
        [ "$(tr '\0' ' ' <"/proc/$relay/cmdline" | cut -d' ' -f1)" = sup-relay ] ||
                fail "the check's parent is not the relay program: $(tr '\0' ' ' <"/proc/$relay/cmdline")"
        [ "$(cat "$T/seen")" = 0 ] || fail "the check read the secret: $(cat "$T/seen")"
        python3 "$T/scan.py" "$relay" "s3cr3t-$$"
        [ $? = 1 ] || fail "the relay holds the other service's secret (or the scan failed)"
        python3 "$T/scan.py" "$relay" "sup-relay" || fail "the scan finds nothing in the relay $relay"
        ctl_stop_supd
}
