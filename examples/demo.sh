#!/bin/sh
# examples/demo.sh — run examples/demo.ini in the foreground; Ctrl-C stops it.
#
#   examples/demo.sh              until Ctrl-C (exit 0 when everything stopped)
#   examples/demo.sh --for SECS   send ourselves SIGINT after SECS (for tests/CI)
#
# SUPD picks the binary (default build/supd). The demo's notify service uses
# build/helpers/sd_notify, put on PATH here.
cd "$(dirname "$0")/.." || exit 2
SUPD=${SUPD:-build/supd}
PATH=$PWD/build/helpers:$PATH
export PATH
# the demo runs without root: keep the control socket out of /run
SUP_SOCKET=${SUP_SOCKET:-${TMPDIR:-/tmp}/sup-demo.$$.sock}
case $SUP_SOCKET in /*) ;; *) SUP_SOCKET=$PWD/$SUP_SOCKET ;; esac
export SUP_SOCKET
# Before anything starts: the one line a second terminal pastes to talk to it.
echo "export SUP_SOCKET=$SUP_SOCKET  # in a second terminal, then: $PWD/build/supctl status"

if [ "${1:-}" = "--for" ]; then
        secs=${2:?--for needs SECONDS}
        "$SUPD" -c examples/demo.ini &
        pid=$!
        sleep "$secs"
        kill -INT "$pid"
        wait "$pid"
        exit $?
fi
exec "$SUPD" -c examples/demo.ini
