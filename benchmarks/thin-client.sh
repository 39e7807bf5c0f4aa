#!/bin/sh
# The thin client (issue 14): `libstorage version`, every dvdcli verb and `libstorage volume ls|inspect|path`
# through a running `libstorage service start` (localfs), before and after, beside a JVM that prints one
# line with the launcher's flags (the floor), with the JDK's CDS archive and without any (-Xshare:off).
# Before and after run in the same hyperfine invocation per command (so load drifts hit both), each
# against its own service, configuration and state.
#
# usage: benchmarks/thin-client.sh AFTER_DIST BEFORE_DIST [RUNS]
#   AFTER_DIST   libstorage-cli/target/libstorage-<version> (mvn package: with lib/libstorage.jsa)
#   BEFORE_DIST  the same directory built from the commit before (git archive + mvn package)
# Needs root (localfs), hyperfine (apt-get install hyperfine), python3 and a JDK (javac) on PATH.
set -eu
after=$(readlink -f "$1")
before=$(readlink -f "$2")
runs=${3:-20}
work=$(mktemp -d /tmp/libstorage-thin-XXXXXX)
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

# the same launcher flags as bin/libstorage for a short-lived command
fast="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData"
mkdir -p "$work/floor"
cat > "$work/floor/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
javac -d "$work/floor" "$work/floor/Hello.java"

start_service() { # tag dist
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
}
start_service before "$before"
start_service after "$after"

# one command line, run for both distributions: "before" and "after", each with its own config and socket
bench() { # name prepare command-args (the program is $DIST/bin/<first word>)
  name=$1
  prepare=$2
  shift 2
  set --
  for tag in before after; do
    dist=$(eval echo \$$tag)
    env="env LIBSTORAGE_CONFIG=$work/$tag/config.yml LIBSTORAGE_PLUGIN_DIR=$work/$tag/plugins"
    set -- "$@" -n "$tag" "$env $dist/bin/$cmd"
  done
  if [ -n "$prepare" ]; then
    pb="env LIBSTORAGE_THIN=off LIBSTORAGE_CONFIG=$work/before/config.yml LIBSTORAGE_PLUGIN_DIR=$work/before/plugins $before/bin/$prepare"
    pa="env LIBSTORAGE_THIN=off LIBSTORAGE_CONFIG=$work/after/config.yml LIBSTORAGE_PLUGIN_DIR=$work/after/plugins $after/bin/$prepare"
    hyperfine -N --style none --warmup 2 --runs "$runs" --prepare "$pb" --prepare "$pa" --export-json "$work/$name.json" "$@" \
      >"$work/hyperfine.log" 2>&1 || { cat "$work/hyperfine.log" >&2; exit 1; }
  else
    hyperfine -N --style none --warmup 3 --runs "$runs" --export-json "$work/$name.json" "$@" \
      >"$work/hyperfine.log" 2>&1 || { cat "$work/hyperfine.log" >&2; exit 1; }
  fi
  python3 - "$work/$name.json" "$name" "$work/floor.json" <<'PY'
import json, sys, statistics
res = {r["command"]: statistics.median(r["times"]) * 1000 for r in json.load(open(sys.argv[1]))["results"]}
floor = statistics.median(json.load(open(sys.argv[3]))["results"][0]["times"]) * 1000
b, a = res["before"], res["after"]
print("| %s | %.0f | %.0f | %.2f× | %.2f× |" % (sys.argv[2], b, a, b / floor, a / floor))
PY
}

echo "machine: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
hyperfine -N --style none --warmup 3 --runs "$runs" --export-json "$work/floor.json" \
  -n floor "java $fast -Xshare:auto -cp $work/floor Hello" >/dev/null 2>&1
hyperfine -N --style none --warmup 3 --runs "$runs" --export-json "$work/floor-noshare.json" \
  -n floor-noshare "java $fast -Xshare:off -cp $work/floor Hello" >/dev/null 2>&1
python3 - "$work/floor.json" "$work/floor-noshare.json" <<'PY'
import json, sys, statistics
f = [statistics.median(json.load(open(p))["results"][0]["times"]) * 1000 for p in sys.argv[1:]]
print("floor (JVM printing one line, launcher flags): %.0f ms with the JDK's CDS archive, %.0f ms with -Xshare:off" % (f[0], f[1]))
PY
echo
echo "| command | before ms | after ms | before / floor | after / floor |"
echo "|---|---:|---:|---:|---:|"
d="--volumedriver=libstorage"
cmd="libstorage version"; bench "libstorage version" ""
cmd="dvdcli version"; bench "dvdcli version" ""
cmd="dvdcli list $d"; bench "dvdcli list" ""
cmd="dvdcli get $d --volumename=a"; bench "dvdcli get" ""
cmd="dvdcli path $d --volumename=a"; bench "dvdcli path" ""
cmd="dvdcli mount $d --volumename=a"; bench "dvdcli mount (mounted)" ""
cmd="dvdcli mount $d --volumename=m"; bench "dvdcli mount" "dvdcli unmount $d --volumename=m"
cmd="dvdcli unmount $d --volumename=u"; bench "dvdcli unmount" "dvdcli mount $d --volumename=u"
cmd="dvdcli create $d --volumename=c --volumeopts=size=64MiB"; bench "dvdcli create" "dvdcli remove $d --volumename=c"
cmd="dvdcli remove $d --volumename=r"; bench "dvdcli remove" "dvdcli create $d --volumename=r --volumeopts=size=64MiB"
cmd="libstorage volume ls"; bench "libstorage volume ls" ""
cmd="libstorage volume inspect a"; bench "libstorage volume inspect" ""
cmd="libstorage volume path a"; bench "libstorage volume path" ""
