#!/bin/sh
# in-cgroup.sh DIR CMD...: exec CMD as a member of cgroup DIR (same pid, so
# `bg in_cgroup ...` tracks the command itself).
dir=$1
shift
echo $$ >"$dir/cgroup.procs" && exec "$@"
