#!/bin/sh
# Standalone `libstorage volume ls` (no service: the command builds the ScaleIO driver, logs in over TLS and lists)
# against the ScaleIO gateway emulator holding VOLUMES volumes, for several distributions, beside the floor (a JVM
# that prints one line with the launcher's options). REX-Ray 0.11.4's standalone `volume ls` on this kind of
# machine, 20 volumes: 1428 ms (issue 14's table, 1 s of it a fixed sleep); the issue's target is 0.5x that.
#
# usage: benchmarks/scaleio-standalone.sh RUNS VOLUMES LABEL=DIST [LABEL=DIST ...]
#   DIST   a built distribution directory with lib/libstorage.jsa written for that directory
# Needs hyperfine, a JDK on PATH and the emulator's jar:
#   ./mvnw -q -pl emulators/scaleio-gateway -am package -DskipTests
set -eu
runs=${1:?RUNS}
volumes=${2:?VOLUMES}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
jar=$(ls "$here"/../emulators/scaleio-gateway/target/scaleio-gateway-emulator-*-all.jar)
work=$(mktemp -d /tmp/libstorage-sio-ls-XXXXXX)
emulator=
cleanup() {
  if [ -n "$emulator" ]; then
    kill "$emulator" 2>/dev/null || true
    while kill -0 "$emulator" 2>/dev/null; do sleep 0.2; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT

guid=7E012974-3651-4DCB-9954-25975A3C3CDF
java -jar "$jar" --port 0 --data-dir "$work/data" --host-root "$work/hosts" --system cluster1 --pool pd1/pool1 \
  --sdc "$guid,10.0.0.5,host-a" >"$work/emulator.log" 2>&1 &
emulator=$!
i=0
until grep -q '^ScaleIO gateway emulator listening on ' "$work/emulator.log"; do
  i=$((i + 1))
  [ $i -lt 300 ] || { cat "$work/emulator.log"; exit 1; }
  sleep 0.1
done
endpoint=$(sed -n 's/^ScaleIO gateway emulator listening on //p' "$work/emulator.log")

labels=
for pair in "$@"; do
  label=${pair%%=*}
  labels="$labels $label"
  eval "dist_$label=\$(readlink -f \"\${pair#*=}\")"
  cat >"$work/$label.yml" <<YAML
libstorage:
  service: scaleio
  stateRoot: $work/state-$label
scaleio:
  endpoint: $endpoint
  caCertificate: $work/data/tls/gateway.pem
  userName: admin
  password: 'Scaleio123'
  systemName: cluster1
  protectionDomainName: pd1
  storagePoolName: pool1
  guid: $guid
  deviceDir: $work/hosts/$guid/dev/disk/by-id
YAML
done

# the volumes, through the gateway's API as any client would (the first distribution's create; the SDC is not
# connected, so it stops before attaching: the volume is made all the same)
first=$(echo $labels | cut -d' ' -f1)
n=1
while [ $n -le "$volumes" ]; do
  LIBSTORAGE_CONFIG=$work/$first.yml LIBSTORAGE_PLUGIN_DIR=$work/none "$(eval echo \$dist_$first)/bin/libstorage" \
    volume create "vol$n" --size 8 >/dev/null 2>&1 || true
  n=$((n + 1))
done
listed=$(LIBSTORAGE_CONFIG=$work/$first.yml LIBSTORAGE_PLUGIN_DIR=$work/none "$(eval echo \$dist_$first)/bin/libstorage" volume ls | tail -n +2 | wc -l)
[ "$listed" -eq "$volumes" ] || { echo "expected $volumes volumes, listed $listed" >&2; exit 1; }

# the emulator is a JVM too: warm it (its TLS and request handling) so that the variant measured first does not pay for it
n=1
while [ $n -le 40 ]; do
  LIBSTORAGE_CONFIG=$work/$first.yml LIBSTORAGE_PLUGIN_DIR=$work/none "$(eval echo \$dist_$first)/bin/libstorage" volume ls >/dev/null
  n=$((n + 1))
done

. "$(dirname "$0")/floor.sh"
floor_classes "$work/floor"
set -- -n floor "java $floor_opts -Xshare:auto -cp $work/floor Hello"
for label in $labels; do
  set -- "$@" -n "$label" "env LIBSTORAGE_CONFIG=$work/$label.yml LIBSTORAGE_PLUGIN_DIR=$work/none $(eval echo \$dist_$label)/bin/libstorage volume ls"
done
echo "machine: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ); $volumes volumes"
hyperfine -N --style none --warmup 3 --runs "$runs" --export-json "$work/ls.json" "$@" >"$work/hyperfine.log" 2>&1 \
  || { cat "$work/hyperfine.log" >&2; exit 1; }
python3 - "$work/ls.json" <<'PY'
import json, sys, statistics
res = [(r["command"], statistics.median(r["times"]) * 1000, min(r["times"]) * 1000, max(r["times"]) * 1000,
        r["user"] * 1000, r["system"] * 1000) for r in json.load(open(sys.argv[1]))["results"]]
rexray = 1428.0
print("| variant | median ms (min–max) | CPU user+sys ms (mean) | / floor | / REX-Ray 1428 ms |")
print("|---|---:|---:|---:|---:|")
floor = res[0][1]
for name, med, lo, hi, user, system in res:
    print("| %s | %.0f (%.0f–%.0f) | %.0f | %.2f× | %.2f |" % (name, med, lo, hi, user + system, med / floor, med / rexray))
PY
