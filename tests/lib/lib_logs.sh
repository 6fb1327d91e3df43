# tests/lib/lib_logs.sh — helpers for the log router tests (tests/integration/logs.sh).

LOGDRV=${LOGDRV:-$SUP_ROOT/build/helpers/logdrv}
LOGWRITER=$SUP_ROOT/build/helpers/logwriter
LOGCHECK=$SUP_ROOT/build/helpers/logcheck

# spawns_of FILE NAME: how many times logdrv spawned NAME so far.
spawns_of() { grep -c "^spawn $2 " "$1" 2>/dev/null || echo 0; }

# concat_rotated PATH KEEP: PATH.KEEP … PATH.1 PATH, in that order.
concat_rotated() {
        local path=$1 i
        for ((i = $2; i >= 1; i--)); do [ -f "$path.$i" ] && cat "$path.$i"; done
        cat "$path"
}
