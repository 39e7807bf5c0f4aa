#!/bin/sh
# What the length of `-cp` costs every start of a JVM (issue 14, item 1): Java 17 turns each element of the class
# path into a URL while it initialises the module system, in the interpreter (jdk.internal.loader.URLClassPath:
# a canonical File, then a URL), whether or not a class is ever loaded from it; the jars a manifest's Class-Path
# names are only looked at when a class or resource is searched beyond the class-data archive.
#
# Hello (prints one line), with the launcher's options for a short command (floor.sh), over the JDK's own archive,
# three ways, interleaved, each with -Xlog:startuptime:
#   one        -cp DIR                                   (Hello's directory alone)
#   listed     -cp DIR:<every jar of DIST/lib, as the launcher listed them before>
#   manifest   -cp DIR:DIST/lib/libstorage-cli-<version>.jar (its manifest names the others: what the launcher does now)
# (DIR first, so that Hello is found before any jar is opened: the difference is the class path's set-up alone)
# Prints the medians of RUNS runs of "Initialize module system" and "Create VM" (ms) and the wall time of each.
#
# usage: benchmarks/class-path-cost.sh DIST [RUNS]     (DIST: a built distribution, libstorage-cli/target/libstorage-<version>)
set -eu
dist=$(cd "${1:?DIST}" && pwd)
runs=${2:-20}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/libstorage-class-path-XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

. "$here/floor.sh"
floor_classes "$work"
cli_jar=$(ls "$dist"/lib/libstorage-cli-*.jar)
listed=$cli_jar
for j in $(unzip -p "$cli_jar" META-INF/MANIFEST.MF | tr -d '\r' | sed -n '/^Class-Path:/,/^[^ ]/p' \
    | sed -e 's/^Class-Path: //' -e 's/^ //' | tr -d '\n'); do
  listed=$listed:$dist/lib/$j
done

python3 - "$runs" "$work" "$listed" "$cli_jar" $floor_opts <<'PY'
import re, statistics, subprocess, sys, time
runs, work, listed, cli_jar, opts = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
ways = {"one": work, "listed": work + ":" + listed, "manifest": work + ":" + cli_jar}
phases = ("Initialize module system", "Create VM")
got = {w: {p: [] for p in phases + ("wall",)} for w in ways}
for k in range(runs + 3):
    for w, cp in ways.items():
        start = time.perf_counter()
        out = subprocess.run(["java"] + opts + ["-Xlog:startuptime", "-cp", cp, "Hello"],
                             capture_output=True, text=True, check=True).stdout
        wall = (time.perf_counter() - start) * 1000
        if k < 3:
            continue
        got[w]["wall"].append(wall)
        for p in phases:
            m = re.search(re.escape(p) + r", ([0-9.]+) secs", out)
            got[w][p].append(float(m.group(1)) * 1000)
print("elements of -cp: one 1, listed %d, manifest 2 (the jar's manifest names %d more)" % (listed.count(":") + 2, listed.count(":")))
for w in ways:
    print("%-9s %s" % (w, "  ".join("%s %.2f ms" % (p, statistics.median(v)) for p, v in got[w].items())))
PY
