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
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=benchmarks/service-common.sh
. "$here/service-common.sh"

mib() { awk -v k="$1" 'BEGIN {printf "%.1f MiB (%.1f x 10^6 B)", k / 1024, k * 1.024 / 1000}'; }

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
    mkdir -p "$dir"
    write_localfs_config "$dir"
    start_service "$dir" "$dist" rec
    sleep 5
    empty=$(status "$service_pid" VmRSS)
    for v in a b c; do call "$dir" VolumeDriver.Create "{\"Name\":\"$v\",\"Opts\":{\"size\":\"16MiB\"}}"; done
    call "$dir" VolumeDriver.Mount '{"Name":"a","ID":"c1"}'
    stop_service
    start_service "$dir" "$dist" rec
    sleep 5
    idle=$(status "$service_pid" VmRSS)
    idle_threads=$(status "$service_pid" Threads)
    call "$dir" VolumeDriver.List '{}'
    sleep 5
    listed=$(status "$service_pid" VmRSS)
    listed_threads=$(status "$service_pid" Threads)
    call "$dir" VolumeDriver.Unmount '{"Name":"a","ID":"c1"}'
    for v in a b c; do call "$dir" VolumeDriver.Remove "{\"Name\":\"$v\"}"; done
    stop_service
    echo "| $label | $round | $(mib "$empty") | $(mib "$idle") | $(mib "$listed") | $idle_threads / $listed_threads |"
  done
done
