package io.libstorage.core.internal.linux;

import io.libstorage.api.ProcessHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Finding the processes that hold a mount or a device, by scanning /proc (moved here with the class from the API). */
class ProcessHoldersTest {

    @Test
    void findsProcessesHoldingPathsUnderAMountPointAndFilesOnADevice(@TempDir Path dir) throws Exception {
        Path inside = Files.createDirectories(dir.resolve("mnt/sub"));
        Process sleeper = new ProcessBuilder("sleep", "600").directory(inside.toFile()).start();
        try {
            ProcessHolder holder = new ProcessHolder(sleeper.pid(), "sleep");
            assertThat(ProcessHolders.system().holding(dir.resolve("mnt"))).contains(holder);
            assertThat(ProcessHolders.system().holding(dir.resolve("mn"))).doesNotContain(holder);
            String device = MountTable.majorMinor((Long) Files.getAttribute(inside, "unix:dev"));
            assertThat(ProcessHolders.system().usingDevice(device)).as("its cwd lies on " + device).contains(holder);
            assertThat(ProcessHolders.system().usingDevice("4095:1048575")).doesNotContain(holder);
        } finally {
            sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void prefixMatchingRespectsPathComponents() {
        assertThat(ProcessHolders.under("/mnt/a/b", "/mnt/a")).isTrue();
        assertThat(ProcessHolders.under("/mnt/a", "/mnt/a")).isTrue();
        assertThat(ProcessHolders.under("/mnt/a/x (deleted)", "/mnt/a")).isTrue();
        assertThat(ProcessHolders.under("/mnt/ab", "/mnt/a")).isFalse();
    }

}
