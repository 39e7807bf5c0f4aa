package io.libstorage.examples;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.VolumeSpec;
import io.libstorage.core.LibStorage;
import io.libstorage.inmemory.InMemoryCluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/**
 * Embedding the library: build a {@link LibStorage}, mount a volume for a consumer, write through
 * the returned path, release it, and get the same data back later. It runs on the drivers of one host
 * of an in-memory cluster so that it needs no root; replace the two driver lines by
 * {@code .storageDriver("localfs")} for real loop devices, or by {@code .storageDriver("scaleio")} with a
 * {@code scaleio:} section.
 */
public final class EmbeddedUsage {
    private EmbeddedUsage() {
    }

    public static void main(String[] args) throws IOException {
        try (InMemoryCluster cluster = InMemoryCluster.create();
             LibStorage storage = LibStorage.builder()
                     .storageDriver(cluster.storageDriver("host-1"))
                     .osDriver(cluster.osDriver("host-1"))
                     .stateRoot(cluster.hostDirectory("host-1"))
                     .build()) {

            VolumeSpec spec = storage.defaultSpec().toBuilder().sizeBytes(1L << 30).fsType("xfs").build();
            storage.create("orders-db", spec);

            ConsumerId app = ConsumerId.of("orders-service-1");
            MountedVolume volume = storage.mount("orders-db", app, MountOptions.DEFAULT);
            System.out.println("mounted " + volume.volume().name() + " (" + volume.fsType() + ") at " + volume.path());
            Files.writeString(volume.path().resolve("orders.csv"), "42,widget\n", StandardOpenOption.CREATE, StandardOpenOption.SYNC);

            storage.unmount("orders-db", app);
            System.out.println("released; mounted now: " + storage.path("orders-db").isPresent());

            MountedVolume again = storage.mount("orders-db", ConsumerId.of("orders-service-2"), MountOptions.DEFAULT);
            System.out.println("read back: " + Files.readString(again.path().resolve("orders.csv")).strip());
            storage.unmount("orders-db", ConsumerId.of("orders-service-2"));
        }
    }
}
