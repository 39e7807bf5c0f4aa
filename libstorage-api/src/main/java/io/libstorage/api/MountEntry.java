package io.libstorage.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One line of {@code /proc/self/mountinfo}, decoded (octal escapes such as {@code \040} resolved).
 *
 * @param mountId unique id of the mount
 * @param parentId id of the parent mount
 * @param major major device number of the mounted filesystem's device
 * @param minor minor device number
 * @param root the path inside the filesystem that is mounted ({@code /} unless a bind mount of a sub-directory)
 * @param mountPoint where it is mounted
 * @param options per-mount options
 * @param fsType filesystem type
 * @param source the mount source (device path for block filesystems)
 * @param superOptions per-superblock options
 */
public record MountEntry(int mountId, int parentId, int major, int minor, String root, Path mountPoint,
                         List<String> options, String fsType, String source, List<String> superOptions) {
    public MountEntry {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(mountPoint, "mountPoint");
        options = List.copyOf(options);
        Objects.requireNonNull(fsType, "fsType");
        Objects.requireNonNull(source, "source");
        superOptions = List.copyOf(superOptions);
    }

    /** Whether the mount is read-only. */
    public boolean readOnly() {
        return options.contains("ro");
    }

    /** {@code major:minor}. */
    public String deviceNumber() {
        return major + ":" + minor;
    }
}
