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
                AccessMode.SINGLE_HOST_READ_WRITE, Map.of("team", "a"), null, Map.of(), 2048, Map.of(), Instant.EPOCH, "memory");
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
}
