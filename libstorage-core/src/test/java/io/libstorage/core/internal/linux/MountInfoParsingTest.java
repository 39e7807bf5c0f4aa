package io.libstorage.core.internal.linux;

import io.libstorage.api.MountEntry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MountInfoParsingTest {
    private static final String TABLE = String.join("\n",
            "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw,errors=remount-ro",
            "23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw",
            // a mount point with a space, a tab and a backslash; no optional fields
            "40 22 7:3 / /var/lib/libstorage/volumes/my\\040vol\\011x\\134y rw,noatime - ext4 /dev/loop3 rw",
            // a bind mount of a sub-directory of the same device, several optional fields
            "41 22 7:3 /data /srv/app\\040data rw,relatime shared:40 master:7 propagate_from:2 - ext4 /dev/loop3 rw",
            // the same device a third time, read-only
            "42 22 7:3 / /mnt/ro ro,relatime - ext4 /dev/loop3 ro",
            // an empty source
            "43 22 0:50 / /run/empty rw - tmpfs  rw,size=1024k",
            // a stacked mount on /mnt/ro: the topmost is this one
            "44 42 7:4 / /mnt/ro rw - xfs /dev/loop4 rw,attr2",
            "");

    @Test
    void decodesOctalEscapesInMountPoints() {
        List<MountEntry> t = MountTable.parse(TABLE);
        assertThat(t).hasSize(7);
        MountEntry e = t.get(2);
        assertThat(e.mountPoint()).isEqualTo(Path.of("/var/lib/libstorage/volumes/my vol\tx\\y"));
        assertThat(e.major()).isEqualTo(7);
        assertThat(e.minor()).isEqualTo(3);
        assertThat(e.deviceNumber()).isEqualTo("7:3");
        assertThat(e.options()).containsExactly("rw", "noatime");
        assertThat(e.fsType()).isEqualTo("ext4");
        assertThat(e.source()).isEqualTo("/dev/loop3");
        assertThat(e.root()).isEqualTo("/");
    }

    @Test
    void handlesBindMountsAndOptionalFields() {
        MountEntry bind = MountTable.parse(TABLE).get(3);
        assertThat(bind.root()).isEqualTo("/data");
        assertThat(bind.mountPoint()).isEqualTo(Path.of("/srv/app data"));
        assertThat(bind.fsType()).isEqualTo("ext4");
        assertThat(bind.superOptions()).containsExactly("rw");
    }

    @Test
    void listsEveryMountOfOneDevice() {
        List<MountEntry> ofLoop3 = MountTable.mountsOf(MountTable.parse(TABLE), 7, 3);
        assertThat(ofLoop3).extracting(MountEntry::mountPoint).containsExactly(
                Path.of("/var/lib/libstorage/volumes/my vol\tx\\y"), Path.of("/srv/app data"), Path.of("/mnt/ro"));
        assertThat(ofLoop3.get(2).readOnly()).isTrue();
    }

    @Test
    void keepsFieldsInPlaceWhenTheSourceIsEmpty() {
        MountEntry e = MountTable.parse(TABLE).get(5);
        assertThat(e.source()).isEmpty();
        assertThat(e.fsType()).isEqualTo("tmpfs");
        assertThat(e.superOptions()).containsExactly("rw", "size=1024k");
    }

    @Test
    void findsTheTopmostOfStackedMounts() {
        List<MountEntry> t = MountTable.parse(TABLE);
        assertThat(MountTable.at(t, Path.of("/mnt/ro")).deviceNumber()).isEqualTo("7:4");
        assertThat(MountTable.at(t, Path.of("/mnt/./ro/")).deviceNumber()).isEqualTo("7:4");
        assertThat(MountTable.at(t, Path.of("/mnt"))).isNull();
    }

    @Test
    void decodesMultiByteNamesWrittenAsRawBytesOrEscapes() {
        String raw = "50 22 7:5 / /mnt/d\u00e9j\u00e0 rw - ext4 /dev/loop5 rw\n";
        String escaped = "50 22 7:5 / /mnt/d\\303\\251j\\303\\240 rw - ext4 /dev/loop5 rw\n";
        assertThat(MountTable.parse(raw.getBytes(StandardCharsets.UTF_8)).get(0).mountPoint()).isEqualTo(Path.of("/mnt/d\u00e9j\u00e0"));
        assertThat(MountTable.parse(escaped).get(0).mountPoint()).isEqualTo(Path.of("/mnt/d\u00e9j\u00e0"));
    }

    @Test
    void leavesBackslashesThatAreNotOctalEscapesAlone() {
        assertThat(MountTable.parse("50 22 7:5 / /mnt/a\\x rw - ext4 /dev/loop5 rw").get(0).mountPoint())
                .isEqualTo(Path.of("/mnt/a\\x"));
    }

    @Test
    void rejectsMalformedLinesNamingTheLine() {
        assertThatThrownBy(() -> MountTable.parse("22 1 254:0 / / rw - ext4 /dev/vda rw\n23 22 0:21 / /proc rw proc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2");
    }

    @Test
    void readsThisProcessesTableInProcess() throws Exception {
        assertThat(MountTable.read()).anySatisfy(e -> assertThat(e.mountPoint()).isEqualTo(Path.of("/")));
    }

    @Test
    void replacesBtrfsAnonymousDeviceNumbersWithTheSourceDevices() throws Exception {
        Path someBlockDevice;
        try (var nodes = java.nio.file.Files.list(Path.of("/dev"))) {
            someBlockDevice = nodes.filter(p -> {
                try {
                    return MountTable.blockDeviceNumber(p).isPresent();
                } catch (java.io.IOException e) {
                    return false;
                }
            }).findFirst().orElse(null);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(someBlockDevice != null, "no block device node visible");
        String number = MountTable.blockDeviceNumber(someBlockDevice).orElseThrow();
        List<MountEntry> t = MountTable.withBlockDeviceNumbers(MountTable.parse(
                "60 22 0:39 / /mnt/b rw - btrfs " + someBlockDevice + " rw,space_cache=v2\n"
                        + "61 22 0:40 / /mnt/t rw - tmpfs tmpfs rw\n"
                        + "62 22 0:41 / /mnt/g rw - btrfs /dev/gone-42 rw\n"));
        assertThat(t.get(0).deviceNumber()).isEqualTo(number);
        assertThat(t.get(1).deviceNumber()).isEqualTo("0:40");
        assertThat(t.get(2).deviceNumber()).isEqualTo("0:41");
    }

    @Test
    void blockDeviceNumbersAreEmptyForMissingPathsAndRegularFiles() throws Exception {
        assertThat(MountTable.blockDeviceNumber(Path.of("/dev/does-not-exist-42"))).isEmpty();
        assertThat(MountTable.blockDeviceNumber(Path.of("/proc/self/mountinfo"))).isEmpty();
    }
}
