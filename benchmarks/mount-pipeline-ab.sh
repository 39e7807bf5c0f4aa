#!/bin/sh
# Cold mount of two builds (a git ref, default main, against this working tree) and the bare sequence by hand,
# round by round in one process (MountPipelineAB). Needs root, loop devices, mkfs.ext4, and the Maven repository
# this build uses (runs offline). Usage: benchmarks/mount-pipeline-ab.sh [ref] [rounds] [sizeMiB]
set -eu
REF=${1:-main}; ROUNDS=${2:-30}; SIZE=${3:-256}
TREE=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/libstorage-mount-ab-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
git -C "$TREE" archive "$REF" | tar -x -C "$WORK" --one-top-level=a
SIMPLE=$(find ~/.m2/repository/org/slf4j/slf4j-simple -name 'slf4j-simple-2*.jar' | sort | tail -1)
SRC="$TREE/benchmarks/src/main/java/io/libstorage/benchmarks"
for side in a b; do
  root=$WORK/a; [ $side = b ] && root=$TREE
  # each build packaged, with its own third-party jars (the two may differ: localfs left databind for jackson-jr in
  # stop 20); the reactor resolves our own jars (nothing is installed) and writes one file per module, localfs's last
  (cd "$root" && ./mvnw -B -ntp -o -q package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
      -pl libstorage-core,libstorage-localfs -am org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
      -Dmdep.includeScope=runtime -Dmdep.outputFile="$WORK/deps-$side.cp")
  cp=$root/libstorage-api/target/classes:$root/libstorage-core/target/classes:$root/libstorage-localfs/target/classes
  cp=$cp:$(cat "$WORK/deps-$side.cp"):$SIMPLE
  mkdir -p "$WORK/bench-$side"
  javac --release 17 -nowarn -d "$WORK/bench-$side" -cp "$cp" "$SRC/MountPipelineBenchmark.java" "$SRC/MountPipelineAB.java"
  echo "$WORK/bench-$side:$cp" > "$WORK/$side.cp"
done
echo "A = $REF ($(git -C "$TREE" rev-parse --short "$REF")), B = working tree of $TREE ($(git -C "$TREE" rev-parse --short HEAD)); load $(cut -d' ' -f1-3 /proc/loadavg)"
# MountPipelineAB's own class (and MountPipelineBenchmark's statistics) load from B's class path; each build's library
# is loaded again in its own class loader
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$(cat "$WORK/b.cp")" io.libstorage.benchmarks.MountPipelineAB \
    "$ROUNDS" "$SIZE" "$(cat "$WORK/a.cp")" "$(cat "$WORK/b.cp")"
