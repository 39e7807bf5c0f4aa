package io.libstorage.localfs;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.Attachment;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.HostId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.ProcessHolder;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.core.LibStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Forced remove and detach on real loop devices while another process uses the volume: refused,
 * naming that process, with the data, the mount and the loop device left as they were.
 */
class LocalFsForcedOperationsIT {
    private static final HostId A = HostId.of("host-a");
    private static final ConsumerId APP = ConsumerId.of("app");
    private final List<Process> holders = new ArrayList<>();
    private LocalFsFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = LocalFsFixture.requiring("mkfs.ext4", "mount", "umount", "blkid", "losetup", "sleep");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : holders) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (fx != null) {
            fx.closeLeavingNothing();
        }
    }

    /** A child process (not this JVM) that holds {@code dir} as its working directory. */
    private Process holdingDirectory(Path dir) throws Exception {
        Process p = new ProcessBuilder("sleep", "600").directory(dir.toFile()).start();
        holders.add(p);
        return p;
    }

    private void release(Process p) throws Exception {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    private static ProcessHolder sleep(Process p) {
        return new ProcessHolder(p.pid(), "sleep");
    }

    private static VolumeSpec spec() {
        return VolumeSpec.builder().sizeBytes(64L << 20).fsType("ext4").build();
    }

    @Test
    void aForcedRemoveOrDetachOfAMountAProcessUsesIsRefusedNamingItAndKeepsEverything() throws Exception {
        try (LibStorage ls = fx.libStorage()) {
            MountedVolume m = ls.mount("busy", APP, MountOptions.DEFAULT);
            Path file = m.path().resolve("payload.bin");
            LocalFsFixture.writeSynced(file, "still being written".getBytes(StandardCharsets.UTF_8));
            String checksum = LocalFsFixture.sha256(file);
            Process holder = holdingDirectory(m.path());

            List<Executable> forced = List.of(() -> ls.remove("busy", RemoveOptions.FORCE), () -> ls.detach("busy", DetachOptions.FORCE));
            for (Executable call : forced) {
                assertThatThrownBy(call::execute)
                        .isInstanceOfSatisfying(VolumeInUseException.class, e -> assertThat(e.holders()).contains(sleep(holder)))
                        .hasMessageContaining("the mount at " + m.mountPoint() + " is busy")
                        .hasMessageContaining(holder.pid() + ":sleep")
                        .hasMessageContaining("volume=busy");
            }
            assertThat(fx.mounts()).containsExactly(m.mountPoint());
            assertThat(fx.loopDevices()).hasSize(1);
            assertThat(LocalFsFixture.sha256(file)).isEqualTo(checksum);
            assertThat(ls.inspect("busy").orElseThrow().consumers()).containsExactly(APP);
            assertThat(ls.path("busy")).contains(m.path());

            release(holder);
            ls.remove("busy", RemoveOptions.FORCE);
            assertThat(fx.mounts()).isEmpty();
            assertThat(fx.loopDevices()).isEmpty();
            assertThat(ls.inspect("busy")).isEmpty();
        }
    }

    @Test
    void theDriversForcedDetachAndRemoveNeverPullADeviceFromUnderAProcess() throws Exception {
        LocalFsDriver d = fx.driver(Map.of("hostId", A.value()));
        Volume v = d.create("held", spec());
        Attachment a = d.attach(v.id(), A, AttachOptions.DEFAULT).attachment();
        Path device = d.hostSide().findDevice(a).orElseThrow();
        LocalFsFixture.run("mkfs.ext4", "-q", device.toString());
        Path mnt = Files.createDirectories(fx.dir.resolve("mnt"));
        LocalFsFixture.run("mount", device.toString(), mnt.toString());
        Process holder = holdingDirectory(mnt);

        assertThatThrownBy(() -> d.detach(v.id(), A, DetachOptions.FORCE))
                .isInstanceOf(VolumeInUseException.class).hasMessageContaining("mounted at [" + mnt + "]")
                .hasMessageContaining("volume=held");
        assertThatThrownBy(() -> d.remove(v.id(), RemoveOptions.FORCE)).isInstanceOf(VolumeInUseException.class);
        assertThat(fx.mounts()).containsExactly(mnt);
        assertThat(fx.loopDevices()).containsExactly(device);
        assertThat(d.inspect(v.id())).isPresent();

        release(holder);
        LocalFsFixture.run("umount", mnt.toString());
        d.remove(v.id(), RemoveOptions.FORCE);
        assertThat(fx.mounts()).isEmpty();
        assertThat(fx.loopDevices()).isEmpty();
        assertThat(d.inspect(v.id())).isEmpty();
    }

    @Test
    void aFilesystemLazilyUnmountedButStillInUseKeepsItsImage() throws Exception {
        LocalFsDriver d = fx.driver(Map.of("hostId", A.value()));
        Volume v = d.create("lazy", spec());
        Attachment a = d.attach(v.id(), A, AttachOptions.DEFAULT).attachment();
        Path device = d.hostSide().findDevice(a).orElseThrow();
        LocalFsFixture.run("mkfs.ext4", "-q", device.toString());
        Path mnt = Files.createDirectories(fx.dir.resolve("mnt"));
        LocalFsFixture.run("mount", device.toString(), mnt.toString());
        Process holder = holdingDirectory(mnt);
        LocalFsFixture.run("umount", "--lazy", mnt.toString());
        assertThat(fx.mounts()).as("gone from the mount table, still alive for its user").isEmpty();

        assertThatThrownBy(() -> d.remove(v.id(), RemoveOptions.FORCE))
                .isInstanceOfSatisfying(VolumeInUseException.class, e -> assertThat(e.holders()).contains(sleep(holder)))
                .hasMessageContaining("still open after the detach")
                .hasMessageContaining(holder.pid() + ":sleep");
        assertThat(d.inspect(v.id())).isPresent();
        assertThat(Files.exists(fx.root.resolve("volumes").resolve(v.id().value() + ".img"))).isTrue();

        release(holder);
        awaitNoLoopDevices();
        d.remove(v.id(), RemoveOptions.DEFAULT);
        assertThat(d.inspect(v.id())).isEmpty();
    }

    @Test
    void aDeviceAProcessReadsDirectlyIsNotReportedDetached() throws Exception {
        LocalFsDriver d = fx.driver(Map.of("hostId", A.value()));
        Volume v = d.create("raw", spec());
        Attachment a = d.attach(v.id(), A, AttachOptions.DEFAULT).attachment();
        Path device = d.hostSide().findDevice(a).orElseThrow();
        Process reader = new ProcessBuilder("sleep", "600").redirectInput(device.toFile()).start();
        holders.add(reader);

        assertThatThrownBy(() -> d.detach(v.id(), A, DetachOptions.DEFAULT))
                .isInstanceOfSatisfying(VolumeInUseException.class, e -> assertThat(e.holders()).contains(sleep(reader)))
                .hasMessageContaining(device.toString());
        assertThatThrownBy(() -> d.remove(v.id(), RemoveOptions.FORCE)).isInstanceOf(VolumeInUseException.class);
        assertThat(d.inspect(v.id())).isPresent();

        release(reader);
        awaitNoLoopDevices();
        assertThat(d.inspect(v.id()).orElseThrow().attachments()).isEmpty();
        d.remove(v.id(), RemoveOptions.DEFAULT);
    }

    /** A detach requested while the device was open completes when its last user closes it. */
    private void awaitNoLoopDevices() throws InterruptedException {
        for (int i = 0; i < 250 && !fx.loopDevices().isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertThat(fx.loopDevices()).isEmpty();
    }
}
