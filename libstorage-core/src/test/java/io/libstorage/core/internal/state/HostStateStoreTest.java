package io.libstorage.core.internal.state;

import io.libstorage.api.AccessMode;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostStateStoreTest {
    private final ErrorContext ctx = ErrorContext.of("test");

    @Test
    void recordsRoundTripAndAreListedAndDeleted(@TempDir Path root) {
        HostStateStore store = new HostStateStore(root);
        StoredVolume v = new StoredVolume("id-1", "data", 1024, "xfs", List.of("-K"), List.of("noatime"),
                AccessMode.SINGLE_HOST_READ_WRITE, Map.of("team", "a"), null, Map.of(), 2048, Map.of(), Instant.EPOCH, "memory", io.libstorage.api.PreemptionPolicy.IF_OWNER_UNREACHABLE);
        VolumeRecord rec = VolumeRecord.empty("data", "boot-1", Instant.EPOCH).withVolume(v)
                .withConsumer("c2").withConsumer("").withMount("/dev/loop3", "/mnt/data", "xfs")
                .withIntent(new Intent(Intent.Kind.MOUNT, "c3", Instant.EPOCH, 42)).withAttachToken("tok");
        store.save(rec, ctx);
        assertThat(store.load("data", ctx)).contains(rec);
        assertThat(store.names()).containsExactly("data");
        assertThat(store.load("data", ctx).orElseThrow().volume().toVolume(List.of()).spec().mkfsOptions()).containsExactly("-K");
        store.delete("data", ctx);
        assertThat(store.load("data", ctx)).isEmpty();
        assertThat(store.names()).isEmpty();
    }

    @Test
    void aDraftChangesNothingUntilPublishedAndADiscardedOneLeavesNoFile(@TempDir Path root) throws Exception {
        HostStateStore store = new HostStateStore(root);
        VolumeRecord intent = VolumeRecord.empty("data", "boot-1", Instant.EPOCH).withIntent(new Intent(Intent.Kind.MOUNT, "c", Instant.EPOCH, 42));
        store.save(intent, ctx);
        VolumeRecord committed = intent.withIntent(null).withConsumer("c").withMount("/dev/loop3", "/mnt/data", "ext4");

        HostStateStore.Draft discarded = store.draft(committed, ctx);
        assertThat(store.load("data", ctx)).contains(intent);
        discarded.discard();
        assertThat(store.load("data", ctx)).contains(intent);
        assertThat(store.namesWithTemporaries()).isEmpty();

        HostStateStore.Draft published = store.draft(committed, ctx);
        assertThat(published.record()).isEqualTo(committed);
        published.publishSharingDirectorySync();
        assertThat(store.load("data", ctx)).contains(committed);
        assertThat(store.namesWithTemporaries()).isEmpty();
    }

    @Test
    void consumersAreASetNotACounter() {
        VolumeRecord r = VolumeRecord.empty("v", "b", Instant.EPOCH).withConsumer("a").withConsumer("a").withConsumer("b");
        assertThat(r.consumers()).isEqualTo(Set.of("a", "b"));
        assertThat(r.withoutConsumer("a").withoutConsumer("a").consumers()).containsExactly("b");
    }

    @Test
    void aCorruptRecordIsAnErrorNamingTheFile(@TempDir Path root) throws Exception {
        HostStateStore store = new HostStateStore(root);
        Files.createDirectories(store.directory());
        Files.writeString(store.directory().resolve("bad.json"), "{not json");
        assertThatThrownBy(() -> store.load("bad", ctx)).isInstanceOf(OperationFailedException.class)
                .hasMessageContaining("bad.json");
    }

    @Test
    void aRecordWrittenBeforeFormatsWereRecordedIsReadAsTheFirstFormat(@TempDir Path root) throws Exception {
        HostStateStore store = new HostStateStore(root);
        Files.createDirectories(store.directory());
        Files.writeString(store.directory().resolve("old.json"), """
                {"name" : "old", "consumers" : [ "c" ], "mountPoint" : "/mnt/old", "device" : "/dev/loop1", "bootId" : "b"}
                """);
        VolumeRecord r = store.load("old", ctx).orElseThrow();
        assertThat(r.consumers()).containsExactly("c");
        store.save(r.withConsumer("d"), ctx);
        assertThat(Files.readString(store.directory().resolve("old.json"))).contains("\"format\" : " + VolumeRecord.FORMAT);
    }

    @Test
    void damageIsAResultNamingTheFileAndWhy(@TempDir Path root) throws Exception {
        HostStateStore store = new HostStateStore(root);
        store.save(VolumeRecord.empty("v", "b", Instant.EPOCH).withConsumer("c"), ctx);
        Path file = store.directory().resolve("v.json");
        String good = Files.readString(file);
        Map<String, String> damages = Map.of(
                "", "empty",
                "  \n", "empty",
                good.substring(0, good.indexOf("\"bootId\"")), "truncated",
                "{\"format\": 1, name: v}", "not valid JSON",
                "\"v\"", "does not hold a volume record",
                good.replace("\"format\" : 1", "\"format\" : 2"), "format 2, written by a newer libstorage",
                good.replace("\"name\" : \"v\"", "\"name\" : \"w\""), "names volume 'w', not 'v'",
                good.replace("\"bootId\" : \"b\"", "\"bootId\" : [1]"), "field 'bootId'");
        for (Map.Entry<String, String> d : damages.entrySet()) {
            Files.writeString(file, d.getKey());
            HostStateStore.Stored s = store.read("v", ctx);
            assertThat(s).as(d.getKey()).isInstanceOfSatisfying(HostStateStore.Stored.Damaged.class, damaged -> {
                assertThat(damaged.file()).isEqualTo(file);
                assertThat(damaged.reason()).contains(d.getValue());
            });
            assertThatThrownBy(() -> store.load("v", ctx)).as(d.getKey()).isInstanceOf(OperationFailedException.class)
                    .hasMessageContaining(file.toString()).hasMessageContaining(d.getValue()).hasMessageContaining("reconcile");
        }
        Path aside = store.setAside("v", Instant.ofEpochMilli(5), ctx);
        assertThat(aside).isEqualTo(root.resolve("damaged").resolve("v.json.5"));
        assertThat(aside).hasContent(damages.entrySet().stream().reduce((x, y) -> y).orElseThrow().getKey());
        assertThat(store.read("v", ctx)).isInstanceOf(HostStateStore.Stored.Absent.class);
        Files.writeString(file, "");
        assertThat(store.setAside("v", Instant.ofEpochMilli(5), ctx)).isEqualTo(root.resolve("damaged").resolve("v.json.5-1"));
    }
}
