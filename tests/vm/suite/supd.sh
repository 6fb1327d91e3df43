# tests/vm/suite/supd.sh — supd with a config on cgroup v2: each check
# starts `supd -c` in a fresh cgroup of its own, which supd must leave for
# a leaf (<own>/supd) before its services get <own>/<service>.

# supd_start INI: supd -c INI in the background inside a new cgroup $DIR;
# its output goes to $T/supd.log.
supd_start() {
        DIR=$(cg_new "vmt-supd-$1") || fail "cannot make a cgroup"
        bg /vm/in-cgroup.sh "$DIR" "$SUPD" -c "$T/sup.ini" >"$T/supd.log" 2>&1
        SUPD_PID=$BG_PID
}

log_has() { grep -qE -- "$1" "$T/supd.log"; }

# The limits of the config are what the kernel enforces for the service.
test_service_cgroup_has_the_limits() {
        cat >sup.ini <<'INI'
[service:limited]
command = /bin/sleep 600
memory_max = 48M
pids_max = 20
cpu_max = 0.5
INI
        supd_start limits
        wait_for 20 [ -f "$DIR/limited/cgroup.procs" ] || fail "no cgroup for the service: $(cat supd.log)"
        wait_for 10 cg_populated "$DIR/limited" || fail "nothing in the service cgroup: $(cat supd.log)"
        [ "$(cat "$DIR/limited/memory.max")" = 50331648 ] || fail "memory.max: $(cat "$DIR/limited/memory.max")"
        [ "$(cat "$DIR/limited/pids.max")" = 20 ] || fail "pids.max: $(cat "$DIR/limited/pids.max")"
        [ "$(cat "$DIR/limited/cpu.max")" = "50000 100000" ] || fail "cpu.max: $(cat "$DIR/limited/cpu.max")"
        [ "$(proc_cgroup "$SUPD_PID")" = "${DIR#$CG}/supd" ] ||
                fail "supd is in $(proc_cgroup "$SUPD_PID"), not its leaf"
        kill -TERM "$SUPD_PID"
        expect_exit 0 20 "$SUPD_PID"
        [ ! -d "$DIR/limited" ] || fail "the service's cgroup is left after shutdown: $(cg_show "$DIR/limited")"
}

# A service over its memory_max is OOM-killed; supd names the reason.
test_oom_kill_is_named() {
        cat >sup.ini <<'INI'
[service:hog]
command = /vm/helpers/memhog 200
memory_max = 32M
restart = never
critical = yes
INI
        supd_start oom
        expect_exit 137 30 "$SUPD_PID"
        log_has 'hog.*OOM' || fail "no OOM named in supd's log: $(cat supd.log)"
}

ctl() { "$SUPCTL" -s "$T/sock" "$@"; }
ctl_running() { ctl status "$1" 2>/dev/null | grep -qE "^$1 +RUNNING"; }
ctl_stopped() { ctl status "$1" 2>/dev/null | grep -qE "^$1 +STOPPED"; }

# clone3(CLONE_INTO_CGROUP): the service never exists in supd's own cgroup.
# With supd's leaf at its pids.max (no room for one more process), a plain
# fork-then-move would fail with EAGAIN; a clone straight into the
# service's cgroup is charged there and succeeds.
test_service_is_cloned_into_its_cgroup() {
        cat >sup.ini <<INI
[supd]
socket = $T/sock
[service:probe]
command = /bin/sleep 600
memory_max = 64M
pids_max = 10
INI
        supd_start clone
        wait_for 20 ctl_running probe || fail "probe not RUNNING: $(ctl status 2>&1; cat supd.log)"
        ctl stop probe >/dev/null && wait_for 10 ctl_stopped probe || fail "probe did not stop"
        [ -f "$DIR/supd/pids.max" ] || fail "no pids controller on supd's leaf"
        cat "$DIR/supd/pids.current" >"$DIR/supd/pids.max" || fail "cannot set pids.max"
        ctl start probe >/dev/null
        wait_for 10 ctl_running probe || fail "probe did not start with supd's cgroup full: $(ctl status 2>&1; tail -n 5 supd.log)"
        [ "$(proc_cgroup "$(cat "$DIR/probe/cgroup.procs" | head -n 1)")" = "${DIR#$CG}/probe" ] ||
                fail "probe is not in its cgroup"
}

# forker_start NAME SUPD_LINE: supd (cgroup vmt-supd-NAME) runs a service
# whose daemon left its session and ignores TERM, with SUPD_LINE in
# [supd]; DAEMON is the daemon's pid once it runs.
forker_start() {
        cat >sup.ini <<INI
[supd]
$2
[service:forker]
command = /bin/sh -c "setsid sh -c 'trap \"\" TERM; echo \\\$\\\$ >$T/daemon; exec sleep 600' & exec sleep 600"
memory_max = 64M
stop_timeout = 1s
INI
        supd_start "$1"
        wait_for 20 [ -s daemon ] || fail "the daemon did not start: $(cat supd.log)"
        DAEMON=$(cat daemon)
}

# Stopping a service kills its whole cgroup: a daemon that left the
# service's session and ignores TERM goes too, and the directory is removed.
test_stop_kills_the_whole_cgroup() {
        forker_start kill "shutdown_timeout = 2s"
        local pid=$DAEMON
        [ "$(proc_cgroup "$pid")" = "${DIR#$CG}/forker" ] || fail "daemon in $(proc_cgroup "$pid")"
        kill -TERM "$SUPD_PID"
        wait_for 20 proc_gone "$SUPD_PID" || fail "supd did not stop: $(cat supd.log)"
        proc_gone "$pid" || fail "daemon $pid outlived its service (state $(proc_state "$pid"))"
        [ ! -d "$DIR/forker" ] || fail "the service's cgroup is left: $(cg_show "$DIR/forker")"
}

# `supctl stop` kills the whole cgroup of the service (cgroup.kill): a
# TERM-ignoring daemon that left the session goes too; the directory is
# removed, and supd itself runs on.
test_supctl_stop_kills_the_whole_cgroup() {
        forker_start ctlkill "socket = $T/sock"
        local pid=$DAEMON
        wait_for 10 ctl_running forker || fail "forker not RUNNING: $(ctl status 2>&1)"
        ctl stop forker >/dev/null || fail "supctl stop failed: $(ctl status 2>&1)"
        wait_for 10 proc_gone "$pid" || fail "daemon $pid outlived its service (state $(proc_state "$pid"))"
        wait_for 10 [ ! -d "$DIR/forker" ] || fail "the service's cgroup is left: $(cg_show "$DIR/forker")"
        kill -0 "$SUPD_PID" || fail "supd is gone"
        ctl_stopped forker || fail "forker not STOPPED: $(ctl status 2>&1)"
}


# cgroup v2: the cost comes from the service's cgroup (memory.current,
# pids.current, cpu.stat), and a health check runs inside that cgroup.
test_cost_and_health_check_from_the_v2_cgroup() {
        cat >sup.ini <<INI
[supd]
socket = $T/sock
[service:hog]
command = /vm/helpers/memhog 40 10
memory_max = 128M
health_check = /bin/sh -c 'cat /proc/self/cgroup'
health_interval = 200ms
INI
        supd_start cost
        wait_for 20 ctl_running hog || fail "hog not RUNNING: $(ctl status 2>&1; cat supd.log)"
        wait_for 20 eval 'ctl status --json hog | grep -q "\"status\": \"healthy\""' ||
                fail "not healthy: $(ctl status --json hog 2>&1)"
        ctl status --json hog >json || fail "status: $(cat json)"
        grep -q "\"output\": \"0::${DIR#$CG}/hog\"" json || fail "the check ran outside the cgroup: $(cat json)"
        grep -q '"cost_from": "cgroup"' json || fail "cost not from the cgroup: $(cat json)"
        wait_for 20 eval '[ "$(ctl status --json hog | sed -n "s/.*\"memory_bytes\": \([0-9]*\).*/\1/p")" -ge $((32 << 20)) ]' ||
                fail "memory: $(ctl status --json hog)"
        kill -TERM "$SUPD_PID"
        expect_exit 0 20 "$SUPD_PID"
}
