package io.libstorage.spi;

/** The type of a configuration value, and how its text is parsed. */
public enum ConfigType {
    STRING,
    /** {@code true}/{@code false} (YAML booleans or those strings, any case). */
    BOOLEAN,
    /** A 64-bit integer. */
    INTEGER,
    /** Go style ({@code 30s}, {@code 1m30s}, {@code 500ms}) or ISO-8601 ({@code PT30S}). */
    DURATION,
    /** A byte size as {@link io.libstorage.api.ByteSizes#parse} reads it. */
    BYTES,
    /** A file-system path. */
    PATH,
    /** A password or token: kept as {@link io.libstorage.api.Secret}, redacted when printed. */
    SECRET,
    /** One of {@link ConfigKey#allowedValues()}, case-insensitive. */
    ENUM,
    /** A YAML list of strings, or a comma-separated string. */
    STRING_LIST
}
