#!/bin/bash
# Resident memory of the plugin service (`libstorage service start`, localfs) idle over a state that holds volume
# records, beside the same over an empty state and after one request. Per round and variant: a service over an empty
# state (VmRSS 5 s after the ready file), 3 volumes created and one mounted through the plugin socket, the service
# stopped and started again over that state (VmRSS and threads 5 s after the ready file), one VolumeDriver.List,
# VmRSS and threads 5 s later; then the volume is unmounted and everything removed.
#
# usage: benchmarks/service-records.sh ROUNDS LABEL=DIST [LABEL=DIST ...]
#   DIST   a built distribution directory, started through its bin/libstorage as shipped; variants alternate.
# Needs root (loop devices, mounts) and curl (plugin calls over the unix socket). Everything lives under one temp
# dir, removed on exit (also on failure): services stopped by pid, mounts and loop devices over it released.
set -euo pipefail

rounds=${1:?ROUNDS}
shift
[ $# -gt 0 ] || { echo "usage: $0 ROUNDS LABEL=DIST [LABEL=DIST ...]" >&2; exit 2; }
command -v curl >/dev/null || { echo "$0 needs curl" >&2; exit 2; }
work=$(mktemp -d /tmp/libstorage-records-XXXXXX)
pid=

cleanup() {
  set +e
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  fi
  awk -v w="$work" '$5 ~ "^"w {print $5}' /proc/self/mountinfo | sort -r | while read -r m; do umount -l "$m"; done
  losetup -a | grep -F "$work" | cut -d: -f1 | while read -r d; do losetup -d "$d"; done
  if losetup -a | grep -qF "$work"; then
    echo "WARNING: loop devices over $work are left:" >&2
    losetup -a | grep -F "$work" >&2
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

field() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f MiB (%.1f x 10^6 B)", k / 1024, k * 1.024 / 1000}'; }

start() { # dir dist
  rm -f "$1/ready"
  LIBSTORAGE_CONFIG=$1/config.yml NOTIFY_SOCKET= "$2/bin/libstorage" service start --socket-dir "$1/sock" --name rec \
    --pid-file "$1/pid" --ready-file "$1/ready" >>"$1/service.log" 2>&1 &
  pid=$!
  local t0=$SECONDS
  until [ -s "$1/ready" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "service failed:" >&2; cat "$1/service.log" >&2; exit 1; fi
    if [ $((SECONDS - t0)) -gt 60 ]; then echo "service not ready after 60 s" >&2; exit 1; fi
    sleep 0.02
  done
}

stop() {
  kill -TERM "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
}

call() { # dir method body
  local answer
  answer=$(curl -sS --max-time 60 --unix-socket "$1/sock/rec.sock" -X POST "http://plugin/$2" -d "$3")
  case $answer in
    *'"Err":""'* | *'"Err":null'* | '{"Volumes"'*) ;;
    *'"Err"'*) echo "$2 failed: $answer" >&2; exit 1 ;;
  esac
}

echo "| variant | round | empty state, idle | with records, idle | after one List | threads idle / after the List |"
echo "|---|---:|---:|---:|---:|---:|"
for round in $(seq 1 "$rounds"); do
  for spec in "$@"; do
    label=${spec%%=*}
    dist=${spec#*=}
    dir=$work/$label-$round
    mkdir -p "$dir/sock" "$dir/state" "$dir/localfs"
    printf 'libstorage:\n  service: localfs\n  stateRoot: %s/state\nlocalfs:\n  root: %s/localfs\n' "$dir" "$dir" >"$dir/config.yml"
    start "$dir" "$dist"
    sleep 5
    empty=$(field "$pid" VmRSS)
    for v in a b c; do call "$dir" VolumeDriver.Create "{\"Name\":\"$v\",\"Opts\":{\"size\":\"16MiB\"}}"; done
    call "$dir" VolumeDriver.Mount '{"Name":"a","ID":"c1"}'
    stop
    start "$dir" "$dist"
    sleep 5
    idle=$(field "$pid" VmRSS)
    idle_threads=$(field "$pid" Threads)
    call "$dir" VolumeDriver.List '{}'
    sleep 5
    listed=$(field "$pid" VmRSS)
    listed_threads=$(field "$pid" Threads)
    call "$dir" VolumeDriver.Unmount '{"Name":"a","ID":"c1"}'
    for v in a b c; do call "$dir" VolumeDriver.Remove "{\"Name\":\"$v\"}"; done
    stop
    echo "| $label | $round | $(mib "$empty") | $(mib "$idle") | $(mib "$listed") | $idle_threads / $listed_threads |"
  done
done
