package io.libstorage.spi;

import java.util.List;

/** Creates {@link OSDriver}s; found with {@link java.util.ServiceLoader}, selected by name (default {@code linux}). */
public interface OSDriverProvider {
    String name();

    String description();

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

    /**
     * The filesystem types this provider's drivers know how to make, whether or not a host has the tools
     * ({@link OSDriver#supportedFilesystems} says what this host can make now). Configuration validation
     * ({@code config check}, start-up, every command) refuses a default filesystem outside it. Empty: no opinion.
     */
    default java.util.Set<String> filesystems() {
        return java.util.Set.of();
    }

    OSDriver create(DriverContext context);
}
