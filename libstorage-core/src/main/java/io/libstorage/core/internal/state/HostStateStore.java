package io.libstorage.core.internal.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;
import io.libstorage.spi.support.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One small JSON file per volume under {@code <stateRoot>/volumes.d/}, written atomically
 * (temp file, fsync, rename, fsync directory). Callers hold the volume's lock.
 */
public final class HostStateStore {
    private static final String SUFFIX = ".json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;

    public HostStateStore(Path stateRoot) {
        this.dir = stateRoot.resolve("volumes.d");
    }

    public Path directory() {
        return dir;
    }

    public Optional<VolumeRecord> load(String name, ErrorContext context) {
        Path file = file(name);
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(file), VolumeRecord.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new OperationFailedException(context, "cannot read the state file " + file + ": " + describe(e), e);
        }
    }

    public void save(VolumeRecord record, ErrorContext context) {
        Path file = file(record.name());
        try {
            AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(record));
        } catch (IOException e) {
            throw new OperationFailedException(context, "cannot write the state file " + file + ": " + describe(e), e);
        }
    }

    public void delete(String name, ErrorContext context) {
        Path file = file(name);
        try {
            AtomicFiles.delete(file);
        } catch (IOException e) {
            throw new OperationFailedException(context, "cannot delete the state file " + file + ": " + describe(e), e);
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

    /** An I/O error as text; some (e.g. an interrupted channel) carry no message of their own. */
    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private Path file(String name) {
        return dir.resolve(name + SUFFIX);
    }
}
