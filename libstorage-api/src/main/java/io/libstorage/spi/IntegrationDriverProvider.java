package io.libstorage.spi;

import java.util.List;

/** Creates {@link IntegrationDriver}s; found with {@link java.util.ServiceLoader}, selected by name (default {@code docker}). */
public interface IntegrationDriverProvider {
    String name();

    String description();

    List<ConfigKey> configKeys();

    IntegrationDriver create(IntegrationContext context);
}
