#!/bin/sh
trap 'echo "cache: stopping"; exit 0' TERM
echo "cache: warming up"
echo >&3                        # readiness: a newline on fd 3 (s6's protocol)
exec 3>&-
while :; do sleep 1 & wait $!; done
