package io.libstorage.localfs;

import io.libstorage.api.ByteSizes;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.StorageDriver;
import io.libstorage.tck.TckTarget;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The conformance target for localfs: a private root with real images and loop devices, the Linux
 * OS driver, and back-end mutations counted at the back end itself: every state-changing command
 * run ({@code losetup} attach/detach/resize, image copies) plus every change of the root's files
 * (images and metadata) between two observations.
 */
final class LocalFsTarget implements TckTarget {
    private final LocalFsFixture fixture;
    private final List<String> fsTypes;
    private Map<String, String> lastFingerprint = Map.of();
    private long fileChanges;

    LocalFsTarget(List<String> fsTypes) {
        try {
            this.fixture = new LocalFsFixture();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.fsTypes = fsTypes;
    }

    @Override
    public StorageDriver newDriver() {
        return fixture.driver();
    }

    @Override
    public OSDriver newOsDriver() {
        return fixture.linuxOs();
    }

    /** Another identity on the same root: localfs takes a volume from it only by detaching its loop device. */
    @Override
    public StorageDriver newDriverForHost(String hostName) {
        return fixture.driver(Map.of("hostId", hostName));
    }

    @Override
    public Path workDir() {
        return fixture.dir;
    }

    @Override
    public synchronized long backendMutations() {
        long commands = fixture.runner.commands().stream().filter(c ->
                (c.get(0).equals("losetup") && c.size() > 1 && List.of("--find", "--detach", "--set-capacity").contains(c.get(1)))
                        || c.get(0).equals("cp")).count();
        Map<String, String> now = fingerprint();
        if (!now.equals(lastFingerprint)) {
            fileChanges++;
            lastFingerprint = now;
        }
        return commands + fileChanges;
    }

    private Map<String, String> fingerprint() {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(fixture.root)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(fixture.root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p) && !p.getFileName().toString().equals("localfs.lock")) {
                    out.put(fixture.root.relativize(p).toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p).toInstant());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public long volumeSizeBytes() {
        return 320 * ByteSizes.MIB;
    }

    @Override
    public List<String> fsTypes() {
        return fsTypes;
    }

    @Override
    public int crashRuns() {
        return Integer.getInteger("libstorage.tck.crashRuns.localfs", 1000);
    }

    @Override
    public void close() {
        try {
            fixture.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
