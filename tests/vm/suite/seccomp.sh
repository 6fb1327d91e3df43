# tests/vm/suite/seccomp.sh — `seccomp = default` on the other ABIs of an
# x86_64 process, on Debian's kernel, which has IA32 emulation (int $0x80)
# on — the build host's kernel refuses int $0x80 before seccomp sees it.
# The probe is tests/helpers/abiprobe.c; a filter that does not know an ABI
# kills it (SIGSYS), which fails the exit-status check.

ABIPROBE=/vm/helpers/abiprobe

probe() {       # probe ABI CALL WANT, under the default profile with getppid denied
        local got
        got=$("$SUPRUN" --seccomp default --seccomp-deny getppid --capabilities CAP_SETUID \
                --no-new-privileges -- "$ABIPROBE" "$1" "$2" 2>err) ||
                fail "$1 $2: exit $? under the filter: $(cat err)"
        [ "$got" = "$3" ] || fail "$1 $2: got '$got', want '$3'"
}

test_i386_calls_get_the_same_verdicts_as_native_ones() {
        local bare
        bare=$("$ABIPROBE" i386 getpid) || fail "abiprobe exit $?"
        [ "$bare" = ok ] || fail "this kernel refuses int \$0x80 ($bare): nothing to prove"
        probe i386 getpid ok
        probe i386 getppid EPERM                # denied by name, as on x86_64
        probe i386 newer ENOSYS                 # above the newest the profile names
        probe i386 clone3 ENOSYS
        probe i386 socket_unix ok
        probe i386 socket_alg EPERM             # the domain filter, i386 numbering
        probe i386 socketcall_socket ok         # as Docker: the domain cannot be checked there
}

test_x32_calls_are_filtered_not_killed() {
        local bare want
        bare=$("$ABIPROBE" x32 getpid) || fail "abiprobe exit $?"
        # Debian builds x32 in but leaves it off (syscall.x32=n): the kernel
        # then answers ENOSYS after the filter allowed the call.
        want=ENOSYS
        [ "$bare" = ok ] && want=ok
        echo "x32 without a filter: getpid -> $bare"
        probe x32 getpid "$want"
        probe x32 getppid EPERM                 # the filter answers before the kernel
        probe x32 socket_alg EPERM
        probe x32 newer ENOSYS
}
