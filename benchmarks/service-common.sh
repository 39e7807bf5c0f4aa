# Sourced by the service benchmarks (service-footprint.sh, service-records.sh): a work directory whose services,
# mounts and loop devices are released on exit (also on failure or Ctrl-C), and the service's start and stop.
# Sets: work (the directory), service_pid (the running service, if any).

work=$(mktemp -d /tmp/libstorage-service-bench-XXXXXX)
service_pid=

service_cleanup() {
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
trap service_cleanup EXIT
trap 'exit 130' INT TERM

status() { # pid field -> value (kB for VmRSS/VmHWM)
  awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status"
}

write_localfs_config() { # dir: a localfs configuration with its state under dir
  printf 'libstorage:\n  service: localfs\n  stateRoot: %s/state\nlocalfs:\n  root: %s/localfs\n' "$1" "$1" >"$1/config.yml"
  mkdir -p "$1/sock" "$1/state" "$1/localfs"
}

start_service() { # dir dist name [java opts]: starts `service start` over dir's config, returns once it answers
  local dir=$1 dist=$2 name=$3 opts=${4:-}
  rm -f "$dir/service.ready"
  LIBSTORAGE_CONFIG=$dir/config.yml JAVA_OPTS=$opts NOTIFY_SOCKET= \
    "$dist/bin/libstorage" service start --socket-dir "$dir/sock" --name "$name" \
    --pid-file "$dir/service.pid" --ready-file "$dir/service.ready" >>"$dir/service.log" 2>&1 &
  service_pid=$!
  local t0=$SECONDS
  until [ -s "$dir/service.ready" ]; do
    if ! kill -0 "$service_pid" 2>/dev/null; then echo "service failed:" >&2; cat "$dir/service.log" >&2; exit 1; fi
    if [ $((SECONDS - t0)) -gt 60 ]; then echo "service not ready after 60 s" >&2; exit 1; fi
    sleep 0.02
  done
}

stop_service() {
  kill -TERM "$service_pid"
  wait "$service_pid" || true
  service_pid=
}
