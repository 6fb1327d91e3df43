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

# Stand-ins for nginx, php-fpm, php and cron on PATH: they say they are up
# and run until TERM or QUIT (nginx's stop signal), as the real ones would.
fake_web_programs() {
        chmod 755 "$T"          # the queue workers run as www-data
        mkdir -p "$T/bin"
        for p in nginx php-fpm php cron; do
                printf '#!/bin/sh\ntrap "exit 0" TERM QUIT\necho "%s up as $(id -un)"\nwhile :; do sleep 1 & wait $!; done\n' \
                        "$p" >"$T/bin/$p"
                chmod 755 "$T/bin/$p"
        done
        export PATH=$T/bin:$PATH APP_ENV=production SUP_SOCKET=$T/supd.sock
}

all_up() { "$SUPCTL" status >/dev/null 2>&1; }

# supd as PID 1 from a clean caller, as a container runtime starts it: a
# background job of this shell has INT and QUIT ignored, and nginx's stop
# signal is QUIT.
run_pid1_clean() {
        bg unshare --pid --fork --mount-proc --kill-child \
                "$SUP_ROOT/build/helpers/probe" with-sigs - - "$SUPD" "$@"
        PID1_HOST=$BG_PID
}

test_supervisord_conf_runs_unchanged() {
        local conf=$EX/supervisord-migration/supervisord.conf
        fake_web_programs
        "$SUPD" --check -c "$conf" >check.out 2>check.err || fail "check: $(cat check.err)"
        file_has check.out '^\[service:queue-worker:queue-worker_01\]' ||
                fail "numprocs not expanded: $(grep '^\[' check.out)"
        file_has check.out '^events = PROCESS_STATE_FATAL$' || fail "the event listener is not run"
        # its pidfile= is /run/supervisord.pid, removed at exit; and if not:
        cleanup 'grep -qx 1 /run/supervisord.pid && rm -f /run/supervisord.pid'
        run_pid1_clean -c "$conf" >out 2>&1
        wait_for 30 all_up || fail "not all running: $("$SUPCTL" status 2>&1)"
        wait_for 10 file_has out 'queue-worker:queue-worker_00 \| php up as www-data' ||
                fail "worker not run as www-data: $(cat out)"
        # php-fpm can no longer start: FATAL, and the listener ends the container
        printf '#!/bin/sh\nexit 3\n' >"$T/bin/php-fpm"
        "$SUPCTL" signal KILL php-fpm >/dev/null 2>&1
        expect_exit 0 60 "$PID1_HOST"
        file_has out 'exit_on_fatal \| Processing Event: ver:3.0 .*eventname:PROCESS_STATE_FATAL' ||
                fail "the listener did not get the FATAL: $(tail out)"
}

# The migration runs as its README says: APP_ENV given, and sup.ini names
# its services as the translation of supervisord.conf does.
test_migration_runs_as_its_readme_says() {
        local dir=$EX/supervisord-migration
        fake_web_programs
        grep -q 'APP_ENV=production' "$dir/"README.md || fail "README does not say to set APP_ENV"
        env -u APP_ENV "$SUPD" --check -c "$dir/supervisord.conf" >/dev/null 2>check.err &&
                fail "checks without APP_ENV"
        file_has check.err 'no environment variable APP_ENV' || fail "$(cat check.err)"
        # sup.ini replaces the event listeners with critical = yes
        sed -n 's/^\[eventlistener:\(.*\)\]$/[service:\1]/p' "$dir/supervisord.conf" >listeners
        "$SUPD" --check -c "$dir/supervisord.conf" 2>/dev/null | grep '^\[service:' |
                grep -vxF -f listeners | sort >conf.names
        "$SUPD" --check -c "$dir/sup.ini" 2>/dev/null | grep '^\[service:' | sort >ini.names
        [ -s conf.names ] && diff conf.names ini.names >&2 || fail "service names differ (above)"
        grep -q 'queue-worker:queue-worker_00' "$dir/"README.md || fail "README does not name queue-worker:queue-worker_00"
}

test_native_sup_ini_exits_with_a_critical_services_code() {
        local conf=$EX/supervisord-migration/sup.ini
        fake_web_programs
        # php-fpm that cannot start any more once $T/fpm-broken exists
        printf '#!/bin/sh\n[ -e %s/fpm-broken ] && exit 3\ntrap "exit 0" TERM\nwhile :; do sleep 1 & wait $!; done\n' \
                "$T" >"$T/bin/php-fpm"
        run_pid1_clean -c "$conf" >out 2>&1
        wait_for 30 all_up || fail "not all running: $("$SUPCTL" status 2>&1)"
        # It dies and keeps failing: FATAL after start_retries, and critical
        # ends the run with its code; supervisord needs an event listener.
        touch "$T/fpm-broken"
        "$SUPCTL" signal KILL php-fpm >/dev/null 2>&1
        expect_exit 3 60 "$PID1_HOST"
        file_has out 'nginx: STOPPED|nginx: pid [0-9]+ exited 0' || fail "nginx not stopped cleanly: $(tail out)"
}

# The image of examples/Dockerfile, its services run from the repository.
test_image_config_runs_in_order_and_stops_on_term() {
        chmod 755 "$T"
        sed "s|/srv/|$EX/image/services/|" "$EX/image/sup.ini" |
                sed "s|^socket = .*|socket = $T/supd.sock|" >sup.ini
        export SUP_SOCKET=$T/supd.sock
        run_pid1 -c sup.ini -- "$EX/image/services/app.sh" >out 2>&1
        wait_for 30 all_up || fail "not all running: $("$SUPCTL" status 2>&1)"
        file_has out 'migrate \| migration done' || fail "oneshot did not run: $(cat out)"
        [ "$(grep -n 'migration done' out | cut -d: -f1)" -lt "$(grep -n 'worker: waiting' out | cut -d: -f1)" ] ||
                fail "worker started before the migration finished: $(cat out)"
        kill -TERM "$(cat /proc/"$PID1_HOST"/task/"$PID1_HOST"/children)"
        expect_exit 0 30 "$PID1_HOST"
}
