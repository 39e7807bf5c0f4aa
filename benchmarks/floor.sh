# Sourced by the benchmarks that time commands against the JVM's floor (thin-client.sh, scaleio-standalone.sh,
# jdk-unix-socket.sh), from the benchmarks directory.
#
# floor_opts: the launcher's options for a short-lived command, read from the launcher itself
# (libstorage-cli/src/dist/bin/libstorage: jit_opts, and map_opts, the mapping of a class-data archive at its dump
# address), which the floor programs run with: the same flags, whatever the launcher's are now.
_floor_launcher=$(dirname "$0")/../libstorage-cli/src/dist/bin/libstorage
_floor_jit=$(sed -n 's/^jit_opts="\([^"]*\)"$/\1/p' "$_floor_launcher" | head -1)
_floor_map=$(sed -n 's/^map_opts="\([^"]*\)"$/\1/p' "$_floor_launcher" | head -1)
if [ -z "$_floor_jit" ] || [ -z "$_floor_map" ]; then
  echo "floor.sh: no jit_opts/map_opts line in $_floor_launcher" >&2
  exit 1
fi
floor_opts="$_floor_jit $_floor_map"

# floor_classes DIR: compiles into DIR `Hello` (prints one line) and `Connect SOCKET` (connects once to a unix
# socket, then prints one line: the lower bound of any JVM client of the plugin on this JDK).
floor_classes() {
  mkdir -p "$1"
  cat >"$1/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
  cat >"$1/Connect.java" <<'JAVA'
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
public class Connect { public static void main(String[] a) throws Exception {
  try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) { c.connect(UnixDomainSocketAddress.of(a[0])); }
  System.out.println("connected"); } }
JAVA
  javac -d "$1" "$1/Hello.java" "$1/Connect.java"
}

# floor_sp: the JDK's selector provider named, as Main names it (else the first SocketChannel asks ServiceLoader)
floor_sp=-Djava.nio.channels.spi.SelectorProvider=sun.nio.ch.EPollSelectorProvider

# floor_archive DIR JAR NAME MAIN [ARGS...]: an archive of its own for a floor program, made the way the launcher makes
# its own: MAIN runs once with the floor's options listing the classes it loads, which are dumped into DIR/NAME.jsa.
floor_archive() {
  _fa_dir=$1 _fa_jar=$2 _fa_name=$3
  shift 3
  java $floor_opts $floor_sp -XX:DumpLoadedClassList="$_fa_dir/$_fa_name.classlist" -cp "$_fa_jar" "$@" >/dev/null
  java -Xshare:dump -XX:SharedClassListFile="$_fa_dir/$_fa_name.classlist" -XX:SharedArchiveFile="$_fa_dir/$_fa_name.jsa" \
    -cp "$_fa_jar" >/dev/null 2>&1
}
