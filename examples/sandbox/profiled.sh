#!/bin/sh
# profiled.sh PROFILE CMD...: run CMD allowed only the syscalls PROFILE lists
# (see ../seccomp/shell-tools.profile for the format).
profile=$1; shift
exec suprun --seccomp "$profile" --no-new-privileges -- "$@"
