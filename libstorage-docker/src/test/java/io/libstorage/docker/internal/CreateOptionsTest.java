package io.libstorage.docker.internal;

import io.libstorage.api.AccessMode;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.SnapshotId;
import io.libstorage.api.VolumeSpec;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CreateOptionsTest {
    private static final VolumeSpec DEFAULTS = VolumeSpec.builder().sizeBytes(16 * ByteSizes.GIB).fsType("ext4").build();
    private static final ErrorContext CTX = ErrorContext.of("create", "v", "host-1", "memory");

    private static VolumeSpec spec(Map<String, String> opts) {
        return CreateOptions.toSpec(DEFAULTS, opts, CTX);
    }

    @Test
    void nullOrEmptyOptionsAreTheDefaults() {
        assertThat(spec(null)).isEqualTo(DEFAULTS);
        assertThat(spec(Map.of())).isEqualTo(DEFAULTS);
    }

    @Test
    void aBareSizeIsGibibytesAndUnitsAreUnderstood() {
        assertThat(spec(Map.of("size", "5")).sizeBytes()).isEqualTo(5 * ByteSizes.GIB);
        assertThat(spec(Map.of("size", "1.5")).sizeBytes()).isEqualTo(3 * ByteSizes.GIB / 2);
        assertThat(spec(Map.of("Size", "512MiB")).sizeBytes()).isEqualTo(512 * ByteSizes.MIB);
        assertThat(spec(Map.of("SIZE", "1GB")).sizeBytes()).isEqualTo(1_000_000_000L);
        assertThat(spec(Map.of("size", " 2 ")).sizeBytes()).isEqualTo(2 * ByteSizes.GIB);
    }

    @Test
    void badSizesNameTheValue() {
        for (String bad : new String[] {"", "lots", "-1", "5 parsecs", "99999999999999999999"}) {
            assertThatThrownBy(() -> spec(Map.of("size", bad))).isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("option 'size': '" + bad.strip() + "'");
        }
        assertThatThrownBy(() -> spec(Map.of("size", "0"))).hasMessageContaining("'0' is not a positive size");
        assertThatThrownBy(() -> spec(Map.of("size", "0MiB"))).hasMessageContaining("is not a positive size");
    }

    @Test
    void sizesUseTheOneGrammarOfByteSizes() {
        assertThatThrownBy(() -> spec(Map.of("size", "1PiB"))).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("option 'size': '1PiB' is too large").hasMessageContaining("less than 1PiB");
        assertThatThrownBy(() -> spec(Map.of("size", "1EiB"))).hasMessageContaining("'1EiB' is too large");
        assertThatThrownBy(() -> spec(Map.of("size", "-5"))).hasMessageContaining("'-5' is not a positive size")
                .hasMessageContaining("16 is 16GiB").hasMessageNotContaining("1073741824");
        assertThatThrownBy(() -> spec(Map.of("size", "5 parsecs"))).hasMessageContaining("unknown unit 'parsecs'")
                .hasMessageContaining("KiB, MiB, GiB, TiB");
        for (String text : new String[] {"16", "1.5", "512MiB", "1GB", "2TiB"}) {
            assertThat(spec(Map.of("size", text)).sizeBytes()).as(text).isEqualTo(ByteSizes.parse(text));
        }
    }

    @Test
    void filesystemMkfsAndMountOptions() {
        VolumeSpec s = spec(Map.of("fsType", "XFS", "mkfsOptions", " -m  0 -L data ", "mountOptions", "noatime, nodiratime,,"));
        assertThat(s.fsType()).contains("xfs");
        assertThat(s.mkfsOptions()).containsExactly("-m", "0", "-L", "data");
        assertThat(s.mountOptions()).containsExactly("noatime", "nodiratime");
        assertThat(spec(Map.of("newfstype", "btrfs")).fsType()).contains("btrfs");
        assertThat(spec(Map.of("newFsType", "xfs", "fstype", "xfs")).fsType()).contains("xfs");
        assertThatThrownBy(() -> spec(Map.of("newFsType", "xfs", "fsType", "ext4")))
                .hasMessageContaining("contradict each other");
        assertThatThrownBy(() -> spec(Map.of("fsType", "ext4; rm -rf /"))).hasMessageContaining("is not a filesystem type");
        assertThatThrownBy(() -> spec(Map.of("mountOptions", "a b"))).hasMessageContaining("contains white space");
    }

    @Test
    void accessModesAndDriverOptions() {
        assertThat(spec(Map.of("accessMode", "multi-host-read-only")).accessMode()).isEqualTo(AccessMode.MULTI_HOST_READ_ONLY);
        assertThat(spec(Map.of("accessmode", "RWX")).accessMode()).isEqualTo(AccessMode.MULTI_HOST_CLUSTER);
        assertThatThrownBy(() -> spec(Map.of("accessMode", "shared"))).hasMessageContaining("'shared' is not an access mode");
        VolumeSpec s = spec(Map.of("volumetype", "pool1", "availabilityZone", "pd1", "iops", "100", "driver.thinOrThick", "thin",
                "label.owner", "team-a", "snapshotID", "snap-1"));
        assertThat(s.driverOptions()).containsEntry("type", "pool1").containsEntry("availabilityZone", "pd1")
                .containsEntry("iops", "100").containsEntry("thinOrThick", "thin");
        assertThat(s.labels()).containsEntry("owner", "team-a");
        assertThat(s.sourceSnapshot()).contains(new SnapshotId("snap-1"));
        assertThat(spec(Map.of("type", "p")).driverOptions()).containsEntry("type", "p");
        assertThatThrownBy(() -> spec(Map.of("iops", "many"))).hasMessageContaining("'many' is not a positive integer");
    }

    @Test
    void unknownOptionsAreRejectedAllAtOnce() {
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("size", "1");
        opts.put("colour", "blue");
        opts.put("overwriteFs", "true");
        assertThatThrownBy(() -> spec(opts)).isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith("create failed: unknown options 'colour', 'overwriteFs' (the library never reformats")
                .hasMessageContaining("accepted: size, fsType")
                .hasMessageEndingWith("[operation=create volume=v host=host-1 backend=memory]");
        assertThatThrownBy(() -> spec(Map.of("label.", "x"))).hasMessageContaining("unknown option 'label.'");
    }

    @Test
    void aKeyGivenTwiceInDifferentCaseIsRejected() {
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("size", "1");
        opts.put("SIZE", "2");
        assertThatThrownBy(() -> spec(opts)).hasMessageContaining("is given twice");
    }
}
