#!/usr/bin/env python3
"""tests/lint/layers.py — the layout rules of docs/design.md ("Layers"), checked.

    tests/lint/layers.py [BUILD_DIR]     check the tree (objects from BUILD_DIR, default build)
    tests/lint/layers.py --self-test     show that each check catches what it is for

Prints one PASS/FAIL line per rule (then the offending lines), like the
other test programs of tests/run.sh, and exits 1 when a rule is broken:

- includes_follow_the_layers: a file includes only headers of its own module,
  or the public headers (FACES) of a module below it
  (common <- {confd, pid1} <- runtime <- supervisor <- cmd);
- calls_follow_the_layers: the same for what the object files really call
  (a hand-written extern declaration cannot get around the first rule);
- no_call_cycles_between_files: inside the code, no two files call each other,
  directly or through others (nm's defined and undefined symbols per .o);
- comments_name_only_documents_in_the_repository: a *.md document or a docs/
  file named in a source file, script, Makefile or doc exists in the
  repository, and none names the team's notes outside it.
"""
import os
import re
import subprocess
import sys
import tempfile

# Which modules each module may use. cmd may use every other.
ALLOWED = {
    "common": set(),
    "confd": {"common"},
    "pid1": {"common"},
    "runtime": {"common", "confd", "pid1"},
    "supervisor": {"common", "confd", "pid1", "runtime"},
    "cmd": {"common", "confd", "pid1", "runtime", "supervisor"},
}
# The headers a module shows to the layers above; the rest are its own.
FACES = {
    "common": {"err.h", "exitcode.h", "io.h", "log.h", "nameidx.h", "sigconf.h"},
    "confd": {"confd.h", "spec.h"},
    "pid1": {"pid1.h", "sweep.h"},
    "runtime": {"runtime.h"},
    "supervisor": {"supervisor.h", "control.h", "ctlproto.h"},   # supctl: the socket, the wire
    "cmd": set(),
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
DOC_NAME = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w.-]+\.md\b|docs/[\w.-]*\w)")
OUTSIDE = re.compile(r"\.\./shared|\bshared/|\bresearch/|\bDESIGN(\.md)?\b|\bSPEC(\.md)?\b|\bSTYLE\.md\b")
TEXT_SUFFIXES = (".c", ".h", ".sh", ".py", ".md", ".in", ".ini", ".1", ".5", ".8", ".yaml")


def module_of(path):
    top = path.split("/", 1)[0]
    return top if top in ALLOWED else None


def tracked_files(root):
    try:
        out = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True,
                             check=True).stdout
        return [p for p in out.splitlines() if os.path.isfile(os.path.join(root, p))]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for d, _, names in os.walk(root):
            rel = os.path.relpath(d, root)
            if rel.startswith((".", "build")) and rel != ".":
                continue
            files += [os.path.relpath(os.path.join(d, n), root) for n in names]
        return files


def resolve_include(root, path, target):
    """The repository path an #include "target" names: next to the file
    first, as the compiler looks, then from the top (-I.)."""
    beside = os.path.normpath(os.path.join(os.path.dirname(path), target))
    if os.path.exists(os.path.join(root, beside)):
        return beside
    return os.path.normpath(target)


def check_includes(root, files):
    bad = []
    for path in files:
        mod = module_of(path)
        if not mod or not path.endswith((".c", ".h")):
            continue
        with open(os.path.join(root, path), errors="replace") as f:
            for n, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = resolve_include(root, path, m.group(1))
                tmod = module_of(target)
                if not tmod or tmod == mod:
                    continue
                if tmod not in ALLOWED[mod]:
                    bad.append(f"{path}:{n}: {mod}/ includes {target}, a layer above or beside it")
                elif os.path.basename(target) not in FACES[tmod]:
                    bad.append(f"{path}:{n}: includes {target}, which {tmod}/ keeps to itself "
                               f"(its face: {', '.join(sorted(FACES[tmod]))})")
    return bad


def object_symbols(build, files):
    """{object's source path: (defined globals, undefined)} for the code's objects."""
    syms = {}
    for path in files:
        if not module_of(path) or not path.endswith(".c"):
            continue
        obj = os.path.join(build, path[:-2] + ".o")
        if not os.path.exists(obj):
            continue
        out = subprocess.run(["nm", "-P", obj], capture_output=True, text=True, check=True).stdout
        defined, undefined = set(), set()
        for line in out.splitlines():
            parts = line.split()
            if len(parts) < 2:
                continue
            name, kind = parts[0], parts[1]
            if kind == "U":
                undefined.add(name)
            elif kind in "TDBRCWV":
                defined.add(name)
        syms[path] = (defined, undefined)
    return syms


def call_graph(syms):
    owner = {}
    for path, (defined, _) in syms.items():
        for name in defined:
            if name != "main":
                owner.setdefault(name, path)
    graph = {path: set() for path in syms}
    for path, (_, undefined) in syms.items():
        for name in undefined:
            callee = owner.get(name)
            if callee and callee != path:
                graph[path].add(callee)
    return graph


def check_call_layers(graph):
    bad = []
    for path, callees in sorted(graph.items()):
        mod = module_of(path)
        for callee in sorted(callees):
            cmod = module_of(callee)
            if cmod != mod and cmod not in ALLOWED[mod]:
                bad.append(f"{path} calls into {callee}: {mod}/ may not use {cmod}/")
    return bad


def strongly_connected(graph):
    """Tarjan's algorithm, iterative; returns the components of more than one file."""
    index, low, on_stack, stack, comps, counter = {}, {}, set(), [], [], [0]

    def visit(start):
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter[0]
                    counter[0] += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    comp.append(top)
                    if top == node:
                        break
                if len(comp) > 1:
                    comps.append(sorted(comp))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return comps


def check_cycles(graph):
    bad = []
    for comp in strongly_connected(graph):
        inner = [f"{a} -> {b}" for a in comp for b in sorted(graph[a]) if b in comp]
        bad.append("files that call each other: " + ", ".join(comp) + "\n      " +
                   "\n      ".join(inner))
    return bad


def check_documents(root, files):
    names = set(files)
    basenames = {os.path.basename(p) for p in files}
    bad = []
    for path in files:
        if path.startswith("tests/lint/") or not (path.endswith(TEXT_SUFFIXES) or
                                                  os.path.basename(path) == "Makefile"):
            continue
        with open(os.path.join(root, path), errors="replace") as f:
            for n, line in enumerate(f, 1):
                if OUTSIDE.search(line):
                    bad.append(f"{path}:{n}: names a document outside the repository: "
                               f"{line.strip()}")
                    continue
                for doc in DOC_NAME.findall(line):
                    here = os.path.normpath(os.path.join(os.path.dirname(path), doc))
                    if doc in names or here in names or ("/" not in doc and doc in basenames):
                        continue
                    if doc.startswith("docs/") and os.path.isdir(os.path.join(root, doc)):
                        continue
                    bad.append(f"{path}:{n}: names {doc}, which is not in the repository")
    return bad


def report(name, bad):
    print(("FAIL " if bad else "PASS ") + "lint/" + name)
    for line in bad:
        print("    " + line)
    return not bad


def check_tree(root, build):
    files = tracked_files(root)
    graph = call_graph(object_symbols(os.path.join(root, build), files))
    ok = report("includes_follow_the_layers", check_includes(root, files))
    if not graph:
        ok = report("calls_follow_the_layers",
                    [f"no object files under {build}/: build first (make all)"])
    else:
        ok &= report("calls_follow_the_layers", check_call_layers(graph))
        ok &= report("no_call_cycles_between_files", check_cycles(graph))
    ok &= report("comments_name_only_documents_in_the_repository", check_documents(root, files))
    return ok


# ---- self-test: a small tree with one of each violation ------------------

SELF_TEST_TREE = {
    "common/err.h": "",
    "confd/confd_int.h": "",
    "pid1/pid1.h": '#include "common/err.h"\n',
    "pid1/a.c": '#include "pid1/pid1.h"\n#include "runtime/runtime.h"\n/* see docs/design.md */\n',
    "pid1/b.c": '#include "../supervisor/svc.h"\n#include "sweep.h"\n/* docs/none.5 */\n',
    "pid1/sweep.h": "",
    "supervisor/svc.h": "",
    "cmd/c.c": '#include "supervisor/svc.h"\n#include "pid1/sweep.h"\n',
    "runtime/runtime.h": '#include "confd/confd_int.h"\n',
    "supervisor/ping.c": "int pong(void); int ping(void) { return pong(); }\n/* as in DESIGN.md */\n",
    "supervisor/pong.c": "int ping(void); int pong(void) { return ping(); }\n/* notes.md */\n",
    "common/up.c": "int ping(void); int up(void) { return ping(); }\n",
    "docs/design.md": "",
}


def self_test():
    expect = {
        "includes": ["pid1/a.c:2", "runtime/runtime.h:1", "pid1/b.c:1", "cmd/c.c:1"],
        "calls": ["common/up.c calls into supervisor/ping.c"],
        "cycles": ["supervisor/ping.c, supervisor/pong.c"],
        "documents": ["supervisor/ping.c:2", "supervisor/pong.c:2: names notes.md",
                      "pid1/b.c:3: names docs/none.5"],
    }
    with tempfile.TemporaryDirectory() as root:
        for path, text in SELF_TEST_TREE.items():
            os.makedirs(os.path.join(root, os.path.dirname(path)), exist_ok=True)
            with open(os.path.join(root, path), "w") as f:
                f.write(text)
        for path in SELF_TEST_TREE:
            if path.endswith(".c"):
                obj = os.path.join(root, "build", path[:-2] + ".o")
                os.makedirs(os.path.dirname(obj), exist_ok=True)
                subprocess.run(["cc", "-I", root, "-c", "-o", obj, os.path.join(root, path)],
                               check=True)
        files = list(SELF_TEST_TREE)
        graph = call_graph(object_symbols(os.path.join(root, "build"), files))
        found = {
            "includes": check_includes(root, files),
            "calls": check_call_layers(graph),
            "cycles": check_cycles(graph),
            "documents": check_documents(root, files),
        }
    ok = True
    for rule, wanted in expect.items():
        missed = [w for w in wanted if not any(w in line for line in found[rule])]
        extra = [line for line in found[rule] if not any(w in line for w in wanted)]
        ok &= report(f"self_test_{rule}_rule_catches_its_violations",
                     [f"missed: {m}" for m in missed] + [f"unexpected: {e}" for e in extra])
    return ok


def main():
    if sys.argv[1:] == ["--self-test"]:
        return 0 if self_test() else 1
    root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    return 0 if check_tree(root, build) else 1


if __name__ == "__main__":
    sys.exit(main())
