#!/usr/bin/env python3
# Writes every event it gets to $T/ticks.log, then answers OK.
import os
import sys

log = os.path.join(os.environ['T'], 'ticks.log')
while True:
    sys.stdout.write('READY\n')
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line:
        break
    headers = dict(x.split(':') for x in line.split())
    payload = sys.stdin.read(int(headers['len']))
    with open(log, 'a') as f:
        f.write('%s %s|%s\n' % (headers['eventname'], headers['server'], payload))
    sys.stdout.write('RESULT 2\nOK')
    sys.stdout.flush()
