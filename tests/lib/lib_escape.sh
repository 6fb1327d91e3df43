# tests/lib/lib_escape.sh — the escape probe's checks and their assertions,
# for tests/integration/escape.sh and the VM's AppArmor checks.

ESCAPE=${HELPERS:-$SUP_ROOT/build/helpers}/escape

# Every check of the probe whose refusal the default sandbox owes
# (control_socket connects to $SOCK, supd's socket where a test sets it).
ESCAPE_CHECKS="ptrace_pid1 mount remount_root unshare_user unshare_mount write_proc_sys
        write_sysrq write_cgroup read_kcore read_timer_list read_pid1_mem open_by_handle_at bpf
        kexec_load setns af_alg mknod dev_mem control_socket host_disk"

# What a check printed in FILE: "refused ERRNO", "absent WHY", "ESCAPED WHAT".
escape_verdict() { sed -n "s/^$2 //p" "$1"; }

# escape_all_refused FILE CHECK...: each check was refused (or the kernel
# has nothing to try it on); every one that was not is named.
escape_all_refused() {
        local file=$1 c v bad=""
        shift
        for c in "$@"; do
                v=$(escape_verdict "$file" "$c")
                case "$v" in
                refused*|absent*) ;;
                *) bad="$bad
  $c: ${v:-no answer}" ;;
                esac
        done
        [ -z "$bad" ] || fail "not refused:$bad
$(cat "$file")"
}

# escape_all_escaped FILE CHECK...: each check succeeded.
escape_all_escaped() {
        local file=$1 c v bad=""
        shift
        for c in "$@"; do
                v=$(escape_verdict "$file" "$c")
                case "$v" in
                ESCAPED*) ;;
                *) bad="$bad
  $c: ${v:-no answer}" ;;
                esac
        done
        [ -z "$bad" ] || fail "refused although every default was overridden:$bad
$(cat "$file")"
}
