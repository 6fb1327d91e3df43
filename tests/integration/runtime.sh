# tests/integration/runtime.sh — each sandbox key proven from inside the
# sandbox, driven through suprun (real namespaces, cgroups, seccomp).

test_pid_namespace_sees_only_its_own_processes() {
        "$SUPRUN" --namespaces pid,mount -- sh -c 'echo pid=$$; ls /proc | grep -c "^[0-9]"' >out 2>&1 ||
                fail "suprun failed: $(cat out)"
        out_has out "pid=2" || fail "the command is not PID 2 under the reaper"
        [ "$(tail -n1 out)" -le 5 ] || fail "sees $(tail -n1 out) processes"
}

test_hostname_differs_in_uts_namespace() {
        "$SUPRUN" --namespaces uts --hostname sup-box -- hostname >out 2>&1 || fail "$(cat out)"
        [ "$(cat out)" = sup-box ] || fail "hostname inside: $(cat out)"
        [ "$(hostname)" != sup-box ] || fail "the host's hostname changed"
}

test_read_only_bind_refuses_writes() {
        mkdir data
        "$SUPRUN" --namespaces mount --bind "$T/data:/mnt/sup-data:ro" --bind "$T/data:/mnt/sup-rw" \
                -- sh -c 'echo x >/mnt/sup-data/f; echo y >/mnt/sup-rw/g' >out 2>&1
        out_has out "Read-only file system" || fail "write to a read-only bind succeeded"
        [ -f data/g ] || fail "the read-write bind did not write through"
        [ ! -e data/f ] || fail "the read-only bind was written"
        rmdir /mnt/sup-data /mnt/sup-rw 2>/dev/null || true
}

test_private_tmp_is_private() {
        local marker
        marker=$(mktemp /tmp/sup-visible.XXXXXX)
        cleanup rm -f "$marker"
        "$SUPRUN" --namespaces mount --private-tmp -- sh -c 'ls -A /tmp | wc -l; touch /tmp/sup-inside' >out 2>&1 ||
                fail "$(cat out)"
        [ "$(cat out)" = 0 ] || fail "/tmp inside is not empty: $(cat out)"
        [ ! -e /tmp/sup-inside ] || { rm -f /tmp/sup-inside; fail "a file made inside appeared on the host"; }
}

test_read_only_root_and_masked_paths() {
        echo s3cr3t >secret
        "$SUPRUN" --namespaces mount,pid --read-only --read-only-paths /proc/sys --masked-paths "$T/secret" \
                -- sh -c 'touch /sup-ro 2>&1; echo 1 >/proc/sys/kernel/ns_last_pid 2>&1; echo "secret=$(cat '"$T"'/secret)"' \
                >out 2>&1
        # GNU touch says "cannot touch '/sup-ro': ...", busybox "/sup-ro: ...".
        grep -qE "/sup-ro'?: Read-only file system" out && [ ! -e /sup-ro ] ||
                { rm -f /sup-ro; fail "root is writable: $(cat out)"; }
        out_has out "ns_last_pid: Read-only file system" || fail "/proc/sys is writable"
        out_has out "secret=" && ! grep -q s3cr3t out || fail "masked file readable"
}

test_memory_hog_is_oom_killed_at_memory_max() {
        "$SUPRUN" --memory-max 32M -- "$HELPERS/memhog" 512 >out 2>&1
        local rc=$?
        [ $rc = 137 ] || fail "exit $rc, expected 137 (SIGKILL): $(cat out)"
        out_has out "killed by the OOM killer" || fail "OOM kill not reported"
        ! grep -q "64 MiB" out || fail "grew past the limit"
        no_suprun_cgroups_left || fail "cgroup left behind"
}

test_fork_bomb_stops_at_pids_max() {
        "$SUPRUN" --pids-max 10 -- "$HELPERS/forkbomb" 500 >out 2>&1
        out_has out "forked 9 then Resource temporarily unavailable" || fail "pids_max not enforced"
        no_suprun_cgroups_left || fail "cgroup left behind"
}

test_denied_syscall_returns_eperm() {
        "$SUPRUN" --seccomp default --seccomp-deny mkdirat -- "$HELPERS/sysprobe" mkdirat >out 2>&1
        [ "$(cat out)" = EPERM ] || fail "mkdirat: $(cat out)"
        "$SUPRUN" --seccomp default -- "$HELPERS/sysprobe" getppid >out 2>&1
        [ "$(cat out)" = ok ] || fail "getppid: $(cat out)"
}

test_default_seccomp_is_dockers() {
        local caps=CAP_NET_BIND_SERVICE,CAP_SETUID,CAP_SETGID call want
        for call in unshare:EPERM clone3:ENOSYS af_alg:EPERM new:ENOSYS getppid:ok; do
                want=${call#*:}; call=${call%%:*}
                "$SUPRUN" --seccomp default --capabilities $caps --no-new-privileges \
                        -- "$HELPERS/sysprobe" $call >out 2>&1
                [ "$(cat out)" = "$want" ] || fail "$call: $(cat out), expected $want"
        done
}

test_dropped_capability_is_absent() {
        "$SUPRUN" --capabilities CAP_NET_BIND_SERVICE -- grep -E '^Cap(Eff|Bnd)' /proc/self/status >out 2>&1
        out_has out "CapEff:	0000000000000400" || fail "effective set"
        out_has out "CapBnd:	0000000000000400" || fail "bounding set"
        "$SUPRUN" --user nobody --capabilities CAP_NET_BIND_SERVICE -- grep -E '^Cap(Eff|Amb)' /proc/self/status >out 2>&1
        out_has out "CapAmb:	0000000000000400" || fail "a non-root user does not keep the cap"
}

test_net_namespace_has_only_lo() {
        "$SUPRUN" --namespaces net -- sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "' >out 2>&1
        [ "$(cat out)" = lo ] || fail "interfaces: $(cat out)"
}

test_user_namespace_maps_ids() {
        "$SUPRUN" --namespaces user --user-map "0 100000 65536" --gid-map "0 100000 65536" \
                -- sh -c 'id -u; cat /proc/self/uid_map' >out 2>&1 || fail "$(cat out)"
        [ "$(head -n1 out)" = 0 ] || fail "not root inside: $(cat out)"
        [ "$(tail -n1 out | tr -s ' ' | sed 's/^ //')" = "0 100000 65536" ] || fail "map: $(cat out)"
}

test_user_and_rlimit_apply() {
        "$SUPRUN" --user nobody --limit-nofile 123 -- sh -c 'id -u; ulimit -n' >out 2>&1 || fail "$(cat out)"
        [ "$(tr '\n' ' ' <out)" = "65534 123 " ] || fail "got: $(cat out)"
}

test_root_pivots_into_busybox_tree() {
        mkdir -p rootfs/bin
        cp /bin/busybox rootfs/bin/
        for a in sh ls ps; do ln -s busybox rootfs/bin/$a; done
        "$SUPRUN" --namespaces mount,pid --root "$T/rootfs" --read-only -- /bin/sh -c 'ls /; ls /dev | grep -c null' \
                >out 2>&1 || fail "$(cat out)"
        [ "$(head -n3 out | tr '\n' ' ')" = "bin dev proc " ] || fail "root: $(cat out)"
}

test_setup_failure_names_the_step() {
        "$SUPRUN" --namespaces mount --bind /nonexistent/sup-data:/data -- true >out 2>&1
        local rc=$?
        [ $rc = 1 ] || fail "exit $rc, expected 1 (setup failure)"
        out_has out "suprun: mount: bind /nonexistent/sup-data: No such file or directory" || fail "message"
}

test_stopping_leaves_no_process_of_the_cgroup() {
        # The grandchildren escape the process group (setsid): only the cgroup finds them.
        bg "$SUPRUN" --pids-max 50 -- sh -c 'for i in 1 2 3; do setsid sleep 300 & done; echo started; wait'
        local dir pids
        wait_for 10 eval 'dir=$(suprun_cgroup $BG_PID) && [ $(wc -l <"$dir/cgroup.procs") -ge 4 ]' ||
                fail "the service did not start its sleeps"
        pids=$(cat "$dir/cgroup.procs")
        kill -TERM "$BG_PID"
        expect_exit 143 10
        local p
        for p in $pids; do
                ! kill -0 "$p" 2>/dev/null || fail "process $p of the service survived"
        done
        no_suprun_cgroups_left || fail "cgroup left behind"
}
