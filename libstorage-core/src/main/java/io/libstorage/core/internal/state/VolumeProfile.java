package io.libstorage.core.internal.state;

import io.libstorage.api.AccessMode;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.VolumeSpec;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What was asked for when a volume was created, as every host must see it: the user's name, the requested size,
 * the filesystem and its options, access mode, labels and the volume's own takeover policy. Kept inside the volume
 * ({@code .libstorage/volume.json} at its filesystem root) and cached in each host's state root
 * ({@code profiles/<name>.json}) for back ends that cannot keep it themselves.
 *
 * @param format the version of this shape ({@link #FORMAT})
 * @param volumeId the back-end id it describes (a clone carries its source's record until its first mount rewrites it)
 * @param sizeBytes the requested size, or {@code null} when whoever wrote the record did not know it
 * @param fsType the filesystem the volume was created (and formatted) with, or {@code null} when not known
 * @param preemption the volume's own takeover policy, or {@code null} for the configured default
 */
public record VolumeProfile(int format, String volumeId, String name, Long sizeBytes, String fsType, List<String> mkfsOptions,
                            List<String> mountOptions, AccessMode accessMode, Map<String, String> labels,
                            PreemptionPolicy preemption) {

    /** The shape this version writes and the newest it reads. */
    public static final int FORMAT = 1;

    public VolumeProfile {
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(name, "name");
        mkfsOptions = mkfsOptions == null ? List.of() : List.copyOf(mkfsOptions);
        mountOptions = mountOptions == null ? List.of() : List.copyOf(mountOptions);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** The profile of volume {@code volumeId} created as {@code name} with {@code spec}. */
    public static VolumeProfile of(String volumeId, String name, VolumeSpec spec) {
        return new VolumeProfile(FORMAT, volumeId, name, spec.sizeBytes(), spec.fsType().orElse(null), spec.mkfsOptions(), spec.mountOptions(),
                spec.accessMode(), spec.labels(), spec.preemption().orElse(null));
    }

    /** {@code spec} with what this profile knows in place of its placeholders. */
    public VolumeSpec applyTo(VolumeSpec spec) {
        VolumeSpec.Builder b = spec.toBuilder();
        if (sizeBytes != null) {
            b.sizeBytes(sizeBytes);
        }
        if (fsType != null) {
            b.fsType(fsType).mkfsOptions(mkfsOptions);
        }
        if (!mountOptions.isEmpty()) {
            b.mountOptions(mountOptions);
        }
        if (accessMode != null) {
            b.accessMode(accessMode);
        }
        if (!labels.isEmpty()) {
            b.labels(labels);
        }
        if (preemption != null) {
            b.preemption(preemption);
        }
        return b.build();
    }

    /** This profile with {@code other}'s facts where this one has none. */
    public VolumeProfile completedBy(VolumeProfile other) {
        return new VolumeProfile(FORMAT, volumeId, name, sizeBytes != null ? sizeBytes : other.sizeBytes,
                fsType != null ? fsType : other.fsType, mkfsOptions.isEmpty() ? other.mkfsOptions : mkfsOptions,
                mountOptions.isEmpty() ? other.mountOptions : mountOptions, accessMode != null ? accessMode : other.accessMode,
                labels.isEmpty() ? other.labels : labels, preemption != null ? preemption : other.preemption);
    }

    /** A copy describing volume {@code id} named {@code newName} (a clone's record, rewritten at its first mount). */
    public VolumeProfile forVolume(String id, String newName) {
        return new VolumeProfile(FORMAT, id, newName, sizeBytes, fsType, mkfsOptions, mountOptions, accessMode, labels, preemption);
    }

    /** A copy with another requested size ({@code null}: not known). */
    public VolumeProfile withSize(Long bytes) {
        return new VolumeProfile(FORMAT, volumeId, name, bytes, fsType, mkfsOptions, mountOptions, accessMode, labels, preemption);
    }

    /** A copy with the larger of the two requested sizes (sizes only grow). */
    public VolumeProfile withLargerSize(Long other) {
        return other != null && (sizeBytes == null || other > sizeBytes) ? withSize(other) : this;
    }

    /** A copy with the filesystem the device really holds. */
    public VolumeProfile withFsType(String found) {
        return new VolumeProfile(FORMAT, volumeId, name, sizeBytes, found, mkfsOptions, mountOptions, accessMode, labels, preemption);
    }
}
