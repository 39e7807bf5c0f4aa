/**
 * The {@code localfs} storage driver: each volume is a sparse image file under a local root
 * directory, attached to this host as a Linux loop device. Found through
 * {@link io.libstorage.spi.StorageDriverProvider}; {@link io.libstorage.localfs.LocalFsDriver} adds
 * what is specific to it (its root, the start-up reconcile report).
 */
module io.libstorage.localfs {
    requires transitive io.libstorage.api;
    requires com.fasterxml.jackson.jr.ob;

    exports io.libstorage.localfs;

    opens io.libstorage.localfs.internal to com.fasterxml.jackson.jr.ob;

    provides io.libstorage.spi.StorageDriverProvider
            with io.libstorage.localfs.internal.LocalFsDriverProvider;
}
