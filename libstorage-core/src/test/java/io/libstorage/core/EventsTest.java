package io.libstorage.core;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.VolumeEvent;
import io.libstorage.inmemory.InMemoryCluster;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class EventsTest {

    @Test
    void eventsTellWhatWasDoneInOrder() {
        try (InMemoryCluster cluster = InMemoryCluster.create()) {
            List<VolumeEvent> events = new CopyOnWriteArrayList<>();
            LibStorage ls = InMemoryLibStorage.onHost(cluster, "h", b -> b.listener(events::add).listener(e -> {
                throw new IllegalStateException("a failing listener must not break the operation");
            }));
            ls.mount("v", ConsumerId.of("c"), MountOptions.DEFAULT);
            ls.mount("v", ConsumerId.of("d"), MountOptions.DEFAULT);
            ls.unmount("v", ConsumerId.of("c"));
            ls.unmount("v", ConsumerId.of("d"));
            assertThat(events).extracting(e -> e.getClass().getSimpleName())
                    .containsExactly("Attached", "Formatted", "Mounted", "Unmounted", "Detached");
            assertThat(events).allSatisfy(e -> assertThat(e.volume()).isEqualTo("v"));
        }
    }
}
