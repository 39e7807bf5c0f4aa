package io.libstorage.localfs;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.RemoveOptions;
import io.libstorage.core.LibStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** With only {@code stateRoot} set, localfs keeps its images under it: nothing is written to the system's directories. */
class LocalFsStateRootIT {
    private static final Path SYSTEM_STATE = Path.of("/var/lib/libstorage");
    private LocalFsFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = LocalFsFixture.requiring("blkid", "mkfs.ext4");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.closeLeavingNothing();
        }
    }

    private static Set<Path> under(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return new TreeSet<>(s.toList());
        }
    }

    @Test
    void everythingLocalfsWritesIsUnderTheStateRoot() throws Exception {
        Set<Path> systemBefore = under(SYSTEM_STATE);
        Path state = fx.dir.resolve("scratch-state");
        try (LibStorage ls = LibStorage.builder().storageDriver("localfs").stateRoot(state).processRunner(fx.runner)
                .set("integration.volume.operations.create.default.size", "64MiB").build()) {
            assertThat(ls.effectiveConfiguration()).containsEntry("localfs.root", state.resolve("localfs").toString());
            MountedVolume m = ls.mount("scratch", ConsumerId.of("app"), MountOptions.DEFAULT);
            Files.writeString(m.path().resolve("hello.txt"), "hello");
            assertThat(m.mountPoint()).startsWith(state);
            try (Stream<Path> images = Files.walk(state.resolve("localfs"))) {
                assertThat(images.filter(p -> p.toString().endsWith(".img")).toList()).hasSize(1);
            }
            ls.unmount("scratch", ConsumerId.of("app"));
            ls.remove("scratch", RemoveOptions.DEFAULT);
        }
        assertThat(under(SYSTEM_STATE)).as("files under %s", SYSTEM_STATE).isEqualTo(systemBefore);
        assertThat(fx.root).as("the fixture's own root is not used").doesNotExist();
    }
}
