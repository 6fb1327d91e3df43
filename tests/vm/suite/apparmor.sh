# tests/vm/suite/apparmor.sh — `apparmor = PROFILE` on a kernel that has
# AppArmor, through suprun (the runtime alone).

aa_profile() {  # load the test profile; removed at the end
        mkdir -p /tmp/aa && echo hidden >/tmp/aa/secret && echo open >/tmp/aa/public
        cleanup rm -rf /tmp/aa
        cat >"$T/profile" <<'P'
profile sup-vm-confined flags=(enforce) {
  /usr/bin/busybox mrix,
  /dev/** rw,
  /proc/** r,
  /tmp/** rw,
  deny /tmp/aa/secret r,
}
P
        apparmor_parser -r "$T/profile" || fail "apparmor_parser could not load the profile"
        cleanup apparmor_parser -R "$T/profile"
}

test_profile_confines_the_command() {
        aa_profile
        "$SUPRUN" --apparmor sup-vm-confined -- \
                sh -c 'cat /proc/self/attr/current; echo; cat /tmp/aa/public; cat /tmp/aa/secret && echo LEAKED' \
                >out 2>err
        grep -q '^sup-vm-confined (enforce)' out || fail "not confined: $(cat out err)"
        grep -q '^open$' out || fail "an allowed read failed: $(cat out err)"
        grep -qE 'hidden|LEAKED' out && fail "the denied file was read: $(cat out)"
        grep -q 'secret' err || fail "no error for the denied read: $(cat err)"
}

test_missing_profile_fails_with_a_clear_message() {
        local rc
        "$SUPRUN" --apparmor no-such-profile -- sh -c 'echo RAN' >out 2>err
        rc=$?
        [ $rc != 0 ] || fail "exit 0 with a missing profile"
        grep -q RAN out && fail "the command ran unconfined"
        grep -q 'no-such-profile' err || fail "message does not name the profile: $(cat err)"
}

test_optional_missing_profile_warns_and_runs() {
        "$SUPRUN" --apparmor -no-such-profile -- sh -c 'echo RAN; cat /proc/self/attr/current' \
                >out 2>err || fail "exit $? with an optional profile: $(cat err)"
        grep -q '^RAN$' out || fail "the command did not run: $(cat out err)"
        grep -q 'unconfined' out || fail "confined by what? $(cat out)"
        grep -qi 'warn.*no-such-profile' err || fail "no warning naming the profile: $(cat err)"
}

# A profile in the spirit of Docker's docker-default: files and sockets as
# usual, but no mount of any kind and no write under /proc/sys or /sys.
aa_escape_profile() {
        cat >"$T/escape.profile" <<'P'
profile sup-vm-escape flags=(enforce) {
  /** rwlkmix,
  capability,
  network,
  unix,
  signal,
  ptrace,
  deny mount,
  deny remount,
  deny umount,
  deny pivot_root,
  deny /proc/sys/** w,
  deny /sys/** w,
}
P
        apparmor_parser -r "$T/escape.profile" || fail "apparmor_parser could not load the profile"
        cleanup apparmor_parser -R "$T/escape.profile"
}

# The default sandbox under the profile: still every escape refused.
test_default_sandbox_under_a_profile_refuses_every_escape() {
        aa_escape_profile
        "$SUPRUN" --namespaces pid,mount --apparmor sup-vm-escape -- "$ESCAPE" >out 2>&1 ||
                fail "$(cat out)"
        # shellcheck disable=SC2086
        escape_all_refused out $ESCAPE_CHECKS
}

# Every other default overridden (all capabilities, no seccomp, nothing
# masked or read-only): the profile alone refuses the mounts and the
# writes, which the same run without it lets through.
test_profile_alone_refuses_mounts_and_kernel_writes() {
        local opts="--namespaces pid,mount --capabilities all --no-new-privileges=no --seccomp none
                    --masked-paths none --read-only-paths none"
        aa_escape_profile
        # shellcheck disable=SC2086
        "$SUPRUN" $opts -- "$ESCAPE" mount remount_root write_proc_sys write_cgroup >bare 2>&1 ||
                fail "$(cat bare)"
        escape_all_escaped bare mount remount_root write_proc_sys write_cgroup
        # shellcheck disable=SC2086
        "$SUPRUN" $opts --apparmor sup-vm-escape -- "$ESCAPE" mount remount_root write_proc_sys \
                write_cgroup >out 2>&1 || fail "$(cat out)"
        escape_all_refused out mount remount_root write_proc_sys write_cgroup
}
