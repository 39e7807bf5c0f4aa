/**
 * libstorage-java runtime: the {@link io.libstorage.core.LibStorage} entry point, driver discovery,
 * configuration, the default integration driver and the Linux OS driver.
 */
module io.libstorage.core {
    requires transitive io.libstorage.api;
    requires com.fasterxml.jackson.jr.ob;
    // configuration files: read as SnakeYAML nodes, to know the line of every key
    requires org.yaml.snakeyaml;
    // com.sun.nio.file.ExtendedOpenOption.DIRECT: the Linux probe reads devices bypassing the page cache
    requires jdk.unsupported;

    exports io.libstorage.core;

    opens io.libstorage.core.internal.state to com.fasterxml.jackson.jr.ob;

    uses io.libstorage.spi.StorageDriverProvider;
    uses io.libstorage.spi.OSDriverProvider;
    uses io.libstorage.spi.IntegrationDriverProvider;

    provides io.libstorage.spi.IntegrationDriverProvider
            with io.libstorage.core.internal.integration.DefaultIntegrationDriverProvider;
    provides io.libstorage.spi.OSDriverProvider
            with io.libstorage.core.internal.linux.LinuxOSDriverProvider;
}
