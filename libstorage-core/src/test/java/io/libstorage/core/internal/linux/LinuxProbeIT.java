package io.libstorage.core.internal.linux;

import io.libstorage.api.DeviceIOException;
import io.libstorage.api.ErrorContext;
import io.libstorage.spi.FormatOptions;
import io.libstorage.spi.ProbeResult;
import io.libstorage.spi.support.SystemProcessRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Probing real loop devices: blank only when nothing at all is there; unreadable is an error. */
class LinuxProbeIT {
    private static final ErrorContext CTX = ErrorContext.of("probe", "v1", "host-a", "test");
    private final LinuxOSDriver os = new LinuxOSDriver(SystemProcessRunner.instance(), Duration.ofSeconds(30), Duration.ofMinutes(5));
    private LoopFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        RootPrerequisites.requireLoopDevicesAnd("blkid", "mkfs.ext2", "mkfs.ext4", "mkfs.xfs", "mkfs.btrfs", "mkfs.vfat",
                "sfdisk", "mkswap", "xfs_io");
        fx = new LoopFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.close();
            assertThat(fx.devices()).isEmpty();
        }
    }

    private ProbeResult probeImage(String name, int mib, String... mkfs) throws Exception {
        Path img = fx.image(name, (long) mib << 20);
        if (mkfs.length > 0) {
            String[] cmd = java.util.Arrays.copyOf(mkfs, mkfs.length + 1);
            cmd[mkfs.length] = img.toString();
            LoopFixture.run(cmd);
        }
        return os.probe(CTX, fx.attach(img));
    }

    @Test
    void aZeroedDeviceIsBlank() throws Exception {
        assertThat(probeImage("blank.img", 64)).isEqualTo(ProbeResult.blank());
    }

    @Test
    void everyFilesystemIsASignature() throws Exception {
        assertThat(probeImage("ext2.img", 64, "mkfs.ext2", "-q", "-F")).isEqualTo(new ProbeResult.Signature("ext2", "filesystem"));
        assertThat(probeImage("ext4.img", 64, "mkfs.ext4", "-q", "-F")).isEqualTo(new ProbeResult.Signature("ext4", "filesystem"));
        assertThat(probeImage("xfs.img", 320, "mkfs.xfs", "-q")).isEqualTo(new ProbeResult.Signature("xfs", "filesystem"));
        assertThat(probeImage("btrfs.img", 128, "mkfs.btrfs", "-q")).isEqualTo(new ProbeResult.Signature("btrfs", "filesystem"));
        assertThat(probeImage("vfat.img", 64, "mkfs.vfat")).isEqualTo(new ProbeResult.Signature("vfat", "filesystem"));
        assertThat(probeImage("swap.img", 64, "mkswap")).isEqualTo(new ProbeResult.Signature("swap", "other"));
    }

    @Test
    void partitionTablesAreSignatures() throws Exception {
        for (String label : List.of("dos", "gpt")) {
            Path img = fx.image(label + ".img", 64L << 20);
            Process p = new ProcessBuilder("sfdisk", "-q", img.toString()).redirectErrorStream(true).start();
            p.getOutputStream().write(("label: " + label + "\n,32M\n").getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().close();
            p.getInputStream().readAllBytes();
            assertThat(p.waitFor()).isZero();
            ProbeResult r = os.probe(CTX, fx.attach(img));
            assertThat(r).isEqualTo(new ProbeResult.Signature(label, "partition table"));
            assertThat(((ProbeResult.Signature) r).isFilesystem()).isFalse();
        }
    }

    @Test
    void lvmAndLuksHeadersAreSignatures() throws Exception {
        Path lvm = fx.image("lvm.img", 64L << 20);
        LvmLabel.write(lvm, 64L << 20);
        assertThat(os.probe(CTX, fx.attach(lvm))).isEqualTo(new ProbeResult.Signature("LVM2_member", "raid"));

        Path luks = fx.image("luks.img", 64L << 20);
        try (RandomAccessFile f = new RandomAccessFile(luks.toFile(), "rw")) {
            f.write(new byte[]{'L', 'U', 'K', 'S', (byte) 0xba, (byte) 0xbe, 0, 1});
        }
        assertThat(os.probe(CTX, fx.attach(luks))).isEqualTo(new ProbeResult.Signature("crypto_LUKS", "crypto"));
    }

    @Test
    void randomDataIsNeverBlank() throws Exception {
        Path img = fx.image("random.img", 64L << 20);
        byte[] noise = new byte[1 << 20];
        new SplittableRandom(42).nextBytes(noise);
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.write(noise);
        }
        assertThat(os.probe(CTX, fx.attach(img))).isEqualTo(new ProbeResult.Signature("data", "non-zero data"));
    }

    @Test
    void dataOnlyAtTheEndIsNeverBlank() throws Exception {
        Path img = fx.image("tail.img", 64L << 20);
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.seek((64L << 20) - 100);
            f.write("backup superblock?".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(os.probe(CTX, fx.attach(img))).isEqualTo(new ProbeResult.Signature("data", "non-zero data"));
    }

    @Test
    void aDeviceThatReturnsIoErrorsIsNeverBlank() throws Exception {
        Path failing = fx.failingDevice();
        assertThatThrownBy(() -> os.probe(CTX, failing))
                .isInstanceOf(DeviceIOException.class)
                .hasMessageContaining(failing.toString())
                .hasMessageContaining("Input/output error")
                .hasMessageContaining("volume=v1");
        assertThatThrownBy(() -> os.format(CTX, failing, new FormatOptions("ext4", List.of(), "v1", false)))
                .isInstanceOf(DeviceIOException.class);
    }

    /** The health check reconcile runs on a mounted volume's device: an in-process direct read, no process. */
    @Test
    void theHealthCheckReadsTheDeviceItselfAndReportsIoErrors() throws Exception {
        CountingRunner counting = new CountingRunner();
        LinuxOSDriver counted = new LinuxOSDriver(counting, Duration.ofSeconds(30), Duration.ofMinutes(5));
        Path img = fx.image("ok.img", 64L << 20);
        LoopFixture.run("mkfs.ext4", "-q", "-F", img.toString());
        counted.checkReadable(CTX, fx.attach(img));

        Path failing = fx.failingDevice();
        assertThatThrownBy(() -> counted.checkReadable(CTX, failing))
                .isInstanceOf(DeviceIOException.class)
                .hasMessageContaining(failing.toString())
                .hasMessageContaining("Input/output error");
        assertThatThrownBy(() -> counted.checkReadable(CTX, fx.dir.resolve("no-such-device")))
                .isInstanceOf(DeviceIOException.class).hasMessageContaining("no such device");
        assertThat(counting.commands).isEmpty();
    }
}
