package io.libstorage.core;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.ReconcileReport;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.VolumeStatus;
import io.libstorage.inmemory.InMemoryCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A damaged state file stays with its volume: the others keep working, the damaged one is
 * reported with its file and the repair, and reconcile repairs it from the mount table and the
 * back end, keeping the file. Leftovers of interrupted writes are deleted.
 */
class DamagedStateTest {
    private static final String HOST = "host-1";
    private static final ConsumerId C1 = ConsumerId.of("c1");
    private static final ConsumerId C2 = ConsumerId.of("c2");

    private static Path stateDir(InMemoryCluster cluster) {
        return cluster.hostDirectory(HOST).resolve("state");
    }

    private static Path record(InMemoryCluster cluster, String name) {
        return stateDir(cluster).resolve("volumes.d").resolve(name + ".json");
    }

    /** Damages the record as the kind says: empty, truncated, not JSON, not a record, another version, another volume's, wrong types. */
    private static void damage(Path file, String kind) throws IOException {
        String good = Files.readString(file);
        String bad = switch (kind) {
            case "empty" -> "";
            case "truncated" -> good.substring(0, good.length() / 2);
            case "not-json" -> "{ this is not json";
            case "not-a-record" -> "[1, 2, 3]";
            case "null" -> "null";
            case "newer-version" -> good.replaceFirst("\"format\" : 1", "\"format\" : 99");
            case "other-volume" -> good.replaceFirst("\"name\" : \"b\"", "\"name\" : \"zz\"");
            case "wrong-type" -> good.replaceFirst("\"consumers\" : \\[[^]]*]", "\"consumers\" : 5");
            default -> throw new IllegalArgumentException(kind);
        };
        assertThat(bad).as(kind).isNotEqualTo(good);
        Files.writeString(file, bad);
    }

    @ParameterizedTest
    @ValueSource(strings = {"empty", "truncated", "not-json", "not-a-record", "null", "newer-version", "other-volume", "wrong-type"})
    void aDamagedRecordOfAMountedVolumeIsReportedAloneAndRebuiltByReconcile(String kind) throws Exception {
        try (InMemoryCluster cluster = InMemoryCluster.create()) {
            LibStorage ls = InMemoryLibStorage.onHost(cluster, HOST);
            ls.mount("a", C1, MountOptions.DEFAULT);
            Path mountOfB = ls.mount("b", C2, MountOptions.DEFAULT).mountPoint();
            Path file = record(cluster, "b");
            damage(file, kind);

            List<VolumeStatus> all = ls.list();
            assertThat(all).extracting(s -> s.volume().name()).containsExactlyInAnyOrder("a", "b");
            VolumeStatus a = all.stream().filter(s -> s.volume().name().equals("a")).findFirst().orElseThrow();
            assertThat(a.consumers()).containsExactly(C1);
            assertThat(a.problem()).isEmpty();
            VolumeStatus b = ls.inspect("b").orElseThrow();
            assertThat(b.problem()).hasValueSatisfying(p -> assertThat(p).contains(file.toString()).contains("damaged").contains("reconcile"));
            assertThat(b.path()).as("the mount table says it is mounted").isPresent();
            assertThat(ls.path("b")).isPresent();

            // the other volume works; the damaged one refuses changes it cannot make safely, naming the file and the repair
            ls.mount("a", C2, MountOptions.DEFAULT);
            ls.unmount("a", C2);
            assertThatThrownBy(() -> ls.mount("b", C1, MountOptions.DEFAULT)).isInstanceOf(OperationFailedException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining("mounted at " + mountOfB).hasMessageContaining("reconcile");
            assertThatThrownBy(() -> ls.unmount("b", C2)).isInstanceOf(OperationFailedException.class)
                    .hasMessageContaining(file.toString());

            ReconcileReport r = ls.reconcile();
            assertThat(r.problems()).isEmpty();
            assertThat(r.repaired()).singleElement().satisfies(line -> assertThat(line).startsWith("b: the state file " + file)
                    .contains("rebuilt").contains(stateDir(cluster).resolve("damaged").toString()));
            try (Stream<Path> kept = Files.list(stateDir(cluster).resolve("damaged"))) {
                assertThat(kept).as("the damaged file is kept").singleElement()
                        .satisfies(p -> assertThat(p.getFileName().toString()).startsWith("b.json."));
            }
            VolumeStatus repaired = ls.inspect("b").orElseThrow();
            assertThat(repaired.problem()).isEmpty();
            assertThat(repaired.consumers()).containsExactly(ConsumerId.ANONYMOUS);
            assertThat(cluster.mountsOf(HOST)).extracting(m -> m.mountPoint()).contains(mountOfB);

            // mounting again works; the unknown holders (the anonymous consumer) keep it mounted until released
            ls.mount("b", C1, MountOptions.DEFAULT);
            ls.unmount("b", C1);
            ls.unmount("b", C2);
            assertThat(cluster.mountsOf(HOST)).extracting(m -> m.mountPoint()).contains(mountOfB);
            ls.unmount("b", ConsumerId.ANONYMOUS);
            assertThat(cluster.mountsOf(HOST)).extracting(m -> m.mountPoint()).doesNotContain(mountOfB);
            assertThat(ls.reconcile().repaired()).isEmpty();
        }
    }

    @Test
    void aDamagedRecordOfAVolumeNotMountedHereIsSetAsideAndTheCallGoesOn() throws Exception {
        try (InMemoryCluster cluster = InMemoryCluster.create()) {
            LibStorage ls = InMemoryLibStorage.onHost(cluster, HOST);
            ls.create("b", ls.defaultSpec());
            Files.createDirectories(record(cluster, "b").getParent());
            Files.writeString(record(cluster, "b"), "{\"format\" : 1, \"name\" : \"b\", \"consum");

            assertThat(ls.inspect("b").orElseThrow().problem()).isPresent();
            assertThat(ls.path("b")).isEmpty();
            assertThat(ls.mount("b", C1, MountOptions.DEFAULT).consumers()).containsExactly(C1);
            try (Stream<Path> kept = Files.list(stateDir(cluster).resolve("damaged"))) {
                assertThat(kept).hasSize(1);
            }
            ls.unmount("b", C1);

            Files.writeString(record(cluster, "b"), "");
            ReconcileReport r = ls.reconcile();
            assertThat(r.problems()).isEmpty();
            assertThat(r.repaired()).singleElement().satisfies(line -> assertThat(line).contains("nothing is mounted"));
            assertThat(record(cluster, "b")).doesNotExist();

            Files.writeString(record(cluster, "b"), "[]");
            ls.remove("b", RemoveOptions.DEFAULT);
            assertThat(ls.inspect("b")).isEmpty();
            try (Stream<Path> kept = Files.list(stateDir(cluster).resolve("damaged"))) {
                assertThat(kept).hasSize(3);
            }
        }
    }

    @Test
    void reconcileAndTheVolumesRemovalDeleteWhatInterruptedWritesLeft() throws Exception {
        try (InMemoryCluster cluster = InMemoryCluster.create()) {
            LibStorage ls = InMemoryLibStorage.onHost(cluster, HOST);
            ls.mount("b", C1, MountOptions.DEFAULT);
            Path dir = record(cluster, "b").getParent();
            Path ofMounted = Files.writeString(dir.resolve(".b.json.8116234017284.tmp"), "{\"format\" : 1, \"na");
            Path ofNothing = Files.writeString(dir.resolve(".gone.json.42.tmp"), "");
            Path ofDotted = Files.writeString(dir.resolve(".x.json.1.json.7.tmp"), "{");

            ReconcileReport r = ls.reconcile();
            assertThat(r.problems()).isEmpty();
            assertThat(r.repaired()).hasSize(3).anySatisfy(line -> assertThat(line).startsWith("b: deleted " + ofMounted))
                    .anySatisfy(line -> assertThat(line).startsWith("gone: deleted " + ofNothing))
                    .anySatisfy(line -> assertThat(line).startsWith("x.json.1: deleted " + ofDotted));
            assertThat(ls.inspect("b").orElseThrow().consumers()).containsExactly(C1);

            Path again = Files.writeString(dir.resolve(".b.json.99.tmp"), "{");
            ls.unmount("b", C1);
            assertThat(again).doesNotExist();
            Path firstWrite = Files.writeString(dir.resolve(".never.json.5.tmp"), "{");
            ls.remove("never", RemoveOptions.DEFAULT);
            assertThat(firstWrite).doesNotExist();
            try (Stream<Path> left = Files.list(dir)) {
                assertThat(left).isEmpty();
            }
        }
    }
    @Test
    void reconcileDeletesWhatAnInterruptedWriteOfACachedProfileLeftButNotAWriteThatMayStillBeRunning() throws Exception {
        try (InMemoryCluster cluster = InMemoryCluster.create()) {
            LibStorage ls = InMemoryLibStorage.onHost(cluster, HOST);
            Path profiles = Files.createDirectories(stateDir(cluster).resolve("profiles"));
            Path interrupted = Files.writeString(profiles.resolve(".pgdata.json.8116234017284.tmp"), "{\"format\" : 1, \"na");
            Files.setLastModifiedTime(interrupted, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
            Path running = Files.writeString(profiles.resolve(".orders.json.42.tmp"), "{");

            ReconcileReport r = ls.reconcile();
            assertThat(r.problems()).isEmpty();
            assertThat(r.repaired()).singleElement().satisfies(line -> assertThat(line).startsWith("deleted " + interrupted)
                    .contains("cached profile"));
            assertThat(interrupted).doesNotExist();
            assertThat(running).as("as young as a write in progress").exists();
        }
    }
}
