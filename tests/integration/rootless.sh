# tests/integration/rootless.sh — sup without root, as a real unprivileged
# user made by the test (useradd) and removed after: suprun does what bwrap
# does (a user namespace of its own, the caller's ids mapped to
# themselves), and supd runs as a non-root PID 1 with what needs no
# privilege.

# rl_user: make the user; $RL_USER, $RL_UID; $T becomes theirs.
rl_user() {
        RL_USER=sup-rl-$$-$RANDOM
        useradd -M -d /nonexistent -s /bin/sh "$RL_USER" || fail "useradd $RL_USER"
        cleanup userdel "$RL_USER"
        RL_UID=$(id -u "$RL_USER")
        chown "$RL_USER" "$T"
}

# as_user CMD...: run CMD as $RL_USER, in $T.
as_user() { (cd "$T" && runuser -u "$RL_USER" -- "$@"); }

test_rootless_suprun_runs_the_command_as_the_caller() {
        [ "$(cat /proc/sys/user/max_user_namespaces)" -gt 0 ] || fail "user namespaces are disabled here"
        rl_user
        as_user "$SUPRUN" --namespaces pid,mount,net -- id >out 2>&1 || fail "$(cat out)"
        grep -q "^uid=$RL_UID($RL_USER) gid=$RL_UID" out || fail "not the caller: $(cat out)"
        as_user "$SUPRUN" --namespaces pid,mount,net -- sh -c 'echo pid=$$; grep CapEff /proc/self/status; ls /sys/class/net' \
                >out 2>&1 || fail "$(cat out)"
        out_has out "pid=2" || fail "not in its own PID namespace"
        out_has out "CapEff:	0000000000000000" || fail "capabilities left"
        [ "$(grep -c . out)" = 3 ] && out_has out lo || fail "not in its own network namespace: $(cat out)"
        # No cgroup is delegated to this user here: the limit fails, saying why.
        as_user "$SUPRUN" --namespaces pid,mount --pids-max 10 -- true >out 2>&1
        [ $? = 1 ] || fail "a cgroup limit as non-root did not fail: $(cat out)"
        out_has out "a non-root user needs a cgroup delegated to it" || fail "message"
}

test_supd_runs_as_a_non_root_pid1() {
        rl_user
        cat >"$T/sup.ini" <<EOT
[supd]
socket = $T/supd.sock
shutdown_timeout = 3s

[service:init]
type = oneshot
command = sh -c 'id -u >$T/init.uid'

[service:web]
command = sh -c 'echo \$\$ >$T/web.pid; exec sleep 100000'
requires = init
EOT
        chown "$RL_USER" "$T/sup.ini"
        bg runuser -u "$RL_USER" -- unshare --map-current-user --pid --fork --mount-proc --kill-child \
                "$SUPD" -c "$T/sup.ini" >"$T/out" 2>&1
        local supd_host=$BG_PID
        wait_for 20 test -S "$T/supd.sock" || fail "no control socket: $(tail -5 "$T/out")"
        sv_wait_file 20 "$T/web.pid"
        [ "$(cat "$T/init.uid")" = "$RL_UID" ] || fail "the oneshot ran as $(cat "$T/init.uid")"
        as_user "$SUPCTL" -s "$T/supd.sock" status >"$T/st" 2>&1 || fail "status: $(cat "$T/st")"
        grep -qE "^web +RUNNING" "$T/st" || fail "status: $(cat "$T/st")"
        grep -qE "^init +EXITED" "$T/st" || fail "status: $(cat "$T/st")"
        as_user "$SUPCTL" -s "$T/supd.sock" restart web >"$T/ctl" 2>&1 || fail "restart: $(cat "$T/ctl")"
        as_user "$SUPCTL" -s "$T/supd.sock" shutdown >"$T/ctl" 2>&1 || fail "shutdown: $(cat "$T/ctl")"
        expect_exit 0 20 "$supd_host"
}
