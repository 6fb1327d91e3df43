# tests/vm/suite/cgroup_threaded.sh — limits of the "threaded" v2
# controllers (pids, cpu) alone. Enabling only those in a cgroup that still
# holds processes succeeds (the kernel makes it a potential thread root), so
# no EBUSY tells the runtime to move into a leaf: it must do so anyway, or
# the service's cgroup is "domain invalid" and clone3 into it fails with
# EOPNOTSUPP. These checks run suprun in such a cgroup, as the other cgroup
# checks do.

test_pids_max_stops_forks() {
        local dir svc
        dir=$(cg_new vmt-pids) || fail "cannot make a cgroup"
        bg /vm/in-cgroup.sh "$dir" "$SUPRUN" --pids-max 5 -- \
                sh -c '(for i in 1 2 3 4 5 6 7 8 9 10; do sleep 30 & done); sleep 30'
        wait_for 10 svc_cgroup "$dir" >/dev/null || fail "no service cgroup"
        svc=$(svc_cgroup "$dir")
        [ "$(cat "$svc/pids.max")" = 5 ] || fail "pids.max: $(cat "$svc/pids.max")"
        wait_for 10 events_at_least "$svc/pids.events" max 1 ||
                fail "no fork refused: $(cat "$svc/pids.events")"
        [ "$(cat "$svc/pids.current")" -le 5 ] || fail "pids.current: $(cat "$svc/pids.current")"
        kill -TERM "$BG_PID"
        wait_for 10 proc_gone "$BG_PID" || fail "suprun did not end on TERM"
        wait_for 5 svc_cgroup_gone "$dir" || fail "service cgroup left: $(cg_show "$(svc_cgroup "$dir")")"
}

test_cpu_max_throttles() {
        local dir svc
        dir=$(cg_new vmt-cpu) || fail "cannot make a cgroup"
        bg /vm/in-cgroup.sh "$dir" "$SUPRUN" --cpu-max 0.2 -- sh -c 'while :; do :; done'
        wait_for 10 svc_cgroup "$dir" >/dev/null || fail "no service cgroup"
        svc=$(svc_cgroup "$dir")
        [ "$(cat "$svc/cpu.max")" = "20000 100000" ] || fail "cpu.max: $(cat "$svc/cpu.max")"
        wait_for 20 events_at_least "$svc/cpu.stat" nr_throttled 3 ||
                fail "never throttled: $(cat "$svc/cpu.stat")"
        kill -TERM "$BG_PID"
        wait_for 10 proc_gone "$BG_PID" || fail "suprun did not end on TERM"
        wait_for 5 svc_cgroup_gone "$dir" || fail "service cgroup left: $(cg_show "$(svc_cgroup "$dir")")"
}
