# tests/lib/rootfs.sh — a tiny usr-merged root filesystem for the VM's
# initramfs and the container bundle: busybox-static, our binaries and the
# shared libraries ldd names for them, copied from this Debian host.
#
#   rootfs_init DIR                     fresh tree, /bin /lib... links into /usr
#   rootfs_busybox DIR                  /usr/bin/busybox and its applet links
#   rootfs_put_elf DIR FILE DEST        a program and its libraries
#   rootfs_users DIR                    /etc/passwd and /etc/group: root, nobody
#
# Few processes on purpose: forks are what building a tree costs.

rootfs_init() {
        rm -rf "$1" &&
        mkdir -p "$1"/{usr/bin,usr/sbin,usr/lib,usr/lib64,usr/share,proc,sys,dev,tmp,run,etc,root} &&
        ln -s usr/lib "$1/lib" && ln -s usr/lib64 "$1/lib64" &&
        ln -s usr/bin "$1/bin" && ln -s usr/sbin "$1/sbin"
}

rootfs_busybox() {
        cp /bin/busybox "$1/usr/bin/busybox" &&
        # Links to /usr/bin/busybox, which is where the tree has it too.
        /bin/busybox --install -s "$1/usr/bin"
}

# The libraries land at the paths the program asks for; since DIR/lib is a
# link to usr/lib (as on the host), they end up where ldd found them.
rootfs_put_elf() {
        local dir=$1 file=$2 dest=$3 libs
        mkdir -p "$dir$(dirname "$dest")" && cp -L "$file" "$dir$dest" || return 1
        libs=$(ldd "$file" 2>/dev/null | grep -o '/[^ ]*')
        [ -z "$libs" ] || cp -L --parents $libs "$dir/"
}

rootfs_users() {
        printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$1/etc/passwd" &&
        printf 'root:x:0:\nnogroup:x:65534:\n' >"$1/etc/group"
}
