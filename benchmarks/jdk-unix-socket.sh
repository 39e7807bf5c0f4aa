#!/bin/sh
# What the JDK itself costs a new JVM for its first unix-domain socket connection (issue 14, item 1): the lower
# bound of any thin client that uses the JDK's SocketChannel, whatever it does besides.
#
# Three programs, each with the launcher's options for a short command (floor.sh) and a class-data archive of its
# own, the selector provider named as Main names it:
#   Hello         prints one line (also run over the JDK's own archive: the floor of thin-client.sh);
#   Connect       connects once to a unix socket, then prints one line;
#   ConnectSteps  the same connection with its steps forced one at a time and timed in-process (System.nanoTime):
#                 security   java.security.Security's initialisation (reads the JDK's java.security file)
#                 random     SecureRandom.getInstance("NativePRNGNonBlocking"), what Java 17's
#                            sun.nio.ch.UnixDomainSockets initialises in its static initialiser (loads the SUN provider)
#                 open       SocketChannel.open(UNIX): the rest of that initialiser, the net and nio libraries
#                 connect    connect(2) and close
#                 (with PAR=1 first: "random" started on a second thread, the open on the main thread at once)
# Wall times: the floor, Hello and Connect interleaved (interleaved.py), medians of RUNS rounds after 3 untimed ones.
# In-process: medians of RUNS runs of ConnectSteps, and of RUNS runs with the parallel start.
#
# usage: benchmarks/jdk-unix-socket.sh [RUNS]     (python3 and a JDK with javac/jar on PATH; no root needed)
set -eu
runs=${1:-20}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/libstorage-jdk-socket-XXXXXX)
listener=
cleanup() {
  [ -z "$listener" ] || kill "$listener" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

. "$here/floor.sh"
floor_classes "$work"
cat >"$work/ConnectSteps.java" <<'JAVA'
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
public class ConnectSteps {
  static final class Random extends Thread {
    public void run() { try { SecureRandom.getInstance("NativePRNGNonBlocking"); } catch (Exception e) { throw new RuntimeException(e); } }
  }
  public static void main(String[] a) throws Exception {
    long t0 = System.nanoTime();
    if (a.length > 1) {
      Random r = new Random();
      r.start();
      try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) { c.connect(UnixDomainSocketAddress.of(a[0])); }
      r.join();
      System.out.printf("parallel %.2f%n", (System.nanoTime() - t0) / 1e6);
      return;
    }
    Class.forName("java.security.Security");
    long t1 = System.nanoTime();
    SecureRandom.getInstance("NativePRNGNonBlocking");
    long t2 = System.nanoTime();
    SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
    long t3 = System.nanoTime();
    c.connect(UnixDomainSocketAddress.of(a[0]));
    c.close();
    long t4 = System.nanoTime();
    System.out.printf("security %.2f random %.2f open %.2f connect %.2f total %.2f%n",
        (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6, (t4 - t0) / 1e6);
  }
}
JAVA
javac -d "$work" "$work/ConnectSteps.java"
(cd "$work" && jar cf floor.jar ./*.class)

socket=$work/s.sock
python3 - "$socket" <<'PY' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(64)
while True:
    c, _ = s.accept()
    c.close()
PY
listener=$!
i=0
until [ -S "$socket" ]; do
  i=$((i + 1)); [ $i -lt 100 ] || { echo "the listener did not start" >&2; exit 1; }
  sleep 0.05
done

floor_archive "$work" "$work/floor.jar" hello Hello
floor_archive "$work" "$work/floor.jar" connect Connect "$socket"
# trained on the parallel start: it loads what the sequential steps load, and the second thread's class
floor_archive "$work" "$work/floor.jar" steps ConnectSteps "$socket" par

echo "machine: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
spec=$work/spec.jsonl
for p in hello:Hello connect:Connect; do
  python3 -c 'import json, sys; print(json.dumps({"name": sys.argv[1], "label": "jdk", "prepare": None, "argv": sys.argv[2:]}))' \
    "${p#*:}" java $floor_opts $floor_sp -XX:SharedArchiveFile="$work/${p%%:*}.jsa" -cp "$work/floor.jar" "${p#*:}" "$socket" >>"$spec"
done
python3 -c 'import json, sys; print(json.dumps({"name": "floor", "label": "jdk", "prepare": None, "argv": sys.argv[1:]}))' \
  java $floor_opts -Xshare:auto -cp "$work/floor.jar" Hello >>"$spec"
python3 "$here/interleaved.py" "$runs" 3 "$spec" >"$work/times.json"
: >"$work/steps.txt"
for _ in $(seq "$runs"); do
  java $floor_opts $floor_sp -XX:SharedArchiveFile="$work/steps.jsa" -cp "$work/floor.jar" ConnectSteps "$socket" >>"$work/steps.txt"
  java $floor_opts $floor_sp -XX:SharedArchiveFile="$work/steps.jsa" -cp "$work/floor.jar" ConnectSteps "$socket" par >>"$work/steps.txt"
done
python3 - "$work/times.json" "$work/steps.txt" <<'PY'
import json, statistics, sys
times = json.load(open(sys.argv[1]))
hello = statistics.median(times["Hello"]["jdk"])
connect = statistics.median(times["Connect"]["jdk"])
floor = statistics.median(times["floor"]["jdk"])
print("wall, medians: the floor (Hello over the JDK's archive) %.1f ms; Hello %.1f ms, Connect %.1f ms over archives of "
      "their own: Connect = %.2f× Hello (+%.1f ms) = %.2f× the floor" % (floor, hello, connect, connect / hello, connect - hello, connect / floor))
steps = {}
for line in open(sys.argv[2]):
    w = line.split()
    for k in range(0, len(w), 2):
        steps.setdefault(w[k], []).append(float(w[k + 1]))
print("in-process, medians of %d JVMs (ms): %s" % (len(steps["total"]),
      ", ".join("%s %.2f" % (k, statistics.median(v)) for k, v in steps.items())))
print("the first connection in-process: %.2f× Hello's wall time, %.2f× the floor's" % (statistics.median(steps["total"]) / hello, statistics.median(steps["total"]) / floor))
PY
