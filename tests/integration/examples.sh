# Every file of examples/ that a user copies is exercised here.

EX=$SUP_ROOT/examples

# The sandbox one-liners call `suprun` by name, as a user's PATH would.
with_sup_on_path() { PATH=$SUP_ROOT/build:$PATH "$@"; }

test_untrusted_script_is_cut_off() {
        cat >job.sh <<'JOB'
echo "host=$(hostname)"
grep CapEff /proc/self/status
touch /etc/sup-test-x 2>/dev/null && echo "wrote /etc" || echo "etc read-only"
ls /sys/class/net | tr '\n' ' '; echo
JOB
        with_sup_on_path "$EX/sandbox/untrusted.sh" job.sh >out 2>err || fail "exit $?: $(cat err)"
        file_has out '^host=sandbox$' || fail "hostname not set: $(cat out)"
        file_has out 'CapEff:[[:space:]]+0+$' || fail "capabilities left: $(cat out)"
        file_has out '^etc read-only$' || fail "root is writable"
        file_has out '^lo $' || fail "network devices besides lo: $(cat out)"
        [ ! -e /etc/sup-test-x ] || { rm -f /etc/sup-test-x; fail "script wrote to the host"; }
}

test_untrusted_memory_hog_is_killed() {
        [ -x "$SUP_ROOT/build/helpers/memhog" ] || fail "memhog helper not built"
        echo "exec $SUP_ROOT/build/helpers/memhog 1024" >job.sh
        with_sup_on_path "$EX/sandbox/untrusted.sh" job.sh >out 2>&1 && fail "memory hog survived: $(cat out)"
        true
}

test_build_sandbox_has_private_tmp_and_no_network() {
        # the project lives outside /tmp: the sandbox's /tmp is its own
        local src
        src=$(mktemp -d /var/tmp/sup-build.XXXXXX)
        cleanup rm -rf "$src"
        printf 'all:\n\t@touch /tmp/built-here && echo $$(ls /sys/class/net) && pwd\n' >"$src/Makefile"
        with_sup_on_path "$EX/sandbox/build.sh" "$src" make >out 2>err || fail "build failed: $(cat err)"
        file_has out "^$src\$" || fail "not run in the project directory: $(cat out)"
        file_has out '^lo$' || fail "network visible: $(cat out)"
        [ ! -e /tmp/built-here ] || { rm -f /tmp/built-here; fail "/tmp was not private"; }
}

test_seccomp_profile_allows_listed_denies_rest() {
        with_sup_on_path "$EX/sandbox/profiled.sh" "$EX/seccomp/shell-tools.profile" \
                sh -c 'echo allowed; cat /etc/hostname >/dev/null' >out 2>&1 || fail "listed syscalls refused: $(cat out)"
        file_has out '^allowed$' || fail "no output: $(cat out)"
        with_sup_on_path "$EX/sandbox/profiled.sh" "$EX/seccomp/shell-tools.profile" \
                sh -c 'mkdir "$0"' "$T/made" >out 2>&1 && fail "mkdir was allowed"
        [ ! -d "$T/made" ] || fail "mkdir happened"
        file_has out 'Operation not permitted' || fail "no EPERM: $(cat out)"
}

test_kubernetes_grace_period_fits_shutdown_timeout() {
        local grace timeout probe
        grace=$(awk '/terminationGracePeriodSeconds:/ {print $2}' "$EX/kubernetes.yaml")
        timeout=$(awk -F'= *' '/^shutdown_timeout/ {sub(/s.*/, "", $2); print $2}' "$EX/image/sup.ini")
        [ -n "$grace" ] && [ -n "$timeout" ] || fail "cannot read grace ($grace) or timeout ($timeout)"
        [ "$timeout" -lt "$grace" ] || fail "shutdown_timeout ${timeout}s does not fit the ${grace}s grace period"
        # every service a probe names exists in the image's config
        for probe in $(grep -o '"supctl", "status"[^]]*' "$EX/kubernetes.yaml" | tr -d '",' | cut -d' ' -f3-); do
                grep -q "^\[service:$probe\]" "$EX/image/sup.ini" || fail "probe names unknown service $probe"
        done
        "$SUPD" --check -c "$EX/image/sup.ini" >/dev/null || fail "image config does not check"
}

test_static_multicall_binary_runs_each_program() {
        make -C "$SUP_ROOT" -s static >/dev/null 2>&1 || fail "make static failed"
        local bin=$SUP_ROOT/build/sup-static
        file -L "$bin" | grep -q 'statically linked' || fail "not static: $(file -L "$bin")"
        ln -s "$bin" supctl
        ln -s "$bin" supd
        ./supd -- sh -c 'exit 7'; [ $? = 7 ] || fail "supd by argv[0]"
        "$bin" -- sh -c 'exit 5'; [ $? = 5 ] || fail "supd by default"
        ./supctl -s "$T/none.sock" status >/dev/null 2>&1; [ $? = 4 ] || fail "supctl by argv[0]"
        "$bin" suprun -- sh -c 'exit 3'; [ $? = 3 ] || fail "suprun by first argument"
}

test_make_install_and_uninstall() {
        make -C "$SUP_ROOT" -s install PREFIX=/usr/local DESTDIR="$T/root" >/dev/null || fail "install failed"
        for f in sbin/supd bin/supctl bin/suprun share/man/man8/supd.8 share/man/man8/supctl.8 \
                 share/man/man1/suprun.1; do
                [ -e "$T/root/usr/local/$f" ] || fail "not installed: $f"
        done
        "$T/root/usr/local/sbin/supd" -- true || fail "installed supd does not run"
        make -C "$SUP_ROOT" -s uninstall PREFIX=/usr/local DESTDIR="$T/root" >/dev/null || fail "uninstall failed"
        [ -z "$(find "$T/root" -type f)" ] || fail "left behind: $(find "$T/root" -type f)"
}

test_man_pages_render_without_warnings() {
        local page
        for page in "$SUP_ROOT"/docs/*.[158]; do
                LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>err >/dev/null || fail "man $page failed"
                [ ! -s err ] || fail "$page: $(cat err)"
        done
}
