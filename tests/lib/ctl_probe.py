#!/usr/bin/env python3
"""Raw clients for the control socket tests (tests/integration/control.sh).

  ctl_probe.py bad SOCKET          malformed requests each get "err ..." + "done 2"
  ctl_probe.py crowd SOCKET N      N clients at once while stuck clients sit there
  ctl_probe.py raw SOCKET TEXT     send TEXT (Python escapes), print the reply
  ctl_probe.py churn SOCKET N      N clients connect and leave while status is asked
  ctl_probe.py idle SOCKET N       N silent clients stay connected (0.5 s first) while status is asked
  ctl_probe.py big SOCKET BYTES    one request of BYTES bytes without a newline

churn and idle print the slowest status answer; they fail only when one
is wrong or takes longer than LIMIT_S (generous: a hang, not a speed test).
"""
import socket
import sys
import threading
import time


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(20)
    s.connect(path)
    return s


def read_all(s):
    out = b""
    while True:
        try:
            b = s.recv(65536)
        except ConnectionResetError:
            break   # supd closed with our unread bytes queued: the reply came first
        if not b:
            break
        out += b
    return out


def exchange(path, data, shut=False):
    s = connect(path)
    try:
        if data:
            try:
                s.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass    # refused mid-way: the reply is still there to read
        if shut:
            s.shutdown(socket.SHUT_WR)
        return read_all(s)
    finally:
        s.close()


def bad(path):
    cases = [
        ("garbage", b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", False),
        ("binary", bytes(range(256)) + b"\n", False),
        ("other version", b"sup9 status\n", False),
        ("no verb", b"sup1\n", False),
        ("double space", b"sup1 status  web\n", False),
        ("bad escape", b"sup1 status w%zzeb\n", False),
        ("NUL escape", b"sup1 status w%00\n", False),
        ("huge", b"sup1 status " + b"a" * 200000, False),
        ("huge line", b"sup1 status " + b"a" * 9000 + b"\n", False),
        ("half-written then EOF", b"sup1 sta", True),
        ("nothing then EOF", b"", True),
        ("unknown verb", b"sup1 frobnicate web\n", False),
        ("half-written then silence", b"sup1 stat", False),
    ]
    failed = 0
    for name, data, shut in cases:
        t0 = time.monotonic()
        reply = exchange(path, data, shut)
        took = time.monotonic() - t0
        ok = reply.startswith(b"err supd: ") and reply.endswith(b"done 2\n") and reply.count(b"\n") == 2
        print("%s %s (%.2fs): %r" % ("ok" if ok else "BAD", name, took, reply[:120]))
        failed += not ok
    return 1 if failed else 0


def crowd(path, n):
    # Stuck clients: one connected and silent, one following a chatty service's
    # log without ever reading, one asking for a big reply it never reads.
    stuck = [connect(path) for _ in range(3)]
    stuck[1].sendall(b"sup1 logs -f -n 100000 chatty\n")
    stuck[2].sendall(b"sup1 logs -n 100000 chatty\n")
    results = [None] * n
    start = threading.Barrier(n)

    def one(i):
        try:
            s = connect(path)
            start.wait()
            s.sendall(b"sup1 status --json\n")
            reply = read_all(s)
            s.close()
            results[i] = reply.endswith(b"done 0\n") and b'"services"' in reply
        except Exception as e:      # noqa: BLE001 — reported below
            results[i] = repr(e)

    t0 = time.monotonic()
    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - t0
    good = sum(1 for r in results if r is True)
    print("%d of %d clients answered in %.3fs" % (good, n, took))
    for r in results:
        if r is not True:
            print("failure:", r)
            break
    for s in stuck:
        s.close()
    return 0 if good == n else 1


LIMIT_S = 10.0


def status_once(path):
    t0 = time.monotonic()
    reply = exchange(path, b"sup1 status\n")
    took = time.monotonic() - t0
    return took, reply.endswith(b"done 0\n") or reply.endswith(b"done 3\n")


def status_loop(path, stop, times, bad):
    while not stop.is_set():
        took, ok = status_once(path)
        times.append(took)
        if not ok or took > LIMIT_S:
            bad.append(took)


def churn(path, n):
    stop, times, bad = threading.Event(), [], []
    asker = threading.Thread(target=status_loop, args=(path, stop, times, bad))
    asker.start()
    t0 = time.monotonic()
    for i in range(n):
        s = connect(path)
        if i % 2:
            s.sendall(b"sup1 sta")      # half a request, then gone
        s.close()
    took = time.monotonic() - t0
    stop.set()
    asker.join()
    print("%d clients came and went in %.2fs; %d status answers, slowest %.1f ms" %
          (n, took, len(times), 1000 * max(times or [0])))
    return 1 if bad or not times else 0


def idle(path, n):
    silent = [connect(path) for _ in range(n)]
    time.sleep(0.5)     # they stay idle: past supd's grace for a silent client
    times, bad = [], []
    for _ in range(5):
        took, ok = status_once(path)
        times.append(took)
        if not ok or took > LIMIT_S:
            bad.append(took)
    print("%d silent clients; status answered %d times, slowest %.1f ms" %
          (n, len(times), 1000 * max(times)))
    for s in silent:
        s.close()
    return 1 if bad else 0


def big(path, size):
    reply = exchange(path, b"sup1 status " + b"a" * (size - 12))
    ok = reply.startswith(b"err supd: bad request") and reply.endswith(b"done 2\n")
    print("%s %d-byte request: %r" % ("ok" if ok else "BAD", size, reply[:120]))
    return 0 if ok else 1


def raw(path, text):
    sys.stdout.buffer.write(exchange(path, text.encode().decode("unicode_escape").encode("latin-1")))
    return 0


if __name__ == "__main__":
    cmd, path = sys.argv[1], sys.argv[2]
    if cmd == "bad":
        sys.exit(bad(path))
    if cmd == "crowd":
        sys.exit(crowd(path, int(sys.argv[3])))
    if cmd == "churn":
        sys.exit(churn(path, int(sys.argv[3])))
    if cmd == "idle":
        sys.exit(idle(path, int(sys.argv[3])))
    if cmd == "big":
        sys.exit(big(path, int(sys.argv[3])))
    if cmd == "raw":
        sys.exit(raw(path, sys.argv[3]))
    sys.exit(2)
