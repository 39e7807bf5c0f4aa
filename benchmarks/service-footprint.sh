#!/bin/bash
# Footprint of the plugin service (`libstorage service start`, localfs driver): resident memory (VmRSS) and
# threads from /proc/<pid>/status when idle, during a soak of CLIENTS concurrent clients doing
# create/mount/write/unmount/remove cycles over the plugin socket (PluginSoak.java, run as a single source
# file), and idle again after it; with the soak's calls per second and p50/p99 per verb, and the time from
# the launch to the ready file (the socket answers).
#
# usage: benchmarks/service-footprint.sh SECONDS ROUNDS LABEL=DIST [LABEL=DIST ...]
#   DIST   a built distribution directory (libstorage-cli/target/libstorage-<version>), started through its
#          bin/libstorage launcher as shipped; LABEL names it in the output (e.g. before=/tmp/before after=...)
#   The variants run alternately, ROUNDS times each. Extra JVM options for one variant: LABEL=DIST:OPTS
#   (OPTS become JAVA_OPTS of that variant, e.g. "defaults=DIST:-XX:+UseG1GC").
# Needs root (loop devices, mounts) and a JDK on PATH (javac-less source launch of PluginSoak.java).
# Everything it creates (service process, volumes, mounts, loop devices, files) lives under one temp dir and is
# removed on exit, also on failure or Ctrl-C, and a loop device left over a file under it is reported.
set -euo pipefail

seconds=${1:?SECONDS}
rounds=${2:?ROUNDS}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
soak_src=$here/src/main/java/io/libstorage/benchmarks/PluginSoak.java
# shellcheck source=benchmarks/service-common.sh
. "$here/service-common.sh"

mib() { # kB -> MiB with one decimal
  awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'
}

run_variant() { # label dist opts round
  local label=$1 dist=$2 opts=$3 round=$4
  local dir=$work/$label-$round
  mkdir -p "$dir"
  write_localfs_config "$dir"
  local launched ready_ms
  launched=$(date +%s%N)
  start_service "$dir" "$dist" soak "$opts"
  ready_ms=$((($(date +%s%N) - launched) / 1000000))
  sleep 5
  local idle_rss idle_thr
  idle_rss=$(status "$service_pid" VmRSS)
  idle_thr=$(status "$service_pid" Threads)

  local peak_thr=0 sampler
  (
    peak=0
    while kill -0 "$service_pid" 2>/dev/null && [ ! -e "$dir/soak.done" ]; do
      t=$(status "$service_pid" Threads)
      [ "${t:-0}" -gt "$peak" ] && peak=$t && echo "$peak" > "$dir/peak.threads"
      sleep 0.2
    done
  ) &
  sampler=$!
  java -XX:+UseSerialGC "$soak_src" "$dir/sock/soak.sock" "$seconds" 4 "soak$round" > "$dir/soak.out" 2>&1 || true
  touch "$dir/soak.done"
  wait "$sampler" || true
  local soak_rss soak_hwm
  soak_rss=$(status "$service_pid" VmRSS)
  soak_hwm=$(status "$service_pid" VmHWM)
  peak_thr=$(cat "$dir/peak.threads" 2>/dev/null || echo "?")
  sleep 35 # longer than the pools' 30 s keep-alive: what the service gives back
  local after_rss after_thr
  after_rss=$(status "$service_pid" VmRSS)
  after_thr=$(status "$service_pid" Threads)
  stop_service

  sed "s/^/  [$label#$round] /" "$dir/soak.out"
  local line
  line=$(grep '^soak:' "$dir/soak.out" || echo "soak: - - - - - ? calls/s")
  local cps p99s
  cps=$(echo "$line" | sed -n 's/.* \([0-9.]*\) calls\/s.*/\1/p')
  p99s=$(awk '/^verb/ {sub("p99=", "", $6); printf "%s%s", sep, $6; sep=" / "}' "$dir/soak.out")
  printf '| %-10s | %d | %5d | %5s | %2d | %5s | %5s | %3s | %5s | %2d | %s | %s |\n' "$label" "$round" "$ready_ms" \
    "$(mib "$idle_rss")" "$idle_thr" "$(mib "$soak_rss")" "$(mib "$soak_hwm")" "$peak_thr" \
    "$(mib "$after_rss")" "$after_thr" "${cps:-?}" "$p99s" >> "$work/table"
  if grep -q '^failure' "$dir/soak.out"; then grep '^failure' "$dir/soak.out" | sed "s/^/  [$label#$round] /" >&2; fi
}

echo "machine: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/Mem:/ {print $2}') GiB," \
  "$(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
echo "soak: 4 clients x $seconds s per run, $rounds round(s) per variant, 16 MiB ext4 volumes, 1 MiB written + fsync per cycle"
for r in $(seq 1 "$rounds"); do
  for spec in "$@"; do
    label=${spec%%=*}
    rest=${spec#*=}
    dist=${rest%%:*}
    opts=
    [ "$rest" != "$dist" ] && opts=${rest#*:}
    run_variant "$label" "$(readlink -f "$dist")" "$opts" "$r"
  done
done
echo
echo "| variant | round | ready after ms | idle RSS MiB | idle threads | RSS at end of soak MiB | peak RSS (VmHWM) MiB | peak threads | RSS 35 s after MiB | threads after | calls/s | p99 ms Create / Mount / Unmount / Remove |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
cat "$work/table"
