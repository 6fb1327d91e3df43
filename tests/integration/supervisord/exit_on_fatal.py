#!/usr/bin/env python3
# The listener of uwsgi-nginx and friends: on a program's death, log what
# died and kill supervisord (PID 1 of the container).
import os
import signal
import sys


def write_stdout(s):
    # only eventlistener protocol messages may be sent to stdout
    sys.stdout.write(s)
    sys.stdout.flush()


def write_stderr(s):
    sys.stderr.write(s)
    sys.stderr.flush()


def main():
    while True:
        write_stdout('READY\n')
        line = sys.stdin.readline()
        headers = dict(x.split(':') for x in line.split())
        payload = sys.stdin.read(int(headers['len']))
        fields = dict(x.split(':', 1) for x in payload.split())
        write_stderr('%s %s from %s: ending the container\n' % (
            headers['eventname'], fields.get('processname'), fields.get('from_state')))
        log = os.environ.get('EVENT_LOG')
        if log:
            with open(log, 'a') as f:
                f.write(line + payload + '\n')
        os.kill(1, signal.SIGTERM)
        write_stdout('RESULT 2\nOK')


if __name__ == '__main__':
    main()
