#!/usr/bin/env bash
# tests/bench/seccomp.sh — the seccomp compile at config load (rt_prepare).
#
#   tests/bench/seccomp.sh [RUNS]        (default 21 runs per policy)
#   tests/bench/run.sh seccomp           (the same, in the benchmark table)
#
# Per policy (docker: Docker's default profile with its 14 capabilities;
# default: every capability kept; profile: a 23-line allow list):
#   first    one compile in a fresh process (x86_64 + i386 + x32), µs
#   cached   each further service with the same policy (supd: 1000 of
#            them in one process), µs
#   insns    instructions of that first compile under callgrind (stable
#            on a loaded machine; skipped without valgrind)
#   length   BPF instructions of the program
# Numbers are for reading; nothing here asserts a timing.
set -eu
cd "$(dirname "$0")/../.."
. tests/bench/lib.sh
RUNS=${1:-21}
[ "${BENCH_QUICK:-0}" = 1 ] && RUNS=1
W=$(mktemp -d /tmp/sup-bench-seccomp.XXXXXX)
trap 'rm -rf "$W"' EXIT

make -s all
PKG_LIBS="$(pkg-config --libs inih libseccomp libcap) -lev"
cc -D_GNU_SOURCE -I. -std=gnu11 -O2 -g -o "$W/seccomp_bench" tests/bench/seccomp_bench.c \
        build/libsup.a $PKG_LIBS
printf '%s\n' execve exit_group write brk arch_prctl set_tid_address set_robust_list rseq \
        prlimit64 mprotect mmap munmap readlinkat getrandom newfstatat fstat openat read \
        close pread64 access "getppid allow" "mkdirat deny" >"$W/profile"

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
for p in docker default profile; do
        arg=$p
        [ $p = profile ] && arg=$W/profile
        firsts=""
        for _ in $(seq "$RUNS"); do
                firsts="$firsts $("$W/seccomp_bench" "$arg" 1 | field first_us)"
        done
        out=$("$W/seccomp_bench" "$arg" 1000)
        bench_record seccomp-compile "first compile" µs "$p" $firsts
        bench_record seccomp-compile "per further service (of 1000)" µs "$p" "$(echo "$out" | field cached_us)"
        bench_record seccomp-compile "program length" insns "$p" "$(echo "$out" | field insns)"
        if bench_need valgrind valgrind; then
                ir=$(valgrind --tool=callgrind --toggle-collect=prepare_one \
                        --callgrind-out-file=/dev/null "$W/seccomp_bench" "$arg" 1 2>&1 |
                        sed -n 's/.*refs: *\([0-9,]*\).*/\1/p' | tr -d ,)
                bench_record seccomp-compile "first compile (callgrind)" Minstr "$p" \
                        "$(awk -v n="$ir" 'BEGIN { printf "%.2f", n / 1e6 }')"
        fi
done
