package io.libstorage.core;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.HostId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.OwnerStillAliveException;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.ReconcileReport;
import io.libstorage.api.VolumeAttachedToOtherHostException;
import io.libstorage.api.VolumeEvent;
import io.libstorage.inmemory.InMemoryCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The seed story on simulated hosts: a hard failure of the owner, and what the other hosts may and may not do. */
class FailoverTest {
    private final InMemoryCluster cluster = InMemoryCluster.create();
    private final List<VolumeEvent> eventsOfB = new CopyOnWriteArrayList<>();
    private final List<VolumeEvent> eventsOfA = new CopyOnWriteArrayList<>();
    private final LibStorage a = InMemoryLibStorage.onHost(cluster, "A", b -> b.listener(eventsOfA::add));
    private final LibStorage b = InMemoryLibStorage.onHost(cluster, "B", b -> b.listener(eventsOfB::add));
    private final LibStorage c = InMemoryLibStorage.onHost(cluster, "C");
    private final MountOptions ifGone = MountOptions.builder().preemption(PreemptionPolicy.IF_OWNER_UNREACHABLE).build();

    @AfterEach
    void close() {
        cluster.close();
    }

    private byte[] writeOnA() throws IOException {
        MountedVolume m = a.mount("pgdata", ConsumerId.of("task-a"), MountOptions.DEFAULT);
        byte[] data = "committed row".getBytes();
        Files.write(m.path().resolve("table"), data, StandardOpenOption.CREATE, StandardOpenOption.SYNC);
        return data;
    }

    @Test
    void whenTheOwnerDiesAnotherHostTakesTheVolumeWithItsData() throws IOException {
        byte[] data = writeOnA();
        cluster.killHost("A");

        MountedVolume onB = b.mount("pgdata", ConsumerId.of("task-b"), ifGone);

        assertThat(Files.readAllBytes(onB.path().resolve("table"))).isEqualTo(data);
        assertThat(onB.formatted()).isFalse();
        assertThat(onB.preemption()).hasValueSatisfying(p -> {
            assertThat(p.from()).isEqualTo(new HostId("A"));
            assertThat(p.to()).isEqualTo(new HostId("B"));
            assertThat(p.evidence().source()).isEqualTo("memory:connection");
        });
        assertThat(cluster.mappingsOf("pgdata")).containsExactly(new HostId("B"));
        assertThat(eventsOfB).filteredOn(e -> e instanceof VolumeEvent.Preempted).hasSize(1);
        assertThat(cluster.formatCount("pgdata")).isEqualTo(1);
    }

    @Test
    void aThirdHostThatMayNotPreemptIsToldWhoHasTheVolume() throws IOException {
        writeOnA();
        cluster.killHost("A");
        b.mount("pgdata", ConsumerId.of("task-b"), ifGone);

        assertThatThrownBy(() -> c.mount("pgdata", ConsumerId.of("task-c"), MountOptions.DEFAULT))
                .isInstanceOf(VolumeAttachedToOtherHostException.class)
                .hasMessageContaining("'B'").hasMessageContaining("pgdata").hasMessageContaining("host=C");
        assertThat(cluster.mappingsOf("pgdata")).containsExactly(new HostId("B"));
    }

    @Test
    void whileTheOwnerIsAliveNothingIsTakenFromIt() throws IOException {
        writeOnA();
        long before = cluster.calls().mutations();

        assertThatThrownBy(() -> b.mount("pgdata", ConsumerId.of("task-b"), ifGone))
                .isInstanceOf(OwnerStillAliveException.class).hasMessageContaining("A");

        assertThat(cluster.mappingsOf("pgdata")).containsExactly(new HostId("A"));
        assertThat(cluster.calls().mutations()).isEqualTo(before);
        assertThat(b.inspect("pgdata").orElseThrow().volume().attachments()).extracting(x -> x.hostId().value()).containsExactly("A");
        assertThat(a.path("pgdata")).isPresent();
    }

    @Test
    void aPartitionedOwnerThatComesBackCleansItsStaleMountAndNeverRemounts() throws IOException {
        byte[] data = writeOnA();
        cluster.partition("A");
        MountedVolume onB = b.mount("pgdata", ConsumerId.of("task-b"), ifGone);
        cluster.heal("A");

        ReconcileReport report = a.reconcile();

        assertThat(report.staleMounts()).singleElement().satisfies(s -> assertThat(s.reason()).contains("B"));
        assertThat(report.droppedConsumers()).containsEntry("pgdata", Set.of(ConsumerId.of("task-a")));
        assertThat(cluster.mountsOf("A")).isEmpty();
        assertThat(eventsOfA).filteredOn(e -> e instanceof VolumeEvent.StaleMountCleaned).hasSize(1);
        assertThat(cluster.mappingsOf("pgdata")).containsExactly(new HostId("B"));
        assertThat(a.path("pgdata")).isEmpty();
        assertThat(Files.readAllBytes(onB.path().resolve("table"))).isEqualTo(data);
        assertThat(a.reconcile().staleMounts()).as("a second reconcile finds nothing").isEmpty();
    }

    @Test
    void aRebootedOwnerForgetsConsumersOfItsPreviousBoot() throws IOException {
        writeOnA();
        cluster.killHost("A");
        b.mount("pgdata", ConsumerId.of("task-b"), ifGone);
        cluster.reboot("A");

        ReconcileReport report = a.reconcile();

        assertThat(report.droppedConsumers()).containsEntry("pgdata", Set.of(ConsumerId.of("task-a")));
        assertThat(report.problems()).isEmpty();
        assertThat(a.inspect("pgdata").orElseThrow().consumers()).isEmpty();
        assertThat(cluster.mappingsOf("pgdata")).containsExactly(new HostId("B"));
    }

    @Test
    void anOrchestratorMayDeclareTheOwnerDead() throws IOException {
        writeOnA();
        MountedVolume onB = b.mount("pgdata", ConsumerId.of("task-b"), MountOptions.builder()
                .preemption(PreemptionPolicy.IF_OWNER_UNREACHABLE).declareOwnerDead(new HostId("A")).build());
        assertThat(onB.preemption()).hasValueSatisfying(p -> assertThat(p.evidence().source()).isEqualTo("caller"));
        assertThat(cluster.mappingsOf("pgdata")).containsExactly(new HostId("B"));
    }
}
