#!/usr/bin/env bash
# The managed Docker plugin's start with and without class-data-sharing archives, in the same run:
# packaging/docker-plugin/scenario.sh (a private dockerd; create, enable, vol_dane through two containers,
# removal) alternately on the plugin directory of build.sh and on a copy without its archives
# (opt/java/lib/server/*.jsa, opt/libstorage/lib/libstorage.jsa). Prints each run's RESULT lines and the
# medians of `docker plugin enable` (the JVM's start up to the socket answering dockerd's handshake).
#
#   sudo benchmarks/managed-plugin-start.sh [ROUNDS] [PLUGIN_DIR]     (defaults: 5, a fresh build.sh output)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROUNDS=${1:-5}
WORK=$(mktemp -d /tmp/plugin-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
PLUGIN=${2:-$(bash "$HERE/../packaging/docker-plugin/build.sh" "" "$WORK/cds")}
cp -a "$PLUGIN" "$WORK/nocds"
rm -f "$WORK"/nocds/rootfs/opt/java/lib/server/*.jsa "$WORK"/nocds/rootfs/opt/libstorage/lib/libstorage.jsa
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
for i in $(seq 1 "$ROUNDS"); do
    for v in cds nocds; do
        dir=$PLUGIN
        [[ $v == nocds ]] && dir=$WORK/nocds
        out=$(bash "$HERE/../packaging/docker-plugin/scenario.sh" "$dir" 2>&1) || { echo "$out"; exit 1; }
        echo "$out" | grep -o 'RESULT plugin enable [0-9.]*' | awk '{print $4}' >> "$WORK/$v.enable"
        echo "$v round $i: $(echo "$out" | grep -o 'RESULT [a-z (,)]* [0-9.]* s' | sed 's/RESULT //' | paste -sd';' -)"
    done
done
cds=$(median < "$WORK/cds.enable")
nocds=$(median < "$WORK/nocds.enable")
echo "median plugin enable: with CDS archives ${cds} s, without ${nocds} s, ratio $(awk -v a="$cds" -v b="$nocds" 'BEGIN {printf "%.2f", a / b}')"
