package io.libstorage.localfs;

import io.libstorage.api.OperationFailedException;
import io.libstorage.api.OperationTimeoutException;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeSpec;
import io.libstorage.spi.BackendReconcile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start-up reconcile of what needs no loop device: interrupted work and orphans. */
class RootReconcileTest {
    private static final String ORPHAN_1 = "lfs-00000000-0000-0000-0000-000000000001";
    private static final String ORPHAN_2 = "lfs-00000000-0000-0000-0000-000000000002";
    private static final String ORPHAN_SNAPSHOT = "lfs-snap-00000000-0000-0000-0000-000000000003";
    private LocalFsFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new LocalFsFixture();
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    @Test
    void finishesInterruptedWorkAndReportsOrphans() throws Exception {
        LocalFsDriver d = fx.driver(Map.of("hostId", "h"));
        var kept = d.create("kept", VolumeSpec.builder().sizeBytes(1 << 20).build());
        var removing = d.create("removing", VolumeSpec.builder().sizeBytes(1 << 20).build());
        var noImage = d.create("no-image", VolumeSpec.builder().sizeBytes(1 << 20).build());
        Path volumes = fx.root.resolve("volumes");
        // a remove interrupted after moving the image to trash
        Files.createDirectories(fx.root.resolve("trash"));
        Files.move(volumes.resolve(removing.id() + ".img"), fx.root.resolve("trash").resolve(removing.id() + ".img"));
        // a create interrupted while writing the image
        Files.write(volumes.resolve(ORPHAN_1 + ".img.partial"), new byte[10]);
        // metadata whose image is gone
        Files.delete(volumes.resolve(noImage.id() + ".img"));

        LocalFsReport report = fx.driver(Map.of("hostId", "h")).startupReport();
        assertThat(report.repaired()).anySatisfy(s -> assertThat(s).contains("interrupted removal of " + removing.id().value()))
                .anySatisfy(s -> assertThat(s).contains("half-written").contains("000000000001.img.partial"));
        assertThat(report.orphans()).singleElement().satisfies(s -> assertThat(s).startsWith("metadata without an image").contains(noImage.id().value()));
        assertThat(d.findByName("removing")).isEmpty();
        assertThat(d.findByName("kept").orElseThrow().id()).isEqualTo(kept.id());

        LocalFsReport second = fx.driver(Map.of("hostId", "h")).reconcileRoot();
        assertThat(second.repaired()).isEmpty();
        assertThat(second.orphans()).hasSize(1);
    }

    /** What a create killed between its image and its metadata leaves, and the temporary files of killed metadata writes. */
    @Test
    void aNeverWrittenImageWithoutMetadataIsDeletedAndOneHoldingDataIsQuarantined() throws Exception {
        LocalFsDriver d = fx.driver(Map.of("hostId", "h"));
        Volume kept = d.create("kept", VolumeSpec.builder().sizeBytes(1 << 20).build());
        Path volumes = fx.root.resolve("volumes");
        Path snapshots = fx.root.resolve("snapshots");
        sparse(volumes.resolve(ORPHAN_1 + ".img"), 64 << 20);
        Path withData = volumes.resolve(ORPHAN_2 + ".img");
        sparse(withData, 64 << 20);
        try (RandomAccessFile f = new RandomAccessFile(withData.toFile(), "rw")) {
            f.seek(32 << 20);
            f.write("precious".getBytes());
        }
        byte[] before = Files.readAllBytes(withData);
        Files.write(snapshots.resolve(ORPHAN_SNAPSHOT + ".img"), "copied data".getBytes());
        Path tmp = Files.writeString(volumes.resolve("." + kept.id().value() + ".json.4711.tmp"), "{\"format\": 1, \"id\"");

        BackendReconcile r = d.reconcile();

        assertThat(volumes.resolve(ORPHAN_1 + ".img")).doesNotExist();
        assertThat(r.repaired()).anySatisfy(s -> assertThat(s).contains(ORPHAN_1).contains("never written"))
                .anySatisfy(s -> assertThat(s).contains("half-written").contains(tmp.getFileName().toString()));
        assertThat(tmp).doesNotExist();
        Path quarantine = fx.root.resolve("quarantine");
        assertThat(withData).doesNotExist();
        assertThat(Files.readAllBytes(quarantine.resolve(ORPHAN_2 + ".img"))).isEqualTo(before);
        assertThat(quarantine.resolve(ORPHAN_SNAPSHOT + ".img")).hasContent("copied data");
        assertThat(r.problems()).hasSize(2).allSatisfy(s -> assertThat(s).contains("holding data").contains("moved").contains(quarantine.toString()));
        assertThat(d.findByName("kept")).isPresent();
        assertThat(d.reconcile()).isEqualTo(BackendReconcile.NOTHING);
    }

    /** A create in progress holds the root lock from its image to its metadata: a reconcile waits, and then finds a whole volume. */
    @Test
    void anImageBeingCreatedByAnotherCallIsNotTouched() throws Exception {
        CountDownLatch imaged = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        LocalFsDriver creator = fx.driver(Map.of("hostId", "h"), new PausingClock(fx.root.resolve("volumes"), imaged, proceed));
        LocalFsDriver reconciler = fx.driver(Map.of("hostId", "h", "lockTimeout", "300ms"));
        CompletableFuture<Volume> create = CompletableFuture.supplyAsync(() -> creator.create("slow", VolumeSpec.builder().sizeBytes(1 << 20).build()));
        try {
            assertThat(imaged.await(60, TimeUnit.SECONDS)).isTrue();
            List<Path> images = images(fx.root.resolve("volumes"));
            assertThat(images).hasSize(1);
            assertThatThrownBy(reconciler::reconcileRoot).isInstanceOf(OperationTimeoutException.class);
            assertThat(images(fx.root.resolve("volumes"))).isEqualTo(images);
        } finally {
            proceed.countDown();
        }
        Volume slow = create.get(60, TimeUnit.SECONDS);
        assertThat(reconciler.reconcileRoot().clean()).isTrue();
        assertThat(reconciler.findByName("slow").orElseThrow().id()).isEqualTo(slow.id());
    }

    /** One damaged metadata file fails its own volume only; a lookup that cannot be answered without it says so. */
    @Test
    void damagedMetadataStaysWithItsVolume() throws Exception {
        LocalFsDriver d = fx.driver(Map.of("hostId", "h"));
        Volume a = d.create("a", VolumeSpec.builder().sizeBytes(1 << 20).build());
        List<String> damages = List.of("", "{\n  \"format\" : 1,\n  \"id\" : \"ID\",\n  \"name\" : \"b\",\n  \"spec\" : {",
                "[1, 2, 3]", "{\"format\": 2, \"id\": \"ID\", \"name\": \"b\"}", "not json at all");
        for (String damage : damages) {
            Volume b = d.create("b", VolumeSpec.builder().sizeBytes(1 << 20).build());
            Path meta = fx.root.resolve("volumes").resolve(b.id().value() + ".json");
            Files.writeString(meta, damage.replace("ID", b.id().value()));

            assertThat(d.list()).as(damage).extracting(Volume::name).containsExactly("a");
            assertThat(d.findByName("a").orElseThrow().id()).isEqualTo(a.id());
            assertThatThrownBy(() -> d.inspect(b.id())).as(damage).isInstanceOf(OperationFailedException.class)
                    .hasMessageContaining(meta.toString());
            assertThatThrownBy(() -> d.findByName("b")).as(damage).isInstanceOf(OperationFailedException.class)
                    .hasMessageContaining("cannot tell whether volume 'b' exists").hasMessageContaining(meta.toString());
            if (damage.contains("\"name\" : \"b\"") || damage.contains("\"name\": \"b\"")) {
                assertThat(d.findByName("nosuch")).as("the damaged file legibly belongs to b").isEmpty();
            } else {
                assertThatThrownBy(() -> d.findByName("nosuch")).as(damage).isInstanceOf(OperationFailedException.class);
            }
            LocalFsReport report = d.reconcileRoot();
            assertThat(report.orphans()).as(damage).singleElement().satisfies(s -> assertThat(s).startsWith("cannot read the metadata file " + meta));
            assertThat(fx.root.resolve("volumes").resolve(b.id().value() + ".img")).as("the image is kept").exists();
            // the repair the README describes: move both aside
            Files.createDirectories(fx.root.resolve("quarantine"));
            Files.move(meta, fx.root.resolve("quarantine").resolve(meta.getFileName()));
            Files.move(fx.root.resolve("volumes").resolve(b.id().value() + ".img"),
                    fx.root.resolve("quarantine").resolve(b.id().value() + ".img"));
            assertThat(d.findByName("b")).isEmpty();
            assertThat(d.reconcileRoot().clean()).isTrue();
        }
        assertThat(d.inspect(VolumeId.of(a.id().value()))).isPresent();
    }

    private static void sparse(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    private static List<Path> images(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".img")).sorted().toList();
        }
    }

    /** Pauses the first caller that reads it while an image without metadata exists (a create, between the two). */
    private static final class PausingClock extends Clock {
        private final Path volumes;
        private final CountDownLatch reached;
        private final CountDownLatch proceed;

        PausingClock(Path volumes, CountDownLatch reached, CountDownLatch proceed) {
            this.volumes = volumes;
            this.reached = reached;
            this.proceed = proceed;
        }

        @Override
        public Instant instant() {
            try {
                boolean orphan = images(volumes).stream().anyMatch(p -> {
                    String n = p.getFileName().toString();
                    return !Files.exists(volumes.resolve(n.substring(0, n.length() - ".img".length()) + ".json"));
                });
                if (orphan && reached.getCount() > 0) {
                    reached.countDown();
                    proceed.await(60, TimeUnit.SECONDS);
                }
            } catch (IOException e) {
                // not yet created
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Instant.now();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
