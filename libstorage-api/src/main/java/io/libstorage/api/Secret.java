package io.libstorage.api;

import java.util.Objects;

/**
 * A password or token. Its {@code toString()} never shows the value, so it can pass through logs,
 * configuration dumps and exception messages safely. Read it with {@link #reveal()} only where it
 * is sent to the back end.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The secret value. Never log it. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && java.security.MessageDigest.isEqual(
                s.value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return "******";
    }
}
