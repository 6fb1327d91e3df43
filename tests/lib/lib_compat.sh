# tests/lib/lib_compat.sh — supd under the names of tini and dumb-init, side
# by side with the real programs.
#
# Each behaviour is checked against every implementation a name stands for:
# the Debian package's binary (the control: the test is right when it passes
# there too), then $SUPD linked as each name, then build/sup-static linked
# as each name when `make static` built it.

# compat_impls PEER: one "LABEL PATH" line per implementation of PEER (tini |
# dumb-init); the links are made in $T/names-*/.
compat_impls() {
        local peer=$1 names n dir
        case $peer in
        tini) names="tini tini-static docker-init" ;;
        dumb-init) names="dumb-init" ;;
        esac
        if [ -z "${__compat_deps:-}" ]; then
                . "$SUP_ROOT/tests/lib/deps.sh"
                need_pkg tini dumb-init >/dev/null 2>&1 || note "tini/dumb-init not installable: no control"
                __compat_deps=1
        fi
        [ -x "/usr/bin/$peer" ] && echo "real /usr/bin/$peer"
        for n in $names; do
                dir=$T/names-supd
                mkdir -p "$dir"
                ln -sf "$SUPD" "$dir/$n"
                echo "supd-as-$n $dir/$n"
                if [ -x "$SUP_ROOT/build/sup-static" ]; then
                        dir=$T/names-static
                        mkdir -p "$dir"
                        ln -sf "$SUP_ROOT/build/sup-static" "$dir/$n"
                        echo "static-as-$n $dir/$n"
                fi
        done
}

# for_impls PEER FUNC: FUNC LABEL PATH for each implementation, each with
# its own scratch directory $T/LABEL; the log names the one that failed (not
# a subshell: what FUNC starts and registers must be cleaned up at the end).
for_impls() {
        local peer=$1 func=$2 label path base=$T
        while read -r label path; do
                T=$base/$label
                mkdir -p "$T"
                note "$label: $path"
                "$func" "$label" "$path" || fail "$label: $func failed"
                T=$base
        done < <(compat_impls "$peer")
}

# run_status WANT CMD...: CMD exits WANT (stdout to $T/out.txt, stderr to
# $T/err.txt).
run_status() {
        local want=$1 rc
        shift
        "$@" >"$T/out.txt" 2>"$T/err.txt"
        rc=$?
        [ "$rc" = "$want" ] || fail "$*: exit $rc, expected $want; stderr: $(head -c 400 "$T/err.txt")"
}

# session_of PID / pgrp_of PID: from /proc/PID/stat (fields 6 and 5).
session_of() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $4}'; }
pgrp_of() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $3}'; }

# stopped PID: the process is stopped (T).
stopped() { [ "$(proc_state "$1")" = T ]; }

# kill_at_end PID: a process a test leaves behind on purpose is killed at
# the end, whoever its parent is by then.
kill_at_end() { cleanup "kill -KILL $1"; }
