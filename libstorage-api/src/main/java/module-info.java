/**
 * libstorage-java public API: value types and exceptions ({@code io.libstorage.api}), the driver
 * SPI ({@code io.libstorage.spi}) and helpers for driver authors ({@code io.libstorage.spi.support}).
 */
module io.libstorage.api {
    requires transitive org.slf4j;
    /* the API's packages are @NullMarked: users' nullness checkers need the annotations */
    requires transitive org.jspecify;

    exports io.libstorage.api;
    exports io.libstorage.spi;
    exports io.libstorage.spi.support;

    uses io.libstorage.spi.StorageDriverProvider;
    uses io.libstorage.spi.OSDriverProvider;
    uses io.libstorage.spi.IntegrationDriverProvider;
}
