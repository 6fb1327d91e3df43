# tests/lib/lib_runtime.sh — helpers for the runtime and suprun tests.

HELPERS=${HELPERS:-$SUP_ROOT/build/helpers}

# The cgroup directories suprun may create for this shell's children:
# "<own cgroup>/<name>-suprun<pid>" in each v1 hierarchy (or the v2 one).
# In the VM (cgroup v2) each suprun runs in a cgroup of its own under
# $SUPRUN_TEST_CGROUPS (tests/vm/suprun-own-cgroup.sh): those are the places.
own_cgroup_dirs() {
        local line ctrls path mnt d
        if [ -n "${SUPRUN_TEST_CGROUPS:-}" ]; then
                for d in "$SUPRUN_TEST_CGROUPS"/*/; do
                        [ -d "$d" ] && echo "${d%/}"
                done
                return 0
        fi
        while IFS= read -r line; do
                ctrls=${line#*:}; ctrls=${ctrls%%:*}; path=${line#*:*:}
                case "$ctrls" in
                "") mnt=/sys/fs/cgroup; [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ] || continue ;;
                *memory*) mnt=/sys/fs/cgroup/memory ;;
                *pids*) mnt=/sys/fs/cgroup/pids ;;
                *freezer*) mnt=/sys/fs/cgroup/freezer ;;
                cpu,cpuacct|cpu) mnt=/sys/fs/cgroup/cpu ;;
                *blkio*) mnt=/sys/fs/cgroup/blkio ;;
                *) continue ;;
                esac
                echo "$mnt${path%/}"
        done </proc/self/cgroup
}

# No cgroup directory named like a suprun run is left under our own cgroups.
no_suprun_cgroups_left() {
        local d
        for d in $(own_cgroup_dirs); do
                ls -d "$d"/*-suprun* >/dev/null 2>&1 && { note "left: $(ls -d "$d"/*-suprun*)"; return 1; }
        done
        return 0
}

# suprun_cgroup PID: the service cgroup of the suprun with that pid that
# counts its processes (v1: the one in the pids hierarchy). Prints it.
suprun_cgroup() {
        local d c
        for d in $(own_cgroup_dirs); do
                for c in "$d"/*-suprun"$1"; do
                        [ -f "$c/pids.current" ] && { echo "$c"; return 0; }
                done
        done
        return 1
}

# out_has FILE STRING: the file contains STRING (fixed string).
out_has() { grep -qF -- "$2" "$1" || { note "$1:"; sed 's/^/    /' "$1" >&2; return 1; }; }
