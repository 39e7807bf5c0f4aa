#!/usr/bin/env bash
# Provides a private Docker engine for the libstorage-docker integration tests, without installing
# anything system-wide: downloads the Debian packages docker.io, containerd, runc, tini and
# busybox-static with `apt-get download`, unpacks them with `dpkg -x` into a cache directory, and
# links every executable into one bin directory. Prints that bin directory (and nothing else) on
# stdout; progress goes to stderr.
#
# Idempotent: a complete cache is reused without any network access. Safe to run concurrently
# (an flock serialises callers).
#
#   LIBSTORAGE_DOCKER_CACHE   cache directory (default /var/cache/libstorage-ci/docker)
#
# Usage: export LIBSTORAGE_DOCKER_BIN="$(bash .ci/dockerd.sh)"
# The tests (libstorage-docker *IT) read LIBSTORAGE_DOCKER_BIN, or the system property
# libstorage.docker.bin; without either they run this script themselves.
set -euo pipefail

CACHE="${LIBSTORAGE_DOCKER_CACHE:-/var/cache/libstorage-ci/docker}"
PACKAGES=(docker.io containerd runc tini busybox-static)
BIN="$CACHE/bin"
STAMP="$CACHE/.complete"

log() { echo "dockerd.sh: $*" >&2; }

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock -w 900 9 || { log "timed out waiting for the lock on $CACHE/.lock"; exit 1; }

complete() {
  [[ -f "$STAMP" ]] || return 1
  for b in dockerd docker containerd containerd-shim-runc-v2 runc busybox; do
    [[ -x "$BIN/$b" ]] || return 1
  done
}

if complete; then
  echo "$BIN"
  exit 0
fi

if [[ "$(id -u)" != 0 ]]; then
  log "must run as root (apt-get download needs the package lists; dockerd needs root anyway)"
  exit 1
fi

rm -rf "$CACHE/debs" "$CACHE/pkg" "$BIN" "$STAMP"
mkdir -p "$CACHE/debs" "$CACHE/pkg" "$BIN"

# A fresh machine has no package lists: update only when a package has no candidate.
need_update=0
for p in "${PACKAGES[@]}"; do
  if ! apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [^(]'; then
    need_update=1
  fi
done
if [[ $need_update == 1 ]]; then
  log "apt-get update"
  apt-get update -qq >&2
fi

log "downloading ${PACKAGES[*]} into $CACHE/debs"
# apt-get download writes into the current directory; run it as _apt-readable dir is not needed as root
(cd "$CACHE/debs" && apt-get download -qq "${PACKAGES[@]}" >&2)

for f in "$CACHE"/debs/*.deb; do
  log "unpacking $(basename "$f")"
  dpkg -x "$f" "$CACHE/pkg"
done

for d in usr/bin usr/sbin bin sbin usr/libexec/docker/cli-plugins; do
  [[ -d "$CACHE/pkg/$d" ]] || continue
  for f in "$CACHE/pkg/$d"/*; do
    if [[ -f "$f" && -x "$f" && ! -e "$BIN/$(basename "$f")" ]]; then
      ln -s "$f" "$BIN/$(basename "$f")"
    fi
  done
done

if ! complete_check_missing=$(for b in dockerd docker containerd containerd-shim-runc-v2 runc busybox; do [[ -x "$BIN/$b" ]] || echo "$b"; done) || [[ -n "$complete_check_missing" ]]; then
  log "the unpacked packages lack: $complete_check_missing"
  exit 1
fi
touch "$STAMP"
log "ready: $("$BIN/dockerd" --version 2>/dev/null || echo dockerd)"
echo "$BIN"
