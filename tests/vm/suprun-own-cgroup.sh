#!/bin/sh
# suprun-own-cgroup.sh ARGS...: exec suprun ARGS in a fresh cgroup of its own,
# $SUPRUN_TEST_CGROUPS/run<pid>. The VM runs the host's runtime and suprun
# tests with $SUPRUN pointing here: on cgroup v2 suprun refuses (by design)
# a cgroup it shares with another process, such as the test's own shell.
# Same pid as the caller's child (exec), so `bg "$SUPRUN" ...; kill $BG_PID`
# signals suprun itself; the driver removes the tree after the test.
dir=$SUPRUN_TEST_CGROUPS/run$$
mkdir "$dir" && echo $$ >"$dir/cgroup.procs" && exec /usr/sbin/suprun "$@"
echo "suprun-own-cgroup.sh: cannot enter $dir" >&2
exit 125
