package io.libstorage.emulator.vbox.internal.host;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A running VM's hard disks as real loop devices over the media's backing files, linked into the guest's
 * {@code diskIdPath} under the name udev gives VirtualBox AHCI disks ({@link DataPath#linkName}), plus
 * {@code -partN} links for partitions the kernel finds (or a {@code -part1} decoy). Every attachment is journalled
 * under {@code <dataDir>/journal} before use so that a later start in the same data dir removes what a killed run
 * left. Loop devices are only detached while still backed by the medium's file; links only removed while they
 * still point at our loop device. Callers serialise calls (the model lock).
 */
public final class LoopDataPath implements DataPath {
    private static final Logger LOG = LoggerFactory.getLogger(LoopDataPath.class);

    private final Path journalDir;
    private final boolean partitionDecoy;
    private final Losetup losetup = new Losetup();
    private final Map<String, Attached> attached = new LinkedHashMap<>();

    private record Attached(UUID vmId, UUID diskId, Path file, Path loop, List<Path> links, Path journal) {
    }

    public LoopDataPath(Path dataDir, boolean partitionDecoy) throws IOException {
        this.journalDir = Files.createDirectories(dataDir.resolve("journal")).toRealPath();
        this.partitionDecoy = partitionDecoy;
        cleanUpPreviousRun();
    }

    @Override
    public void reconcile(UUID vmId, Path diskIdPath, Map<UUID, Path> disks) throws IOException {
        for (Attached a : List.copyOf(attached.values())) {
            if (a.vmId().equals(vmId) && !disks.containsKey(a.diskId())) {
                release(a);
            }
        }
        for (Map.Entry<UUID, Path> d : disks.entrySet()) {
            if (!attached.containsKey(key(d.getKey(), vmId))) {
                attach(vmId, diskIdPath, d.getKey(), d.getValue());
            }
        }
    }

    private void attach(UUID vmId, Path dir, UUID diskId, Path file) throws IOException {
        Files.createDirectories(dir);
        Path real = file.toRealPath();
        Path loop = losetup.attach(real);
        String base = DataPath.linkName(diskId);
        List<Path> partitions = Losetup.partitions(loop);
        List<Path> links = new ArrayList<>();
        links.add(dir.resolve(base));
        for (int i = 0; i < partitions.size(); i++) {
            links.add(dir.resolve(base + "-part" + (i + 1)));
        }
        if (partitions.isEmpty() && partitionDecoy) {
            links.add(dir.resolve(base + "-part1"));
        }
        Path journal = journalDir.resolve(key(diskId, vmId));
        Attached a = new Attached(vmId, diskId, real, loop, List.copyOf(links), journal);
        writeJournal(a);
        attached.put(key(diskId, vmId), a);
        try {
            link(links.get(0), loop);
            for (int i = 0; i < partitions.size(); i++) {
                link(links.get(i + 1), partitions.get(i));
            }
            if (partitions.isEmpty() && partitionDecoy) {
                link(links.get(1), loop);
            }
        } catch (IOException e) {
            release(a);
            throw e;
        }
    }

    @Override
    public Path device(UUID diskId, UUID vmId) {
        Attached a = attached.get(key(diskId, vmId));
        return a == null ? null : a.loop();
    }

    @Override
    public void close() {
        for (Attached a : List.copyOf(attached.values())) {
            try {
                release(a);
            } catch (IOException e) {
                LOG.warn("could not release {} of medium {}: {}", a.loop(), a.diskId(), e.getMessage());
            }
        }
    }

    private void release(Attached a) throws IOException {
        for (Path link : a.links()) {
            removeLinkIfOurs(link, a.loop());
        }
        if (a.file().equals(Losetup.backingFile(a.loop()))) {
            losetup.detach(a.loop());
        }
        attached.remove(key(a.diskId(), a.vmId()));
        Files.deleteIfExists(a.journal());
    }

    private static void link(Path link, Path target) throws IOException {
        if (Files.isSymbolicLink(link)) {
            Files.delete(link); // stale link from an earlier attachment; udev would replace it too
        }
        Files.createSymbolicLink(link, target);
    }

    private static void removeLinkIfOurs(Path link, Path loop) throws IOException {
        if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).toString().startsWith(loop.toString())) {
            Files.deleteIfExists(link);
        }
    }

    private static void writeJournal(Attached a) throws IOException {
        StringBuilder sb = new StringBuilder("loop=").append(a.loop()).append('\n').append("file=").append(a.file()).append('\n');
        for (Path l : a.links()) {
            sb.append("link=").append(l).append('\n');
        }
        Path tmp = a.journal().resolveSibling(a.journal().getFileName() + ".tmp");
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, a.journal(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes the links and loop devices a killed run recorded in its journal. */
    private void cleanUpPreviousRun() throws IOException {
        try (DirectoryStream<Path> journals = Files.newDirectoryStream(journalDir)) {
            for (Path journal : journals) {
                Path loop = null;
                Path file = null;
                List<Path> links = new ArrayList<>();
                for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                    if (line.startsWith("loop=")) {
                        loop = Path.of(line.substring(5));
                    } else if (line.startsWith("file=")) {
                        file = Path.of(line.substring(5));
                    } else if (line.startsWith("link=")) {
                        links.add(Path.of(line.substring(5)));
                    }
                }
                if (loop != null) {
                    for (Path link : links) {
                        removeLinkIfOurs(link, loop);
                    }
                    if (file != null && file.equals(Losetup.backingFile(loop))) {
                        LOG.info("detaching {} left behind by an earlier run", loop);
                        losetup.detach(loop);
                    }
                }
                Files.deleteIfExists(journal);
            }
        }
    }

    private static String key(UUID diskId, UUID vmId) {
        return diskId + "@" + vmId;
    }
}
