package io.libstorage.examples;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.StorageException;
import io.libstorage.core.LibStorage;
import io.libstorage.inmemory.InMemoryCluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;

/**
 * The story this library exists for, on three simulated hosts: Swarm runs a database on host A;
 * A loses power; the orchestrator starts the replacement on host B, whose mount takes the volume
 * only because the storage system reports A disconnected; host C, without that permission, is
 * told who holds it; A comes back and cleans up instead of writing to a volume it no longer owns.
 */
public final class FailoverStory {
    private FailoverStory() {
    }

    public static void main(String[] args) throws IOException {
        try (InMemoryCluster cluster = InMemoryCluster.create()) {
            LibStorage a = SimulatedHosts.libStorage(cluster, "host-a");
            LibStorage b = SimulatedHosts.libStorage(cluster, "host-b");
            LibStorage c = SimulatedHosts.libStorage(cluster, "host-c");

            MountedVolume onA = a.mount("pgdata", ConsumerId.of("db.1"), MountOptions.DEFAULT);
            Files.writeString(onA.path().resolve("wal"), "txn 1001 committed\n", StandardOpenOption.CREATE, StandardOpenOption.SYNC);
            System.out.println("host-a mounted pgdata and committed a transaction");

            cluster.killHost("host-a");
            System.out.println("host-a lost power; the storage system sees it " + cluster.liveness("host-a"));

            MountedVolume onB = b.mount("pgdata", ConsumerId.of("db.2"),
                    MountOptions.builder().preemption(PreemptionPolicy.IF_OWNER_UNREACHABLE).build());
            System.out.println("host-b took pgdata from " + onB.preemption().orElseThrow().from()
                    + " on evidence: " + onB.preemption().orElseThrow().evidence().describe());
            System.out.println("host-b reads: " + Files.readString(onB.path().resolve("wal")).strip());

            try {
                c.mount("pgdata", ConsumerId.of("db.3"), MountOptions.DEFAULT);
            } catch (StorageException e) {
                System.out.println("host-c was refused: " + e.code() + " " + e.detail());
            }

            cluster.reboot("host-a");
            System.out.println("host-a rebooted; reconcile dropped consumers " + a.reconcile().droppedConsumers());
        }
    }
}
