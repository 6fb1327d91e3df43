#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS] — build and run the confd fuzzer for a bounded
# time (default 30 s) from a seed corpus of the test configs; prints
# "PASS fuzz/confd" or "FAIL fuzz/confd" (with the crash) for tests/run.sh.
# `make fuzz` runs it for 60 s.
set -u
cd "$(dirname "$0")/../.."
secs=${1:-30}
bin=build/fuzz/fuzz_confd
if ! make -s "$bin" >/tmp/sup-fuzz-build.$$ 2>&1; then
        cat /tmp/sup-fuzz-build.$$; rm -f /tmp/sup-fuzz-build.$$
        echo "FAIL fuzz/confd (cannot build $bin)"
        exit 1
fi
rm -f /tmp/sup-fuzz-build.$$
work=$(mktemp -d /tmp/sup-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus" "$work/artifacts"
cp tests/fuzz/corpus/* "$work/corpus/"
find tests/unit/data -type f -exec sh -c 'cp "$1" "$2/$(echo "$1" | tr / _)"' _ {} "$work/corpus" \;
# a dictionary of every key and section, from the generated reference
{
        grep -o '^| `[a-z_]*`' docs/config.md | sed 's/^| `\(.*\)`/"\1 = "/'
        for s in supd service:x program:x supervisord include unix_http_server \
                 supervisorctl inet_http_server group:g eventlistener:e rpcinterface:supervisor; do
                echo "\"[$s]\""
        done
        printf '"%s"\n' '%(ENV_HOME)s' '%(here)s' '%(program_name)s' '%(process_num)02d' \
                '%(group_name)s' '%%' 'file:' 'fd:' 'delay:' 'console' 'null' 'stdout' \
                'infinity' 'CAP_' 'ms' 'K' 'M' 'yes' 'no' 'unexpected'
} | sort -u >"$work/dict"
ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
        -dict="$work/dict" -artifact_prefix="$work/artifacts/" -print_final_stats=1 \
        "$work/corpus" >"$work/log" 2>&1
rc=$?
runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | grep -o '[0-9]*$')
if [ $rc -eq 0 ]; then
        echo "PASS fuzz/confd (${runs:-?} inputs in ${secs}s, no crash, leak or UB)"
        exit 0
fi
tail -n 60 "$work/log"
for f in "$work"/artifacts/*; do
        [ -f "$f" ] || continue
        mkdir -p build/fuzz/crashes && cp "$f" build/fuzz/crashes/
        echo "input kept in build/fuzz/crashes/$(basename "$f"):"
        head -c 600 "$f" | cat -v; echo
done
echo "FAIL fuzz/confd (exit $rc)"
exit 1
