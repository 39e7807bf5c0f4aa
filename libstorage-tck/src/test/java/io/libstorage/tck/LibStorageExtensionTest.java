package io.libstorage.testing;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.MountRequest;
import io.libstorage.api.VolumeEvent;
import io.libstorage.core.LibStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(LibStorageExtension.class)
class ExtensionAndEventsTest {

    @Test
    void theExtensionGivesAFreshInstanceAndItsCluster(LibStorage ls, InMemoryCluster cluster) {
        assertThat(ls.localHost().value()).isEqualTo(LibStorageExtension.DEFAULT_HOST);
        assertThat(cluster.volumeCount()).isZero();
        ls.mount("v", ConsumerId.of("c"), MountRequest.DEFAULT);
        assertThat(cluster.volumeCount()).isEqualTo(1);
    }

    @Test
    void eachTestStartsEmpty(LibStorage ls) {
        assertThat(ls.list()).isEmpty();
    }

    @Test
    void eventsTellWhatWasDoneInOrder(InMemoryCluster cluster) {
        List<VolumeEvent> events = new CopyOnWriteArrayList<>();
        LibStorage ls = cluster.libStorage("h", b -> b.listener(events::add).listener(e -> {
            throw new IllegalStateException("a failing listener must not break the operation");
        }));
        ls.mount("v", ConsumerId.of("c"), MountRequest.DEFAULT);
        ls.mount("v", ConsumerId.of("d"), MountRequest.DEFAULT);
        ls.unmount("v", ConsumerId.of("c"));
        ls.unmount("v", ConsumerId.of("d"));
        assertThat(events).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("Attached", "Formatted", "Mounted", "Unmounted", "Detached");
        assertThat(events).allSatisfy(e -> assertThat(e.volume()).isEqualTo("v"));
    }
}
