package io.libstorage.emulator.scaleio.internal.host.fuse;

import io.libstorage.emulator.scaleio.internal.host.Commands;
import io.libstorage.tck.LoopDeviceSweeper;
import io.libstorage.tck.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The FUSE server behind the fenced data path, driven through real loop devices (root, {@code /dev/fuse}). */
class FencedVolumesIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    @TempDir
    Path tmp;
    private FencedVolumes fuse;
    private Path volume;
    private Process writer;

    @BeforeEach
    void mount() throws Exception {
        Prerequisites.requireLoopDevices();
        Prerequisites.require(Files.exists(Path.of("/dev/fuse")), "the test needs /dev/fuse (modprobe fuse)");
        fuse = FencedVolumes.mount(Files.createDirectories(tmp.resolve("fenced")), 4);
        volume = tmp.resolve("vol.img");
        try (RandomAccessFile raf = new RandomAccessFile(volume.toFile(), "rw")) {
            raf.setLength(64L << 20);
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (writer != null && writer.isAlive()) {
            writer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        LoopDeviceSweeper.sweep(tmp);
        if (fuse != null) {
            fuse.close();
        }
        LoopDeviceSweeper.unmountAllUnder(tmp);
    }

    private String attach(Path file) throws IOException {
        return Commands.check(List.of("losetup", "--find", "--show", file.toString()), DEADLINE).strip();
    }

    @Test
    void aGrantedFileReadsAndWritesTheVolume() throws Exception {
        String loop = attach(fuse.grant("vol-a", volume));
        Commands.check(List.of("dd", "if=/dev/urandom", "of=" + loop, "bs=64k", "count=16", "seek=3", "oflag=direct"), DEADLINE);
        assertThat(sha256(Path.of(loop), 3 * 65536, 16 * 65536)).isEqualTo(sha256(volume, 3 * 65536, 16 * 65536));
        assertThat(Commands.check(List.of("ls", fuse.mountPoint().toString()), DEADLINE).strip()).isEqualTo("vol-a");
    }

    @Test
    void revokeWaitsForWritesInFlightAndNothingLandsAfterIt() throws Exception {
        String loop = attach(fuse.grant("vol-a", volume));
        writer = new ProcessBuilder("dd", "if=/dev/urandom", "of=" + loop, "bs=64k", "count=100000", "oflag=direct")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(tmp.resolve("dd.err").toFile()).start();
        Instant giveUp = Instant.now().plus(DEADLINE);
        while (allocatedBytes(volume) < (1 << 20) && Instant.now().isBefore(giveUp)) {
            Thread.sleep(20); // until the writer is well under way
        }
        assertThat(writer.isAlive()).as("the writer is still writing when the grant is revoked").isTrue();

        fuse.revoke("vol-a");
        String atRevoke = sha256(volume, 0, 64L << 20);

        assertThat(writer.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(writer.exitValue()).isNotZero();
        assertThat(Files.readString(tmp.resolve("dd.err"))).contains("Input/output error");
        assertThat(sha256(volume, 0, 64L << 20)).as("nothing written after the revoke returned").isEqualTo(atRevoke);
        assertThat(Commands.run(List.of("dd", "if=" + loop, "of=/dev/null", "bs=4k", "count=1", "iflag=direct"), DEADLINE).exitCode())
                .as("reads fail too").isNotZero();
    }

    @Test
    void aNameGrantedAgainIsANewFileAndTheEarlierDeviceStaysFenced() throws Exception {
        String first = attach(fuse.grant("vol-a", volume));
        String second = attach(fuse.grant("vol-a", volume));

        assertThat(write(first, 0)).as("the device of the replaced grant").isNotZero();
        assertThat(write(second, 0)).as("the device of the current grant").isZero();
    }

    @Test
    void discardIsPassedOnAndFencedLikeAWrite() throws Exception {
        Prerequisites.requireCommands("blkdiscard");
        String loop = attach(fuse.grant("vol-a", volume));
        Commands.check(List.of("dd", "if=/dev/urandom", "of=" + loop, "bs=1M", "count=8", "oflag=direct"), DEADLINE);
        long written = allocatedBytes(volume);

        Commands.check(List.of("blkdiscard", "--offset", "0", "--length", Long.toString(4L << 20), loop), DEADLINE);
        long afterDiscard = allocatedBytes(volume);
        assertThat(afterDiscard).as("punched a hole in the volume file").isLessThan(written);

        fuse.revoke("vol-a");
        assertThat(Commands.run(List.of("blkdiscard", "--offset", Long.toString(4L << 20), "--length", Long.toString(4L << 20), loop),
                DEADLINE).exitCode()).isNotZero();
        assertThat(allocatedBytes(volume)).isEqualTo(afterDiscard);
    }

    @Test
    void closingTheServerFailsTheIoOfDevicesStillAttachedInsteadOfHangingIt() throws Exception {
        String loop = attach(fuse.grant("vol-a", volume));
        fuse.close();
        fuse = null;

        Commands.Result r = Commands.run(List.of("dd", "if=/dev/zero", "of=" + loop, "bs=4k", "count=1", "oflag=direct"), DEADLINE);

        assertThat(r.exitCode()).as(r.stderr()).isNotZero();
        Commands.check(List.of("losetup", "--detach", loop), DEADLINE);
    }

    private static int write(String device, long block) throws IOException {
        return Commands.run(List.of("dd", "if=/dev/zero", "of=" + device, "bs=4k", "count=1", "seek=" + block, "oflag=direct"), DEADLINE).exitCode();
    }

    private static long allocatedBytes(Path file) throws IOException {
        String[] f = Commands.check(List.of("stat", "-c", "%b %B", file.toString()), DEADLINE).strip().split(" ");
        return Long.parseLong(f[0]) * Long.parseLong(f[1]);
    }

    private static String sha256(Path file, long offset, long length) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(offset);
            byte[] buf = new byte[65536];
            for (long done = 0; done < length; done += buf.length) {
                raf.readFully(buf, 0, (int) Math.min(buf.length, length - done));
                sha.update(buf, 0, (int) Math.min(buf.length, length - done));
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
