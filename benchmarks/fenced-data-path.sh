#!/usr/bin/env bash
# Throughput of the ScaleIO emulator's two data paths, as a host sees them: a volume mapped to one SDC, fio on the
# host's device (O_DIRECT). "loop": the loop device is attached to the volume file. "fenced": the loop device is
# attached to a file the emulator serves through FUSE, so that unmapped hosts get EIO. Every job works on the
# first GiB of the 8 GiB volume, which the sequential write fills first, so reads find data (in the volume file's
# page cache, for both data paths: what is measured is the path to it, not the disk).
#
#   sudo benchmarks/fenced-data-path.sh [rounds=3] [seconds per job=10]
#
# Needs root, fio (apt-get install fio), curl, python3 and the emulator's shaded jar (built if missing).
# Rounds alternate loop and fenced; the table shows the median of the rounds. Cleans up on exit, even on failure:
# the emulator (SIGTERM: it detaches its loop devices and unmounts its FUSE server), then anything left under its
# work dir (mounts, loop devices), then the work dir.
set -Eeuo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SECONDS_PER_JOB=${2:-10}
GUID=7E012974-3651-4DCB-9954-25975A3C3CDF

for tool in fio curl python3 losetup; do
    command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)" >&2; exit 2; }
done
JAR=$(ls emulators/scaleio-gateway/target/scaleio-gateway-emulator-*-all.jar 2>/dev/null | head -1 || true)
if [ -z "$JAR" ]; then
    ./mvnw -q -pl emulators/scaleio-gateway -am package -DskipTests
    JAR=$(ls emulators/scaleio-gateway/target/scaleio-gateway-emulator-*-all.jar | head -1)
fi

WORK=$(mktemp -d /tmp/fenced-bench.XXXXXX)
EMULATOR_PID=
stop_emulator() {
    if [ -n "$EMULATOR_PID" ] && kill -0 "$EMULATOR_PID" 2>/dev/null; then
        kill -TERM "$EMULATOR_PID"
        wait "$EMULATOR_PID" || true
    fi
    EMULATOR_PID=
}
cleanup() {
    stop_emulator
    grep " $WORK" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l || true
    for f in /sys/block/loop*/loop/backing_file; do
        [ -f "$f" ] && grep -q "^$WORK" "$f" && losetup -d "/dev/$(basename "$(dirname "$(dirname "$f")")")" || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo "failed at line $LINENO; emulator stderr:" >&2; tail -5 "$WORK"/*.err >&2 || true' ERR

# Starts the emulator with the given data path, creates an 8 GiB volume, maps it to the one SDC; sets DEV.
DEV=
start_and_map() {
    local kind=$1
    java -jar "$JAR" --port 0 --no-tls --data-dir "$WORK/$kind" --data-path "$kind" \
        --sdc "$GUID,127.0.0.1,bench,$WORK/$kind-host" >"$WORK/$kind.out" 2>"$WORK/$kind.err" &
    EMULATOR_PID=$!
    for _ in $(seq 600); do
        grep -q "listening on" "$WORK/$kind.out" 2>/dev/null && break
        sleep 0.1
    done
    local api token pool vol
    api=$(grep -o 'http://[^ ]*' "$WORK/$kind.out" | head -1)
    token=$(curl -sf -u admin:Scaleio123 "$api/login" | tr -d '"')
    pool=$(curl -sf -u ":$token" "$api/types/StoragePool/instances" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
    vol=$(curl -sf -u ":$token" -H 'Content-Type: application/json' \
        -d "{\"name\":\"bench\",\"volumeSizeInKb\":\"8388608\",\"storagePoolId\":\"$pool\"}" \
        "$api/types/Volume/instances" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    curl -sf -u ":$token" -H 'Content-Type: application/json' -d "{\"guid\":\"$GUID\"}" \
        "$api/instances/Volume::$vol/action/addMappedSdc" >/dev/null
    DEV=$(readlink "$WORK/$kind-host/emc-vol-"*"-$vol")
}

record() {
    echo "$*" | tee -a "$WORK/results.txt" >&2
}

# kind name fio-arguments...; records "kind name MiB/s IOPS"
job() {
    local kind=$1 name=$2 dev=$3
    shift 3
    fio --name="$name" --filename="$dev" --direct=1 --time_based --runtime="$SECONDS_PER_JOB" --ramp_time=2 \
        --group_reporting --output-format=json "$@" >"$WORK/fio.json"
    record "$kind $(python3 - "$name" "$WORK/fio.json" <<'PY'
import json, sys
job = json.load(open(sys.argv[2]))["jobs"][0]
side = job["write"] if job["write"]["io_bytes"] > 0 else job["read"]
print(sys.argv[1], round(side["bw_bytes"] / 2**20, 1), round(side["iops"]))
PY
    )"
}

run_round() {
    local kind=$1 t0 t1
    start_and_map "$kind"
    t0=$(date +%s.%N)
    mkfs.ext4 -q -F "$DEV"
    t1=$(date +%s.%N)
    record "$kind mkfs-ext4-8GiB $(python3 -c "print(round($t1 - $t0, 2))") 0"
    job "$kind" seq-write-1M "$DEV" --rw=write --bs=1M --ioengine=psync --size=1G
    job "$kind" seq-read-1M "$DEV" --rw=read --bs=1M --ioengine=psync --size=1G
    job "$kind" rand-write-4k-qd16 "$DEV" --rw=randwrite --bs=4k --ioengine=libaio --iodepth=16 --size=1G
    job "$kind" rand-read-4k-qd16 "$DEV" --rw=randread --bs=4k --ioengine=libaio --iodepth=16 --size=1G
    job "$kind" rand-write-4k-qd1 "$DEV" --rw=randwrite --bs=4k --ioengine=psync --size=1G
    stop_emulator
}

for r in $(seq "$ROUNDS"); do
    for kind in loop fenced; do
        run_round "$kind"
    done
done

echo
echo "median of $ROUNDS rounds, ${SECONDS_PER_JOB}s per job, $(nproc) CPUs, kernel $(uname -r)"
python3 - "$WORK/results.txt" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    kind, name, mib, iops = line.split()
    rows.setdefault(name, {}).setdefault(kind, []).append((float(mib), float(iops)))
print(f"| {'job':<22} | {'loop MiB/s':>10} | {'fenced MiB/s':>12} | {'loop IOPS':>9} | {'fenced IOPS':>11} | fenced/loop |")
print("|---|---:|---:|---:|---:|---:|")
for name, kinds in rows.items():
    l = statistics.median(m for m, _ in kinds["loop"]); f = statistics.median(m for m, _ in kinds["fenced"])
    li = statistics.median(i for _, i in kinds["loop"]); fi = statistics.median(i for _, i in kinds["fenced"])
    if name.startswith("mkfs"):
        print(f"| {name:<22} | {l:>9.2f}s | {f:>11.2f}s | | | {f / l:.2f} |")
    else:
        print(f"| {name:<22} | {l:>10.1f} | {f:>12.1f} | {li:>9.0f} | {fi:>11.0f} | {f / l:.2f} |")
PY
