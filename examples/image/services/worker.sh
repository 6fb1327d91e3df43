#!/bin/sh
trap 'echo "worker: stopping"; exit 0' TERM
echo "worker: waiting for jobs"
while :; do sleep 1 & wait $!; done
