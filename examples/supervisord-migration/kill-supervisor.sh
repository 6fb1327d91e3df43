#!/bin/bash
# The event listener images add so that the container ends when a program
# dies: it says READY, and on the first event it gets (events= in the
# [eventlistener:] section: PROCESS_STATE_FATAL) it stops supervisord —
# under supd, supd: SIGQUIT shuts a supervisord config down the same way.
printf "READY\n"
while read -r line; do
        echo "Processing Event: $line" >&2
        kill -SIGQUIT "$PPID"
done < /dev/stdin
