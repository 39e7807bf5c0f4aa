#!/usr/bin/env bash
# Builds the libstorage managed Docker plugin (plugin format v2) as a directory that
# `docker plugin create NAME DIR` takes:
#
#   DIR/config.json   this directory's config.json (interface, entrypoint, privileges, settings)
#   DIR/rootfs/       opt/java                 a JRE made by jlink from the JDK here (only the modules the
#                                              distribution uses, found by jdeps, with its base class-data-
#                                              sharing archive)
#                     opt/libstorage           the built distribution (bin/, lib/; its CDS archive belongs to the
#                                              JDK that wrote it: as root, a new one for this JRE)
#                     opt/libstorage-plugin    entrypoint.sh and the built-in localfs config.yml
#                     usr/bin, usr/sbin, usr/lib  sh, env, readlink, mv, rm and the tools the drivers run (losetup, blkid,
#                                              mkfs.ext4, mount, umount, resize2fs, e2fsck, fsfreeze; mkfs.xfs,
#                                              xfs_growfs, mkfs.btrfs, btrfs when this machine has them), copied
#                                              from this machine with the shared libraries ldd names
#
#   packaging/docker-plugin/build.sh [DIST [DIR]]
#
# DIST: the distribution directory (default libstorage-cli/target/libstorage-<version>/, built by
# `./mvnw -B -ntp -o -q package -DskipTests -pl libstorage-cli -am`); DIR: the plugin directory to (re)create
# (default packaging/docker-plugin/target/plugin). JDK: $LIBSTORAGE_PLUGIN_JDK, else $JAVA_HOME, else the
# JDK of the `jlink` on PATH. No network access. As root it also checks the result by running
# `libstorage --version` chrooted into the rootfs. Prints DIR on stdout (nothing else); progress on stderr.
set -Eeuo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
log() { echo "build.sh [${SECONDS}s]: $*" >&2; }
die() { log "$*"; exit 1; }

DIST=${1:-$(ls -d "$REPO"/libstorage-cli/target/libstorage-*/ 2>/dev/null | head -1 || true)}
[[ -n $DIST ]] || die "no distribution in $REPO/libstorage-cli/target: ./mvnw -B -ntp -o -q package -DskipTests -pl libstorage-cli -am"
DIST=${DIST%/}
[[ -x $DIST/bin/libstorage && -d $DIST/lib ]] || die "$DIST is not a libstorage distribution (no bin/libstorage, lib/)"
OUT=${2:-$HERE/target/plugin}

JDK=${LIBSTORAGE_PLUGIN_JDK:-${JAVA_HOME:-}}
if [[ -z $JDK ]]; then
    jl=$(command -v jlink) || die "no jlink on PATH: set LIBSTORAGE_PLUGIN_JDK to a JDK 17 or later"
    JDK=$(dirname "$(dirname "$(readlink -f "$jl")")")
fi
[[ -x $JDK/bin/jlink && -x $JDK/bin/jdeps ]] || die "$JDK has no bin/jlink and bin/jdeps (a JDK, not a JRE, is needed)"

# required tools (the launcher and the drivers), then the optional ones (more filesystems)
REQUIRED_TOOLS=(sh env readlink mv rm losetup blkid mke2fs mkfs.ext4 mount umount resize2fs e2fsck fsfreeze)
OPTIONAL_TOOLS=(mkfs.xfs xfs_growfs mkfs.btrfs btrfs)

rm -rf "$OUT"
ROOTFS=$OUT/rootfs
mkdir -p "$ROOTFS"/{usr/bin,usr/sbin,usr/lib,usr/lib64,etc/libstorage,tmp,root,proc,sys,dev,run/docker/plugins,var/lib/libstorage,opt/libstorage-plugin}
chmod 1777 "$ROOTFS/tmp"
for d in bin sbin lib lib64; do ln -s "usr/$d" "$ROOTFS/$d"; done

# ---- the JRE
# the jars are modules (ours) and automatic modules: all of them on the module path
MODULES=$("$JDK/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps \
          --module-path "$DIST/lib" "$DIST"/lib/*.jar 2>"$OUT/jdeps.err" | grep -E '^(java|jdk)\.' | tail -1) \
    || die "jdeps failed on $DIST/lib: $(grep -v '^Warning' "$OUT/jdeps.err" | head -5)"
rm -f "$OUT/jdeps.err"
# what jdeps cannot see: TLS with EC keys (gateways), DNS through JNDI-free lookups need nothing more;
# jdk.unsupported for sun.misc.Unsafe users (Jackson, Jetty); the zip file system for jar resources
MODULES="$MODULES,jdk.crypto.ec,jdk.unsupported,jdk.zipfs"
log "jlink $MODULES"
"$JDK/bin/jlink" --add-modules "$MODULES" --output "$ROOTFS/opt/java" \
    --strip-debug --no-man-pages --no-header-files --compress=2 --generate-cds-archive >&2

log "JRE made"
# ---- the distribution and the plugin's own files
mkdir -p "$ROOTFS/opt/libstorage"
cp -a "$DIST/bin" "$DIST/lib" "$ROOTFS/opt/libstorage/"
rm -f "$ROOTFS"/opt/libstorage/lib/*.jsa
install -m 0755 "$HERE/entrypoint.sh" "$ROOTFS/opt/libstorage-plugin/entrypoint.sh"
install -m 0644 "$HERE/config.yml" "$ROOTFS/opt/libstorage-plugin/config.yml"
install -m 0644 "$HERE/config.json" "$OUT/config.json"

# ---- tools and shared libraries from this machine, at their merged-/usr paths
in_usr() {                      # the path of a host file inside the rootfs's merged /usr
    case $1 in
        /usr/*) echo "$1" ;;
        /bin/* | /sbin/* | /lib/* | /lib64/*) echo "/usr$1" ;;
        *) echo "$1" ;;
    esac
}
copy_file() {                   # copy_file HOSTPATH: the file it resolves to, and the link if it is one
    local p=$1 real
    real=$(readlink -f "$p")
    if [[ ! -e $ROOTFS$(in_usr "$real") ]]; then
        mkdir -p "$(dirname "$ROOTFS$(in_usr "$real")")"
        cp -p "$real" "$ROOTFS$(in_usr "$real")"
    fi
    if [[ $(in_usr "$p") != "$(in_usr "$real")" && ! -e $ROOTFS$(in_usr "$p") ]]; then
        mkdir -p "$(dirname "$ROOTFS$(in_usr "$p")")"
        ln -s "$(in_usr "$real")" "$ROOTFS$(in_usr "$p")"
    fi
}
for t in "${REQUIRED_TOOLS[@]}"; do
    p=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v "$t") || die "this machine has no $t (needed in the plugin)"
    copy_file "$p"
done
for t in "${OPTIONAL_TOOLS[@]}"; do
    if p=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v "$t"); then
        copy_file "$p"
    else
        log "no $t here: the plugin will not offer that filesystem"
    fi
done
libc=$(ldd "$(readlink -f /bin/sh)" | awk '$1 ~ /^libc\.so/ {print $3}')
[[ -n $libc ]] || die "cannot find the C library of /bin/sh"
for nss in libnss_files.so.2 libnss_dns.so.2; do
    [[ -e $(dirname "$libc")/$nss ]] && copy_file "$(dirname "$libc")/$nss"
done
# every ELF file of the rootfs: the libraries ldd finds outside the rootfs (the JRE's own ones are inside)
while IFS= read -r elf; do
    ldd "$elf" 2>/dev/null | awk '
        $2 == "=>" && $3 ~ /^\// {print $3}
        $1 ~ /^\// {print $1}' | while IFS= read -r lib; do
            [[ $lib == "$ROOTFS"/* ]] || copy_file "$lib"
        done
    if ldd "$elf" 2>/dev/null | grep -q 'not found'; then
        ldd "$elf" | grep 'not found' | while IFS= read -r missing; do
            case $missing in
                *libjvm.so* | *libjava.so* | *libjli.so* | *libnet.so* | *libnio.so* | *libzip.so* | *libverify.so*) ;;
                *) die "$elf needs a library this machine lacks: $missing" ;;
            esac
        done
    fi
done < <(find "$ROOTFS" -type f \( -perm -u+x -o -name '*.so*' \) -exec sh -c 'head -c 4 "$1" | grep -q ELF' sh {} \; -print)

# ---- /etc
cat > "$ROOTFS/etc/nsswitch.conf" <<'NSS'
passwd: files
group: files
hosts: files dns
NSS
echo 'root:x:0:0:root:/root:/bin/sh' > "$ROOTFS/etc/passwd"
echo 'root:x:0:' > "$ROOTFS/etc/group"
: > "$ROOTFS/etc/hosts"
: > "$ROOTFS/etc/resolv.conf"
[[ -f /etc/mke2fs.conf ]] && cp /etc/mke2fs.conf "$ROOTFS/etc/mke2fs.conf"

# ---- check: the launcher, the JRE and the command start inside the rootfs
if [[ $(id -u) == 0 ]]; then
    # in a mount namespace of its own with /proc (the JRE's launcher finds its libraries through $ORIGIN)
    in_rootfs() {               # in_rootfs [VAR=VALUE...] COMMAND...
        env -i PATH=/usr/sbin:/usr/bin JAVA_HOME=/opt/java unshare --mount --propagation private -- \
            sh -c 'mount -t proc proc "$0/proc" && exec chroot "$0" /usr/bin/env "$@"' "$ROOTFS" "$@"
    }
    version=$(in_rootfs /opt/libstorage/bin/libstorage --version 2>&1) \
        || die "libstorage --version fails in the rootfs: $version"
    for t in losetup blkid mkfs.ext4 mount umount; do
        in_rootfs sh -c "command -v $t >/dev/null" || die "$t is not runnable in the rootfs"
    done
    log "checked in the rootfs: $(echo "$version" | head -1)"
    log "tools copied and checked"
    # the class-data-sharing archive of this JRE (the distribution's belongs to the JDK that built it): a faster
    # plugin start, as the distribution's install step gives the host service
    in_rootfs LIBSTORAGE_CDS=create /opt/libstorage/bin/libstorage cds-training >&2 \
        || log "no class-data-sharing archive (the training run failed): the plugin starts without one"
    # the short commands' pair serves a command line through a running service on a host, not the plugin (~40 MB)
    rm -f "$ROOTFS"/opt/libstorage/lib/libstorage-short.jsa "$ROOTFS"/opt/libstorage/lib/libstorage-short.top.jsa
else
    log "not root: the rootfs was not checked by a chrooted run"
fi
log "plugin directory $OUT ($(du -sh "$OUT" | cut -f1)): docker plugin create libstorage $OUT"
echo "$OUT"
