#!/bin/sh
# build.sh DIR CMD...: run a build in DIR inside a throwaway sandbox.
#   pid,mount,ipc  the build sees only its own processes and mounts
#   net            no network: a build that downloads fails loudly
#   --private-tmp  /tmp is empty and gone afterwards
#   --memory-max / --pids-max  a runaway build or fork bomb stops at the cap
dir=$1; shift
exec suprun --namespaces pid,mount,ipc,net --private-tmp \
        --memory-max 2G --pids-max 512 --directory "$dir" -- "$@"
