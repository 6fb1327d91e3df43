#!/bin/bash
# tests/vm/driver.sh — runs inside the VM: every test_* function of
# /vm/suite/*.sh alone, in a fresh bash with /vm/lib.sh loaded, under a
# deadline. Prints "PASS vm/FILE/FUNCTION" or "FAIL ..." followed by the
# check's own output ("    # " lines). /vm/pattern holds tests/run.sh's
# name filter (empty: everything).
pattern=$(cat /vm/pattern 2>/dev/null)
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

matches() { [ -z "$pattern" ] || [[ "$1" == *"$pattern"* ]]; }

for file in /vm/suite/*.sh; do
        suite=$(basename "$file" .sh)
        for fn in $(bash -c "source /vm/lib.sh; source '$file'; declare -F" |
                    awk '$3 ~ /^test_/ {print $3}'); do
                name="vm/$suite/$fn"
                matches "$name" || continue
                log=/tmp/driver.$suite.$fn.log
                if timeout -s KILL "${VM_TEST_TIMEOUT:-60}" \
                        bash -c "source /vm/lib.sh; source '$file'; lib_run_test $fn" \
                        >"$log" 2>&1 </dev/null; then
                        echo "PASS $name"
                else
                        echo "FAIL $name"
                        sed 's/^/    # /' "$log"
                fi
        done
done
echo "VM DRIVER DONE"
