package io.libstorage.core.internal.linux;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FilesystemTypeTest {
    private static final Path DEV = Path.of("/dev/loop9");

    @Test
    void shortensLabelsToEachFilesystemsLimit() {
        String name = "a-very-long-volume-name-for-labels";
        assertThat(FilesystemType.EXT4.mkfsCommand(DEV, List.of(), name, false)).contains("a-very-long-volu");
        assertThat(FilesystemType.XFS.mkfsCommand(DEV, List.of(), name, false)).contains("a-very-long-");
        assertThat(FilesystemType.BTRFS.mkfsCommand(DEV, List.of(), name, false)).contains(name);
    }

    @Test
    void neverCutsAMultiByteCharacter() {
        assertThat(FilesystemType.shortenLabel("abcdefghijklmno\u00e9", 16)).isEqualTo("abcdefghijklmno");
        assertThat(FilesystemType.shortenLabel("\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9", 12)).isEqualTo("\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9");
    }

    @Test
    void forcesOnlyOnAnExplicitOverwriteAndPutsOptionsBeforeTheDevice() {
        assertThat(FilesystemType.EXT4.mkfsCommand(DEV, List.of("-E", "lazy_itable_init=1"), "v", false))
                .containsExactly("mkfs.ext4", "-q", "-L", "v", "-E", "lazy_itable_init=1", "/dev/loop9");
        assertThat(FilesystemType.EXT4.mkfsCommand(DEV, List.of(), null, true)).containsExactly("mkfs.ext4", "-q", "-F", "/dev/loop9");
        assertThat(FilesystemType.XFS.mkfsCommand(DEV, List.of(), null, true)).containsExactly("mkfs.xfs", "-q", "-f", "/dev/loop9");
        assertThat(FilesystemType.BTRFS.mkfsCommand(DEV, List.of(), null, false)).containsExactly("mkfs.btrfs", "-q", "/dev/loop9");
    }

    @Test
    void knowsOnlyTheSupportedTypes() {
        assertThat(FilesystemType.of("xfs")).contains(FilesystemType.XFS);
        assertThat(FilesystemType.of("zfs")).isEmpty();
        assertThat(FilesystemType.of("EXT4")).isEmpty();
    }
}
