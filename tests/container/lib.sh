# tests/container/lib.sh — helpers for the container checks (loaded after
# tests/lib/lib.sh by tests/container/run.sh).
#
#   ct_new supd -- sh -c 'exit 7'   # a bundle in $T whose process is that
#   ct_ini <<EOF ... EOF            # /etc/sup/sup.ini of the container
#   ct_start                        # runc run in the background ($CT_PID)
#   expect_exit 7 10 "$CT_PID"      # runc exits with the container's code
#
# Every container is deleted (runc delete -f) at the end of its check, and
# the cgroup directories made for it are removed.

: "${CT_ROOTFS:?run through tests/container/run.sh}"
: "${CT_TPL:?}" "${CT_OWN_CGROUP:?}"

# Mount points of every cgroup hierarchy (v1 controllers, named, v2).
ct_hierarchies() {
        awk '{ for (i = 7; i < NF; i++) if ($i == "-") {
                       if ($(i + 1) == "cgroup" || $(i + 1) == "cgroup2") print $5
                       break } }' /proc/self/mountinfo | sort -u
}

# ct_new ARGS...: write $T/bundle/config.json running ARGS as the process.
ct_new() {
        CT_ID=supct-$$-${RANDOM}
        CT_CGPATH=$CT_OWN_CGROUP/$CT_ID
        mkdir -p "$T/bundle" "$T/etc-sup"
        touch "$T/etc-sup/sup.ini"      # ct_ini may have written it already
        local argv=() i=0 a k
        # One --arg per argument (argv0000, argv0001...), so any argument
        # survives: with --args, jq 1.6 would take "-c" for its own option.
        for a in "$@"; do printf -v k 'argv%04d' $i; argv+=(--arg "$k" "$a"); i=$((i + 1)); done
        jq "${argv[@]}" --arg rootfs "$CT_ROOTFS" --arg cg "$CT_CGPATH" --arg etc "$T/etc-sup" \
           --arg asan "${ASAN_OPTIONS:-detect_leaks=0}" --arg ubsan "${UBSAN_OPTIONS:-}" \
           '
                .root = {path: $rootfs, readonly: true}
                | .hostname = "supct"
                | .process.terminal = false
                | .process.args = ([$ARGS.named | to_entries[]
                                    | select(.key | startswith("argv"))] | sort_by(.key) | map(.value))
                | .process.env = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root",
                                  "ASAN_OPTIONS=" + $asan, "UBSAN_OPTIONS=" + $ubsan]
                | .linux.cgroupsPath = $cg
                | .mounts += [
                    {destination: "/tmp", type: "tmpfs", source: "tmpfs",
                     options: ["nosuid", "nodev", "mode=1777"]},
                    {destination: "/run", type: "tmpfs", source: "tmpfs",
                     options: ["nosuid", "nodev", "mode=755"]},
                    {destination: "/etc/sup", type: "bind", source: $etc,
                     options: ["rbind", "ro"]}]
           ' <"$CT_TPL" >"$T/bundle/config.json" || fail "cannot write config.json"
        ct_note_cgroups
        cleanup ct_destroy
}

# ct_ini: stdin becomes the container's /etc/sup/sup.ini (before or after ct_new).
ct_ini() { mkdir -p "$T/etc-sup" && cat >"$T/etc-sup/sup.ini"; }

# ct_edit JQ-FILTER: change the bundle's config.json.
ct_edit() {
        jq "$1" "$T/bundle/config.json" >"$T/bundle/config.json.new" &&
                mv "$T/bundle/config.json.new" "$T/bundle/config.json"
}

# ct_start: `runc run` in the foreground of a background job, as a
# container engine does; its exit code is the container process's.
# Output (the container's stdout and stderr) goes to $T/out.
ct_start() {
        bg runc run --bundle "$T/bundle" "$CT_ID" >"$T/out" 2>&1
        CT_PID=$BG_PID
        wait_for 20 ct_started || fail "container $CT_ID did not start: $(cat "$T/out")"
}

# Started: running, or already over (runc gone or the process stopped).
ct_started() {
        ! kill -0 "$CT_PID" 2>/dev/null || ct_state_is running || ct_state_is stopped
}

ct_state_is() { runc state "$CT_ID" 2>/dev/null | grep -q "\"status\": \"$1\""; }

# ct_pids: host pids of every process in the container.
ct_pids() { runc ps --format json "$CT_ID" 2>/dev/null | tr -d '[]' | tr ',' ' '; }

# ct_out_has REGEX: the container printed a matching line.
ct_out_has() { grep -qE -- "$1" "$T/out"; }

# For every hierarchy, remember the first directory of the container's
# cgroup path that does not exist yet: runc creates it (mkdir -p) and
# removes only the leaf, so ct_destroy removes the rest.
ct_note_cgroups() {
        local h rel dir
        CT_CG_MADE=()
        for h in $(ct_hierarchies); do
                dir=$h
                for rel in ${CT_CGPATH//\// }; do
                        dir=$dir/$rel
                        [ -d "$dir" ] || { CT_CG_MADE+=("$dir"); break; }
                done
        done
}

# The container's cgroup directories that are still there.
ct_cgroups_left() {
        local d
        for d in "${CT_CG_MADE[@]}"; do
                [ -d "$d" ] && echo "$d"
        done
}

ct_destroy() {
        local d
        runc delete -f "$CT_ID" >/dev/null 2>&1
        for d in $(ct_cgroups_left); do
                find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
        done
}

# The container's PID 1 as a host pid.
ct_init_pid() { runc state "$CT_ID" 2>/dev/null | jq -r '.pid // empty'; }

# Children of the container's PID 1, zombies included (cgroup.procs and so
# `runc ps` drop a process when it exits, before it is reaped).
ct_init_children() {
        local pid
        pid=$(ct_init_pid)
        [ -n "$pid" ] && cat /proc/"$pid"/task/*/children 2>/dev/null
}

ct_init_children_at_least() { [ "$(ct_init_children | wc -w)" -ge "$1" ]; }

# PID 1 has at most N children left, none of them a zombie.
ct_init_children_reaped() {
        local kids pid
        kids=$(ct_init_children)
        [ "$(echo $kids | wc -w)" -le "$1" ] || return 1
        for pid in $kids; do
                [ "$(ct_pstate "$pid")" = Z ] && return 1
        done
        return 0
}

ct_pstate() { sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null; }

# PID 1's children: "pid state name" each, for messages.
ct_ps() {
        local pid
        for pid in $(ct_init_children); do
                echo "$pid $(ct_pstate "$pid") $(sed -n 's/^Name:[[:space:]]*//p' "/proc/$pid/status" 2>/dev/null)"
        done
}
