#!/bin/sh
# untrusted.sh SCRIPT: run a script we do not trust.
#   pid,ipc,uts           its own processes, IPC and hostname
#   net                   no network: only its own loopback
#   --read-only           the whole filesystem is read-only, except a private /tmp
#   --bind ...:ro         the script itself, read-only, at /run/job.sh
#   --seccomp default     Docker's default syscall filter
#   --capabilities ''     no capability at all, even as root
#   --no-new-privileges   setuid binaries do not raise privileges
#   --memory-max/pids-max a memory hog or fork bomb stops at the cap
script=$(realpath "$1") || exit 2
exec suprun --namespaces pid,mount,ipc,net,uts --hostname sandbox \
        --read-only --private-tmp --bind "$script:/run/job.sh:ro" \
        --seccomp default --capabilities '' --no-new-privileges \
        --memory-max 256M --pids-max 64 -- /bin/sh /run/job.sh
