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
    /** A size as {@link io.libstorage.api.ByteSizes#parse} reads it: a bare number is GiB ({@code 16}), or {@code 512MiB}. */
    BYTES,
    /**
     * A size that must carry a unit ({@link io.libstorage.api.ByteSizes#parseWithUnit}): for keys where a bare
     * number once meant bytes, so that such a value is refused with a hint rather than read as GiB.
     */
    BYTES_WITH_UNIT,
    /** A file-system path; a default may be a place under the state root (see {@link ConfigKey#stateDirectory}). */
    PATH,
    /** A password or token: kept as {@link io.libstorage.api.Secret}, redacted when printed. */
    SECRET,
    /** One of {@link ConfigKey#allowedValues()}, case-insensitive. */
    ENUM,
    /** A YAML list of strings, or a comma-separated string. */
    STRING_LIST
}
