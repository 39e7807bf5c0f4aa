package io.libstorage.emulator.scaleio.internal.host;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Volumes as sparse files under {@code <dataDir>/volumes}; a mapping attaches a real loop device
 * ({@code losetup --find --show --partscan}) and links it into the SDC's device directory, as udev does for
 * {@code /dev/scini*}. Every attachment is journalled under {@code <dataDir>/journal} before it is used,
 * so that a later start in the same data dir can remove what a crashed run left behind.
 *
 * <p>Unmapping a device that is still mounted detaches it anyway: {@code losetup -d} on a busy loop device
 * only sets autoclear, and the kernel releases it when the last user closes it. That is the emulator's
 * stand-in for a real SDC losing a volume under a mounted filesystem. What the old host can still do with the
 * device until then depends on the {@link LoopBacking}: with the plain one it keeps reading and writing the
 * volume file; with the fenced one (loop devices over files served through FUSE under
 * {@code <dataDir>/fenced}) every I/O fails with EIO from the moment of the unmap.
 *
 * <p>Callers serialise calls per volume (the gateway model calls this under its lock).
 */
public final class LoopDataPath implements DataPath {
    private static final Logger LOG = LoggerFactory.getLogger(LoopDataPath.class);
    private static final Duration LOSETUP_DEADLINE = Duration.ofSeconds(30);
    private static final Duration COPY_DEADLINE = Duration.ofMinutes(5);

    private final Path volumesDir;
    private final Path fencedDir;
    private final Path journalDir;
    private final boolean partitionDecoy;
    private static final Duration DETACH_SETTLE = Duration.ofSeconds(2);
    private final String losetup = Commands.locate("losetup");
    private final Map<String, Attachment> attachments = new LinkedHashMap<>();
    private final LoopBacking backing;

    /** {@code backingFile}: what the loop device is attached to (the volume file, or its fenced view). */
    private record Attachment(String volumeId, String sdcId, Path backingFile, Path loopDevice, List<Path> links, Path journal) {
    }

    /**
     * @param dataDir        the emulator's data directory
     * @param partitionDecoy whether to add an {@code -part1} link even when the volume has no partition
     * @param fenced         whether loop devices go through the FUSE server that fences unmapped hosts
     */
    public LoopDataPath(Path dataDir, boolean partitionDecoy, boolean fenced) throws IOException {
        // the kernel reports backing files by their real path, so compare against the real path
        this.volumesDir = Files.createDirectories(dataDir.resolve("volumes")).toRealPath();
        this.fencedDir = volumesDir.resolveSibling("fenced");
        this.journalDir = Files.createDirectories(dataDir.resolve("journal")).toRealPath();
        this.partitionDecoy = partitionDecoy;
        cleanUpPreviousRun();
        this.backing = fenced ? LoopBacking.fenced(fencedDir) : LoopBacking.plain();
    }

    Path file(String volumeId) {
        return volumesDir.resolve(volumeId + ".img");
    }

    @Override
    public void create(String volumeId, long sizeBytes) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(Files.createFile(file(volumeId)).toFile(), "rw")) {
            raf.setLength(sizeBytes);
        }
    }

    @Override
    public void copy(String sourceId, String targetId) throws IOException {
        Commands.check(List.of(Commands.locate("cp"), "--sparse=always", file(sourceId).toString(), file(targetId).toString()),
                COPY_DEADLINE);
    }

    @Override
    public void resize(String volumeId, long sizeBytes) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file(volumeId).toFile(), "rw")) {
            raf.setLength(sizeBytes);
        }
        for (Attachment a : attachments.values()) {
            if (a.volumeId().equals(volumeId)) {
                Files.size(a.backingFile()); // a stat makes a FUSE-served file's kernel inode take the new size first
                Commands.check(List.of(losetup, "--set-capacity", a.loopDevice().toString()), LOSETUP_DEADLINE);
            }
        }
    }

    @Override
    public void delete(String volumeId) throws IOException {
        Files.deleteIfExists(file(volumeId));
    }

    @Override
    public void map(String systemId, String volumeId, String sdcId, Path deviceDir) throws IOException {
        String key = key(volumeId, sdcId);
        if (attachments.containsKey(key)) {
            return;
        }
        Files.createDirectories(deviceDir);
        Path journal = journalDir.resolve(key);
        Path backingFile = backing.attach(key, file(volumeId));
        String dev;
        try {
            dev = attachLoop(backingFile);
        } catch (IOException e) {
            backing.fence(key);
            throw e;
        }
        Path loop = Path.of(dev);
        List<Path> links = new ArrayList<>();
        String base = DataPath.linkName(systemId, volumeId);
        links.add(deviceDir.resolve(base));
        List<Path> partitions = partitionsOf(loop);
        for (int i = 0; i < partitions.size(); i++) {
            links.add(deviceDir.resolve(base + "-part" + (i + 1)));
        }
        if (partitions.isEmpty() && partitionDecoy) {
            links.add(deviceDir.resolve(base + "-part1"));
        }
        writeJournal(journal, loop, links);
        Attachment attachment = new Attachment(volumeId, sdcId, backingFile, loop, List.copyOf(links), journal);
        attachments.put(key, attachment);
        try {
            link(links.get(0), loop);
            for (int i = 0; i < partitions.size(); i++) {
                link(links.get(i + 1), partitions.get(i));
            }
            if (partitions.isEmpty() && partitionDecoy) {
                link(links.get(1), loop);
            }
        } catch (IOException e) {
            release(attachment);
            throw e;
        }
    }

    private String attachLoop(Path backingFile) throws IOException {
        List<String> command = List.of(losetup, "--find", "--show", "--partscan", backingFile.toString());
        if (backing.directIo()) {
            List<String> direct = new ArrayList<>(command);
            direct.add(direct.size() - 1, "--direct-io=on");
            Commands.Result r = Commands.run(direct, LOSETUP_DEADLINE);
            if (r.exitCode() == 0) {
                return r.stdout().strip();
            }
            LOG.info("loop device without direct I/O on {}: {}", backingFile, r.stderr().strip()); // a kernel that refuses it
        }
        return Commands.check(command, LOSETUP_DEADLINE).strip();
    }

    @Override
    public void unmap(String systemId, String volumeId, String sdcId) throws IOException {
        Attachment a = attachments.get(key(volumeId, sdcId));
        if (a != null) {
            release(a);
        }
    }

    @Override
    public Path device(String volumeId, String sdcId) {
        Attachment a = attachments.get(key(volumeId, sdcId));
        return a == null ? null : a.loopDevice();
    }

    @Override
    public void close() {
        for (Attachment a : List.copyOf(attachments.values())) {
            try {
                release(a);
            } catch (IOException e) {
                LOG.warn("could not release {} of volume {}: {}", a.loopDevice(), a.volumeId(), e.getMessage());
            }
        }
        backing.close();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(volumesDir)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            LOG.warn("could not delete the volume files under {}: {}", volumesDir, e.getMessage());
        }
    }

    /** Fences the host first, so that from the moment of the unmap none of its I/O reaches the volume. */
    private void release(Attachment a) throws IOException {
        backing.fence(key(a.volumeId(), a.sdcId()));
        for (Path link : a.links()) {
            removeLinkIfOurs(link, a.loopDevice());
        }
        detachIfOurs(a.loopDevice());
        attachments.remove(key(a.volumeId(), a.sdcId()));
        Files.deleteIfExists(a.journal());
    }

    private static void link(Path link, Path target) throws IOException {
        if (Files.isSymbolicLink(link)) {
            Files.delete(link); // stale link from an earlier mapping; a real udev would replace it too
        }
        Files.createSymbolicLink(link, target);
    }

    /** Removes a link we created unless it has been replaced meanwhile by something else. */
    private static void removeLinkIfOurs(Path link, Path loop) throws IOException {
        if (!Files.isSymbolicLink(link)) {
            return;
        }
        Path target = Files.readSymbolicLink(link);
        if (target.toString().startsWith(loop.toString())) {
            Files.deleteIfExists(link);
        }
    }

    /**
     * Detaches the loop device only while it is still backed by one of our files: other users' tests share this machine.
     * While something holds the device open (often udev's probe, for a moment after every change) {@code losetup
     * --detach} only marks it to go at its last close, so this waits a little for it to go, as a real SDC's unmap
     * removes the device before the gateway answers.
     */
    private void detachIfOurs(Path loop) throws IOException {
        Path file = backingFile(loop);
        if (file != null && ours(file)) {
            Commands.check(List.of(losetup, "--detach", loop.toString()), LOSETUP_DEADLINE);
            long deadline = System.nanoTime() + DETACH_SETTLE.toNanos();
            while (backingFile(loop) != null && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(10_000_000L);
            }
        }
    }

    private boolean ours(Path backingFile) {
        return backingFile.startsWith(volumesDir) || backingFile.startsWith(fencedDir);
    }

    private static Path backingFile(Path loop) {
        Path sys = Path.of("/sys/block", loop.getFileName().toString(), "loop", "backing_file");
        try {
            String f = Files.readString(sys, StandardCharsets.UTF_8).strip();
            if (f.endsWith(" (deleted)")) {
                f = f.substring(0, f.length() - " (deleted)".length());
            }
            return Path.of(f).toAbsolutePath().normalize();
        } catch (IOException e) {
            return null;
        }
    }

    private static List<Path> partitionsOf(Path loop) {
        String name = loop.getFileName().toString();
        List<Path> out = new ArrayList<>();
        for (int i = 1; Files.exists(Path.of("/sys/block", name, name + "p" + i)); i++) {
            out.add(Path.of("/dev", name + "p" + i));
        }
        return out;
    }

    private static void writeJournal(Path journal, Path loop, List<Path> links) throws IOException {
        StringBuilder sb = new StringBuilder("loop=").append(loop).append('\n');
        for (Path l : links) {
            sb.append("link=").append(l).append('\n');
        }
        Path tmp = journal.resolveSibling(journal.getFileName() + ".tmp");
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, journal, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The model is not persistent, so everything a previous run in this data dir left is stale: its links,
     * its loop devices (only those backed by files under our volumes or fenced dir), the FUSE mount of a killed
     * fenced run (dead: its server is gone) and its volume files.
     */
    private void cleanUpPreviousRun() throws IOException {
        try (DirectoryStream<Path> journals = Files.newDirectoryStream(journalDir)) {
            for (Path journal : journals) {
                Path loop = null;
                List<Path> links = new ArrayList<>();
                for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                    if (line.startsWith("loop=")) {
                        loop = Path.of(line.substring(5));
                    } else if (line.startsWith("link=")) {
                        links.add(Path.of(line.substring(5)));
                    }
                }
                if (loop != null) {
                    for (Path link : links) {
                        removeLinkIfOurs(link, loop);
                    }
                }
                Files.deleteIfExists(journal);
            }
        }
        for (Path loop : loopDevicesBackedBy(this::ours)) {
            LOG.info("detaching {} left behind by an earlier run", loop);
            detachIfOurs(loop);
        }
        if (isMountPoint(fencedDir)) {
            LOG.info("unmounting the FUSE mount {} left behind by an earlier run", fencedDir);
            Commands.check(List.of(Commands.locate("umount"), "--lazy", fencedDir.toString()), LOSETUP_DEADLINE);
        }
        Files.deleteIfExists(fencedDir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(volumesDir)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static List<Path> loopDevicesBackedBy(Predicate<Path> files) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> blocks = Files.newDirectoryStream(Path.of("/sys/block"), "loop*")) {
            for (Path block : blocks) {
                Path loop = Path.of("/dev", block.getFileName().toString());
                Path file = backingFile(loop);
                if (file != null && files.test(file)) {
                    out.add(loop);
                }
            }
        } catch (IOException e) {
            // no /sys/block: nothing we could have attached
        }
        return out;
    }

    /** Whether something is mounted at {@code dir} in this mount namespace ({@code /proc/self/mountinfo}, field 5). */
    private static boolean isMountPoint(Path dir) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            if (fields.length > 4 && Path.of(unescapeOctal(fields[4])).equals(dir)) {
                return true;
            }
        }
        return false;
    }

    /** mountinfo writes space, tab, newline and backslash as {@code \ooo}. */
    private static String unescapeOctal(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).chars().allMatch(d -> d >= '0' && d <= '7')) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String key(String volumeId, String sdcId) {
        return volumeId + "-" + sdcId;
    }
}
