# tests/lib/deps.sh — install the Debian packages a test level needs, once.
#
#   . tests/lib/deps.sh
#   need_pkg qemu-system-x86 cpio      # apt-get install only what is missing
#   need_cmd runc runc                 # CMD PKG: install PKG when CMD is not found
#
# Test-only tools (peers, runc, qemu...) are not build dependencies: the
# suite that uses a tool asks for it here, so `make` stays light and a fresh
# Debian machine still runs `make test` with nothing done by hand. Messages
# go to stderr; a failed install returns non-zero so the caller can FAIL.

__deps_updated=""

# The package is installed (dpkg says "install ok installed").
pkg_installed() {
        [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# apt-get update at most once per shell, and only when an install is needed.
__deps_update() {
        [ -n "$__deps_updated" ] && return 0
        __deps_updated=1
        apt-get update -qq >&2 || echo "deps: apt-get update failed" >&2
}

need_pkg() {    # need_pkg PKG...
        local p missing=()
        for p in "$@"; do
                pkg_installed "$p" || missing+=("$p")
        done
        [ ${#missing[@]} -eq 0 ] && return 0
        echo "deps: installing ${missing[*]} (apt-get)" >&2
        # Lists may be stale or absent on a fresh machine: update, then install.
        __deps_update
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
                "${missing[@]}" >&2 </dev/null || {
                echo "deps: could not install ${missing[*]}" >&2
                return 1
        }
}

need_cmd() {    # need_cmd CMD PKG
        command -v "$1" >/dev/null 2>&1 && return 0
        need_pkg "$2"
}

# apt-get download PKG into DIR unless a PKG_*.deb is already there (a cache:
# a clean clone downloads again). Prints the .deb path.
fetch_deb() {   # fetch_deb PKG DIR
        local pkg=$1 dir=$2 deb
        mkdir -p "$dir"
        deb=$(ls "$dir/${pkg}"_*.deb 2>/dev/null | head -n 1)
        if [ -z "$deb" ]; then
                # apt-get download needs current lists; it runs as _apt when it can.
                (cd "$dir" && apt-get download -qq "$pkg" >&2 2>/dev/null) || {
                        __deps_update
                        (cd "$dir" && apt-get download -qq "$pkg" >&2)
                } || { echo "deps: could not download $pkg" >&2; return 1; }
                deb=$(ls "$dir/${pkg}"_*.deb 2>/dev/null | head -n 1)
        fi
        [ -n "$deb" ] && echo "$deb"
}
