package io.libstorage.spi;

import java.util.List;

/**
 * Creates {@link StorageDriver}s; found with {@link java.util.ServiceLoader} and selected by
 * {@link #name()} (the {@code libstorage.service} setting). Declare it in {@code module-info}
 * ({@code provides}) and in {@code META-INF/services}.
 */
public interface StorageDriverProvider {
    /** Unique driver name, also the name of its configuration section, e.g. {@code scaleio}. */
    String name();

    /** One line for listings. */
    String description();

    /** The keys of its configuration section. */
    List<ConfigKey> configKeys();

    /**
     * Checks a validated section further (values that contradict each other, ranges, formats), with no side
     * effect: no file, process or network. {@code libstorage config check} calls it, and start-up calls it
     * before {@link #create}, so both report the same errors; {@code create} may repeat these checks.
     * The default checks nothing beyond the keys' types.
     *
     * @throws io.libstorage.api.InvalidConfigurationException naming the key
     */
    default void validate(DriverConfig config) {
    }

    /** A new driver. Validates what it can at start-up (endpoints, host identity) and fails naming the key or value. */
    StorageDriver create(DriverContext context);
}
