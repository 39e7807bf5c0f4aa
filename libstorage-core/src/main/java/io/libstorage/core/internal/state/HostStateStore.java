package io.libstorage.core.internal.state;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.jr.ob.JSONObjectException;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.VolumeNames;
import io.libstorage.spi.support.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One small JSON file per volume under {@code <stateRoot>/volumes.d/}, written atomically
 * (temp file, fsync, rename, fsync directory). Callers hold the volume's lock.
 *
 * <p>A file that cannot be read as a record of this version (empty, truncated, not JSON, not a
 * record, another volume's, a newer format) is {@link Stored.Damaged}: the damage stays with that
 * volume. {@link #setAside} moves such a file to {@code <stateRoot>/damaged/} (evidence is never
 * deleted) so that its record can be rebuilt.
 */
public final class HostStateStore {
    private static final String SUFFIX = ".json";

    /** What the state file of one volume holds. */
    public sealed interface Stored {
        /** The record when it is {@link Present}. */
        default Optional<VolumeRecord> asRecord() {
            return this instanceof Present p ? Optional.of(p.record()) : Optional.empty();
        }

        /** A record this version reads. */
        record Present(VolumeRecord record) implements Stored {
        }

        /** No state file. */
        record Absent() implements Stored {
        }

        /** A file that is not a record this version can use, and why. */
        record Damaged(Path file, String reason) implements Stored {
        }
    }

    private final Path dir;
    private final Path damagedDir;

    public HostStateStore(Path stateRoot) {
        this.dir = stateRoot.resolve("volumes.d");
        this.damagedDir = stateRoot.resolve("damaged");
    }

    public Path directory() {
        return dir;
    }

    /** Where {@link #setAside} puts damaged files. */
    public Path damagedDirectory() {
        return damagedDir;
    }

    /**
     * The volume's record.
     *
     * @throws OperationFailedException when the file is damaged (naming it, why, and how to repair it)
     *                                  or cannot be read
     */
    public Optional<VolumeRecord> load(String name, ErrorContext context) {
        Stored stored = read(name, context);
        if (stored instanceof Stored.Damaged d) {
            throw damaged(d, context, "");
        }
        return stored.asRecord();
    }

    /**
     * What the volume's state file holds; damage is a result, not an error.
     *
     * @throws OperationFailedException when the file exists but cannot be read at all (I/O error)
     */
    public Stored read(String name, ErrorContext context) {
        Path file = file(name);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Stored.Absent();
        } catch (IOException e) {
            throw new OperationFailedException(context, "cannot read the state file " + file + ": " + describe(e), e);
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return new Stored.Damaged(file, "the file is empty");
        }
        VolumeRecord record;
        try {
            record = StateJson.PRETTY.beanFrom(VolumeRecord.class, bytes);
        } catch (JsonProcessingException e) {
            return new Stored.Damaged(file, whyUnparsable(e, bytes));
        } catch (IOException e) {
            throw new OperationFailedException(context, "cannot read the state file " + file + ": " + describe(e), e);
        }
        if (record == null) {
            return new Stored.Damaged(file, "the file holds JSON null, not a volume record");
        }
        if (record.format() > VolumeRecord.FORMAT) {
            return new Stored.Damaged(file, "it is format " + record.format() + ", written by a newer libstorage; this one reads formats up to "
                    + VolumeRecord.FORMAT);
        }
        if (record.format() < 0) {
            return new Stored.Damaged(file, "format " + record.format() + " is not one libstorage writes");
        }
        if (!name.equals(record.name())) {
            return new Stored.Damaged(file, "it names volume " + (record.name() == null ? "nothing" : "'" + record.name() + "'")
                    + ", not '" + name + "'");
        }
        return new Stored.Present(record);
    }

    /** The error for a damaged file: what is wrong, and how to repair it. */
    public OperationFailedException damaged(Stored.Damaged d, ErrorContext context, String situation) {
        return new OperationFailedException(context, "the state file " + d.file() + " is damaged: " + d.reason() + situation
                + "; reconcile repairs it (LibStorage.reconcile(), or 'libstorage volume reconcile'): it moves the file to "
                + damagedDir + "/ and rebuilds the record from the back end and the mount table", null);
    }

    public void save(VolumeRecord record, ErrorContext context) {
        save(record, true, context);
    }

    /**
     * {@link #save} for a record written under the current boot whose previous version converges as well after a
     * machine crash (a committed mount: after a reboot, a record of another boot releases its volume whether it
     * shows the consumer or the intent): the rename is made durable by the next record write or delete in the
     * directory ({@link AtomicFiles#writeSharingDirectorySync}). A killed process loses nothing.
     */
    public void saveSharingDirectorySync(VolumeRecord record, ErrorContext context) {
        save(record, false, context);
    }

    /**
     * Starts writing {@code record} beside its file (a synced temporary file, {@link AtomicFiles#prepare}) on another
     * thread, so that the write overlaps what the caller does meanwhile; nothing changes for readers until
     * {@link Draft#publish}. A killed process leaves the temporary file, as any interrupted write does.
     */
    public Draft draft(VolumeRecord record, ErrorContext context) {
        Path file = file(record.name());
        return new Draft(record, file, AtomicFiles.prepareBeside(file,
                () -> StateJson.PRETTY.asBytes(record)), context);
    }

    /** A record being written beside its file ({@link #draft}). Every draft is published or discarded. Not thread-safe. */
    public static final class Draft {
        private final VolumeRecord record;
        private final Path file;
        private final AtomicFiles.Beside prepared;
        private final ErrorContext context;

        private Draft(VolumeRecord record, Path file, AtomicFiles.Beside prepared, ErrorContext context) {
            this.record = record;
            this.file = file;
            this.prepared = prepared;
            this.context = context;
        }

        public VolumeRecord record() {
            return record;
        }

        /** Puts the drafted record in place, leaving the fsync of the directory as {@link #saveSharingDirectorySync} does. */
        public void publishSharingDirectorySync() {
            try {
                prepared.publish(false);
            } catch (IOException e) {
                throw new OperationFailedException(context, "cannot write the state file " + file + ": " + describe(e), e);
            }
        }

        /** Waits for the write and deletes its temporary file; the record stays as it was. Never throws. */
        public void discard() {
            prepared.close();
        }
    }

    private void save(VolumeRecord record, boolean syncDirectory, ErrorContext context) {
        Path file = file(record.name());
        try {
            byte[] content = StateJson.PRETTY.asBytes(record);
            if (syncDirectory) {
                AtomicFiles.write(file, content);
            } else {
                AtomicFiles.writeSharingDirectorySync(file, content);
            }
        } catch (IOException e) {
            throw new OperationFailedException(context, "cannot write the state file " + file + ": " + describe(e), e);
        }
    }

    /** Deletes the record, and what interrupted writes of it left. */
    public void delete(String name, ErrorContext context) {
        Path file = file(name);
        try {
            AtomicFiles.delete(file);
            AtomicFiles.deleteTemporariesOf(file);
        } catch (IOException e) {
            throw new OperationFailedException(context, "cannot delete the state file " + file + ": " + describe(e), e);
        }
    }

    /**
     * Moves the volume's (damaged) state file to {@link #damagedDirectory()} as
     * {@code <name>.json.<epoch millis>}.
     *
     * @return where it now is
     */
    public Path setAside(String name, Instant now, ErrorContext context) {
        Path file = file(name);
        try {
            Files.createDirectories(damagedDir);
            Path target = damagedDir.resolve(file.getFileName() + "." + now.toEpochMilli());
            for (int i = 1; Files.exists(target); i++) {
                target = damagedDir.resolve(file.getFileName() + "." + now.toEpochMilli() + "-" + i);
            }
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.fsyncDirectory(damagedDir);
            AtomicFiles.fsyncDirectory(dir);
            return target;
        } catch (IOException e) {
            throw new OperationFailedException(context, "cannot move the damaged state file " + file + " to " + damagedDir + ": " + describe(e), e);
        }
    }

    /**
     * Deletes the temporary files that interrupted writes of the volume's record left (the caller
     * holds the volume's lock, which every writer of the record holds).
     *
     * @return the files deleted
     */
    public List<Path> deleteTemporaries(String name, ErrorContext context) {
        try {
            return AtomicFiles.deleteTemporariesOf(file(name));
        } catch (IOException e) {
            throw new OperationFailedException(context, "cannot delete the temporary files of " + file(name) + ": " + describe(e), e);
        }
    }

    /** Names of every volume with a record. */
    public List<String> names() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(SUFFIX) && !n.startsWith("."))
                    .map(n -> n.substring(0, n.length() - SUFFIX.length()))
                    .sorted()
                    .forEach(out::add);
        } catch (IOException e) {
            throw new OperationFailedException(ErrorContext.of("list state"), "cannot list " + dir + ": " + describe(e), e);
        }
        return out;
    }

    /** Names of the volumes whose record has temporary files of interrupted writes next to it. */
    public List<String> namesWithTemporaries() {
        try {
            return AtomicFiles.temporaries(dir).stream()
                    .map(p -> AtomicFiles.targetOfTemporary(p).orElseThrow())
                    .filter(n -> n.endsWith(SUFFIX))
                    .map(n -> n.substring(0, n.length() - SUFFIX.length()))
                    .filter(VolumeNames::isValid)
                    .collect(Collectors.toCollection(TreeSet::new)).stream().toList();
        } catch (IOException e) {
            throw new OperationFailedException(ErrorContext.of("list state"), "cannot list " + dir + ": " + describe(e), e);
        }
    }

    private static String whyUnparsable(JsonProcessingException e, byte[] content) {
        String where = e.getLocation() == null ? ""
                : " (at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonEOFException || (t instanceof JsonProcessingException j && String.valueOf(j.getOriginalMessage()).contains("end-of-input"))) {
                return "the file is truncated" + where;
            }
        }
        if (e instanceof JsonParseException) {
            return "the file is not valid JSON" + where;
        }
        if (!new String(content, StandardCharsets.UTF_8).strip().startsWith("{")) {
            return "the file does not hold a volume record (a JSON object)";
        }
        if (e instanceof JSONObjectException m && !m.getPath().isEmpty()) {
            String field = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return "the file is not a volume record: its field '" + field + "' is missing, of the wrong type or invalid";
        }
        return "the file is not a volume record: a field is missing, of the wrong type or invalid" + where;
    }

    /** An I/O error as text; some (e.g. an interrupted channel) carry no message of their own. */
    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private Path file(String name) {
        return dir.resolve(name + SUFFIX);
    }
}
