package io.libstorage.spi;

import java.util.List;

/** Creates {@link OSDriver}s; found with {@link java.util.ServiceLoader}, selected by name (default {@code linux}). */
public interface OSDriverProvider {
    String name();

    String description();

    List<ConfigKey> configKeys();

    OSDriver create(DriverContext context);
}
