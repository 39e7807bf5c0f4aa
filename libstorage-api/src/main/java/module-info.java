/**
 * libstorage-java public API: value types and exceptions ({@code io.libstorage.api}), the driver
 * SPI ({@code io.libstorage.spi}) and helpers for driver authors ({@code io.libstorage.spi.support}).
 */
module io.libstorage.api {
    requires transitive org.slf4j;
    /* the packages are @NullMarked: readers' nullness checkers see the annotations at compile time; nothing needs
       them at run time (a missing annotation class is ignored), so the module path may leave the jar out */
    requires static transitive org.jspecify;

    exports io.libstorage.api;
    exports io.libstorage.spi;
    exports io.libstorage.spi.support;

    uses io.libstorage.spi.StorageDriverProvider;
    uses io.libstorage.spi.OSDriverProvider;
    uses io.libstorage.spi.IntegrationDriverProvider;
}
