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
