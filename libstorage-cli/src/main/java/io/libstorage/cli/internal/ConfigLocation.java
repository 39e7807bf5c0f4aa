package io.libstorage.cli.internal;

import java.nio.file.Path;

/**
 * Where the configuration file comes from: {@code --config}, else {@code $LIBSTORAGE_CONFIG}, else
 * {@value #DEFAULT}. A missing file is an error when it was named explicitly, and an empty
 * configuration (everything from flags and defaults) when it is the default one.
 *
 * @param path the file
 * @param source {@code --config}, {@code LIBSTORAGE_CONFIG} or {@code default}
 */
public record ConfigLocation(Path path, String source) {
    public static final String DEFAULT = "/etc/libstorage/config.yml";
    public static final String ENV = "LIBSTORAGE_CONFIG";

    /** The location for a {@code --config} value (may be null) and the environment. */
    public static ConfigLocation resolve(Path option, java.util.Map<String, String> env) {
        if (option != null) {
            return new ConfigLocation(option, "--config");
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new ConfigLocation(Path.of(fromEnv), ENV);
        }
        return new ConfigLocation(Path.of(DEFAULT), "default");
    }

    public boolean explicit() {
        return !source.equals("default");
    }
}
