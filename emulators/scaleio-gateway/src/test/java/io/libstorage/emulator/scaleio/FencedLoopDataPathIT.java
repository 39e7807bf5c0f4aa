package io.libstorage.emulator.scaleio;

import io.libstorage.emulator.scaleio.internal.host.Commands;
import io.libstorage.tck.LoopDeviceSweeper;
import io.libstorage.tck.Prerequisites;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every test of {@link LoopDataPathIT} again, with each mapping's loop device served through the emulator's FUSE server. */
class FencedLoopDataPathIT extends LoopDataPathIT {

    @Override
    DataPathKind kind() {
        return DataPathKind.FENCED;
    }

    @Override
    void requirePrerequisites() {
        super.requirePrerequisites();
        requireFuse();
    }

    /**
     * A SIGKILLed fenced emulator leaves a dead FUSE mount, a loop device over a file of it (here still mounted,
     * so it cannot go away) and a device link. The next start in that data dir removes them, and the device that
     * is still mounted fails its I/O instead of hanging on the dead server.
     */
    @Test
    void aNewStartCleansUpWhatAKilledFencedRunLeft() throws Exception {
        Prerequisites.requireCommands("mkfs.ext4", "mount", "umount");
        gw.close();
        gw = null;
        Path data = tmp.resolve("killed");
        Path devices = tmp.resolve("killed-host/dev/disk/by-id");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process killed = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), KilledRun.class.getName(),
                data.toString(), devices.toString())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Path mnt = Files.createDirectories(tmp.resolve("killed-mnt"));
        try {
            String line = new BufferedReader(new InputStreamReader(killed.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(line).startsWith("LINK ");
            Path link = Path.of(line.substring(5));
            Path loop = Files.readSymbolicLink(link);
            Commands.check(List.of("mkfs.ext4", "-q", "-F", loop.toString()), Duration.ofSeconds(120));
            Commands.check(List.of("mount", loop.toString(), mnt.toString()), Duration.ofSeconds(30));
            killed.destroyForcibly(); // SIGKILL: no shutdown hook, the FUSE server dies with the process
            assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();

            gw = ScaleIoGatewayEmulator.builder().dataDir(data).dataPath(DataPathKind.FENCED).start();

            assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).as("stale link").isFalse();
            assertThat(fuseMountsAt(data.resolve("fenced"))).as("only the new run's FUSE mount").isEqualTo(1);
            Commands.Result write = Commands.run(List.of("dd", "if=/dev/zero", "of=" + mnt.resolve("after-kill"), "bs=4k", "count=1",
                    "oflag=direct"), Duration.ofSeconds(60));
            assertThat(write.exitCode()).as("a write through the device of the killed run fails (and does not hang)").isNotZero();
            Commands.check(List.of("umount", mnt.toString()), Duration.ofSeconds(60));
            assertThat(LoopDeviceSweeper.devicesUnder(data)).as("the loop device went with its last user").isEmpty();
        } finally {
            killed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            Commands.run(List.of("umount", "-l", mnt.toString()), Duration.ofSeconds(30));
        }
    }

    /** Performance, not behaviour: one FUSE request per loop request (benchmarks/fenced-data-path.sh measures it). */
    @Test
    void theLoopDeviceOverTheFuseFileDoesDirectIo() throws Exception {
        String vol = client.createVolume("dp-dio", 8, pool);
        map(vol, GUID_A);
        Path loop = gw.attachedDevice(vol, gw.sdc(GUID_A).sdcId());
        assertThat(Files.readString(Path.of("/sys/block", loop.getFileName().toString(), "loop/dio")).strip()).isEqualTo("1");
    }

    @Test
    void aStartThatFailsAfterMountingTheFuseServerUnmountsIt() throws Exception {
        Path data = tmp.resolve("failed-start");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> ScaleIoGatewayEmulator.builder().dataDir(data).dataPath(DataPathKind.FENCED)
                    .mdmPort(taken.getLocalPort()).start()).isInstanceOf(IOException.class);
        }
        assertThat(fuseMountsAt(data.resolve("fenced"))).isZero();
    }

    private static long fuseMountsAt(Path dir) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.split(" ")[4].equals(dir.toString()) && l.contains(" fuse.")).count();
    }

    /** The killed run: a fenced emulator in its own JVM with one volume mapped; prints the device link and waits. */
    static final class KilledRun {
        public static void main(String[] args) throws Exception {
            ScaleIoGatewayEmulator gw = ScaleIoGatewayEmulator.builder().tls(false).dataDir(Path.of(args[0])).dataPath(DataPathKind.FENCED)
                    .sdc(SdcSpec.of(GUID_A, "10.0.0.5").withDeviceDir(Path.of(args[1]))).start();
            GatewayClient client = new GatewayClient(gw).login("admin", "Scaleio123");
            String vol = client.createVolume("killed", 8, client.poolId("pool1"));
            client.post("/api/instances/Volume::" + vol + "/action/addMappedSdc", Map.of("guid", GUID_A));
            System.out.println("LINK " + Path.of(args[1]).resolve("emc-vol-" + gw.systemId() + "-" + vol));
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** Root, {@code /dev/fuse} and the kernel's FUSE file system (fails under CI=true, skips elsewhere). */
    static void requireFuse() {
        Prerequisites.requireRoot();
        Prerequisites.require(Files.exists(Path.of("/dev/fuse")), "the test needs /dev/fuse (modprobe fuse)");
        boolean registered;
        try {
            registered = Files.readAllLines(Path.of("/proc/filesystems")).stream().anyMatch(l -> l.endsWith("\tfuse"));
        } catch (IOException e) {
            registered = false;
        }
        Prerequisites.require(registered, "the test needs the kernel's FUSE file system (fuse in /proc/filesystems)");
    }
}
