package io.libstorage.emulator.vbox;

import io.libstorage.tck.LoopDeviceSweeper;
import io.libstorage.tck.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The guest data path with real loop devices (root): each running VM's guest sees its own disks, named as udev names them. */
class LoopDataPathIT {
    @TempDir
    Path tmp;
    private VboxWebServiceEmulator vbox;
    private SoapClient c;
    private Path byIdA;
    private Path byIdB;
    private Path vols;

    @BeforeEach
    void start() throws Exception {
        Prerequisites.requireLoopDevices();
        byIdA = tmp.resolve("a/dev/disk/by-id");
        byIdB = tmp.resolve("b/dev/disk/by-id");
        vols = Files.createDirectories(tmp.resolve("vols"));
        vbox = VboxWebServiceEmulator.builder().dataDir(tmp.resolve("data")).dataPath(true).partitionDecoy(true)
                .machine(MachineSpec.named("host-a").withDiskIdPath(byIdA).withScsiHostPath(tmp.resolve("a/sys/class/scsi_host")))
                .machine(MachineSpec.named("host-b").withDiskIdPath(byIdB).withBootDisk(false))
                .start();
        c = new SoapClient(vbox).logon();
    }

    @AfterEach
    void cleanUp() {
        if (vbox != null) {
            vbox.close();
        }
        LoopDeviceSweeper.sweep(tmp); // only devices backed by files under this test's own temp dir
    }

    /** The reference's rule, written out independently of the emulator: first 8 hex digits, last 8 byte-reversed. */
    @Test
    void theLinkNameFollowsVirtualBoxsSerialNumber() throws Exception {
        String medium = c.createDisk(vols.resolve("v").toString(), 64L << 20);
        UUID id = UUID.fromString(c.get("IMedium_getId", medium));
        String hex = id.toString().replace("-", "");
        String expected = "ata-VBOX_HARDDISK_VB" + hex.substring(0, 8) + "-" + hex.substring(30, 32) + hex.substring(28, 30)
                + hex.substring(26, 28) + hex.substring(24, 26);
        attach("host-a", medium, 1);
        assertThat(Files.isSymbolicLink(byIdA.resolve(expected))).isTrue();
        assertThat(Files.isSymbolicLink(byIdA.resolve(expected + "-part1"))).as("decoy").isTrue();
        assertThat(io.libstorage.emulator.vbox.internal.host.DataPath.linkName(UUID.fromString("32a50c6d-ddcc-4e0a-a3c6-5c126a5f3f2c")))
                .isEqualTo("ata-VBOX_HARDDISK_VB32a50c6d-2c3f5f6a");
    }

    @Test
    void hotPlugMakesARealLoopDeviceAppearOnlyInThatGuestAndUnplugRemovesIt() throws Exception {
        String medium = c.createDisk(vols.resolve("pg").toString(), 64L << 20);
        UUID id = UUID.fromString(c.get("IMedium_getId", medium));
        String[] s = attach("host-a", medium, 1);
        Path link = link(byIdA, id);
        Path device = Files.readSymbolicLink(link);
        assertThat(device.toString()).startsWith("/dev/loop");
        assertThat(device).isEqualTo(vbox.attachedDevice(id, "host-a"));
        assertThat(LoopDeviceSweeper.devicesUnder(vols)).containsExactly(device);
        assertThat(Files.exists(link(byIdB, id), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.exists(tmp.resolve("a/sys/class/scsi_host/host0/scan"))).isTrue();

        c.ok("IMachine_detachDevice", "_this", s[1], "name", "SATA", "controllerPort", "1", "device", "0");
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(LoopDeviceSweeper.devicesUnder(vols)).isEmpty();
    }

    @Test
    void dataWrittenOnOneHostIsReadOnTheOtherAfterTheVolumeMoves() throws Exception {
        String medium = c.createDisk(vols.resolve("data").toString(), 64L << 20);
        UUID id = UUID.fromString(c.get("IMedium_getId", medium));
        String[] a = attach("host-a", medium, 1);
        byte[] payload = "failover keeps my data".getBytes(StandardCharsets.UTF_8);
        try (RandomAccessFile f = new RandomAccessFile(Files.readSymbolicLink(link(byIdA, id)).toFile(), "rw")) {
            f.seek(1 << 20);
            f.write(payload);
            f.getFD().sync();
        }
        c.ok("IMachine_detachDevice", "_this", a[1], "name", "SATA", "controllerPort", "1", "device", "0");
        c.ok("IMachine_saveSettings", "_this", a[1]);
        attach("host-b", medium, 0);
        byte[] read = new byte[payload.length];
        try (RandomAccessFile f = new RandomAccessFile(Files.readSymbolicLink(link(byIdB, id)).toFile(), "r")) {
            f.seek(1 << 20);
            f.readFully(read);
        }
        assertThat(read).isEqualTo(payload);
    }

    @Test
    void aGuestLosesItsDevicesWhenItsVmStopsAndSeesTheSavedOnesWhenItStarts() throws Exception {
        String medium = c.createDisk(vols.resolve("pw").toString(), 64L << 20);
        UUID id = UUID.fromString(c.get("IMedium_getId", medium));
        String[] s = attach("host-a", medium, 1);
        c.ok("IMachine_saveSettings", "_this", s[1]);
        int before = LoopDeviceSweeper.devicesUnder(tmp).size();
        vbox.setState("host-a", MachineState.PoweredOff);
        assertThat(Files.exists(link(byIdA, id), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(LoopDeviceSweeper.devicesUnder(tmp)).hasSize(before - 2); // the volume and the boot disk
        vbox.setState("host-a", MachineState.Running);
        assertThat(Files.isSymbolicLink(link(byIdA, id))).isTrue();
    }

    @Test
    void closeDetachesEverythingAndRemovesEveryLink() throws Exception {
        String medium = c.createDisk(vols.resolve("bye").toString(), 64L << 20);
        UUID id = UUID.fromString(c.get("IMedium_getId", medium));
        attach("host-a", medium, 1);
        vbox.close();
        vbox = null;
        assertThat(LoopDeviceSweeper.devicesUnder(tmp)).isEmpty();
        assertThat(Files.exists(link(byIdA, id), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.exists(vols.resolve("bye"))).as("images the emulator created are deleted").isFalse();
        assertThat(Files.exists(tmp.resolve("a/sys/class/scsi_host/host0/scan"))).as("and the scan files").isFalse();
        try (var s = Files.list(tmp.resolve("data/journal"))) {
            assertThat(s).isEmpty();
        }
    }

    private String[] attach(String vm, String medium, int port) throws Exception {
        String[] s = c.lock(c.findMachine(vm), "Shared");
        c.ok("IMachine_attachDevice", "_this", s[1], "name", "SATA", "controllerPort", Integer.toString(port), "device", "0",
                "type", "HardDisk", "medium", medium);
        return s;
    }

    private static Path link(Path dir, UUID id) {
        String hex = id.toString().replace("-", "");
        return dir.resolve("ata-VBOX_HARDDISK_VB" + hex.substring(0, 8) + "-" + hex.substring(30, 32) + hex.substring(28, 30)
                + hex.substring(26, 28) + hex.substring(24, 26));
    }
}
