# tests/vm/suite/cgroup.sh — cgroup v2 on a real kernel, through suprun
# (the runtime alone). Each check runs suprun inside a fresh cgroup of its
# own that holds a process (suprun itself): the case where the runtime must
# move itself into a leaf (<own>/supd) and enable controllers for the
# service's cgroup (<own>/<name>) — "no internal processes".

test_command_is_in_its_own_cgroup_from_exec() {
        local dir rel
        dir=$(cg_new vmt-clone) || fail "cannot make a cgroup"
        in_cgroup "$dir" "$SUPRUN" --memory-max 64M -- cat /proc/self/cgroup >out 2>err ||
                fail "suprun failed: $(cat err)"
        rel=${dir#$CG}
        # cat's very first look at itself: already in the service's cgroup,
        # which is neither suprun's own nor the leaf suprun moved into.
        grep -qE "^0::$rel/[^/]+$" out || fail "cgroup at exec: $(cat out)"
        grep -q "^0::$rel/supd$" out && fail "the command ran in suprun's leaf: $(cat out)"
        [ -d "$dir/supd" ] || fail "suprun did not move itself into $rel/supd"
        grep -qw memory "$dir/cgroup.subtree_control" ||
                fail "memory not delegated: $(cat "$dir/cgroup.subtree_control")"
        wait_for 5 svc_cgroup_gone "$dir" || fail "service cgroup left: $(cg_show "$(svc_cgroup "$dir")")"
}

test_memory_max_oom_kills_and_the_limit_is_what_kills() {
        local dir rc
        dir=$(cg_new vmt-mem-small) || fail "cannot make a cgroup"
        in_cgroup "$dir" "$SUPRUN" --memory-max 32M -- /vm/helpers/memhog 8 >small 2>&1 ||
                fail "8 MB under a 32 MB limit failed: $(cat small)"
        grep -q '^survived 8 MiB$' small || fail "memhog 8: $(cat small)"
        dir=$(cg_new vmt-mem) || fail "cannot make a cgroup"
        in_cgroup "$dir" "$SUPRUN" --memory-max 32M -- /vm/helpers/memhog 200 >big 2>&1
        rc=$?
        [ $rc = 137 ] || fail "memhog 200 under 32M: exit $rc, expected 137: $(cat big)"
        grep -q survived big && fail "memhog allocated 200 MB under a 32 MB limit"
        dmesg | grep -q "oom-kill:.*oom_memcg=${dir#$CG}/" ||
                fail "no memcg OOM kill in the kernel log: $(dmesg | grep -i oom | tail -n 5)"
        wait_for 5 svc_cgroup_gone "$dir" || fail "service cgroup left: $(cg_show "$(svc_cgroup "$dir")")"
}

# A daemon that left its session and ignores TERM is still in the cgroup:
# when the command ends, the whole cgroup goes, and then the directory.
test_leftover_daemon_dies_with_the_cgroup() {
        local dir pid
        dir=$(cg_new vmt-kill) || fail "cannot make a cgroup"
        in_cgroup "$dir" "$SUPRUN" --memory-max 64M -- \
                sh -c 'setsid sh -c "trap \"\" TERM; echo \$\$ >$0/daemon; exec sleep 60" &
                       while [ ! -s $0/daemon ]; do sleep 0.1; done' "$T" \
                >out 2>&1 || fail "suprun failed: $(cat out)"
        pid=$(cat daemon) || fail "the daemon did not start"
        wait_for 10 proc_gone "$pid" || fail "daemon $pid survived its command (state $(proc_state "$pid"))"
        wait_for 5 svc_cgroup_gone "$dir" || fail "service cgroup left: $(cg_show "$(svc_cgroup "$dir")")"
}

# suprun started from a cgroup that holds another process (a shell's
# session): controllers cannot be enabled there without moving that
# process, which is not ours. suprun refuses with a message that says so
# and how to run it, and leaves the other process where it was.
test_shared_cgroup_is_refused_and_nothing_is_moved() {
        local dir other rel
        dir=$(cg_new vmt-shared) || fail "cannot make a cgroup"
        bg in_cgroup "$dir" sleep 600
        wait_for 5 cg_populated "$dir" || fail "sleep did not join $dir"
        other=$(cat "$dir/cgroup.procs")
        rel=${dir#$CG}
        in_cgroup "$dir" "$SUPRUN" --memory-max 64M -- true >out 2>&1 && fail "suprun ran: $(cat out)"
        grep -q "also holds $other (sleep)" out || fail "message does not name the other process: $(cat out)"
        grep -q "cgroup of its own" out || fail "message does not say what to do: $(cat out)"
        [ "$(proc_cgroup "$other")" = "$rel" ] || fail "the other process was moved to $(proc_cgroup "$other")"
        [ ! -d "$dir/supd" ] || fail "suprun made a leaf it did not use"
        # Without a limit there is no cgroup to make: suprun runs as before.
        in_cgroup "$dir" "$SUPRUN" -- true >out 2>&1 || fail "suprun without limits failed: $(cat out)"
}
