#!/bin/sh
# Cold start of the libstorage command: `libstorage version`, `libstorage volume ls` (localfs, three
# detached volumes) and `dvdcli path --volumedriver=libstorage --volumename=a` (in-process, localfs),
# as medians of hyperfine runs, for the optimisation steps:
#
#   before   the first implementation (eager picocli tree) run as `java -cp lib/* Main` with JDK defaults
#   flags    the same code with the launcher's JVM flags (-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
#   lazy     the current code (lazy command tree, no indy string concat) through bin/libstorage, LIBSTORAGE_CDS=off
#   after    the current launcher as shipped: the above plus the AppCDS archive lib/libstorage.jsa
#
# and two floors for reference: a Java "hello world" and a one-option picocli program.
#
# usage: benchmarks/cli-cold-start.sh AFTER_DIST BEFORE_DIST [RUNS]
#   AFTER_DIST   libstorage-cli/target/libstorage-<version> (built by mvn package, with lib/libstorage.jsa)
#   BEFORE_DIST  the same directory built from the commit before the optimisations (git archive + mvn package)
# Needs root (localfs volumes), hyperfine (apt-get install hyperfine), python3, and a JDK (javac) on PATH.
set -eu
after=$(readlink -f "$1")
before=$(readlink -f "$2")
runs=${3:-20}
work=$(mktemp -d /tmp/libstorage-coldstart-XXXXXX)
trap 'rm -rf "$work"' EXIT

cat > "$work/config.yml" <<YAML
libstorage:
  service: localfs
  stateRoot: $work/state
localfs:
  root: $work/localfs
YAML
export LIBSTORAGE_CONFIG="$work/config.yml"
for v in a b c; do "$after/bin/libstorage" volume create "$v" --size 64MiB >/dev/null; done

classpath() { # the class path of a distribution's launcher, in its order
  sed -n 's/^class_path="\(.*\)"$/\1/p' "$1/bin/libstorage" | sed "s|\$app_home|$1|g"
}
before_cp=$(classpath "$before")

# floors
mkdir -p "$work/floor"
cat > "$work/floor/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
cat > "$work/floor/Pico.java" <<'JAVA'
@picocli.CommandLine.Command(name = "pico", mixinStandardHelpOptions = true)
public class Pico implements Runnable {
    @picocli.CommandLine.Option(names = "-x") String x;
    public void run() { System.out.println("pico"); }
    public static void main(String[] a) { System.exit(new picocli.CommandLine(new Pico()).execute(a)); }
}
JAVA
picocli_jar=$(ls "$after"/lib/picocli-*.jar)
javac -d "$work/floor" -cp "$picocli_jar" "$work/floor/Hello.java" "$work/floor/Pico.java"
fast="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

bench() { # name command...
  name=$1
  shift
  hyperfine -N --style none --warmup 3 --runs "$runs" --export-json "$work/$name.json" "$*" >/dev/null 2>&1
  python3 - "$work/$name.json" "$name" <<'PY'
import json, sys, statistics
r = json.load(open(sys.argv[1]))["results"][0]
t = r["times"]
print("| %-22s | %6.0f | %6.0f | %6.0f | %3d |" % (sys.argv[2], statistics.median(t) * 1000, min(t) * 1000, max(t) * 1000, len(t)))
PY
}

echo "machine: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| variant                | median ms | min | max | runs |"
echo "|------------------------|-------:|-------:|-------:|----:|"
bench floor-hello "java $fast -cp $work/floor Hello"
bench floor-picocli "java $fast -cp $work/floor:$picocli_jar Pico"
for verb in "version" "volume ls" "dvdcli"; do
  tag=$(echo "$verb" | tr ' ' '-')
  if [ "$verb" = dvdcli ]; then
    args="path --volumedriver=libstorage --volumename=a"
    bench "before:dvdcli-path" "java -Dlibstorage.argv0=dvdcli -cp $before_cp io.libstorage.cli.Main $args"
    bench "flags:dvdcli-path" "java $fast -Dlibstorage.argv0=dvdcli -cp $before_cp io.libstorage.cli.Main $args"
    bench "lazy:dvdcli-path" "env LIBSTORAGE_CDS=off $after/bin/dvdcli $args"
    bench "after:dvdcli-path" "$after/bin/dvdcli $args"
    continue
  fi
  bench "before:$tag" "java -cp $before_cp io.libstorage.cli.Main $verb"
  bench "flags:$tag" "java $fast -cp $before_cp io.libstorage.cli.Main $verb"
  bench "lazy:$tag" "env LIBSTORAGE_CDS=off $after/bin/libstorage $verb"
  bench "after:$tag" "$after/bin/libstorage $verb"
done
