package io.libstorage.core;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.VolumeNames;
import io.libstorage.api.VolumeSpec;
import io.libstorage.inmemory.InMemoryCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The longest valid name works through every operation; one character more changes nothing anywhere. */
class VolumeNameLengthTest {
    private static final String HOST = "host-1";
    private static final VolumeSpec SMALL = VolumeSpec.builder().sizeBytes(64L << 20).build();
    private final InMemoryCluster cluster = InMemoryCluster.create();
    private final LibStorage ls = InMemoryLibStorage.onHost(cluster, HOST);

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    @Test
    void aNameOfTheMaximumLengthWorksThroughEveryOperation() throws Exception {
        String name = "n".repeat(VolumeNames.MAX_LENGTH - 1) + "z";
        ls.create(name, SMALL);
        MountedVolume first = ls.mount(name, ConsumerId.of("c1"), MountOptions.DEFAULT);
        Files.writeString(first.path().resolve("kept"), "data");
        ls.mount(name, ConsumerId.of("c2"), MountOptions.DEFAULT);
        ls.unmount(name, ConsumerId.of("c1"));
        assertThat(ls.path(name)).contains(first.path());
        ls.unmount(name, ConsumerId.of("c2"));
        ls.attach(name, AttachOptions.DEFAULT);
        ls.detach(name, DetachOptions.DEFAULT);
        assertThat(ls.mount(name, ConsumerId.of("c3"), MountOptions.DEFAULT).formatted()).isFalse();
        ls.remove(name, RemoveOptions.FORCE);

        assertThat(cluster.volumeCount()).isZero();
        assertThat(ls.reconcile().problems()).isEmpty();
    }

    @Test
    void oneCharacterMoreIsRejectedBeforeAnythingIsTouched() throws Exception {
        String name = "n".repeat(VolumeNames.MAX_LENGTH + 1);
        ls.list();
        String callsBefore = cluster.calls().toString();
        Path hostDir = cluster.hostDirectory(HOST);
        List<Path> filesBefore = files(hostDir);

        List<Executable> calls = List.of(
                () -> ls.create(name, SMALL),
                () -> ls.mount(name, ConsumerId.of("c"), MountOptions.DEFAULT),
                () -> ls.unmount(name, ConsumerId.of("c")),
                () -> ls.attach(name, AttachOptions.DEFAULT),
                () -> ls.detach(name, DetachOptions.FORCE),
                () -> ls.remove(name, RemoveOptions.FORCE),
                () -> ls.inspect(name),
                () -> ls.path(name),
                () -> ls.snapshot(name, "s"));
        for (Executable call : calls) {
            assertThatThrownBy(call::execute).isInstanceOfSatisfying(InvalidRequestException.class,
                            e -> assertThat(e.isInvalidVolumeName()).isTrue())
                    .hasMessageContaining("at most " + VolumeNames.MAX_LENGTH);
        }

        assertThat(cluster.calls().toString()).as("no call of the storage or OS driver").isEqualTo(callsBefore);
        assertThat(cluster.volumeCount()).isZero();
        assertThat(files(hostDir)).isEqualTo(filesBefore);
    }

    private static List<Path> files(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.sorted().toList();
        }
    }
}
