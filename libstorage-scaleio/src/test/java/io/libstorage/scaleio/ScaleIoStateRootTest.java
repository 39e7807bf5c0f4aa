package io.libstorage.scaleio;

import io.libstorage.api.ByteSizes;
import io.libstorage.api.VolumeSpec;
import io.libstorage.scaleio.internal.ScaleIoDriverProvider;
import io.libstorage.spi.DriverConfig;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.support.SystemProcessRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 8 item 17 for ScaleIO: with only {@code libstorage.stateRoot} set, the driver writes nothing outside it. */
class ScaleIoStateRootTest {

    @Test
    void withOnlyTheStateRootSetEverythingTheDriverWritesIsUnderIt(@TempDir Path stateRoot) throws IOException {
        List<Path> systemDefaultBefore = files(DriverConfig.DEFAULT_STATE_ROOT);
        try (EmulatedScaleIo sio = new EmulatedScaleIo(false, "a")) {
            ScaleIoDriverProvider provider = new ScaleIoDriverProvider();
            Map<String, Object> section = sio.config("a");
            section.remove("stateDir");
            DriverConfig config = DriverConfig.parse("scaleio", provider.configKeys(), section, stateRoot, List.of());
            assertThat(config.path("stateDir")).isEqualTo(stateRoot.resolve("scaleio"));
            try (StorageDriver driver = provider.create(new DriverContext(config, SystemProcessRunner.instance(),
                    Clock.systemUTC(), EmulatedScaleIo.linuxOs()))) {
                driver.create("pgdata", VolumeSpec.builder().sizeBytes(ByteSizes.GIB).build());
                driver.create("a-name-longer-than-the-gateways-thirty-one", VolumeSpec.builder().sizeBytes(ByteSizes.GIB).build());
                assertThat(driver.list()).hasSize(2);
            }
            assertThat(files(stateRoot)).as("what the driver wrote (ids, discovery, the login flavour, names)").isNotEmpty()
                    .allSatisfy(f -> assertThat(f).startsWith(stateRoot.resolve("scaleio")));
            assertThat(sio.dir().resolve("state")).as("the emulator fixture's own state directory, not configured here").doesNotExist();
        }
        assertThat(files(DriverConfig.DEFAULT_STATE_ROOT)).as("the system's default state root is untouched").isEqualTo(systemDefaultBefore);
    }

    private static List<Path> files(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
