package io.libstorage.localfs;

import io.libstorage.api.VolumeEventListener;
import io.libstorage.core.DriverCatalog;
import io.libstorage.core.LibStorage;
import io.libstorage.localfs.internal.LocalFsDriverProvider;
import io.libstorage.spi.DriverConfig;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.OSDriverProvider;
import io.libstorage.spi.support.FileTrees;
import io.libstorage.tck.LoopDeviceSweeper;
import io.libstorage.tck.Prerequisites;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A private temporary directory with a localfs root ({@code dir/localfs}) and a libstorage state
 * root ({@code dir/state}), a counting process runner, and a {@link #close()} that unmounts and
 * detaches only what is backed by or mounted under this directory (other engineers run loop-device
 * tests on the same machine), even when the test failed.
 */
public final class LocalFsFixture implements AutoCloseable {
    public final Path dir;
    public final Path root;
    public final Path state;
    public final CountingProcessRunner runner = new CountingProcessRunner();
    private OSDriver linuxOs;

    public LocalFsFixture() throws IOException {
        dir = Files.createTempDirectory("libstorage-localfs-it-").toRealPath();
        root = dir.resolve("localfs");
        state = dir.resolve("state");
    }

    /**
     * A fixture for a test that needs loop devices and {@code commands}: a missing one skips the test with its reason
     * (fails it under {@code CI=true}, see {@link Prerequisites}).
     */
    public static LocalFsFixture requiring(String... commands) throws IOException {
        Prerequisites.requireLoopDevices();
        Prerequisites.requireCommands(commands);
        return new LocalFsFixture();
    }

    /** {@link #close()}, then fails when a loop device or a mount of this fixture is still there. */
    public void closeLeavingNothing() throws IOException {
        close();
        assertThat(loopDevices()).as("loop devices left").isEmpty();
        assertThat(mounts()).as("mounts left").isEmpty();
    }

    /** A new driver instance on this root (a "process restart" when called again). */
    public LocalFsDriver driver() {
        return driver(Map.of());
    }

    public LocalFsDriver driver(Map<String, Object> options) {
        return driver(options, Clock.systemUTC());
    }

    public LocalFsDriver driver(Map<String, Object> options, Clock clock) {
        LocalFsDriverProvider p = new LocalFsDriverProvider();
        Map<String, Object> raw = new LinkedHashMap<>(options);
        raw.putIfAbsent("root", root.toString());
        return (LocalFsDriver) p.create(new DriverContext(DriverConfig.parse("localfs", p.configKeys(), raw), runner, clock, linuxOs()));
    }

    /** The Linux OS driver (found as LibStorage finds it), running commands through {@link #runner}; also the drivers' view of the host. */
    public synchronized OSDriver linuxOs() {
        if (linuxOs == null) {
            OSDriverProvider p = DriverCatalog.load().osDriver("linux");
            linuxOs = p.create(new DriverContext(DriverConfig.parse("linux", p.configKeys(), Map.of()), runner, Clock.systemUTC()));
        }
        return linuxOs;
    }

    /** LibStorage over localfs and the Linux OS driver, volumes 64 MiB ext4 by default. */
    public LibStorage libStorage(VolumeEventListener... listeners) {
        return libStorageBuilder(listeners).build();
    }

    public LibStorage.Builder libStorageBuilder(VolumeEventListener... listeners) {
        LibStorage.Builder b = LibStorage.builder().storageDriver("localfs").storageOption("root", root.toString())
                .stateRoot(state).processRunner(runner)
                .set("integration.volume.operations.create.default.size", "64MiB");
        for (VolumeEventListener l : listeners) {
            b.listener(l);
        }
        return b;
    }

    /** Loop devices backed by files in this directory. */
    public List<Path> loopDevices() {
        return LoopDeviceSweeper.devicesUnder(dir);
    }

    /** Mount points at or under this directory. */
    public List<Path> mounts() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            Path mp = Path.of(line.split(" ")[4].replace("\\040", " "));
            if (mp.startsWith(dir)) {
                out.add(mp);
            }
        }
        return out;
    }

    public static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(err, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code content} to {@code file} and fsyncs it. */
    public static void writeSynced(Path file, byte[] content) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
            var buf = java.nio.ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }

    @Override
    public void close() throws IOException {
        for (int round = 0; round < 100 && (!mounts().isEmpty() || !loopDevices().isEmpty()); round++) {
            LoopDeviceSweeper.unmountAllUnder(dir);
            LoopDeviceSweeper.sweep(dir);
            if (!mounts().isEmpty() || !loopDevices().isEmpty()) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (mounts().isEmpty()) {
            FileTrees.deleteTree(dir);
        }
    }
}
