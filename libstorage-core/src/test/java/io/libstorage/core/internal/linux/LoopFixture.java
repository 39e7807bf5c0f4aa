package io.libstorage.core.internal.linux;

import io.libstorage.spi.support.FileTrees;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private temporary directory with sparse images attached as loop devices. {@link #close()}
 * lazily unmounts everything mounted under the directory or from its devices, detaches only the
 * loop devices whose backing files lie in this directory (other engineers run loop-device tests on
 * the same machine), and deletes the directory. (libstorage-tck's LoopDeviceSweeper does the
 * same, but core's tests cannot depend on libstorage-tck, which depends on core.)
 */
final class LoopFixture implements AutoCloseable {
    final Path dir;
    private final List<Path> attached = new ArrayList<>();

    LoopFixture() throws IOException {
        this.dir = Files.createTempDirectory("libstorage-linux-it-").toRealPath();
    }

    /** A sparse file of {@code bytes}. */
    Path image(String name, long bytes) throws IOException {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return p;
    }

    /** Attaches {@code image} to a free loop device. */
    Path attach(Path image) {
        Path device = Path.of(run("losetup", "--find", "--show", image.toString()).strip());
        attached.add(device);
        return device;
    }

    /** A new sparse image of {@code mib} MiB attached to a loop device. */
    Path device(String name, int mib) throws IOException {
        return attach(image(name, (long) mib << 20));
    }

    /**
     * A loop device that answers every read with EIO. No device-mapper here (no {@code dmsetup}
     * {@code error} target), so: an ext4 image is mounted from a loop device, a second loop device
     * is attached to a file inside that filesystem, and the filesystem is shut down
     * ({@code xfs_io -x -c shutdown}, FS_IOC_SHUTDOWN, which ext4 implements too). From then on the
     * second device's reads fail with EIO, even with O_DIRECT.
     */
    Path failingDevice() throws IOException {
        Path outer = device("failing-outer.img", 64);
        run("mkfs.ext4", "-q", outer.toString());
        Path mnt = mountPoint("failing-outer");
        run("mount", outer.toString(), mnt.toString());
        Path inner = mnt.resolve("inner.img");
        try (RandomAccessFile f = new RandomAccessFile(inner.toFile(), "rw")) {
            f.setLength(16L << 20);
        }
        Path device = attach(inner);
        run("xfs_io", "-x", "-c", "shutdown", mnt.toString());
        return device;
    }

    Path mountPoint(String name) throws IOException {
        return Files.createDirectories(dir.resolve("mnt").resolve(name));
    }

    /** Runs a setup command and returns its stdout; fails the test on a non-zero exit. */
    static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                        + new String(err, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int exitCode(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(120, TimeUnit.SECONDS);
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String sha256(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loop devices backed by files in this fixture's directory. */
    List<Path> devices() {
        List<Path> out = new ArrayList<>();
        try (var dirs = Files.newDirectoryStream(Path.of("/sys/block"), "loop*")) {
            for (Path d : dirs) {
                Path backing = d.resolve("loop/backing_file");
                if (Files.exists(backing)) {
                    String file = Files.readString(backing).strip().replaceAll(" \\(deleted\\)$", "");
                    if (file.startsWith(dir + "/")) {
                        out.add(Path.of("/dev", d.getFileName().toString()));
                    }
                }
            }
        } catch (IOException e) {
            // nothing visible
        }
        return out;
    }

    /** Mount points under this directory or of the given devices (by number or by source), deepest first. */
    List<String> mounts(List<Path> devices) throws IOException {
        List<String> devNums = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (Path dev : devices) {
            sources.add(dev.toString());
            Path sysDev = Path.of("/sys/block", dev.getFileName().toString(), "dev");
            if (Files.exists(sysDev)) {
                devNums.add(Files.readString(sysDev).strip());
            }
        }
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            String mp = f[4].replace("\\040", " ");
            int sep = java.util.Arrays.asList(f).indexOf("-");
            String source = sep > 0 && sep + 2 < f.length ? f[sep + 2] : "";
            if (mp.startsWith(dir + "/") || devNums.contains(f[2]) || sources.contains(source)) {
                out.add(mp);
            }
        }
        out.sort((a, b) -> b.length() - a.length());
        return out;
    }

    /**
     * Devices this fixture attached are released newest first (an inner device backed by a file on
     * an outer device's filesystem must go before that filesystem is unmounted, or its backing path
     * leaves this directory); then whatever else is backed by files here, until nothing is left.
     */
    @Override
    public void close() throws IOException {
        for (int i = attached.size() - 1; i >= 0; i--) {
            Path dev = attached.get(i);
            for (String mp : mounts(List.of(dev))) {
                exitCode("umount", "-l", mp);
            }
            exitCode("losetup", "-d", dev.toString());
        }
        for (int round = 0; round < 100; round++) {
            List<Path> devices = devices();
            List<String> mounts = mounts(devices);
            if (devices.isEmpty() && mounts.isEmpty()) {
                break;
            }
            mounts.forEach(mp -> exitCode("umount", "-l", mp));
            devices.forEach(dev -> exitCode("losetup", "-d", dev.toString()));
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (mounts(devices()).isEmpty()) {
            FileTrees.deleteTree(dir);
        }
    }
}
