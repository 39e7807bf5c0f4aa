#!/bin/sh
# The thin client (issue 14): `libstorage version`, every dvdcli verb and `libstorage volume ls|inspect|path`
# through a running `libstorage service start` (localfs), for several distributions, beside two floors:
# a JVM that prints one line with the launcher's own options for a short command (the JDK's class-data
# archive, mapped as the launcher maps its own), and the same JVM with a class-data archive of its own.
# Every command, the floors included, runs under env(1), as the distributions' commands need it for their variables.
# Every command of every distribution and the floors run interleaved, each once per round in a new random order
# (benchmarks/interleaved.py), so that a machine whose speed drifts slows all alike; each distribution against its
# own service, configuration and state. Medians of RUNS rounds after 3 untimed ones.
#
# usage: [WARMUP=N] benchmarks/thin-client.sh RUNS LABEL=DIST [LABEL=DIST ...]
#   WARMUP N untimed rounds of every plugin call the commands make (Activate, Get, List, Path, Create, Mount,
#          Unmount, Remove, LibStorage.Cli), sent to each service before anything is timed: a service that has
#          been running a while (0, the default: a service started just before, as the 3 untimed rounds leave it)
#   DIST   a built distribution directory (libstorage-cli/target/libstorage-<version>, with lib/libstorage.jsa
#          written by `LIBSTORAGE_CDS=create bin/libstorage cds-training` for that directory)
# Needs root (localfs), python3 and a JDK (javac, jar) on PATH.
set -eu
runs=${1:?RUNS}
shift
work=$(mktemp -d /tmp/libstorage-thin-XXXXXX)
labels=
for pair in "$@"; do
  label=${pair%%=*}
  dist=$(readlink -f "${pair#*=}")
  labels="$labels $label"
  eval "dist_$label=\$dist"
done
pids=
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  for p in $pids; do while kill -0 "$p" 2>/dev/null; do sleep 0.2; done; done
  # what the services left mounted and attached (localfs: loop devices of image files under $work)
  for m in $(awk -v w="$work/" 'index($2, w) == 1 {print $2}' /proc/mounts); do umount "$m" || true; done
  for l in $(losetup -a | grep -F "($work/" | cut -d: -f1); do losetup -d "$l" || true; done
  rm -rf "$work"
}
trap cleanup EXIT

. "$(dirname "$0")/floor.sh"
floor_classes "$work/floor"
(cd "$work/floor" && jar cf ../hello.jar Hello.class Connect.class)

start_service() { # label dist
  dir=$work/$1
  mkdir -p "$dir/plugins"
  cat > "$dir/config.yml" <<YAML
libstorage:
  service: localfs
  stateRoot: $dir/state
localfs:
  root: $dir/localfs
YAML
  LIBSTORAGE_CONFIG=$dir/config.yml "$2/bin/libstorage" service start --socket-dir "$dir/plugins" \
    --pid-file "$dir/service.pid" --ready-file "$dir/service.ready" >"$dir/service.log" 2>&1 &
  pids="$pids $!"
  i=0
  while [ ! -f "$dir/service.ready" ]; do
    i=$((i + 1))
    [ $i -lt 300 ] || { cat "$dir/service.log"; exit 1; }
    sleep 0.1
  done
  # a: mounted (path, mount again, ls/inspect); b: detached; m/u/c/r: cycled by the prepare steps
  for v in a b m u r; do
    LIBSTORAGE_PLUGIN_DIR=$dir/plugins "$2/bin/dvdcli" create --volumedriver=libstorage --volumename=$v --volumeopts=size=64MiB
  done
  LIBSTORAGE_PLUGIN_DIR=$dir/plugins "$2/bin/dvdcli" mount --volumedriver=libstorage --volumename=a >/dev/null
  # the service's own time per call, through a python client: the first 30 calls, then after the warm-up rounds
  python3 - "$1" "$dir/plugins/libstorage.sock" "$dir/config.yml" "${WARMUP:-0}" >>"$work/service-calls.txt" <<'PY'
import socket, statistics, sys, time
label, sock, config, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def call(path, body):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sock)
    s.sendall(b"POST %s HTTP/1.1\r\nHost: plugin\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
              % (path.encode(), len(body), body.encode()))
    answer = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        answer += chunk
    s.close()
    status = answer.split(b"\r\n", 1)[0]
    if b" 200 " not in status:
        if path == "/LibStorage.Cli" and b" 404 " in status:
            return False  # a build from before the endpoint: its clients run the full command
        sys.exit("%s: %s answered %r" % (label, path, answer[:200]))
    return True
cli = '{"Args":["volume",%s,"a"],"Config":"%s"}'
has_cli = call("/LibStorage.Cli", cli % ('"ls"', config))
reads = [("Get", "/VolumeDriver.Get", '{"Name":"a"}'), ("List", "/VolumeDriver.List", "{}"),
         ("LibStorage.Cli volume ls", "/LibStorage.Cli", cli % ('"ls"', config))]
def timed(n):
    ms = {}
    for i in range(n):
        for name, path, body in reads if has_cli else reads[:2]:
            t = time.perf_counter()
            call(path, body)
            ms.setdefault(name, []).append((time.perf_counter() - t) * 1000)
    return {k: statistics.median(v) for k, v in ms.items()}
first = timed(30)
for i in range(rounds):
    call("/Plugin.Activate", "")
    call("/VolumeDriver.Get", '{"Name":"a"}')
    call("/VolumeDriver.List", "{}")
    call("/VolumeDriver.Path", '{"Name":"a"}')
    for verb in ('"ls"', '"inspect"', '"path"') if has_cli else ():
        call("/LibStorage.Cli", cli % (verb, config))
    if has_cli:  # the form timed below: every volume, not one
        call("/LibStorage.Cli", '{"Args":["volume","ls"],"Config":"%s"}' % config)
    if i % 10 == 0:  # the mutations run a real losetup/mkfs/mount: fewer of them
        call("/VolumeDriver.Create", '{"Name":"w","Opts":{"size":"64MiB"}}')
        call("/VolumeDriver.Mount", '{"Name":"w"}')
        call("/VolumeDriver.Unmount", '{"Name":"w"}')
        call("/VolumeDriver.Remove", '{"Name":"w"}')
warm = timed(100) if rounds else {}
print("%s: median ms per call, the first 30 / 100 after the warm-up: %s" % (label, ", ".join(
    "%s %.2f / %s" % (k, v, "%.2f" % warm[k] if k in warm else "-") for k, v in first.items())))
PY
}
for label in $labels; do
  start_service "$label" "$(eval echo \$dist_$label)"
done

# the timed entries, run interleaved by benchmarks/interleaved.py: one command line ($cmd: the program is
# $DIST/bin/<first word>) for every distribution, each with its own config and socket; prepare: the opposite verb,
# untimed, through the full command (paths must not contain blanks: the lines are split at them)
spec=$work/spec.jsonl
entry() { # name label prepare-line command-line
  python3 -c 'import json, sys; print(json.dumps({"name": sys.argv[1], "label": sys.argv[2],
      "prepare": sys.argv[3].split() or None, "argv": sys.argv[4].split()}))' "$@" >>"$spec"
}
bench() { # name prepare
  for label in $labels; do
    dist=$(eval echo \$dist_$label)
    env="env LIBSTORAGE_CONFIG=$work/$label/config.yml LIBSTORAGE_PLUGIN_DIR=$work/$label/plugins"
    pre=
    if [ -n "$2" ]; then
      pre="env LIBSTORAGE_THIN=off LIBSTORAGE_CONFIG=$work/$label/config.yml LIBSTORAGE_PLUGIN_DIR=$work/$label/plugins $dist/bin/$2"
    fi
    entry "$1" "$label" "$pre" "$env ${thin_off:+LIBSTORAGE_THIN=off} $dist/bin/$cmd"
  done
}

# the floors' own archives
first=$(echo $labels | cut -d' ' -f1)
socket=$work/$first/plugins/libstorage.sock
floor_archive "$work" "$work/hello.jar" hello Hello
floor_archive "$work" "$work/hello.jar" connect Connect "$socket"
floor() { # name java-options-and-arguments
  entry "$1" floor "" "env LIBSTORAGE_THIN=on java $floor_opts $2"
}

echo "services warmed by ${WARMUP:-0} rounds of every call"
echo "machine: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
floor floor "-Xshare:auto -cp $work/hello.jar Hello"
floor floor-archive "-XX:SharedArchiveFile=$work/hello.jsa -cp $work/hello.jar Hello"
floor floor-connect "$floor_sp -XX:SharedArchiveFile=$work/connect.jsa -cp $work/hello.jar Connect $socket"
d="--volumedriver=libstorage"
names=
thin_off=
add() { # name prepare
  names="$names|$1"
  bench "$1" "$2"
}
cmd="libstorage version"; add "libstorage version" ""
cmd="dvdcli version"; add "dvdcli version" ""
cmd="dvdcli list $d"; add "dvdcli list" ""
cmd="dvdcli get $d --volumename=a"; add "dvdcli get" ""
cmd="dvdcli path $d --volumename=a"; add "dvdcli path" ""
cmd="dvdcli mount $d --volumename=a"; add "dvdcli mount (mounted)" ""
cmd="dvdcli mount $d --volumename=m"; add "dvdcli mount" "dvdcli unmount $d --volumename=m"
cmd="dvdcli unmount $d --volumename=u"; add "dvdcli unmount" "dvdcli mount $d --volumename=u"
cmd="dvdcli create $d --volumename=c --volumeopts=size=64MiB"; add "dvdcli create" "dvdcli remove $d --volumename=c"
cmd="dvdcli remove $d --volumename=r"; add "dvdcli remove" "dvdcli create $d --volumename=r --volumeopts=size=64MiB"
cmd="libstorage volume ls"; add "libstorage volume ls" ""
cmd="libstorage volume inspect a"; add "libstorage volume inspect" ""
cmd="libstorage volume path a"; add "libstorage volume path" ""
# without a service's help: the embedded path (the full command), for the archive's share
cmd="libstorage volume ls"; thin_off=yes; add "libstorage volume ls (embedded, LIBSTORAGE_THIN=off)" ""; thin_off=

python3 "$(dirname "$0")/interleaved.py" "$runs" 3 "$spec" >"$work/times.json"
cat "$work/service-calls.txt"
echo
python3 - "$work/times.json" "${names#|}" $labels <<'PY'
import json, sys, statistics
times = json.load(open(sys.argv[1]))
names, labels = sys.argv[2].split("|"), sys.argv[3:]
med = lambda name, label: statistics.median(times[name][label])
floor = med("floor", "floor")
print("floor (a JVM printing one line with the launcher's options): %.0f ms with the JDK's archive, %.0f ms with an archive of its own;"
      % (floor, med("floor-archive", "floor")))
print("a JVM that only connects once to the plugin's unix socket, then prints one line (its own archive): %.0f ms = %.2f× the floor"
      % (med("floor-connect", "floor"), med("floor-connect", "floor") / floor))
print()
# with two distributions or more: the median of the per-round differences, last minus first (both ran in every round,
# so a slow round slows both: steadier than the difference of the medians)
paired = len(labels) > 1
diff = lambda n: statistics.median(y - x for x, y in zip(times[n][labels[0]], times[n][labels[-1]]))
print("| command | %s | %s |%s" % (" | ".join(l + " ms" for l in labels), " | ".join(l + " / floor" for l in labels),
                                   " %s − %s, per round |" % (labels[-1], labels[0]) if paired else ""))
print("|---|%s" % ("---:|" * (2 * len(labels) + paired)))
for n in names:
    print("| %s | %s | %s |%s" % (n, " | ".join("%.0f" % med(n, l) for l in labels),
                                  " | ".join("%.2f×" % (med(n, l) / floor) for l in labels),
                                  " %+.1f ms |" % diff(n) if paired else ""))
PY
