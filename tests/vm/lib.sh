# tests/vm/lib.sh — helpers for the checks that run inside the test VM (bash
# + busybox; no coreutils, no procps). The test machinery itself — fail,
# note, cleanup, bg, wait_for, expect_exit, proc_gone... — is the host's
# tests/lib/lib.sh, shipped into the initramfs as /vm/sup/tests/lib/ (with
# the integration files the VM runs too): a check is a function test_NAME in
# tests/vm/suite/FILE.sh, runs in its own bash under a deadline, fails
# through `fail MSG` or any non-zero return, and what it registered with
# `bg` / `cleanup` is undone at the end. What follows is cgroup v2 only.

export SUPD=/usr/sbin/supd SUPCTL=/usr/sbin/supctl SUPRUN=${SUPRUN:-/usr/sbin/suprun}
export HELPERS=/vm/helpers
. /vm/sup/tests/lib/lib.sh
CG=/sys/fs/cgroup

# The cgroup v2 path of a process ("/a/b"), empty when it is gone.
proc_cgroup() { sed -n 's/^0:://p' "/proc/$1/cgroup" 2>/dev/null; }

# cg_new NAME: a fresh cgroup directly under the root with every controller
# the kernel has enabled for its children; removed (processes killed) at the
# end of the check. Prints its path.
cg_new() {
        local path=$CG/$1
        cg_enable_all "$CG" || return 1
        mkdir "$path" || return 1
        cleanup cg_destroy "$path"
        echo "$path"
}

cg_enable_all() {       # cg_enable_all DIR: +every available controller
        local c ctl=""
        for c in $(cat "$1/cgroup.controllers"); do ctl="$ctl +$c"; done
        [ -z "$ctl" ] || echo "$ctl" >"$1/cgroup.subtree_control"
}

# Kill everything in a cgroup tree and remove it, leaves first.
cg_destroy() {
        local d
        [ -d "$1" ] || return 0
        [ -f "$1/cgroup.kill" ] && echo 1 >"$1/cgroup.kill"
        for d in "$1"/*/; do
                [ -d "$d" ] && cg_destroy "${d%/}"
        done
        wait_for 5 rmdir "$1" 2>/dev/null
}

# in_cgroup DIR CMD...: run CMD in cgroup DIR. In the background, call
# /vm/in-cgroup.sh itself (`bg /vm/in-cgroup.sh DIR CMD...`): a function
# would run in a subshell and $BG_PID would not be the command's pid.
in_cgroup() { /vm/in-cgroup.sh "$@"; }

# The one service cgroup suprun made under DIR (not its own leaf "supd").
svc_cgroup() {
        local d
        for d in "$1"/*/; do
                d=${d%/}
                [ -d "$d" ] && [ "${d##*/}" != supd ] && { echo "$d"; return 0; }
        done
        return 1
}

# Some process is in the cgroup (cgroupfs files always have size 0: no -s).
cg_populated() { [ -n "$(cat "$1/cgroup.procs" 2>/dev/null)" ]; }

svc_cgroup_gone() { ! svc_cgroup "$1" >/dev/null; }

# A cgroup and what is in it, for messages.
cg_show() {
        local pid
        echo "$1:"
        for pid in $(cat "$1/cgroup.procs" 2>/dev/null); do
                echo "  $pid $(proc_state "$pid") $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
        done
}

# events_at_least FILE KEY N: the flat-keyed file has KEY >= N.
events_at_least() {
        local v
        v=$(sed -n "s/^$2 //p" "$1" 2>/dev/null)
        [ -n "$v" ] && [ "$v" -ge "$3" ]
}
