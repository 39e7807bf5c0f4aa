package io.libstorage.core.internal.linux;

import io.libstorage.api.DeviceIOException;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.core.DriverCatalog;
import io.libstorage.spi.DriverConfig;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.FormatOptions;
import io.libstorage.spi.OSDriverProvider;
import io.libstorage.spi.ProbeResult;
import io.libstorage.spi.ProcessResult;
import io.libstorage.spi.ProcessRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Linux OS driver without root: a scripted process runner, regular files instead of devices. */
class LinuxOSDriverTest {
    private static final ErrorContext CTX = ErrorContext.of("mount", "v1", "host-a", "localfs");

    /** Records every command with its deadline and answers blkid with a fixed exit code. */
    static final class ScriptedRunner implements ProcessRunner {
        final List<List<String>> commands = new CopyOnWriteArrayList<>();
        final List<Duration> deadlines = new CopyOnWriteArrayList<>();
        int blkidExit = 2;

        @Override
        public ProcessResult run(ErrorContext context, List<String> command, Duration timeout) {
            commands.add(command);
            deadlines.add(timeout);
            int exit = command.get(0).equals("blkid") ? blkidExit : 0;
            return new ProcessResult(command, exit, "", "", Duration.ZERO);
        }
    }

    private final ScriptedRunner runner = new ScriptedRunner();
    private final LinuxOSDriver os = new LinuxOSDriver(runner, Duration.ofSeconds(7), Duration.ofMinutes(3));

    private static Path file(Path dir, String name, long size, long nonZeroAt) throws Exception {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
            if (nonZeroAt >= 0) {
                f.seek(nonZeroAt);
                f.write(1);
            }
        }
        return p;
    }

    @Test
    void isRegisteredAsTheLinuxProviderWithItsKeys() {
        OSDriverProvider p = DriverCatalog.load().osDriver("linux");
        assertThat(p).isInstanceOf(LinuxOSDriverProvider.class);
        assertThat(p.configKeys()).extracting(k -> k.name()).containsExactly("commandTimeout", "mkfsTimeout");
        DriverConfig config = DriverConfig.parse("linux", p.configKeys(), Map.of("commandTimeout", "5s"));
        assertThat(p.create(new DriverContext(config, runner, Clock.systemUTC())).name()).isEqualTo("linux");
    }

    @Test
    void probeOfZerosWithNoSignatureIsBlank(@TempDir Path dir) throws Exception {
        Path img = file(dir, "zero.img", 64L << 20, -1);
        assertThat(os.probe(CTX, img)).isEqualTo(ProbeResult.blank());
        assertThat(runner.commands).containsExactly(List.of("blkid", "-p", "-o", "export", img.toString()));
        assertThat(runner.deadlines).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void nonZeroBytesInTheFirstOrLastMibOrASampleAreData(@TempDir Path dir) throws Exception {
        long size = 64L << 20;
        for (long at : new long[]{0, 4096, size - 1, size - (1 << 20), size / 7 * 3 + 100}) {
            Path img = file(dir, "d" + at + ".img", size, at);
            assertThat(os.probe(CTX, img)).as("non-zero byte at %d", at).isEqualTo(new ProbeResult.Signature("data", "non-zero data"));
        }
    }

    @Test
    void smallAndOddSizedDevicesAreReadCompletely(@TempDir Path dir) throws Exception {
        assertThat(os.probe(CTX, file(dir, "small.img", 5000, -1))).isEqualTo(ProbeResult.blank());
        assertThat(os.probe(CTX, file(dir, "odd.img", (3L << 20) + 512, (3L << 20) + 511)))
                .isEqualTo(new ProbeResult.Signature("data", "non-zero data"));
    }

    @Test
    void aMissingDeviceIsAnIoErrorNeverBlank() {
        assertThatThrownBy(() -> os.probe(CTX, Path.of("/dev/does-not-exist-42")))
                .isInstanceOf(DeviceIOException.class).hasMessageContaining("/dev/does-not-exist-42");
        assertThat(runner.commands).isEmpty();
    }

    @Test
    void blkidFailingIsAnIoError(@TempDir Path dir) throws Exception {
        runner.blkidExit = 4;
        Path img = file(dir, "z.img", 1 << 20, -1);
        assertThatThrownBy(() -> os.probe(CTX, img)).isInstanceOf(DeviceIOException.class).hasMessageContaining("exited 4");
    }

    @Test
    void anUnknownFilesystemIsRefusedBeforeAnyCommand() {
        assertThatThrownBy(() -> os.format(CTX, Path.of("/dev/loop9"), new FormatOptions("zfs", List.of(), "v", false)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("'zfs'").hasMessageContaining("[ext4, xfs, btrfs]");
        assertThat(runner.commands).isEmpty();
    }

    @Test
    void formatRefusesSomethingThatIsNotABlockDevice(@TempDir Path dir) throws Exception {
        Path img = file(dir, "f.img", 1 << 20, -1);
        assertThatThrownBy(() -> os.format(CTX, img, new FormatOptions("ext4", List.of(), "v", false)))
                .isInstanceOf(DeviceIOException.class).hasMessageContaining("not a block device");
        assertThat(runner.commands).isEmpty();
    }

    @Test
    void unmountOfATargetThatIsNotMountedSpawnsNothing(@TempDir Path dir) {
        os.unmount(CTX, dir.resolve("not-mounted"), false);
        os.unmount(CTX, dir, true);
        assertThat(runner.commands).isEmpty();
    }

    @Test
    void itMakesOnlyTheFilesystemsWhoseMkfsIsInstalled() {
        LinuxOSDriver partial = new LinuxOSDriver(runner, Duration.ofSeconds(7), Duration.ofMinutes(3),
                program -> program.equals("mkfs.xfs") || program.equals("mkfs.ext4") || program.equals("mkfs.zfs"));
        assertThat(partial.supportedFilesystems()).containsExactly("ext4", "xfs");
        assertThat(LinuxOSDriver.onPath("sh")).isTrue();
        assertThat(LinuxOSDriver.onPath("mkfs.no-such-filesystem")).isFalse();
        assertThat(runner.commands).as("found in-process, nothing spawned").isEmpty();
    }

    @Test
    void deviceNumberAndMountTableAreInProcess(@TempDir Path dir) throws Exception {
        assertThat(os.deviceNumber(CTX, Path.of("/dev/does-not-exist-42"))).isEmpty();
        assertThat(os.deviceNumber(CTX, file(dir, "x", 1, -1))).isEmpty();
        assertThat(os.mounts(CTX)).isNotEmpty();
        assertThat(os.mountAt(CTX, Path.of("/"))).isPresent();
        assertThat(os.bootId()).matches("[0-9a-f-]{36}").isSameAs(os.bootId());
        assertThat(runner.commands).isEmpty();
    }

    @Test
    void deviceRegionsCoverTheStartAndTheEnd() {
        assertThat(new ArrayList<>(DeviceRegions.regionStarts(64L << 20))).first().isEqualTo(0L);
        assertThat(DeviceRegions.regionStarts(64L << 20)).contains((63L << 20)).hasSize(8);
    }
}
