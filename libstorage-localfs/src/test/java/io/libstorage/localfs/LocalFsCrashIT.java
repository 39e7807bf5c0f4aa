package io.libstorage.localfs;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.ReconcileReport;
import io.libstorage.api.VolumeEvent;
import io.libstorage.api.VolumeSpec;
import io.libstorage.core.LibStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A process killed with SIGKILL after each step of a mount or an unmount: the next process
 * (here the test JVM, with new driver instances on the same roots) reconciles and retries, and
 * everything converges: no loop device or mount leaks, nothing is formatted twice, and a file
 * written and fsynced before the kill keeps its checksum.
 */
class LocalFsCrashIT {
    private static final String VOLUME = "crashy";
    private static final ConsumerId CHILD = ConsumerId.of("child");
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

    /** A fresh volume: killed after attach, format, mount, or after the consumer was recorded. */
    @ParameterizedTest
    @ValueSource(strings = {"attached", "formatted", "mounted", "returned"})
    void aKilledFirstMountConvergesAndNeverFormatsTwice(String step) throws Exception {
        try (LibStorage ls = fx.libStorage()) {
            ls.create(VOLUME, VolumeSpec.builder().sizeBytes(64L << 20).fsType("ext4").build());
        }
        killChildAt("mount", step);
        Path image = image();
        String uuidAfterKill = filesystemUuid(image);
        assertThat(uuidAfterKill.isEmpty()).as("formatted before the kill").isEqualTo(step.equals("attached"));

        List<VolumeEvent> events = new CopyOnWriteArrayList<>();
        try (LibStorage ls = fx.libStorage(events::add)) {
            ReconcileReport report = ls.reconcile();
            assertThat(report.problems()).isEmpty();
            if (!step.equals("returned")) {
                assertThat(fx.mounts()).as("an interrupted mount is rolled back").isEmpty();
                assertThat(fx.loopDevices()).as("and its attach too").isEmpty();
            }
            MountedVolume m = ls.mount(VOLUME, CHILD, MountOptions.DEFAULT);
            assertThat(m.formatted()).isEqualTo(step.equals("attached"));
            assertThat(events).filteredOn(e -> e instanceof VolumeEvent.Formatted).hasSize(step.equals("attached") ? 1 : 0);
            if (!step.equals("attached")) {
                assertThat(filesystemUuid(image)).isEqualTo(uuidAfterKill);
            }
            assertThat(m.consumers()).containsExactly(CHILD);
            ls.unmount(VOLUME, CHILD);
        }
        assertNothingLeaked();
    }

    /** A volume holding data: killed after attach, mount, or after the consumer was recorded. */
    @ParameterizedTest
    @ValueSource(strings = {"attached", "mounted", "returned"})
    void aKilledMountOfAVolumeWithDataKeepsTheData(String step) throws Exception {
        String checksum = populate(false);
        killChildAt("mount", step);
        assertConvergesWithData(checksum);
    }

    /** A mounted volume holding data: its last consumer's unmount killed after umount, after detach, or at the end. */
    @ParameterizedTest
    @ValueSource(strings = {"unmounted", "detached", "returned"})
    void aKilledUnmountConvergesAndKeepsTheData(String step) throws Exception {
        String checksum = populate(true);
        killChildAt("unmount", step);
        assertConvergesWithData(checksum);
    }

    /**
     * An implicit create killed after its image was made and before its metadata was written: the
     * next process's start deletes the image (nothing was ever written to it) and a retry makes the
     * volume exactly once.
     */
    @Test
    void aCreateKilledBeforeItsMetadataLeavesNoOrphanBehind() throws Exception {
        killChildAt("mount", "imaged");
        assertThat(filesIn(fx.root.resolve("volumes"), ".img")).hasSize(1);
        assertThat(filesIn(fx.root.resolve("volumes"), ".json")).isEmpty();

        try (LibStorage ls = fx.libStorage()) {
            LocalFsReport startup = ((LocalFsDriver) ls.storage()).startupReport();
            assertThat(startup.repaired()).anySatisfy(r -> assertThat(r).contains("never written"));
            assertThat(startup.orphans()).isEmpty();
            assertThat(filesIn(fx.root.resolve("volumes"), ".img")).isEmpty();
            assertThat(ls.reconcile().problems()).isEmpty();
            MountedVolume m = ls.mount(VOLUME, CHILD, MountOptions.DEFAULT);
            assertThat(m.formatted()).isTrue();
            ls.unmount(VOLUME, CHILD);
            assertThat(((LocalFsDriver) ls.storage()).reconcileRoot().clean()).isTrue();
        }
        assertThat(filesIn(fx.root.resolve("volumes"), ".img")).hasSize(1);
        assertThat(filesIn(fx.root.resolve("volumes"), ".json")).hasSize(1);
        assertThat(fx.root.resolve("quarantine")).doesNotExist();
        assertNothingLeaked();
    }

    private static List<Path> filesIn(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
        }
    }

    /** Mounts, writes and fsyncs a file; unmounts again unless {@code keepMounted} (then CHILD holds it). */
    private String populate(boolean keepMounted) throws Exception {
        try (LibStorage ls = fx.libStorage()) {
            MountedVolume m = ls.mount(VOLUME, CHILD, MountOptions.DEFAULT);
            byte[] data = new byte[2 << 20];
            new SplittableRandom(4711).nextBytes(data);
            Path file = m.path().resolve("precious.bin");
            LocalFsFixture.writeSynced(file, data);
            String checksum = LocalFsFixture.sha256(file);
            if (!keepMounted) {
                ls.unmount(VOLUME, CHILD);
                assertNothingLeaked();
            }
            return checksum;
        }
    }

    private void assertConvergesWithData(String checksum) throws Exception {
        List<VolumeEvent> events = new CopyOnWriteArrayList<>();
        try (LibStorage ls = fx.libStorage(events::add)) {
            assertThat(ls.reconcile().problems()).isEmpty();
            MountedVolume m = ls.mount(VOLUME, CHILD, MountOptions.DEFAULT);
            assertThat(m.formatted()).isFalse();
            assertThat(LocalFsFixture.sha256(m.path().resolve("precious.bin"))).isEqualTo(checksum);
            ls.unmount(VOLUME, CHILD);
            assertThat(events).noneMatch(e -> e instanceof VolumeEvent.Formatted);
        }
        assertNothingLeaked();
    }

    private void assertNothingLeaked() throws Exception {
        assertThat(fx.mounts()).isEmpty();
        assertThat(fx.loopDevices()).isEmpty();
    }

    private Path image() throws Exception {
        try (LibStorage ls = fx.libStorage()) {
            return Path.of(ls.storage().findByName(VOLUME).orElseThrow().fields().get("image"));
        }
    }

    private static String filesystemUuid(Path image) {
        try {
            return LocalFsFixture.run("blkid", "-p", "-o", "value", "-s", "UUID", image.toString()).strip();
        } catch (IllegalStateException nothingFound) {
            return "";
        }
    }

    /** Starts {@link CrashChild}, waits until it reports {@code step}, and kills it with SIGKILL. */
    private void killChildAt(String action, String step) throws Exception {
        Path markers = Files.createDirectories(fx.dir.resolve("markers-" + action + "-" + step));
        Path log = fx.dir.resolve("child-" + action + "-" + step + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                fx.root.toString(), fx.state.toString(), VOLUME, CHILD.value(), action, step, markers.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Path marker = markers.resolve(step);
            // a bound on waiting, not a timing assertion: the child normally gets there in about a second
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(marker)) {
                if (!child.isAlive()) {
                    fail("the child exited " + child.exitValue() + " before reaching '" + step + "':\n" + Files.readString(log));
                }
                if (System.nanoTime() > deadline) {
                    fail("the child did not reach '" + step + "':\n" + Files.readString(log));
                }
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    }
}
