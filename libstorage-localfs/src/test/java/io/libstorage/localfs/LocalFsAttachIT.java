package io.libstorage.localfs;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.Attachment;
import io.libstorage.api.AttachmentState;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.FencingUnavailableException;
import io.libstorage.api.HostId;
import io.libstorage.api.OwnerStillAliveException;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeAttachedToOtherHostException;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.spi.AttachResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Attach, detach and remove on real loop devices; start-up reconcile against the kernel. */
class LocalFsAttachIT {
    private static final HostId A = HostId.of("host-a");
    private static final HostId B = HostId.of("host-b");
    private LocalFsFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = LocalFsFixture.requiring("mkfs.ext4", "mount", "umount");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (fx != null) {
            fx.close();
            assertThat(fx.loopDevices()).isEmpty();
        }
    }

    private static VolumeSpec spec() {
        return VolumeSpec.builder().sizeBytes(64L << 20).fsType("ext4").build();
    }

    private LocalFsDriver driverFor(HostId host) {
        return fx.driver(Map.of("hostId", host.value()));
    }

    /** As udev's probe does after every change: the device is open for a moment when the detach comes. */
    @Test
    void aDetachWhileTheDeviceIsOpenForAMomentReturnsWithTheDeviceGone() throws Exception {
        LocalFsDriver d = driverFor(A);
        Volume v = d.create("briefly-open", spec());
        Path device = d.hostSide().findDevice(d.attach(v.id(), A, AttachOptions.DEFAULT).attachment()).orElseThrow();
        FileChannel holder = FileChannel.open(device, StandardOpenOption.READ);
        CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(300);
                holder.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            d.detach(v.id(), A, DetachOptions.DEFAULT);
            assertThat(fx.loopDevices()).as("detached once the holder closed it").isEmpty();
            assertThat(d.inspect(v.id()).orElseThrow().attachments()).isEmpty();
        } finally {
            release.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void attachAndDetachAreIdempotentAndTheDeviceComesFromTheKernel() throws Exception {
        LocalFsDriver d = driverFor(A);
        Volume v = d.create("v1", spec());
        AttachResult first = d.attach(v.id(), A, AttachOptions.DEFAULT);
        assertThat(first.changed()).isTrue();
        assertThat(first.attachment().deviceToken()).isEqualTo(v.id().value());
        assertThat(fx.runner.count("losetup")).isEqualTo(1);
        Path device = d.hostSide().findDevice(first.attachment()).orElseThrow();
        assertThat(fx.loopDevices()).containsExactly(device);
        assertThat(Files.readString(Path.of("/sys/block", device.getFileName().toString(), "loop/backing_file")).strip())
                .isEqualTo(first.volume().fields().get("image"));

        AttachResult again = d.attach(v.id(), A, AttachOptions.DEFAULT);
        assertThat(again.changed()).isFalse();
        assertThat(d.hostSide().findDevice(again.attachment())).contains(device);
        assertThat(fx.runner.count("losetup")).as("a repeated attach spawns nothing").isEqualTo(1);
        assertThat(d.inspect(v.id()).orElseThrow().attachmentTo(A)).map(Attachment::state).contains(AttachmentState.ATTACHED);

        d.detach(v.id(), A, DetachOptions.DEFAULT);
        assertThat(fx.loopDevices()).isEmpty();
        assertThat(d.hostSide().findDevice(first.attachment())).isEmpty();
        assertThat(d.inspect(v.id()).orElseThrow().attachments()).isEmpty();
        long losetups = fx.runner.count("losetup");
        d.detach(v.id(), A, DetachOptions.DEFAULT);
        d.detach(v.id(), B, DetachOptions.DEFAULT);
        assertThat(fx.runner.count("losetup")).as("detaching a detached volume spawns nothing").isEqualTo(losetups);
    }

    @Test
    void aRestartedDriverReusesTheAttachedDevice() {
        Volume v = driverFor(A).create("v1", spec());
        AttachResult first = driverFor(A).attach(v.id(), A, AttachOptions.DEFAULT);
        int before = fx.runner.total();
        LocalFsDriver restarted = driverFor(A);
        assertThat(restarted.startupReport().clean()).isTrue();
        AttachResult again = restarted.attach(v.id(), A, AttachOptions.DEFAULT);
        assertThat(again.changed()).isFalse();
        assertThat(restarted.hostSide().findDevice(again.attachment())).isEqualTo(driverFor(A).hostSide().findDevice(first.attachment()));
        assertThat(fx.runner.total()).as("no process spawned by restart, reconcile or attach").isEqualTo(before);
        assertThat(fx.loopDevices()).hasSize(1);
    }

    @Test
    void detachAndRemoveRefuseWhileInUseUnlessForced() throws Exception {
        LocalFsDriver d = driverFor(A);
        Volume v = d.create("busy", spec());
        Attachment a = d.attach(v.id(), A, AttachOptions.DEFAULT).attachment();
        Path device = d.hostSide().findDevice(a).orElseThrow();
        LocalFsFixture.run("mkfs.ext4", "-q", device.toString());
        Path mnt = Files.createDirectories(fx.dir.resolve("mnt"));
        LocalFsFixture.run("mount", device.toString(), mnt.toString());

        assertThatThrownBy(() -> d.detach(v.id(), A, DetachOptions.DEFAULT))
                .isInstanceOf(VolumeInUseException.class).hasMessageContaining(mnt.toString()).hasMessageContaining("volume=busy");
        assertThatThrownBy(() -> d.remove(v.id(), RemoveOptions.DEFAULT))
                .isInstanceOf(VolumeInUseException.class).hasMessageContaining(device.toString()).hasMessageContaining(mnt.toString());
        assertThat(fx.mounts()).containsExactly(mnt);
        assertThat(fx.loopDevices()).containsExactly(device);

        // forced or not, the driver never pulls a device from under a filesystem: unmounting is the integration layer's
        assertThatThrownBy(() -> d.detach(v.id(), A, DetachOptions.FORCE))
                .isInstanceOf(VolumeInUseException.class).hasMessageContaining(mnt.toString()).hasMessageContaining("unmount it first");
        assertThatThrownBy(() -> d.remove(v.id(), RemoveOptions.FORCE)).isInstanceOf(VolumeInUseException.class);
        assertThat(fx.mounts()).containsExactly(mnt);
        assertThat(fx.loopDevices()).containsExactly(device);
        LocalFsFixture.run("umount", mnt.toString());
        d.detach(v.id(), A, DetachOptions.FORCE);
        assertThat(fx.loopDevices()).isEmpty();

        d.attach(v.id(), A, AttachOptions.DEFAULT);
        assertThatThrownBy(() -> d.remove(v.id(), RemoveOptions.DEFAULT)).isInstanceOf(VolumeInUseException.class);
        d.remove(v.id(), RemoveOptions.FORCE);
        assertThat(d.inspect(v.id())).isEmpty();
        assertThat(fx.loopDevices()).isEmpty();
    }

    @Test
    void anotherIdentityOnTheSameRootSeesTheOwnerAndTakesItOnlyAsAllowed() {
        LocalFsDriver a = driverFor(A);
        LocalFsDriver b = driverFor(B);
        assertThat(b.hostSide().localHost()).isEqualTo(B);
        Volume v = a.create("shared", spec());
        a.attach(v.id(), A, AttachOptions.DEFAULT);

        assertThat(b.inspect(v.id()).orElseThrow().attachments()).extracting(Attachment::hostId).containsExactly(A);
        assertThatThrownBy(() -> b.attach(v.id(), B, AttachOptions.DEFAULT))
                .isInstanceOfSatisfying(VolumeAttachedToOtherHostException.class, e -> assertThat(e.owners()).containsExactly(A))
                .hasMessageContaining("host-a");
        assertThatThrownBy(() -> b.attach(v.id(), B, AttachOptions.withPolicy(PreemptionPolicy.IF_OWNER_UNREACHABLE)))
                .isInstanceOf(OwnerStillAliveException.class);
        b.detach(v.id(), B, DetachOptions.DEFAULT);
        assertThat(fx.loopDevices()).as("detaching for a host that does not hold it changes nothing").hasSize(1);

        AttachResult taken = b.attach(v.id(), B, new AttachOptions(PreemptionPolicy.IF_OWNER_UNREACHABLE, Set.of(A)));
        assertThat(taken.changed()).isTrue();
        assertThat(taken.preemption()).hasValueSatisfying(p -> {
            assertThat(p.from()).isEqualTo(A);
            assertThat(p.to()).isEqualTo(B);
        });
        assertThat(a.inspect(v.id()).orElseThrow().attachments()).extracting(Attachment::hostId).containsExactly(B);
        assertThat(fx.loopDevices()).hasSize(1);
        b.detach(v.id(), B, DetachOptions.DEFAULT);
    }

    @Test
    void aMountedDeviceIsNeverTakenFromAnotherIdentity() throws Exception {
        LocalFsDriver a = driverFor(A);
        Volume v = a.create("mounted", spec());
        Path device = a.hostSide().findDevice(a.attach(v.id(), A, AttachOptions.DEFAULT).attachment()).orElseThrow();
        LocalFsFixture.run("mkfs.ext4", "-q", device.toString());
        Path mnt = Files.createDirectories(fx.dir.resolve("mnt"));
        LocalFsFixture.run("mount", device.toString(), mnt.toString());
        assertThatThrownBy(() -> driverFor(B).attach(v.id(), B, AttachOptions.withPolicy(PreemptionPolicy.ALWAYS)))
                .isInstanceOf(FencingUnavailableException.class).hasMessageContaining(mnt.toString());
        assertThat(fx.mounts()).containsExactly(mnt);
    }

    @Test
    void startUpAdoptsUnrecordedLoopDevicesDropsVanishedOnesAndReportsDeletedImages() throws Exception {
        LocalFsDriver d = driverFor(A);
        Volume adopted = d.create("adopted", spec());
        Volume vanished = d.create("vanished", spec());
        Volume deleted = d.create("deleted", spec());
        // attached behind the driver's back (or by a process that crashed before recording it)
        Path byHand = Path.of(LocalFsFixture.run("losetup", "--find", "--show", adopted.fields().get("image")).strip());
        // attached and recorded, then gone (a reboot)
        Path gone = d.hostSide().findDevice(d.attach(vanished.id(), A, AttachOptions.DEFAULT).attachment()).orElseThrow();
        LocalFsFixture.run("losetup", "-d", gone.toString());
        // an image unlinked while attached
        Path deletedDevice = Path.of(LocalFsFixture.run("losetup", "--find", "--show", deleted.fields().get("image")).strip());
        Files.delete(Path.of(deleted.fields().get("image")));

        LocalFsReport report = driverFor(A).startupReport();
        assertThat(report.adopted()).singleElement().asString().contains("adopted").contains(byHand.toString());
        assertThat(report.droppedAttachments()).singleElement().asString().contains("vanished").contains(gone.toString());
        assertThat(report.orphans()).anySatisfy(o -> assertThat(o).contains(deletedDevice.toString()).contains("deleted image"))
                .anySatisfy(o -> assertThat(o).startsWith("metadata without an image").contains(deleted.id().value()));

        LocalFsDriver after = driverFor(A);
        assertThat(after.startupReport().adopted()).isEmpty();
        assertThat(after.startupReport().droppedAttachments()).isEmpty();
        assertThat(after.inspect(adopted.id()).orElseThrow().attachmentTo(A)).isPresent();
        assertThat(after.inspect(vanished.id()).orElseThrow().attachments()).isEmpty();
        int before = fx.runner.total();
        assertThat(after.attach(adopted.id(), A, AttachOptions.DEFAULT).changed()).isFalse();
        assertThat(fx.runner.total()).isEqualTo(before);
        after.detach(adopted.id(), A, DetachOptions.DEFAULT);
        LocalFsFixture.run("losetup", "-d", deletedDevice.toString());
    }
}
