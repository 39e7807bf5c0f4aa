package io.libstorage.emulator.scaleio;

import io.libstorage.emulator.scaleio.internal.host.Commands;
import io.libstorage.tck.LoopDeviceSweeper;
import io.libstorage.tck.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data path with real loop devices (root): each simulated host sees only its own devices. Runs with
 * {@link DataPathKind#LOOP}; {@link FencedLoopDataPathIT} runs the same tests with {@link DataPathKind#FENCED}.
 */
class LoopDataPathIT {
    static final String GUID_A = "7E012974-3651-4DCB-9954-25975A3C3CDF";
    static final String GUID_B = "9E56672F-2F4B-4A42-BFF4-88B6846FBFDA";
    @TempDir
    Path tmp;
    private Path dataDir;
    Path hostA;
    private Path hostB;
    ScaleIoGatewayEmulator gw;
    GatewayClient client;
    String pool;

    DataPathKind kind() {
        return DataPathKind.LOOP;
    }

    void requirePrerequisites() {
        Prerequisites.requireLoopDevices();
        Prerequisites.requireCommands("cp");
    }

    @BeforeEach
    void start() throws Exception {
        requirePrerequisites();
        dataDir = tmp.resolve("data");
        hostA = tmp.resolve("hostA/dev/disk/by-id");
        hostB = tmp.resolve("hostB/dev/disk/by-id");
        gw = ScaleIoGatewayEmulator.builder().dataDir(dataDir).dataPath(kind())
                .sdc(SdcSpec.of(GUID_A, "10.0.0.5").withDeviceDir(hostA))
                .sdc(SdcSpec.of(GUID_B, "10.0.0.6").withDeviceDir(hostB))
                .start();
        client = new GatewayClient(gw).login("admin", "Scaleio123");
        pool = client.poolId("pool1");
    }

    @AfterEach
    void cleanUp() {
        if (gw != null) {
            gw.close();
        }
        LoopDeviceSweeper.sweep(tmp); // only devices backed by files under this test's own temp dir
        LoopDeviceSweeper.unmountAllUnder(tmp); // and a FUSE mount of the fenced data path that a failure left
    }

    private Path link(Path dir, String vol) {
        return dir.resolve("emc-vol-" + gw.systemId() + "-" + vol);
    }

    void map(String vol, String guid) {
        assertThat(client.post("/api/instances/Volume::" + vol + "/action/addMappedSdc", Map.of("guid", guid)).status()).isEqualTo(200);
    }

    private void unmap(String vol, String guid) {
        assertThat(client.post("/api/instances/Volume::" + vol + "/action/removeMappedSdc", Map.of("guid", guid)).status()).isEqualTo(200);
    }

    @Test
    void mappingAttachesALoopDeviceVisibleOnlyOnThatHost() throws Exception {
        String vol = client.createVolume("dp-map", 8, pool);
        Path file = dataDir.resolve("volumes").resolve(vol + ".img");
        assertThat(Files.size(file)).isEqualTo(8L << 30);
        assertThat(allocatedBytes(file)).as("sparse").isLessThan(1L << 20);

        map(vol, GUID_A);
        Path linkA = link(hostA, vol);
        assertThat(Files.isSymbolicLink(linkA)).isTrue();
        Path device = Files.readSymbolicLink(linkA);
        assertThat(device.toString()).startsWith("/dev/loop");
        assertThat(device).isEqualTo(gw.attachedDevice(vol, gw.sdc(GUID_A).sdcId()));
        assertThat(LoopDeviceSweeper.devicesUnder(dataDir)).containsExactly(device);
        assertThat(Files.exists(link(hostB, vol))).isFalse();
        assertThat(drvCfg(GUID_A, "--query_vols")).contains("VOL-ID " + vol + " MDM-ID " + gw.systemId());
        assertThat(drvCfg(GUID_B, "--query_vols")).isEqualTo("Retrieved 0 volume(s)\n");

        unmap(vol, GUID_A);
        assertThat(Files.exists(linkA, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(LoopDeviceSweeper.devicesUnder(dataDir)).isEmpty();
    }

    @Test
    void dataSurvivesUnmapAndRemapToAnotherHost() throws Exception {
        String vol = client.createVolume("dp-data", 8, pool);
        map(vol, GUID_A);
        byte[] payload = "failover keeps my data".getBytes(StandardCharsets.UTF_8);
        write(Files.readSymbolicLink(link(hostA, vol)), 1 << 20, payload);
        unmap(vol, GUID_A);

        map(vol, GUID_B);
        assertThat(read(Files.readSymbolicLink(link(hostB, vol)), 1 << 20, payload.length)).isEqualTo(payload);

        String snap = client.post("/api/instances/System/action/snapshotVolumes", Map.of("snapshotDefs", List.of(Map.of("volumeId", vol))))
                .json().get("volumeIdList").get(0).asText();
        map(snap, GUID_A);
        assertThat(read(Files.readSymbolicLink(link(hostA, snap)), 1 << 20, payload.length)).as("snapshot copies the data").isEqualTo(payload);
        assertThat(allocatedBytes(dataDir.resolve("volumes").resolve(snap + ".img"))).as("sparse copy").isLessThan(16L << 20);
    }

    @Test
    void resizeGrowsTheAttachedDevice() throws Exception {
        String vol = client.createVolume("dp-grow", 8, pool);
        map(vol, GUID_A);
        Path device = Files.readSymbolicLink(link(hostA, vol));
        assertThat(sectors(device)).isEqualTo((8L << 30) / 512);
        assertThat(client.post("/api/instances/Volume::" + vol + "/action/setVolumeSize", Map.of("sizeInGB", "16")).status()).isEqualTo(200);
        assertThat(sectors(device)).isEqualTo((16L << 30) / 512);
    }

    @Test
    void partitionsGetPartLinksLikeUdev() throws Exception {
        Prerequisites.requireCommands("sfdisk");
        String vol = client.createVolume("dp-part", 8, pool);
        map(vol, GUID_A);
        Path device = Files.readSymbolicLink(link(hostA, vol));
        Commands.Result r = Commands.run(List.of("sh", "-c", "echo 'start=2048, size=20480, type=83' | sfdisk --no-reread " + device),
                Duration.ofSeconds(30));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        unmap(vol, GUID_A);
        map(vol, GUID_A);
        Path loop = Files.readSymbolicLink(link(hostA, vol));
        // some kernels (sandboxes) never scan loop partitions; then there is nothing for udev to link either
        Assumptions.assumeTrue(Files.exists(Path.of("/sys/block", loop.getFileName().toString(), loop.getFileName() + "p1")),
                "this kernel does not scan partitions of loop devices");
        Path part = link(hostA, vol).resolveSibling(link(hostA, vol).getFileName() + "-part1");
        assertThat(Files.isSymbolicLink(part)).isTrue();
        assertThat(Files.readSymbolicLink(part).toString()).matches("/dev/loop\\d+p1");
        unmap(vol, GUID_A);
        assertThat(Files.exists(part, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void partitionDecoyLinksEvenWithoutPartitions() throws Exception {
        gw.close();
        gw = ScaleIoGatewayEmulator.builder().dataDir(dataDir).dataPath(kind()).partitionDecoy(true)
                .sdc(SdcSpec.of(GUID_A, "10.0.0.5").withDeviceDir(hostA)).start();
        client = new GatewayClient(gw).login("admin", "Scaleio123");
        String vol = client.createVolume("dp-decoy", 8, client.poolId("pool1"));
        map(vol, GUID_A);
        Path part = link(hostA, vol).resolveSibling(link(hostA, vol).getFileName() + "-part1");
        assertThat(Files.readSymbolicLink(part)).isEqualTo(Files.readSymbolicLink(link(hostA, vol)));
        assertThat(drvCfg(GUID_A, "--query_vols")).as("drv_cfg ignores -part links").startsWith("Retrieved 1 volume(s)\n");
        unmap(vol, GUID_A);
        assertThat(Files.exists(part, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void closeDetachesEverythingAndRemovesTheLinks() throws Exception {
        String v1 = client.createVolume("dp-close-1", 8, pool);
        String v2 = client.createVolume("dp-close-2", 8, pool);
        map(v1, GUID_A);
        map(v2, GUID_B);
        assertThat(LoopDeviceSweeper.devicesUnder(dataDir)).hasSize(2);
        gw.close();
        assertThat(LoopDeviceSweeper.devicesUnder(dataDir)).isEmpty();
        assertThat(Files.exists(link(hostA, v1), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.exists(link(hostB, v2), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void aNewStartCleansUpWhatACrashedRunLeft() throws Exception {
        String systemId = gw.systemId();
        gw.close();
        gw = null;
        // what a SIGKILLed emulator leaves: a volume file, an attached loop device, a journal entry and a link
        Path volumes = dataDir.resolve("volumes");
        Path file = volumes.resolve("00000000000000aa.img");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(1 << 20);
        }
        String loop = Commands.check(List.of("losetup", "--find", "--show", file.toString()), Duration.ofSeconds(30)).strip();
        Path stale = Files.createDirectories(hostA).resolve("emc-vol-" + systemId + "-00000000000000aa");
        Files.createSymbolicLink(stale, Path.of(loop));
        Files.writeString(dataDir.resolve("journal").resolve("00000000000000aa-00000000000000bb"), "loop=" + loop + "\nlink=" + stale + "\n");
        assertThat(LoopDeviceSweeper.devicesUnder(dataDir)).hasSize(1);

        gw = ScaleIoGatewayEmulator.builder().dataDir(dataDir).dataPath(kind()).start();
        assertThat(LoopDeviceSweeper.devicesUnder(dataDir)).isEmpty();
        assertThat(Files.exists(stale, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(file).doesNotExist();
    }

    @Test
    void unmapOfAMountedDeviceStillDetaches() throws Exception {
        Prerequisites.requireCommands("mkfs.ext4", "mount", "umount");
        String vol = client.createVolume("dp-busy", 8, pool);
        map(vol, GUID_A);
        Path device = Files.readSymbolicLink(link(hostA, vol));
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        Commands.check(List.of("mkfs.ext4", "-q", "-F", device.toString()), Duration.ofSeconds(60));
        Commands.check(List.of("mount", device.toString(), mnt.toString()), Duration.ofSeconds(30));
        try {
            unmap(vol, GUID_A);
            assertThat(Files.exists(link(hostA, vol), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
            assertThat(client.volume(vol).get("mappedSdcInfo").isNull()).isTrue();
        } finally {
            Commands.run(List.of("umount", "-l", mnt.toString()), Duration.ofSeconds(30));
        }
    }

    private String drvCfg(String guid, String arg) throws IOException {
        return Commands.check(List.of(gw.sdc(guid).drvCfg().toString(), arg), Duration.ofSeconds(10));
    }

    private static long allocatedBytes(Path file) throws IOException {
        String out = Commands.check(List.of("stat", "-c", "%b %B", file.toString()), Duration.ofSeconds(10)).strip();
        String[] f = out.split(" ");
        return Long.parseLong(f[0]) * Long.parseLong(f[1]);
    }

    private static long sectors(Path device) throws IOException {
        return Long.parseLong(Files.readString(Path.of("/sys/block", device.getFileName().toString(), "size")).strip());
    }

    private static void write(Path device, long offset, byte[] data) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(device.toFile(), "rw")) {
            raf.seek(offset);
            raf.write(data);
            raf.getFD().sync();
        }
    }

    private static byte[] read(Path device, long offset, int length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(device.toFile(), "r")) {
            raf.seek(offset);
            byte[] buf = new byte[length];
            raf.readFully(buf);
            return buf;
        }
    }
}
