package io.libstorage.core.internal.linux;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.MountEntry;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.ProcessHolder;
import io.libstorage.api.RefusedToFormatException;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.spi.FormatOptions;
import io.libstorage.spi.ProbeResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Formatting, mounting, unmounting and growing real loop devices. */
class LinuxFormatMountIT {
    private static final ErrorContext CTX = ErrorContext.of("mount", "vol-1", "host-a", "test");
    private final CountingRunner runner = new CountingRunner();
    private final LinuxOSDriver os = new LinuxOSDriver(runner, Duration.ofSeconds(30), Duration.ofMinutes(5));
    private LoopFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        RootPrerequisites.requireLoopDevicesAnd("blkid", "mkfs.ext2", "mkfs.ext4", "mkfs.xfs", "mkfs.btrfs", "mkfs.vfat",
                "sfdisk", "resize2fs", "xfs_growfs", "btrfs", "fsfreeze");
        fx = new LoopFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.close();
            assertThat(fx.devices()).isEmpty();
        }
    }

    private static int mib(String fs) {
        return switch (fs) {
            case "xfs" -> 320;
            case "btrfs" -> 128;
            default -> 64;
        };
    }

    @ParameterizedTest
    @CsvSource({"ext4,a-long-volume-name-for-labels,a-long-volume-na", "xfs,a-long-volume-name-for-labels,a-long-volum",
            "btrfs,a-long-volume-name-for-labels,a-long-volume-name-for-labels"})
    void formatsMountsAndUnmounts(String fs, String label, String expectedLabel) throws Exception {
        Path dev = fx.device(fs + ".img", mib(fs));
        os.format(CTX, dev, new FormatOptions(fs, List.of(), label, false));
        assertThat(os.probe(CTX, dev)).isEqualTo(new ProbeResult.Signature(fs, "filesystem"));
        assertThat(LoopFixture.run("blkid", "-p", "-o", "value", "-s", "LABEL", dev.toString()).strip()).isEqualTo(expectedLabel);

        Path mp = fx.dir.resolve("mnt with space/" + fs);
        os.mount(CTX, dev, mp, fs, List.of("noatime"));
        MountEntry e = os.mountAt(CTX, mp).orElseThrow();
        assertThat(e.deviceNumber()).isEqualTo(os.deviceNumber(CTX, dev).orElseThrow());
        assertThat(e.fsType()).isEqualTo(fs);
        assertThat(e.options()).contains("noatime");
        Files.writeString(mp.resolve("hello.txt"), "hello " + fs);

        long mounts = runner.count("mount");
        os.mount(CTX, dev, mp, fs, List.of("noatime"));
        assertThat(runner.count("mount")).as("an idempotent mount spawns nothing").isEqualTo(mounts);

        os.unmount(CTX, mp, false);
        assertThat(os.mountAt(CTX, mp)).isEmpty();
        long umounts = runner.count("umount");
        os.unmount(CTX, mp, false);
        assertThat(runner.count("umount")).as("unmounting an unmounted target spawns nothing").isEqualTo(umounts);

        os.mount(CTX, dev, mp, fs, List.of());
        assertThat(Files.readString(mp.resolve("hello.txt"))).isEqualTo("hello " + fs);
        os.unmount(CTX, mp, false);
    }

    @Test
    void neverFormatsADeviceThatIsNotBlank() throws Exception {
        Path ext2 = fx.image("ext2.img", 64L << 20);
        LoopFixture.run("mkfs.ext2", "-q", "-F", ext2.toString());
        Path vfat = fx.image("vfat.img", 64L << 20);
        LoopFixture.run("mkfs.vfat", vfat.toString());
        Path random = fx.image("random.img", 64L << 20);
        byte[] noise = new byte[1 << 20];
        new SplittableRandom(7).nextBytes(noise);
        try (RandomAccessFile f = new RandomAccessFile(random.toFile(), "rw")) {
            f.write(noise);
        }
        Path dos = fx.image("dos.img", 64L << 20);
        Process p = new ProcessBuilder("sfdisk", "-q", dos.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write("label: dos\n,32M,83\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();

        for (Path img : List.of(ext2, vfat, random, dos)) {
            String before = LoopFixture.sha256(img);
            Path dev = fx.attach(img);
            for (String fs : List.of("ext4", "xfs", "btrfs")) {
                assertThatThrownBy(() -> os.format(CTX, dev, new FormatOptions(fs, List.of(), "v", false)))
                        .isInstanceOf(RefusedToFormatException.class)
                        .hasMessageContaining(dev.toString());
            }
            assertThat(LoopFixture.sha256(img)).as("content of %s", img.getFileName()).isEqualTo(before);
        }
        assertThat(runner.countStartingWith("mkfs")).isZero();
    }

    @Test
    void overwritesOnlyWhenAskedAndNeverAMountedDevice() throws Exception {
        Path img = fx.image("ext2.img", 64L << 20);
        LoopFixture.run("mkfs.ext2", "-q", "-F", img.toString());
        Path dev = fx.attach(img);
        Path mp = fx.dir.resolve("m");
        os.mount(CTX, dev, mp, "ext2", List.of());
        assertThatThrownBy(() -> os.format(CTX, dev, new FormatOptions("ext4", List.of(), "v", true)))
                .isInstanceOf(RefusedToFormatException.class).hasMessageContaining("mounted at");
        os.unmount(CTX, mp, false);
        os.format(CTX, dev, new FormatOptions("ext4", List.of("-b", "1024"), "v", true));
        assertThat(os.probe(CTX, dev)).isEqualTo(new ProbeResult.Signature("ext4", "filesystem"));
        assertThat(LoopFixture.run("blkid", "-p", "-o", "value", "-s", "BLOCK_SIZE", dev.toString()).strip()).isEqualTo("1024");
    }

    @Test
    void aTargetHoldingAnotherDeviceIsAnErrorNamingIt() throws Exception {
        Path a = fx.device("a.img", 64);
        Path b = fx.device("b.img", 64);
        os.format(CTX, a, new FormatOptions("ext4", List.of(), "a", false));
        os.format(CTX, b, new FormatOptions("ext4", List.of(), "b", false));
        Path mp = fx.dir.resolve("shared");
        os.mount(CTX, a, mp, "ext4", List.of());
        String aNumber = os.deviceNumber(CTX, a).orElseThrow();
        assertThatThrownBy(() -> os.mount(CTX, b, mp, "ext4", List.of()))
                .isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("already holds " + a)
                .hasMessageContaining(aNumber)
                .hasMessageContaining("volume=vol-1");
        assertThat(os.mountAt(CTX, mp).orElseThrow().deviceNumber()).isEqualTo(aNumber);
    }

    @Test
    void mountsReadOnlyAndComparesDevicesNotPaths() throws Exception {
        Path dev = fx.device("ro.img", 64);
        os.format(CTX, dev, new FormatOptions("ext4", List.of(), "ro", false));
        Path mp = fx.dir.resolve("ro");
        os.mount(CTX, dev, mp, "ext4", List.of("ro"));
        assertThat(os.mountAt(CTX, mp).orElseThrow().readOnly()).isTrue();
        // another path to the same device node: still the same device
        Path alias = fx.dir.resolve("alias");
        Files.createSymbolicLink(alias, dev);
        long mounts = runner.count("mount");
        os.mount(CTX, alias, mp, "ext4", List.of("ro"));
        assertThat(runner.count("mount")).isEqualTo(mounts);
        assertThatThrownBy(() -> os.mount(CTX, dev, mp, "ext4", List.of()))
                .isInstanceOf(OperationFailedException.class).hasMessageContaining("read-only");
        assertThatThrownBy(() -> Files.writeString(mp.resolve("x"), "x")).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aBusyUnmountNamesTheHoldersAndALazyOneDetachesAnyway() throws Exception {
        Path dev = fx.device("busy.img", 64);
        os.format(CTX, dev, new FormatOptions("ext4", List.of(), "busy", false));
        Path mp = fx.dir.resolve("busy");
        os.mount(CTX, dev, mp, "ext4", List.of());
        Path inside = Files.createDirectories(mp.resolve("data"));
        Process sleeper = new ProcessBuilder("sleep", "600").directory(inside.toFile()).start();
        try {
            assertThatThrownBy(() -> os.unmount(CTX, mp, false))
                    .isInstanceOfSatisfying(VolumeInUseException.class, busy -> {
                        assertThat(busy.holders()).contains(new ProcessHolder(sleeper.pid(), "sleep"));
                        assertThat(busy.getMessage()).contains(sleeper.pid() + ":sleep").contains(mp.toString());
                        assertThat(busy.retryable()).isTrue();
                    });
            assertThat(os.mountAt(CTX, mp)).isPresent();

            os.unmount(CTX, mp, true);
            assertThat(os.mountAt(CTX, mp)).isEmpty();
            assertThat(sleeper.isAlive()).isTrue();
        } finally {
            sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @CsvSource({"xfs,320,400", "btrfs,128,288"})
    void growsAMountedFilesystemToItsDevice(String fs, int fromMib, int toMib) throws Exception {
        Path img = fx.image(fs + "-grow.img", (long) fromMib << 20);
        Path dev = fx.attach(img);
        os.format(CTX, dev, new FormatOptions(fs, List.of(), "grow", false));
        Path mp = fx.dir.resolve("grow-" + fs);
        os.mount(CTX, dev, mp, fs, List.of());
        Files.writeString(mp.resolve("keep.txt"), "kept");
        long before = Files.getFileStore(mp).getTotalSpace();

        enlarge(img, dev, toMib);
        os.growFilesystem(CTX, dev, mp, fs);
        long after = Files.getFileStore(mp).getTotalSpace();
        assertThat(after - before).isGreaterThan((long) (toMib - fromMib) << 20 >> 1);
        os.growFilesystem(CTX, dev, mp, fs);
        assertThat(Files.getFileStore(mp).getTotalSpace()).isEqualTo(after);
        assertThat(Files.readString(mp.resolve("keep.txt"))).isEqualTo("kept");
    }

    /**
     * ext4 grows online only with CAP_SYS_RESOURCE (missing in some containers, where resize2fs
     * says "Permission denied"); unmounted it always grows.
     */
    @Test
    void growsExt4OnlineWhenAllowedAndOfflineAlways() throws Exception {
        Path img = fx.image("ext4-grow.img", 64L << 20);
        Path dev = fx.attach(img);
        os.format(CTX, dev, new FormatOptions("ext4", List.of(), "grow", false));
        Path mp = fx.dir.resolve("grow-ext4");
        os.mount(CTX, dev, mp, "ext4", List.of());
        Files.writeString(mp.resolve("keep.txt"), "kept");
        long before = Files.getFileStore(mp).getTotalSpace();
        enlarge(img, dev, 96);
        if (hasCapSysResource()) {
            os.growFilesystem(CTX, dev, mp, "ext4");
            assertThat(Files.getFileStore(mp).getTotalSpace() - before).isGreaterThan(16L << 20);
            enlarge(img, dev, 128);
        } else {
            assertThatThrownBy(() -> os.growFilesystem(CTX, dev, mp, "ext4"))
                    .isInstanceOf(OperationFailedException.class).hasMessageContaining("CAP_SYS_RESOURCE");
        }
        long online = Files.getFileStore(mp).getTotalSpace();
        os.unmount(CTX, mp, false);
        os.growFilesystem(CTX, dev, null, "ext4");
        os.mount(CTX, dev, mp, "ext4", List.of());
        assertThat(Files.getFileStore(mp).getTotalSpace() - online).isGreaterThan(16L << 20);
        assertThat(Files.readString(mp.resolve("keep.txt"))).isEqualTo("kept");
    }

    private static void enlarge(Path img, Path dev, int mib) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength((long) mib << 20);
        }
        LoopFixture.run("losetup", "-c", dev.toString());
    }

    static boolean hasCapSysResource() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseLong(line.substring(7).strip(), 16) & (1L << 24)) != 0;
            }
        }
        return false;
    }

    @Test
    void freezesAndThaws() throws Exception {
        Path dev = fx.device("freeze.img", 64);
        os.format(CTX, dev, new FormatOptions("ext4", List.of(), "freeze", false));
        Path mp = fx.dir.resolve("freeze");
        os.mount(CTX, dev, mp, "ext4", List.of());
        try (FileChannel ch = FileChannel.open(mp.resolve("f"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap("before".getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        os.freeze(CTX, mp);
        try {
            assertThat(LoopFixture.exitCode("fsfreeze", "-f", mp.toString())).as("already frozen").isNotZero();
        } finally {
            os.thaw(CTX, mp);
        }
        Files.writeString(mp.resolve("f"), "after");
        assertThat(Files.readString(mp.resolve("f"))).isEqualTo("after");
        assertThat(Map.of("mounted", os.mountAt(CTX, mp).isPresent())).containsEntry("mounted", true);
    }
}
