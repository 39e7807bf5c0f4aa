package io.libstorage.virtualbox.internal;

import io.libstorage.api.Attachment;
import io.libstorage.api.AttachmentState;
import io.libstorage.api.HostId;
import io.libstorage.api.VolumeId;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.VolumeSpec;
import io.libstorage.spi.DriverConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The guest side (by-id naming, whole disks only, rescans, MACs) and the driver's pure helpers (volume paths, spec descriptions). */
class VirtualBoxHostSideTest {
    private static final String MEDIUM = "32a50c6d-ddcc-4e0a-a3c6-5c126a5f3f2c";

    @TempDir
    Path tmp;

    private VboxHostSide hostSide() {
        VirtualBoxSettings s = VirtualBoxSettings.from(DriverConfig.parse("virtualbox", VirtualBoxSettings.keys(),
                Map.of("diskIDPath", tmp.resolve("by-id").toString(), "scsiHostPath", tmp.resolve("scsi_host") + "/")));
        return new VboxHostSide(s, new HostId("9f49850d-f617-4b43-a46d-272c380e7cc6"));
    }

    private static Attachment attachment(String medium) {
        return new Attachment(new VolumeId(medium), new HostId("9f49850d-f617-4b43-a46d-272c380e7cc6"), medium, AttachmentState.ATTACHED, null);
    }

    @Test
    void theSerialIsTheUuidsFirstWordAndItsLastWordByteReversed() {
        // the pair published with libStorage's own test of its VirtualBox driver
        assertThat(VboxHostSide.serial(MEDIUM)).isEqualTo("VB32a50c6d-2c3f5f6a");
    }

    @Test
    void onlyTheWholeDiskLinkOfTheWholeUuidIsADevice() throws Exception {
        Path byId = Files.createDirectories(tmp.resolve("by-id"));
        Path disk = Files.createFile(tmp.resolve("sdb"));
        Path part = Files.createFile(tmp.resolve("sdb1"));
        Path other = Files.createFile(tmp.resolve("sdc"));
        Files.createSymbolicLink(byId.resolve("ata-VBOX_HARDDISK_VB32a50c6d-2c3f5f6a-part1"), part);
        // same first word, another last word: REX-Ray matched on the first 8 digits only
        Files.createSymbolicLink(byId.resolve("ata-VBOX_HARDDISK_VB32a50c6d-00000000"), other);
        assertThat(hostSide().findDevice(attachment(MEDIUM))).isEmpty();
        Files.createSymbolicLink(byId.resolve("ata-VBOX_HARDDISK_VB32a50c6d-2c3f5f6a"), disk);
        assertThat(hostSide().findDevice(attachment(MEDIUM))).contains(disk.toRealPath());
        assertThat(hostSide().searchedLocations(attachment(MEDIUM)).get(0)).endsWith("ata-VBOX_HARDDISK_VB32a50c6d-2c3f5f6a");
    }

    @Test
    void olderUdevsScsiNamesAreFoundToo() throws Exception {
        Path byId = Files.createDirectories(tmp.resolve("by-id"));
        Path disk = Files.createFile(tmp.resolve("sdd"));
        Files.createSymbolicLink(byId.resolve("scsi-SATA_VBOX_HARDDISK_VB32a50c6d-2c3f5f6a"), disk);
        assertThat(hostSide().findDevice(attachment(MEDIUM))).contains(disk.toRealPath());
    }

    @Test
    void aRescanAsksEverySCSIHost() throws Exception {
        for (String h : List.of("host0", "host1")) {
            Files.createFile(Files.createDirectories(tmp.resolve("scsi_host").resolve(h)).resolve("scan"));
        }
        Files.createDirectories(tmp.resolve("scsi_host/not-a-host"));
        hostSide().rescan();
        assertThat(Files.readString(tmp.resolve("scsi_host/host0/scan"))).isEqualTo("- - -");
        assertThat(Files.readString(tmp.resolve("scsi_host/host1/scan"))).isEqualTo("- - -");
        assertThat(tmp.resolve("scsi_host/not-a-host/scan")).doesNotExist();
    }

    @Test
    void guestMacsAreReadAsVirtualBoxPrintsThem() throws Exception {
        Path net = tmp.resolve("net");
        Files.writeString(Files.createDirectories(net.resolve("eth0")).resolve("address"), "08:00:27:1a:45:65\n");
        Files.writeString(Files.createDirectories(net.resolve("lo")).resolve("address"), "00:00:00:00:00:00\n");
        Files.createDirectories(net.resolve("bonding_masters-like"));
        assertThat(VboxHostSide.guestMacs(net)).containsExactly("0800271A4565");
        assertThat(VboxHostSide.guestMacs(tmp.resolve("none"))).isEmpty();
    }

    @Test
    void volumeLocationsAreDirectChildrenOfVolumePathOnEitherKindOfHost() {
        VolumePath unix = new VolumePath("/Users/me/VirtualBox/Volumes/");
        assertThat(unix.location("pg")).isEqualTo("/Users/me/VirtualBox/Volumes/pg");
        assertThat(unix.nameOf("/Users/me/VirtualBox/Volumes/pg")).contains("pg");
        assertThat(unix.nameOf("/Users/me/VirtualBox/Volumes/sub/pg")).isEmpty();
        assertThat(unix.nameOf("/Users/me/VirtualBox/Volumes2/pg")).isEmpty();
        assertThat(unix.nameOf("/Users/me/VirtualBox VMs/box/box-disk001.vmdk")).isEmpty();
        VolumePath windows = new VolumePath("C:\\Users\\me\\Volumes");
        assertThat(windows.location("pg")).isEqualTo("C:\\Users\\me\\Volumes\\pg");
        assertThat(windows.nameOf("C:\\Users\\me\\Volumes\\pg")).contains("pg");
    }

    @Test
    void theSpecRoundTripsThroughTheDescriptionAndForeignTextIsNoSpec() {
        VolumeSpec spec = VolumeSpec.builder().sizeBytes(1234567).fsType("xfs").mkfsOptions(List.of("-m", "crc=1"))
                .mountOptions(List.of("noatime")).label("team", "a&b=c").preemption(PreemptionPolicy.IF_OWNER_UNREACHABLE).build();
        String d = MediumDescription.encode(spec);
        assertThat(d).contains("preemption=IF_OWNER_UNREACHABLE");
        assertThat(d).startsWith("libstorage:v1?").doesNotContain("\n");
        assertThat(MediumDescription.decode(d)).contains(spec);
        assertThat(MediumDescription.decode("")).isEmpty();
        assertThat(MediumDescription.decode("my disk for postgres")).isEmpty();
        assertThat(MediumDescription.decode("libstorage:v1?fs=ext4")).as("no size: not ours").isEmpty();
        assertThat(MediumDescription.decode("libstorage:v1?size=12&mode=NOPE")).isEmpty();
        assertThat(MediumDescription.decode("libstorage:v1?size=12").orElseThrow().fsType()).isEmpty();
        assertThat(MediumDescription.decode("libstorage:v1?size=12").orElseThrow().preemption()).isEmpty();
        assertThat(MediumDescription.decode("libstorage:v1?size=12&preemption=SOMETIMES")).as("a policy this version does not know").isEmpty();
    }
}
