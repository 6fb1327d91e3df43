#!/usr/bin/env python3
"""pty_run.py MODE OUT SUPD PROBE — supd on a terminal (docker run -it).

MODE is "sub" (supd a plain process) or "pid1" (PID 1 of a new PID
namespace). The command is a shell waiting on a probe: the probe's report
must show its process group as the terminal's foreground group; then ^C on
the terminal must end the shell, and supd must exit 130."""
import os
import pty
import select
import sys
import time

mode, out, supd, probe = sys.argv[1:5]
argv = [supd, "-t", "200ms", "--", "sh", "-c", f'"{probe}" report "{out}" & wait']
if mode == "pid1":
    argv = ["unshare", "--pid", "--fork", "--mount-proc"] + argv

pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)

deadline = time.time() + 30


def drain():
    r, _, _ = select.select([fd], [], [], 0.02)
    if r:
        try:
            os.read(fd, 4096)
        except OSError:
            pass


def field(name):
    with open(out) as f:
        for line in f:
            if line.startswith(name + " "):
                return line.split()[1]
    return None


def fail(msg):
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    sys.exit(f"{mode}: {msg}")


while not (os.path.exists(out) and "ready\n" in open(out).read()):
    if time.time() > deadline:
        fail("probe never started")
    drain()

pgid, tpgid = field("pgid"), field("tpgid")
if pgid is None or pgid == "0" or pgid != tpgid:
    fail(f"child pgid {pgid} is not the terminal's foreground group {tpgid}")

os.write(fd, b"\x03")
while True:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    if time.time() > deadline:
        fail("^C did not end the command")
    drain()
code = os.waitstatus_to_exitcode(status)
if code != 130:
    sys.exit(f"{mode}: exit code {code}, expected 130")
print(f"{mode}: pgid {pgid} = tpgid {tpgid}; ^C -> 130")
