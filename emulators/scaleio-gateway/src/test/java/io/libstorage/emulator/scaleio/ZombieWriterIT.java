package io.libstorage.emulator.scaleio;

import io.libstorage.emulator.scaleio.internal.host.Commands;
import io.libstorage.tck.LoopDeviceSweeper;
import io.libstorage.tck.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.libstorage.emulator.scaleio.SdcConnectivityTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partition case of a takeover: the old owner is alive but cut off from the MDM (its SDC agent stopped, so the
 * gateway shows it Disconnected), its filesystem still mounted and still writing. The volume is taken over as
 * {@code IF_OWNER_UNREACHABLE} does it (unmap from the Disconnected owner, map to the new host), the new owner
 * mounts it and writes. Then the old owner tries to write: through its filesystem (O_DIRECT, and buffered with
 * fsync) and straight onto its device, over the very blocks that hold the new owner's file.
 *
 * <p>With {@link DataPathKind#FENCED} every such write fails with EIO and the new owner's data stays intact,
 * checked by SHA-256 after a fresh mount and in the volume file itself. {@link DataPathKind#LOOP} is the
 * counter-example: there the same zombie write lands and corrupts the new owner's file, which is why the
 * fenced data path exists.
 */
class ZombieWriterIT {
    private static final String GUID_A = "7E012974-3651-4DCB-9954-25975A3C3CDF";
    private static final String GUID_B = "9E56672F-2F4B-4A42-BFF4-88B6846FBFDA";
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @TempDir
    Path tmp;
    private ScaleIoGatewayEmulator gw;
    private final List<AutoCloseable> agents = new ArrayList<>();
    private final List<Path> mounts = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Path m : mounts) {
            Commands.run(List.of("umount", "-l", m.toString()), DEADLINE);
        }
        for (AutoCloseable a : agents) {
            a.close();
        }
        if (gw != null) {
            gw.close();
        }
        LoopDeviceSweeper.sweep(tmp);
        LoopDeviceSweeper.unmountAllUnder(tmp); // a FUSE mount the emulator could not remove
    }

    @Test
    void aFencedOldOwnerCannotWriteAndTheNewOwnersDataStaysIntact() throws Exception {
        FencedLoopDataPathIT.requireFuse();
        Takeover t = takeOver(DataPathKind.FENCED);

        Commands.Result viaFs = t.zombieWritesThroughItsFilesystemWithODirect();
        assertThat(viaFs.exitCode()).as("O_DIRECT write through the old owner's filesystem").isNotZero();
        assertThat(viaFs.stderr()).contains("Input/output error");
        Commands.Result buffered = t.zombieWritesThroughItsFilesystemAndFsyncs();
        assertThat(buffered.exitCode()).as("buffered write + fsync through the old owner's filesystem").isNotZero();
        Commands.Result raw = t.zombieOverwritesTheNewOwnersBlocks();
        assertThat(raw.exitCode()).as("raw O_DIRECT write over the new owner's blocks").isNotZero();
        assertThat(raw.stderr()).contains("Input/output error");
        Commands.Result read = t.zombieReadsItsDevice();
        assertThat(read.exitCode()).as("O_DIRECT read of the old owner's device").isNotZero();
        assertThat(read.stderr()).contains("Input/output error");

        assertThat(t.newOwnersBlocksInTheVolumeFile()).as("the volume file where the new owner's file lives").isEqualTo(t.newOwnersSha);
        t.newOwnerRemounts();
        assertThat(sha256(t.mntB.resolve("owner-b.bin"))).as("the new owner's file after a fresh mount").isEqualTo(t.newOwnersSha);
        assertThat(Files.readString(t.mntB.resolve("owner-a.txt"))).as("what the old owner wrote before the takeover").isEqualTo("written by A\n");
        assertThat(t.mntB.resolve("zombie.bin")).doesNotExist();
        assertThat(t.mntB.resolve("zombie-buffered.txt")).doesNotExist();
        assertThat(t.mappedSdcs()).as("exactly one mapping, to the new owner").containsExactly(gw.sdc(GUID_B).sdcId());
    }

    @Test
    void withThePlainLoopDataPathTheSameZombieWriteCorruptsTheNewOwnersData() throws Exception {
        Takeover t = takeOver(DataPathKind.LOOP);

        Commands.Result raw = t.zombieOverwritesTheNewOwnersBlocks();

        assertThat(raw.exitCode()).as(raw.stderr()).isZero();
        assertThat(t.newOwnersBlocksInTheVolumeFile()).isNotEqualTo(t.newOwnersSha);
    }

    /** Host A owns the volume (ext4, a file written), is cut off, and host B takes it over and writes its own file. */
    private Takeover takeOver(DataPathKind kind) throws Exception {
        Prerequisites.requireLoopDevices();
        Prerequisites.requireCommands("mkfs.ext4", "mount", "umount", "dd", "filefrag", "sync");
        Path hostA = tmp.resolve("hostA/dev/disk/by-id");
        Path hostB = tmp.resolve("hostB/dev/disk/by-id");
        gw = ScaleIoGatewayEmulator.builder().dataDir(tmp.resolve("data")).dataPath(kind)
                .sdc(SdcSpec.of(GUID_A, "10.0.0.5").withDeviceDir(hostA))
                .sdc(SdcSpec.of(GUID_B, "10.0.0.6").withDeviceDir(hostB))
                .start();
        GatewayClient client = new GatewayClient(gw).login("admin", "Scaleio123");
        SdcAgent agentA = SdcAgent.connect("127.0.0.1", gw.mdmPort(), GUID_A);
        agents.add(agentA);
        agents.add(SdcAgent.connect("127.0.0.1", gw.mdmPort(), GUID_B));
        String vol = client.createVolume("vol_dane", 8, client.poolId("pool1"));

        post(client, vol, "addMappedSdc", GUID_A);
        Path devA = Files.readSymbolicLink(hostA.resolve("emc-vol-" + gw.systemId() + "-" + vol));
        Path mntA = mount(devA, "mntA", true);
        Files.writeString(mntA.resolve("owner-a.txt"), "written by A\n");
        check("sync", "-f", mntA.resolve("owner-a.txt").toString());

        // the partition: A stays up with its filesystem mounted, but its SDC no longer reaches the MDM
        agentA.close();
        await(() -> "Disconnected".equals(client.get("/api/instances/Sdc::" + gw.sdc(GUID_A).sdcId())
                .json().get("mdmConnectionState").asText()), "host A Disconnected");

        // the takeover, as IF_OWNER_UNREACHABLE does it after the grace period
        post(client, vol, "removeMappedSdc", GUID_A);
        post(client, vol, "addMappedSdc", GUID_B);
        Path devB = Files.readSymbolicLink(hostB.resolve("emc-vol-" + gw.systemId() + "-" + vol));
        Path mntB = mount(devB, "mntB", false);
        Path fileB = mntB.resolve("owner-b.bin");
        check("dd", "if=/dev/urandom", "of=" + fileB, "bs=1M", "count=4", "oflag=direct", "conv=fsync");
        return new Takeover(client, vol, devA, mntA, devB, mntB, sha256(fileB), extents(fileB));
    }

    /** Where a file's data lies on its device: {first 4 KiB block, number of blocks} per extent, in file order. */
    private record Extent(long firstBlock, long blocks) {
    }

    private final class Takeover {
        final GatewayClient client;
        final String vol;
        final Path devA;
        final Path mntA;
        final Path devB;
        final Path mntB;
        final String newOwnersSha;
        /** Where the new owner's file owner-b.bin lies on the device. */
        final List<Extent> extents;

        Takeover(GatewayClient client, String vol, Path devA, Path mntA, Path devB, Path mntB, String newOwnersSha, List<Extent> extents) {
            this.client = client;
            this.vol = vol;
            this.devA = devA;
            this.mntA = mntA;
            this.devB = devB;
            this.mntB = mntB;
            this.newOwnersSha = newOwnersSha;
            this.extents = extents;
        }

        Commands.Result zombieWritesThroughItsFilesystemWithODirect() throws IOException {
            return Commands.run(List.of("dd", "if=/dev/urandom", "of=" + mntA.resolve("zombie.bin"), "bs=64k", "count=16",
                    "oflag=direct", "conv=fsync"), DEADLINE);
        }

        Commands.Result zombieWritesThroughItsFilesystemAndFsyncs() throws IOException {
            return Commands.run(List.of("dd", "if=/dev/urandom", "of=" + mntA.resolve("zombie-buffered.txt"), "bs=4k", "count=4",
                    "conv=fsync"), DEADLINE);
        }

        /** The worst a zombie can do: O_DIRECT over exactly the blocks of the new owner's file. The first failure, or the last success. */
        Commands.Result zombieOverwritesTheNewOwnersBlocks() throws IOException {
            Commands.Result r = null;
            for (Extent e : extents) {
                r = Commands.run(List.of("dd", "if=/dev/zero", "of=" + devA, "bs=4096", "seek=" + e.firstBlock(), "count=" + e.blocks(),
                        "oflag=direct"), DEADLINE);
                if (r.exitCode() != 0) {
                    return r;
                }
            }
            return r;
        }

        Commands.Result zombieReadsItsDevice() throws IOException {
            return Commands.run(List.of("dd", "if=" + devA, "of=/dev/null", "bs=4096", "count=16", "iflag=direct"), DEADLINE);
        }

        /** SHA-256 of the new owner's file read from the volume file itself: no host's page cache in between. */
        String newOwnersBlocksInTheVolumeFile() throws IOException {
            Path image = tmp.resolve("data/volumes/" + vol + ".img");
            MessageDigest sha = sha();
            try (RandomAccessFile raf = new RandomAccessFile(image.toFile(), "r")) {
                byte[] buf = new byte[4096];
                for (Extent e : extents) {
                    raf.seek(e.firstBlock() * 4096);
                    for (long b = 0; b < e.blocks(); b++) {
                        raf.readFully(buf);
                        sha.update(buf);
                    }
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        }

        void newOwnerRemounts() throws IOException {
            check("umount", mntB.toString());
            mounts.remove(mntB);
            check("mount", devB.toString(), mntB.toString());
            mounts.add(mntB);
        }

        List<String> mappedSdcs() {
            List<String> out = new ArrayList<>();
            client.volume(vol).get("mappedSdcInfo").forEach(m -> out.add(m.get("sdcId").asText()));
            return out;
        }
    }

    private Path mount(Path device, String name, boolean format) throws IOException {
        if (format) {
            check("mkfs.ext4", "-q", "-F", device.toString());
        }
        Path mnt = Files.createDirectories(tmp.resolve(name));
        check("mount", device.toString(), mnt.toString());
        mounts.add(mnt);
        return mnt;
    }

    private static void post(GatewayClient client, String vol, String action, String guid) {
        GatewayClient.Answer a = client.post("/api/instances/Volume::" + vol + "/action/" + action, Map.of("guid", guid));
        assertThat(a.status()).as(action + ": " + a.body()).isEqualTo(200);
    }

    /** The file's extents from FIEMAP ({@code filefrag -v}): {@code "  0:   0..  1023:   34816..  35839:   1024: ..."}. */
    private static List<Extent> extents(Path file) throws IOException {
        String out = check("filefrag", "-v", "-b4096", file.toString());
        Matcher m = Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\.\\.\\s*\\d+:\\s+(\\d+)\\.\\.\\s*\\d+:\\s+(\\d+):").matcher(out);
        List<Extent> extents = new ArrayList<>();
        long blocks = 0;
        while (m.find()) {
            extents.add(new Extent(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
            blocks += Long.parseLong(m.group(2));
        }
        assertThat(blocks * 4096).as("extents cover the file; filefrag said:\n" + out).isEqualTo(Files.size(file));
        return extents;
    }

    private static String check(String... command) throws IOException {
        return Commands.check(List.of(command), DEADLINE);
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest sha = sha();
        sha.update(Files.readAllBytes(file));
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
