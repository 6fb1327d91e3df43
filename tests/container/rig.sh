# tests/container/rig.sh — the rig itself: runc runs our bundle, reports the
# process's exit code, and keeps its cgroups under ours (the other checks
# rely on all three).

test_bundle_runs_and_returns_exit_code() {
        ct_new sh -c 'echo rig-ok; exit 3'
        ct_start
        expect_exit 3 20 "$CT_PID"
        ct_out_has '^rig-ok$' || fail "no output: $(cat "$T/out")"
}

test_cgroups_under_ours_and_removed() {
        local pid h
        ct_new sleep 60
        ct_start
        pid=$(ct_pids | awk '{print $1}')
        [ -n "$pid" ] || fail "no process in the container"
        while IFS=: read -r _ ctl path; do
                [ "$path" = "$CT_CGPATH" ] || fail "$ctl cgroup is $path, not $CT_CGPATH"
        done <"/proc/$pid/cgroup"
        [ -n "$(ct_cgroups_left)" ] || fail "no cgroup directory made for the container"
        runc kill "$CT_ID" KILL
        expect_exit 137 20 "$CT_PID"
        ct_destroy
        h=$(ct_cgroups_left)
        [ -z "$h" ] || fail "cgroups left after delete: $h"
}
