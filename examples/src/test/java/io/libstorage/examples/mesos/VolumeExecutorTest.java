package io.libstorage.examples.mesos;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.ReconcileReport;
import io.libstorage.api.StorageException;
import io.libstorage.api.VolumeAttachedToOtherHostException;
import io.libstorage.core.LibStorage;
import io.libstorage.examples.SimulatedHosts;
import io.libstorage.inmemory.InMemoryCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Mesos executor example over the in-memory drivers: shared volumes, a crash and its reconcile, the last task out. */
class VolumeExecutorTest {
    private final InMemoryCluster cluster = InMemoryCluster.create();

    @AfterEach
    void close() {
        cluster.close();
    }

    private static final List<TaskVolume> DATA = List.of(new TaskVolume("data", "/data", Map.of("size", "2", "fsType", "xfs"), false));

    @Test
    void twoTasksShareAVolumeARestartedExecutorReconcilesAndTheLastTaskReleasesIt() throws Exception {
        LibStorage agent = SimulatedHosts.libStorage(cluster, "agent-1");
        VolumeExecutor executor = new VolumeExecutor(agent);

        Path p1 = executor.launch("task-1", DATA).get("/data");
        Path p2 = executor.launch("task-2", DATA).get("/data");
        assertThat(p2).isEqualTo(p1);
        assertThat(agent.inspect("data").orElseThrow().consumers()).containsExactlyInAnyOrder(ConsumerId.of("task-1"), ConsumerId.of("task-2"));
        assertThat(agent.inspect("data").orElseThrow().volume().spec().fsType()).contains("xfs");
        assertThat(cluster.formatCount("data")).isEqualTo(1);
        Files.writeString(p1.resolve("state"), "42");

        // the executor crashes without cleaning up; a new instance (new LibStorage, same host state) starts,
        // and the agent reports that only task-2 still runs
        VolumeExecutor restarted = new VolumeExecutor(SimulatedHosts.libStorage(cluster, "agent-1"));
        ReconcileReport report = restarted.recover(Set.of("task-2"));
        assertThat(report.droppedConsumers()).containsOnlyKeys("data");
        assertThat(report.droppedConsumers().get("data")).containsExactly(ConsumerId.of("task-1"));
        assertThat(report.released()).isEmpty();
        assertThat(report.problems()).isEmpty();
        assertThat(agent.inspect("data").orElseThrow().consumers()).containsExactly(ConsumerId.of("task-2"));
        assertThat(Files.readString(p2.resolve("state"))).isEqualTo("42");

        // task-2 ends: the new instance finds its hold in the library's records and the volume is released
        assertThat(restarted.finish("task-2")).containsExactly("data");
        assertThat(agent.path("data")).isEmpty();
        assertThat(cluster.mappingsOf("data")).isEmpty();
        assertThat(restarted.finish("task-2")).as("idempotent").isEmpty();

        // a later task gets the same data, without a second format
        Path again = restarted.launch("task-3", DATA).get("/data");
        assertThat(Files.readString(again.resolve("state"))).isEqualTo("42");
        assertThat(cluster.formatCount("data")).isEqualTo(1);
        restarted.finish("task-3");
    }

    @Test
    void aReconcileWithNoLiveTasksReleasesEverything() {
        VolumeExecutor executor = new VolumeExecutor(SimulatedHosts.libStorage(cluster, "agent-1"));
        executor.launch("a", List.of(TaskVolume.of("v1", "/v1"), TaskVolume.of("v2", "/v2")));
        ReconcileReport report = new VolumeExecutor(SimulatedHosts.libStorage(cluster, "agent-1")).recover(Set.of());
        assertThat(report.released()).containsExactlyInAnyOrder("v1", "v2");
        assertThat(cluster.mappingsOf("v1")).isEmpty();
        assertThat(cluster.mappingsOf("v2")).isEmpty();
    }

    @Test
    void aFailedSecondVolumeReleasesTheFirstAndNamesTheOwner() {
        LibStorage other = SimulatedHosts.libStorage(cluster, "agent-2");
        other.create("busy", other.defaultSpec());
        other.attach("busy", AttachOptions.DEFAULT);
        VolumeExecutor executor = new VolumeExecutor(SimulatedHosts.libStorage(cluster, "agent-1"));

        assertThatThrownBy(() -> executor.launch("t", List.of(TaskVolume.of("free", "/a"), TaskVolume.of("busy", "/b"))))
                .isInstanceOf(VolumeAttachedToOtherHostException.class)
                .hasMessageContaining("agent-2");
        assertThat(cluster.mappingsOf("free")).as("the first volume was released again").isEmpty();
        assertThat(SimulatedHosts.libStorage(cluster, "agent-1").inspect("free").orElseThrow().consumers()).isEmpty();
        assertThatThrownBy(() -> executor.launch(" ", List.of())).isInstanceOf(StorageException.class);
    }

    @Test
    void theStoryRuns() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            MesosExecutorStory.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("share")
                .contains("released the holds of {web-content=[web.task-1]}")
                .contains("still mounted for task-2: true, content <h1>hello</h1>")
                .contains("task-2 ended; released [web-content]")
                .contains("mounted now: false, attached to []");
    }
}
