#!/bin/bash
# tests/vm/pid1-main.sh CODE — the command of supd as the VM's PID 1:
# checks what only a real PID 1 sees, prints PASS/FAIL lines, exits CODE.
. /vm/lib.sh
# Straight to the results port: supd would prefix our lines ("main | ").
exec >/dev/ttyS1 2>&1

check() {       # check NAME CMD...: one PASS/FAIL line
        local out
        if out=$("${@:2}" 2>&1); then
                echo "PASS vm/pid1/$1"
        else
                echo "FAIL vm/pid1/$1"
                printf '%s\n' "$out" | sed 's/^/    # /'
        fi
}

supd_is_pid1() {
        [ "$(readlink /proc/1/exe)" = /usr/sbin/supd ] || fail "PID 1 is $(readlink /proc/1/exe)"
        [ "$PPID" = 1 ] || fail "our parent is $PPID, not PID 1"
}

# Orphans of the whole machine come to PID 1: five sleeps lose their
# parent, end, and must not stay zombies.
orphans_reaped_by_pid1() {
        local i
        for i in 1 2 3 4 5; do sh -c 'sleep 1 & echo $! >>/tmp/orphans; exit 0'; done
        [ "$(wc -l </tmp/orphans)" = 5 ] || fail "orphans not made"
        for i in $(cat /tmp/orphans); do
                [ "$(sed -n 's/^PPid:[[:space:]]*//p' /proc/$i/status 2>/dev/null)" = 1 ] ||
                        [ ! -d /proc/$i ] || fail "orphan $i is not PID 1's child"
        done
        wait_for 15 orphans_gone || fail "orphans left: $(for i in $(cat /tmp/orphans); do
                echo "$i $(proc_state $i)"; done)"
}

orphans_gone() {
        local i
        for i in $(cat /tmp/orphans); do [ -d /proc/$i ] && return 1; done
        return 0
}

# supd sits in the root cgroup: it enables the controllers there for the
# service, which gets /limited with the config's limits.
service_cgroup_under_the_root() {
        local pid
        wait_for 20 service_pid >/dev/null || fail "no 'sleep 6001' service running"
        pid=$(service_pid)
        [ "$(proc_cgroup "$pid")" = /limited ] || fail "service in $(proc_cgroup "$pid"), not /limited"
        [ "$(cat $CG/limited/memory.max)" = 67108864 ] || fail "memory.max: $(cat $CG/limited/memory.max)"
        [ "$(cat $CG/limited/pids.max)" = 16 ] || fail "pids.max: $(cat $CG/limited/pids.max)"
        case "$(proc_cgroup 1)" in
        / | /supd) ;;
        *) fail "supd is in $(proc_cgroup 1)" ;;
        esac
}

service_pid() {
        local d
        for d in /proc/[0-9]*; do
                [ "$(tr '\0' ' ' <"$d/cmdline" 2>/dev/null)" = "/bin/sleep 6001 " ] &&
                        { echo "${d#/proc/}"; return 0; }
        done
        return 1
}

check test_supd_is_pid1 supd_is_pid1
check test_orphans_reaped_by_pid1 orphans_reaped_by_pid1
check test_service_cgroup_under_the_root service_cgroup_under_the_root
exit "${1:-0}"
