#!/bin/sh
# PLACEHOLDER until the supervisor lands: single-command mode demo.
exec build/supd -- sh -c 'echo "supd is PID $$ parent; child says hello"; exit 0'
