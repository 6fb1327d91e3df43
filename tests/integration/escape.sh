# tests/integration/escape.sh — the escape suite: tests/helpers/escape tries,
# from inside the default sandbox, what a contained service must not do;
# each attempt must be refused. Run again with every default overridden,
# the same attempts succeed, which shows each check can fail. (The VM level
# runs this file too: cgroup v2, /proc/kcore, /proc/sysrq-trigger; and
# tests/vm/suite/apparmor.sh adds an AppArmor profile.) The checks and their
# assertions: tests/lib/lib_escape.sh.

test_suprun_defaults_refuse_every_escape() {
        "$SUPRUN" --namespaces pid,mount,uts,ipc,net -- "$ESCAPE" >out 2>&1 || fail "$(cat out)"
        # shellcheck disable=SC2086
        escape_all_refused out $ESCAPE_CHECKS
}

# Without a network namespace the service sees the host's /sys, and in it
# the cgroup tree: read-only, not merely absent.
test_suprun_defaults_host_sys_is_read_only() {
        "$SUPRUN" --namespaces pid,mount -- "$ESCAPE" >out 2>&1 || fail "$(cat out)"
        # shellcheck disable=SC2086
        escape_all_refused out $ESCAPE_CHECKS
        [ "$(escape_verdict out write_cgroup)" = "refused EROFS" ] ||
                fail "cgroup tree: $(escape_verdict out write_cgroup), expected EROFS"
        [ "$(escape_verdict out write_proc_sys)" = "refused EROFS" ] ||
                fail "/proc/sys: $(escape_verdict out write_proc_sys), expected EROFS"
        [ "$(escape_verdict out read_timer_list)" = "refused masked (empty)" ] ||
                fail "/proc/timer_list: $(escape_verdict out read_timer_list), expected masked"
}

# No namespaces at all: suprun still drops to Docker's capabilities, sets
# no_new_privs and loads Docker's seccomp profile.
test_suprun_without_namespaces_is_still_confined() {
        "$SUPRUN" -- "$ESCAPE" mount unshare_user unshare_mount open_by_handle_at bpf setns \
                kexec_load af_alg >out 2>&1 || fail "$(cat out)"
        escape_all_refused out mount unshare_user unshare_mount open_by_handle_at bpf setns \
                kexec_load af_alg
}

# A service of supd with namespaces = pid mount and nothing else set (supd
# as a plain subreaper: the service's PID namespace is what matters, and the
# VM level has no unshare --kill-child). The control socket ($SUP_SOCKET,
# under $T) is covered in the service's mount namespace.
test_service_defaults_refuse_every_escape() {
        sv_config "[service:probe]
command = $ESCAPE
type = oneshot
namespaces = pid mount
environment = SOCK=$T/ctl.sock
stdout = file:$T/probe.out"
        bg "$SUPD" -c "$T/sup.ini" >"$T/out" 2>&1
        wait_for 20 file_has "$T/probe.out" '^control_socket ' || fail "no probe output: $(cat "$T/out")"
        # shellcheck disable=SC2086
        escape_all_refused "$T/probe.out" $ESCAPE_CHECKS
        # the socket the probe could not reach is there and answers outside
        "$SUPCTL" -s "$T/ctl.sock" status >/dev/null || fail "supd's socket is not at $T/ctl.sock"
        kill -TERM "$BG_PID"
        expect_exit 0 10
}

# Every default overridden: the checks the kernel can answer now succeed.
# The ones that depend on the kernel and the machine (sysrq, kcore, kexec,
# AF_ALG, /dev/mem, a device node of the root disk) must succeed where they
# do for the test itself, outside any sandbox.
test_overridden_defaults_let_the_escapes_through() {
        local c v host
        "$SUPRUN" --namespaces pid,mount --capabilities all --no-new-privileges=no --seccomp none \
                --masked-paths none --read-only-paths none --private-dev=no -- "$ESCAPE" >out 2>&1 ||
                fail "$(cat out)"
        escape_all_escaped out ptrace_pid1 mount remount_root unshare_user unshare_mount \
                write_proc_sys read_timer_list read_pid1_mem open_by_handle_at bpf setns
        [ -e /sys/fs/cgroup/cgroup.procs ] || [ -e /sys/fs/cgroup/pids/cgroup.procs ] &&
                escape_all_escaped out write_cgroup
        "$ESCAPE" write_sysrq read_kcore kexec_load af_alg mknod dev_mem host_disk >host.out 2>&1
        for c in write_sysrq read_kcore kexec_load af_alg mknod dev_mem host_disk; do
                host=$(escape_verdict host.out "$c")
                v=$(escape_verdict out "$c")
                case "$host" in
                ESCAPED*) [ "${v%% *}" = ESCAPED ] || fail "$c: $v in the sandbox, $host outside" ;;
                *) note "$c: $host on this machine itself" ;;
                esac
        done
}

# The private /dev: the usual nodes work, the host's disks are not there;
# --private-dev=no keeps the host's /dev.
test_private_dev_has_the_usual_nodes_and_no_disk() {
        "$SUPRUN" --namespaces pid,mount -- sh -c 'ls /dev; echo x >/dev/null; head -c 4 /dev/urandom | wc -c; test -c /dev/pts/ptmx && echo ptmx-ok' >out 2>&1 ||
                fail "$(cat out)"
        for n in null zero full random urandom shm pts ptmx-ok; do
                grep -qx "$n" out || fail "no $n in the private /dev: $(cat out)"
        done
        grep -qx 4 out || fail "/dev/urandom gave nothing: $(cat out)"
        local disk
        disk=$(find /dev -maxdepth 1 -type b | head -1)
        [ -n "$disk" ] || { note "no block device in this machine's /dev"; return 0; }
        "$SUPRUN" --namespaces pid,mount -- test -e "$disk" && fail "$disk is visible in the sandbox"
        "$SUPRUN" --namespaces pid,mount --private-dev=no -- test -b "$disk" ||
                fail "--private-dev=no: $disk is not there"
        "$SUPRUN" --private-dev -- true >out 2>&1
        [ $? = 2 ] || fail "expected a usage error: $(cat out)"
        out_has out '--private-dev needs --namespaces mount' || fail "message: $(cat out)"
}

# --- bad input: each a clear error naming the key --------------------------

test_unknown_capability_names_the_key() {
        "$SUPRUN" --capabilities CAP_FLY -- true >out 2>&1
        [ $? = 2 ] || fail "expected a usage error: $(cat out)"
        out_has out 'capabilities: unknown capability "CAP_FLY"' || fail "message: $(cat out)"
}

test_masked_path_that_does_not_exist_is_an_error() {
        "$SUPRUN" --namespaces pid,mount --masked-paths /nonexistent/secret -- true >out 2>&1
        [ $? = 1 ] || fail "expected the sandbox to fail: $(cat out)"
        out_has out 'masked_paths /nonexistent/secret: No such file or directory' || fail "message: $(cat out)"
        "$SUPRUN" --namespaces pid,mount --read-only-paths /nonexistent/dir -- true >out 2>&1
        [ $? = 1 ] || fail "expected the sandbox to fail: $(cat out)"
        out_has out 'read_only_paths /nonexistent/dir: No such file or directory' || fail "message: $(cat out)"
}

test_masked_paths_without_a_mount_namespace_is_an_error() {
        "$SUPRUN" --namespaces pid --masked-paths /proc/kcore -- true >out 2>&1
        [ $? = 2 ] || fail "expected a usage error: $(cat out)"
        out_has out '--masked-paths needs --namespaces mount' || fail "message: $(cat out)"
        "$SUPRUN" --read-only-paths default -- true >out 2>&1
        [ $? = 2 ] || fail "expected a usage error: $(cat out)"
        out_has out '--read-only-paths needs --namespaces mount' || fail "message: $(cat out)"
}
