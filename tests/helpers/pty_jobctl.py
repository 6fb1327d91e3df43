#!/usr/bin/env python3
"""pty_jobctl.py INIT [ARG...] — a shell's ^Z and fg through an init.

An interactive bash on a new terminal runs `INIT [ARG...] sh -c '...'` (the
init's own arguments, ending in "--" where it needs one, are given): the
command says "ready" and waits for a line on a FIFO. ^Z on the terminal
must stop the job (bash says "Stopped"); the FIFO then gets its line and
`fg` must resume the job: the command reads the line typed next on the
terminal, exits 7, and the init with it. The command waits without forking
and away from the terminal: dash vforks, and a vfork child stopped by ^Z
leaves its parent unstoppable; a terminal read woken by the stop can still
take a byte typed meanwhile (with dumb-init too)."""
import os
import pty
import select
import shlex
import sys
import tempfile
import time

init = sys.argv[1:]
cmd = " ".join(shlex.quote(a) for a in init)
fifo = os.path.join(tempfile.mkdtemp(prefix="pty_jobctl."), "go")
os.mkfifo(fifo)
go = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # the command's open never waits
cmd += f""" sh -c 'echo re""ady; read go <{fifo}; read x; echo "got:$x"; exit 7'\n"""

pid, fd = pty.fork()
if pid == 0:
    os.environ.update(PS1="$ ", TERM="dumb", HISTFILE="/dev/null")
    os.execvp("bash", ["bash", "--norc", "--noprofile", "-i"])

seen = b""
deadline = time.time() + 30


def fail(msg):
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    sys.exit(f"{msg}\n--- terminal:\n{seen.decode(errors='replace')}")


def wait_for(text, what, after=0):
    global seen
    while text not in seen[after:]:
        if time.time() > deadline:
            fail(f"timed out waiting for {what}")
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                fail(f"terminal closed waiting for {what}")


wait_for(b"$ ", "the prompt")
os.write(fd, cmd.encode())
wait_for(b"ready", "the command")
os.write(fd, b"\x1a")
wait_for(b"Stopped", "^Z to stop the job")
# Right after a job stops bash may still be resetting its terminal: a line
# that echoes a word must come back before the next.
start = len(seen)
os.write(fd, b'echo s""ync\n')
wait_for(b"\nsync", "bash to read a line after ^Z", start)
os.write(go, b"go\n")
os.write(fd, b"fg\n")
# bash echoes the job's command line when it resumes it.
wait_for(b"sh -c", "fg to resume the job")
os.write(fd, b"hello\n")
wait_for(b"got:hello", "the command to read the line after fg")
wait_for(b"$ ", "the prompt after the job", seen.index(b"got:hello"))
os.write(fd, b'echo "r""c=$?"\n')     # fg's status is the job's
wait_for(b"rc=7", "the init to exit with the command's code")
os.write(fd, b"exit\n")
os.waitpid(pid, 0)
os.close(go)
os.unlink(fifo)
os.rmdir(os.path.dirname(fifo))
print("^Z stopped the job, fg resumed it, exit 7")
