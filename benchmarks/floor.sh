# Sourced by the benchmarks that time commands against the JVM's floor (thin-client.sh, scaleio-standalone.sh).
#
# floor_opts: the launcher's options for a short-lived command (bin/libstorage: jit_opts and the mapping of the
# class-data archive at its dump address), which the floor programs run with.
floor_opts="-XX:TieredStopAtLevel=1 -XX:-UsePerfData -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"

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
