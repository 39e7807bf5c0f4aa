package io.libstorage.localfs.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.jr.ob.JSON;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.VolumeNames;
import io.libstorage.localfs.internal.Records.SnapshotRecord;
import io.libstorage.localfs.internal.Records.VolumeRecord;
import io.libstorage.spi.support.AtomicFiles;
import io.libstorage.spi.support.Overlap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads and writes the metadata files. Writes are atomic ({@link AtomicFiles}: temp file, fsync,
 * rename, fsync directory), so a reader (in any process) sees a whole old or a whole new record
 * and never needs a lock. Parsed records are cached per file identity (inode and modification
 * time): every write replaces the inode, so a cached record is never stale.
 *
 * <p>A file that cannot be read (damaged, or of a newer format) fails the reads of its own record
 * only: listings skip it (and log it once) and report it as {@link Unreadable}.
 */
final class MetadataStore {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataStore.class);
    /** The first "name" of a file we wrote is the record's own (fields are written in declaration order). */
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"\\\\]*)\"");

    private record Cached(Object fileKey, long modified, Object record) {
    }

    /**
     * Built by the first record read or written, not when the driver opens (Jackson's classes stay unloaded until then).
     * jackson-jr rather than Jackson's full data binding, which wrote these files before: a fraction of the classes and
     * memory. The features below and {@link StrictScalars} make it write the same bytes (indented, nulls kept, record
     * components in declaration order) and read files as that did.
     */
    private static final class Json {
        static final JSON MAPPER = JSON.builder()
                .enable(JSON.Feature.PRETTY_PRINT_OUTPUT, JSON.Feature.WRITE_NULL_PROPERTIES,
                        JSON.Feature.WRITE_RECORD_FIELDS_IN_DECLARATION_ORDER)
                .disable(JSON.Feature.FAIL_ON_UNKNOWN_BEAN_PROPERTY)
                .register(new StrictScalars())
                .build();
    }

    /**
     * A metadata file that cannot be read.
     *
     * @param name the volume or snapshot name the file seems to hold, when that much of it is legible
     */
    record Unreadable(Path file, String reason, Optional<String> name) {
    }

    /** The readable records of a directory and the files that are not. */
    record Scan<T>(List<T> records, List<Unreadable> unreadable) {
    }

    private final Layout layout;
    private final ConcurrentHashMap<Path, Cached> cache = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    MetadataStore(Layout layout) {
        this.layout = layout;
    }

    Optional<VolumeRecord> volume(String id, ErrorContext ctx) {
        return read(layout.volumeMeta(id), VolumeRecord.class, ctx);
    }

    /** The volumes whose metadata can be read. */
    List<VolumeRecord> volumes(ErrorContext ctx) {
        return scanVolumes(ctx).records();
    }

    Scan<VolumeRecord> scanVolumes(ErrorContext ctx) {
        return scan(layout.volumes(), VolumeRecord.class, ctx);
    }

    /** Every metadata file (of volumes and snapshots) that cannot be read. */
    List<Unreadable> unreadable(ErrorContext ctx) {
        List<Unreadable> out = new ArrayList<>(scanVolumes(ctx).unreadable());
        out.addAll(scan(layout.snapshots(), SnapshotRecord.class, ctx).unreadable());
        return out;
    }

    void save(VolumeRecord r, ErrorContext ctx) {
        write(layout.volumeMeta(r.id()), r, ctx);
    }

    /**
     * {@link #save} after {@code first}, whose durable effect the record depends on (e.g. the fsync that makes the
     * name of the volume's image durable): the record's temporary file is written and synced while {@code first}
     * runs, and renamed over the record only once {@code first} has succeeded, so a crash never leaves the record
     * without what it depends on. Two fsyncs issued together cost a journalling file system about one.
     */
    void saveAfter(VolumeRecord r, Overlap.IoStep<?> first, ErrorContext ctx) {
        Path file = layout.volumeMeta(r.id());
        try (AtomicFiles.Beside prepared = AtomicFiles.prepareBeside(file, () -> Json.MAPPER.asBytes(r))) {
            first.run();
            prepared.publish(true);
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot write the metadata file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@link #save} leaving the fsync of the directory to the next write or delete in it
     * ({@link AtomicFiles#writeSharingDirectorySync}): for a record whose previous version converges as well after a
     * machine crash.
     */
    void saveSharingDirectorySync(VolumeRecord r, ErrorContext ctx) {
        Path file = layout.volumeMeta(r.id());
        try {
            AtomicFiles.writeSharingDirectorySync(file, Json.MAPPER.asBytes(r));
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot write the metadata file " + file + ": " + e.getMessage(), e);
        }
    }

    void deleteVolume(String id, ErrorContext ctx) {
        delete(layout.volumeMeta(id), ctx);
    }

    Optional<SnapshotRecord> snapshot(String id, ErrorContext ctx) {
        return read(layout.snapshotMeta(id), SnapshotRecord.class, ctx);
    }

    List<SnapshotRecord> snapshots(ErrorContext ctx) {
        return scan(layout.snapshots(), SnapshotRecord.class, ctx).records();
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

    private <T> Scan<T> scan(Path dir, Class<T> type, ErrorContext ctx) {
        List<T> records = new ArrayList<>();
        List<Unreadable> unreadable = new ArrayList<>();
        try {
            for (Path p : metaFiles(dir)) {
                try {
                    read(p, type, ctx).ifPresent(records::add);
                } catch (OperationFailedException e) {
                    Unreadable u = new Unreadable(p, e.detail(), legibleName(p));
                    unreadable.add(u);
                    if (warned.add(p + "\n" + e.detail())) {
                        LOG.warn("localfs: {}; listings leave it out until it is repaired", e.detail());
                    }
                }
            }
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot list " + dir + ": " + e.getMessage(), e);
        }
        return new Scan<>(records, unreadable);
    }

    private <T> Optional<T> read(Path file, Class<T> type, ErrorContext ctx) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            Cached c = cache.get(file);
            long modified = attrs.lastModifiedTime().toMillis();
            if (c != null && Objects.equals(c.fileKey(), attrs.fileKey()) && c.modified() == modified) {
                return Optional.of(type.cast(c.record()));
            }
            T record = Json.MAPPER.beanFrom(type, Files.readAllBytes(file));
            String problem = record == null ? "it holds JSON null" : newerFormat(record);
            if (problem != null) {
                throw new OperationFailedException(ctx, "cannot read the metadata file " + file + ": " + problem, null);
            }
            cache.put(file, new Cached(attrs.fileKey(), modified, record));
            return Optional.of(record);
        } catch (NoSuchFileException e) {
            cache.remove(file);
            return Optional.empty();
        } catch (JsonProcessingException e) {
            throw new OperationFailedException(ctx, "cannot read the metadata file " + file + ": "
                    + (e instanceof JsonEOFException || e.getOriginalMessage().contains("end-of-input") ? "it is empty or truncated" : "it is not a valid record")
                    + (e.getLocation() == null ? "" : " (at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"), e);
        } catch (IOException e) {
            throw new OperationFailedException(ctx, "cannot read the metadata file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String newerFormat(Object record) {
        int format = record instanceof VolumeRecord v ? v.format() : record instanceof SnapshotRecord s ? s.format() : Records.FORMAT;
        return format > Records.FORMAT ? "it is format " + format + ", written by a newer libstorage; this one reads formats up to "
                + Records.FORMAT : null;
    }

    /** The name a damaged file seems to hold, if that much of it is legible. */
    private static Optional<String> legibleName(Path file) {
        try {
            Matcher m = NAME.matcher(Files.readString(file, StandardCharsets.UTF_8));
            return m.find() && VolumeNames.isValid(m.group(1)) ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private void write(Path file, Object record, ErrorContext ctx) {
        try {
            AtomicFiles.write(file, Json.MAPPER.asBytes(record));
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
