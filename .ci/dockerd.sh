#!/usr/bin/env bash
# Provides a private Docker engine for the libstorage-docker integration tests without installing
# Docker system-wide (reference docker-volume-plugin.md §8.1): `apt-get download` of the Debian
# packages docker.io, containerd, runc, tini and busybox-static into a cache directory, `dpkg -x`
# into <cache>/pkg, and one bin directory of symbolic links to every executable in them.
#
# Prints that bin directory on stdout (nothing else); progress goes to stderr.
# Idempotent: a complete cache is reused without network access. Concurrent callers serialise on
# a lock file. Needs root (apt). Runs `apt-get update` only when a package has no candidate.
#
#   LIBSTORAGE_DOCKER_CACHE   cache directory (default /var/cache/libstorage-ci/docker)
#
# Use from .ci/run:   export LIBSTORAGE_DOCKER_BIN="$(bash .ci/dockerd.sh)"
# The *IT tests of libstorage-docker read LIBSTORAGE_DOCKER_BIN (or -Dlibstorage.docker.bin); without
# it they run this script themselves.
set -euo pipefail

CACHE="${LIBSTORAGE_DOCKER_CACHE:-/var/cache/libstorage-ci/docker}"
PACKAGES=(docker.io containerd runc tini busybox-static)
REQUIRED=(dockerd docker containerd containerd-shim-runc-v2 runc docker-init busybox)
BIN="$CACHE/bin"
STAMP="$CACHE/.complete"

log() { echo "dockerd.sh: $*" >&2; }

missing_binaries() {
  local b
  for b in "${REQUIRED[@]}"; do
    [[ -x "$BIN/$b" ]] || echo "$b"
  done
}

# Shared libraries the unpacked binaries need but the machine lacks (the packages are unpacked, not
# installed, so their dependencies are not pulled in). Prints "lib.so.N" names.
missing_libraries() {
  local b
  for b in dockerd containerd runc; do
    ldd "$(readlink -f "$BIN/$b")" 2>/dev/null | awk '/not found/ {print $1}'
  done | sort -u
}

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock -w 900 9 || { log "timed out waiting for $CACHE/.lock"; exit 1; }

if [[ -f "$STAMP" && -z "$(missing_binaries)" && -z "$(missing_libraries)" ]]; then
  echo "$BIN"
  exit 0
fi

if [[ "$(id -u)" != 0 ]]; then
  log "must run as root (apt-get; dockerd needs root anyway)"
  exit 1
fi

if [[ ! -f "$STAMP" || -n "$(missing_binaries)" ]]; then
  rm -rf "$CACHE/debs" "$CACHE/pkg" "$BIN" "$STAMP"
  mkdir -p "$CACHE/debs" "$CACHE/pkg" "$BIN"

  # a fresh machine has no package lists
  for p in "${PACKAGES[@]}"; do
    if ! apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [^(]'; then
      log "apt-get update (no candidate for $p)"
      apt-get update -qq >&2
      break
    fi
  done

  log "downloading ${PACKAGES[*]}"
  (cd "$CACHE/debs" && apt-get download -qq -o APT::Sandbox::User=root "${PACKAGES[@]}" >&2)

  for f in "$CACHE"/debs/*.deb; do
    log "unpacking $(basename "$f")"
    dpkg -x "$f" "$CACHE/pkg"
  done

  for d in usr/bin usr/sbin bin sbin; do
    [[ -d "$CACHE/pkg/$d" ]] || continue
    for f in "$CACHE/pkg/$d"/*; do
      if [[ -f "$f" && -x "$f" && ! -e "$BIN/$(basename "$f")" ]]; then
        ln -s "$f" "$BIN/$(basename "$f")"
      fi
    done
  done

  missing="$(missing_binaries)"
  if [[ -n "$missing" ]]; then
    log "the unpacked packages lack: $missing"
    exit 1
  fi
fi

libs="$(missing_libraries)"
if [[ -n "$libs" ]]; then
  pkgs=()
  for l in $libs; do
    case "$l" in
      libdevmapper.so.1.02.1) pkgs+=(libdevmapper1.02.1) ;;
      libseccomp.so.2) pkgs+=(libseccomp2) ;;
      libsystemd.so.0) pkgs+=(libsystemd0) ;;
      libudev.so.1) pkgs+=(libudev1) ;;
      libcap.so.2) pkgs+=(libcap2) ;;
      *) log "dockerd, containerd or runc needs $l, which no known package provides here"; exit 1 ;;
    esac
  done
  log "installing shared libraries the unpacked binaries need: ${pkgs[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >&2
  libs="$(missing_libraries)"
  if [[ -n "$libs" ]]; then
    log "still missing shared libraries: $libs"
    exit 1
  fi
fi

touch "$STAMP"
log "ready: $("$BIN/dockerd" --version 2>/dev/null || echo dockerd) in $BIN"
echo "$BIN"
