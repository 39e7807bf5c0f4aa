package io.libstorage.tck;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.MountOptions;
import io.libstorage.core.LibStorage;
import io.libstorage.inmemory.InMemoryCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(LibStorageExtension.class)
class LibStorageExtensionTest {

    @Test
    void theExtensionGivesAFreshInstanceAndItsCluster(LibStorage ls, InMemoryCluster cluster) {
        assertThat(ls.localHost().value()).isEqualTo(LibStorageExtension.DEFAULT_HOST);
        assertThat(cluster.volumeCount()).isZero();
        ls.mount("v", ConsumerId.of("c"), MountOptions.DEFAULT);
        assertThat(cluster.volumeCount()).isEqualTo(1);
    }

    @Test
    void eachTestStartsEmpty(LibStorage ls) {
        assertThat(ls.list()).isEmpty();
    }

    @Test
    void moreHostsShareTheClusterAndTheirOwnState(LibStorage hostOne, InMemoryCluster cluster) {
        LibStorage hostTwo = InMemoryLibStorage.onHost(cluster, "host-2");
        hostOne.create("shared", hostOne.defaultSpec());

        assertThat(hostTwo.localHost().value()).isEqualTo("host-2");
        assertThat(hostTwo.inspect("shared")).isPresent();
        assertThat(hostTwo.effectiveConfiguration().get("libstorage.stateRoot"))
                .isEqualTo(cluster.hostDirectory("host-2").resolve("state").toString())
                .isNotEqualTo(hostOne.effectiveConfiguration().get("libstorage.stateRoot"));
    }
}
