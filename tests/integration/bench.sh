# tests/integration/bench.sh — the benchmark scripts still run.
#
# `tests/bench/run.sh --quick` runs every benchmark once with tiny sizes;
# this checks it prints the table with a row per figure 1-7, 11 and 12 and real
# numbers for the peers (logs.sh and spawn.sh, the log router's and the
# runtime's, have their own tests and are skipped in quick mode). Timings are never asserted (numbers are for reading).

test_bench_quick_prints_every_figure() {
        local out=$T/bench.out fig
        BENCH_QUICK=1 "$SUP_ROOT/tests/bench/run.sh" --quick >"$out" 2>"$T/bench.err" ||
                fail "run.sh --quick exited $?: $(tail -n 5 "$T/bench.err")"
        grep -q '^| figure | metric | subject | median | min–max | n | supd / subject |$' "$out" ||
                fail "no table header in: $(head -n 5 "$out")"
        for fig in "1a memory, 1 command" "1b memory" "2a idle" "2b idle" \
                   "3 start" "4 stop signal" "5 crash" "6 reaping" "7 signal forwarding" \
                   "11 config" "12 status"; do
                grep -q "^| $fig" "$out" || fail "no row for figure '$fig'"
        done
        # Every peer and supd measured something: a number in bold, not FAIL.
        for peer in tini dumb-init catatonit supervisord s6 runit supd; do
                grep -q "| $peer | \*\*[0-9]" "$out" || fail "no measurement for $peer"
                ! grep -q "| $peer | FAIL" "$out" || fail "$peer failed: $(grep "| $peer | FAIL" "$out" | head -n 1)"
        done
}
