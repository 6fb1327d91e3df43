#!/bin/sh
# The main service (the image's CMD). Its exit code is the container's.
trap 'echo "app: stopping"; exit 0' TERM
echo "app: serving"
while :; do sleep 1 & wait $!; done
