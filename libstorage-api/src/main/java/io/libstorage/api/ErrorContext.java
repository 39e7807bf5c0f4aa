package io.libstorage.api;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Where an error happened: the operation, the volume, the host and the back end. Every
 * {@link StorageException} carries one, and its message always names all four (unknown parts are
 * written as {@code "?"}, never left out), so that a log line alone is enough to diagnose a failure.
 * Values are quoted with control characters escaped, and a value longer than a volume name may be is
 * cut to its first 64 characters and its length.
 *
 * <p>Immutable; the {@code with*} methods return copies.
 *
 * @param operation the operation that failed, e.g. {@code "mount"}
 * @param volume the volume name or id, or {@code null} when the operation is not about one volume
 * @param host the host identity the operation ran for, or {@code null} when unknown
 * @param backend the storage back end (driver name), or {@code null} when unknown
 */
public record ErrorContext(String operation, @Nullable String volume, @Nullable String host, @Nullable String backend) {

    public ErrorContext {
        Objects.requireNonNull(operation, "operation");
        if (operation.isBlank()) {
            throw new IllegalArgumentException("operation must not be blank");
        }
    }

    /** A context for an operation that is not (yet) about a particular volume, host or back end. */
    public static ErrorContext of(String operation) {
        return new ErrorContext(operation, null, null, null);
    }

    public static ErrorContext of(String operation, @Nullable String volume, @Nullable String host, @Nullable String backend) {
        return new ErrorContext(operation, volume, host, backend);
    }

    public ErrorContext withOperation(String newOperation) {
        return new ErrorContext(newOperation, volume, host, backend);
    }

    public ErrorContext withVolume(@Nullable String newVolume) {
        return new ErrorContext(operation, newVolume, host, backend);
    }

    public ErrorContext withHost(@Nullable String newHost) {
        return new ErrorContext(operation, volume, newHost, backend);
    }

    public ErrorContext withBackend(@Nullable String newBackend) {
        return new ErrorContext(operation, volume, host, newBackend);
    }

    /** {@code operation=mount volume=data host=node-a backend=scaleio}. */
    public String describe() {
        return "operation=" + operation
                + " volume=" + orUnknown(volume)
                + " host=" + orUnknown(host)
                + " backend=" + orUnknown(backend);
    }

    private static String orUnknown(@Nullable String s) {
        return s == null || s.isBlank() ? "?" : EchoedText.of(s);
    }
}
