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
work=$(mktemp -d /tmp/libstorage-footprint-XXXXXX)
service_pid=

cleanup() {
  set +e
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then
    kill -TERM "$service_pid"
    for _ in $(seq 1 100); do kill -0 "$service_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$service_pid" 2>/dev/null
  fi
  # mounts under the work dir, deepest first, then loop devices over its images
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

status() { # pid field -> value (kB for VmRSS/VmHWM)
  awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"
}

mib() { # kB -> MiB with one decimal
  awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'
}

run_variant() { # label dist opts round
  local label=$1 dist=$2 opts=$3 round=$4
  local dir=$work/$label-$round
  mkdir -p "$dir/sock" "$dir/state" "$dir/localfs"
  cat > "$dir/config.yml" <<YAML
libstorage:
  service: localfs
  stateRoot: $dir/state
localfs:
  root: $dir/localfs
YAML
  local launched ready_ms
  launched=$(date +%s%N)
  LIBSTORAGE_CONFIG=$dir/config.yml JAVA_OPTS=$opts NOTIFY_SOCKET= \
    "$dist/bin/libstorage" service start --socket-dir "$dir/sock" --name soak \
    --pid-file "$dir/service.pid" --ready-file "$dir/service.ready" > "$dir/service.log" 2>&1 &
  service_pid=$!
  local t0=$SECONDS
  until [ -s "$dir/service.ready" ]; do
    if ! kill -0 "$service_pid" 2>/dev/null; then echo "service failed:" >&2; cat "$dir/service.log" >&2; exit 1; fi
    if [ $((SECONDS - t0)) -gt 60 ]; then echo "service not ready after 60 s" >&2; exit 1; fi
    sleep 0.02
  done
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
  kill -TERM "$service_pid"
  wait "$service_pid" || true
  service_pid=

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
