#!/bin/bash
# tests/vm/driver.sh — runs inside the VM: every test_* function alone, in a
# fresh bash with /vm/lib.sh loaded, under a deadline. Prints
# "PASS vm/FILE/FUNCTION" or "FAIL ..." followed by the check's own output
# ("    # " lines). /vm/pattern holds tests/run.sh's name filter (empty:
# everything).
#
# Two kinds of files: the VM's own checks (/vm/suite/*.sh) and the host's
# integration files that must hold on cgroup v2 too (/vm/sup/tests/
# integration/*.sh, the same functions tests/run.sh runs on the host). For
# those, each test gets a cgroup $SUPRUN_TEST_CGROUPS under which every
# suprun call gets one of its own (tests/vm/suprun-own-cgroup.sh); the tree
# is removed after the test.
pattern=$(cat /vm/pattern 2>/dev/null)
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
CG=/sys/fs/cgroup

matches() { [ -z "$pattern" ] || [[ "$1" == *"$pattern"* ]]; }

# run_file FILE ISOLATE: every matching test of FILE; ISOLATE=1 gives each
# its suprun cgroups.
run_file() {
        local file=$1 isolate=$2 suite fn name log cgs envs
        suite=$(basename "$file" .sh)
        for fn in $(bash -c "source /vm/lib.sh; source '$file'; declare -F" |
                    awk '$3 ~ /^test_/ {print $3}'); do
                name="vm/$suite/$fn"
                matches "$name" || continue
                log=/tmp/driver.$suite.$fn.log
                cgs="" envs=()
                if [ "$isolate" = 1 ]; then
                        cgs=$CG/vmi-$suite-$fn
                        mkdir "$cgs" && cg_enable_all "$cgs" || { echo "FAIL $name (cannot make $cgs)"; continue; }
                        envs=(SUPRUN_TEST_CGROUPS="$cgs" SUPRUN=/vm/suprun-own-cgroup.sh)
                fi
                if env "${envs[@]}" timeout -s KILL "${VM_TEST_TIMEOUT:-60}" \
                        bash -c "source /vm/lib.sh; source '$file'; lib_run_test $fn" \
                        >"$log" 2>&1 </dev/null; then
                        echo "PASS $name"
                else
                        echo "FAIL $name"
                        sed 's/^/    # /' "$log"
                fi
                [ -z "$cgs" ] || cg_destroy "$cgs"
        done
}

source /vm/lib.sh
cg_enable_all "$CG"
for file in /vm/suite/*.sh; do
        run_file "$file" 0
done
for file in /vm/sup/tests/integration/*.sh; do
        [ -f "$file" ] && run_file "$file" 1
done
echo "VM DRIVER DONE"
