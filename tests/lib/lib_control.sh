# tests/lib/lib_control.sh — helpers for the control socket's integration tests.
#
# supd runs as PID 1 of its own pid namespace with its socket at $T/supd.sock;
# supctl runs here, outside that namespace, as an operator's would.

CTL_PROBE=$SUP_ROOT/tests/lib/ctl_probe.py

# ctl_config [SUPD_KEYS] SERVICES: write $T/sup.ini with the socket in $T.
ctl_config() {
        local extra=""
        [ $# -gt 1 ] && { extra=$1; shift; }
        printf '[supd]\nsocket = %s\nshutdown_timeout = 3s\n%s\n\n%s\n' "$T/supd.sock" "$extra" "$1" \
                >"$T/sup.ini"
}

# ctl_run: supd -c $T/sup.ini as PID 1, output in $T/out; waits for the socket.
ctl_run() {
        run_pid1 -c "$T/sup.ini" >"$T/out" 2>&1
        CTL_SUPD=$BG_PID
        wait_for 20 test -S "$T/supd.sock" || fail "no control socket after 20s: $(tail -5 "$T/out")"
}

# ctl ARGS...: supctl against this test's supd.
ctl() { "$SUPCTL" -s "$T/supd.sock" "$@"; }

# ctl_expect CODE ARGS...: run supctl, keep stdout in $T/ctl.out and stderr
# in $T/ctl.err, fail unless it exits CODE.
ctl_expect() {
        local want=$1 rc
        shift
        ctl "$@" >"$T/ctl.out" 2>"$T/ctl.err"
        rc=$?
        [ "$rc" = "$want" ] ||
                fail "supctl $* exited $rc, expected $want; out: $(cat "$T/ctl.out") err: $(cat "$T/ctl.err")"
}

# ctl_out_has REGEX / ctl_err_has REGEX: about the last ctl_expect.
ctl_out_has() { grep -qE -- "$1" "$T/ctl.out" || fail "stdout lacks /$1/: $(cat "$T/ctl.out")"; }
ctl_err_has() { grep -qE -- "$1" "$T/ctl.err" || fail "stderr lacks /$1/: $(cat "$T/ctl.err")"; }

# ctl_state NAME: the service's STATE column ("" when unknown).
ctl_state() { ctl status "$1" 2>/dev/null | awk -v n="$1" '$1 == n { print $2 }'; }

# ctl_wait_state SECONDS NAME STATE.
ctl_wait_state() {
        wait_for "$1" eval '[ "$(ctl_state '"$2"')" = '"$3"' ]' ||
                fail "$2 not $3 after ${1}s: $(ctl status "$2" 2>&1)"
}

# ctl_pid NAME: the PID column.
ctl_pid() { ctl status "$1" 2>/dev/null | awk -v n="$1" '$1 == n { print $3 }'; }

# ctl_stop_supd: supctl shutdown, supd exits 0 in time.
ctl_stop_supd() {
        ctl_expect 0 shutdown
        expect_exit 0 15 "$CTL_SUPD"
}
