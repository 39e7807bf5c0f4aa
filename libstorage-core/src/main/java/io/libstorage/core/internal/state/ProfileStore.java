package io.libstorage.core.internal.state;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.VolumeNames;
import io.libstorage.spi.support.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * This host's cache of {@link VolumeProfile}s: {@code <stateRoot>/profiles/<name>.json}, written atomically at a
 * create on this host and at every mount that read the volume's own record; deleted when the volume is removed
 * here. A file that cannot be read is treated as absent (the volume's own record is the truth; the next mount
 * rewrites the cache). Unlike {@code volumes.d}, a profile outlives the last unmount.
 */
public final class ProfileStore {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileStore.class);
    private static final String SUFFIX = ".json";

    private final Path dir;

    public ProfileStore(Path stateRoot) {
        this.dir = stateRoot.resolve("profiles");
    }

    /** The cached profile of the volume named {@code name}, if it describes volume {@code volumeId}. */
    public Optional<VolumeProfile> read(String name, String volumeId) {
        return read(dir.resolve(name + SUFFIX)).filter(p -> p.volumeId().equals(volumeId) && p.name().equals(name));
    }

    /** Every cached profile, by volume id (for listings, where a back end may show another name). */
    public Map<String, VolumeProfile> byVolumeId() {
        Map<String, VolumeProfile> out = new HashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().endsWith(SUFFIX) && !f.getFileName().toString().startsWith("."))
                    .forEach(f -> read(f).ifPresent(p -> out.put(p.volumeId(), p)));
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", dir, e.toString());
        }
        return out;
    }

    public void save(VolumeProfile profile, ErrorContext ctx) {
        VolumeNames.requireValid(profile.name(), ctx);
        Path file = dir.resolve(profile.name() + SUFFIX);
        if (read(file).filter(profile::equals).isPresent()) {
            return;
        }
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(file, StateJson.COMPACT.asBytes(profile));
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public void delete(String name) {
        try {
            AtomicFiles.delete(dir.resolve(name + SUFFIX));
        } catch (IOException e) {
            LOG.warn("cannot delete the cached profile of '{}': {}", name, e.toString());
        }
    }

    /**
     * Deletes the temporary files that interrupted writes of cached profiles left, when last modified before
     * {@code cutoff}: profiles are written by listings too, under no common lock, so only a file far older than
     * any write can take is known to have no live writer.
     *
     * @return the files deleted
     */
    public List<Path> deleteTemporariesOlderThan(Instant cutoff) throws IOException {
        return AtomicFiles.deleteTemporariesOlderThan(dir, cutoff);
    }

    /** Reads a profile (also a volume's own record); empty when missing, unreadable or of a newer format. */
    public static Optional<VolumeProfile> read(Path file) {
        try {
            VolumeProfile p = StateJson.COMPACT.beanFrom(VolumeProfile.class, Files.readAllBytes(file));
            return p == null || p.format() > VolumeProfile.FORMAT ? Optional.empty() : Optional.of(p);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    /** Writes a profile (also a volume's own record) atomically. */
    public static void write(Path file, VolumeProfile profile) throws IOException {
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, StateJson.COMPACT.asBytes(profile));
    }
}
