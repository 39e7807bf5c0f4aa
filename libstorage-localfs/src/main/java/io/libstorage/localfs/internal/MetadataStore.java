package io.libstorage.localfs.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;
import io.libstorage.localfs.internal.Records.SnapshotRecord;
import io.libstorage.localfs.internal.Records.VolumeRecord;
import io.libstorage.spi.support.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Reads and writes the metadata files. Writes are atomic ({@link AtomicFiles}: temp file, fsync,
 * rename, fsync directory), so a reader (in any process) sees a whole old or a whole new record
 * and never needs a lock. Parsed records are cached per file identity (inode and modification
 * time): every write replaces the inode, so a cached record is never stale.
 */
final class MetadataStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private record Cached(Object fileKey, long modified, Object record) {
    }

    private final Layout layout;
    private final ConcurrentHashMap<Path, Cached> cache = new ConcurrentHashMap<>();

    MetadataStore(Layout layout) {
        this.layout = layout;
    }

    Optional<VolumeRecord> volume(String id, ErrorContext ctx) {
        return read(layout.volumeMeta(id), VolumeRecord.class, ctx);
    }

    List<VolumeRecord> volumes(ErrorContext ctx) {
        return readAll(layout.volumes(), VolumeRecord.class, ctx);
    }

    void save(VolumeRecord r, ErrorContext ctx) {
        write(layout.volumeMeta(r.id()), r, ctx);
    }

    void deleteVolume(String id, ErrorContext ctx) {
        delete(layout.volumeMeta(id), ctx);
    }

    Optional<SnapshotRecord> snapshot(String id, ErrorContext ctx) {
        return read(layout.snapshotMeta(id), SnapshotRecord.class, ctx);
    }

    List<SnapshotRecord> snapshots(ErrorContext ctx) {
        return readAll(layout.snapshots(), SnapshotRecord.class, ctx);
    }

    void save(SnapshotRecord r, ErrorContext ctx) {
        write(layout.snapshotMeta(r.id()), r, ctx);
    }

    void deleteSnapshot(String id, ErrorContext ctx) {
        delete(layout.snapshotMeta(id), ctx);
    }

    /** Metadata files in {@code dir} (not the temporary files of interrupted atomic writes, which start with a dot). */
    static List<Path> metaFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(Layout.META) && !n.startsWith(".");
            }).sorted().toList();
        }
    }

    private <T> List<T> readAll(Path dir, Class<T> type, ErrorContext ctx) {
        List<T> out = new ArrayList<>();
        try {
            for (Path p : metaFiles(dir)) {
                read(p, type, ctx).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private <T> Optional<T> read(Path file, Class<T> type, ErrorContext ctx) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            Cached c = cache.get(file);
            long modified = attrs.lastModifiedTime().toMillis();
            if (c != null && Objects.equals(c.fileKey(), attrs.fileKey()) && c.modified() == modified) {
                return Optional.of(type.cast(c.record()));
            }
            T record = JSON.readValue(Files.readAllBytes(file), type);
            cache.put(file, new Cached(attrs.fileKey(), modified, record));
            return Optional.of(record);
        } catch (NoSuchFileException e) {
            cache.remove(file);
            return Optional.empty();
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot read the metadata file " + file + ": " + e.getMessage(), e);
        }
    }

    private void write(Path file, Object record, ErrorContext ctx) {
        try {
            AtomicFiles.write(file, JSON.writeValueAsBytes(record));
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot write the metadata file " + file + ": " + e.getMessage(), e);
        }
    }

    private void delete(Path file, ErrorContext ctx) {
        try {
            AtomicFiles.delete(file);
            cache.remove(file);
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot delete the metadata file " + file + ": " + e.getMessage(), e);
        }
    }
}
