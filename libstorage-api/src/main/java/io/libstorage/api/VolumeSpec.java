package io.libstorage.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What a volume should be: its size in bytes, filesystem, formatting and mount options, access
 * mode and labels. Stored with the volume where the back end can store it, so the first format
 * uses the filesystem requested at create time.
 *
 * @param sizeBytes requested size in bytes; the back end may round it up (see {@link Volume#allocatedSizeBytes()})
 * @param fsType filesystem type such as {@code ext4}, {@code xfs}, {@code btrfs}; empty when the back end does not
 *               record it (the device's own filesystem, else the caller's or the configured one, then decides)
 * @param mkfsOptions extra arguments for mkfs, used only when the volume is first formatted
 * @param mountOptions mount options such as {@code noatime}
 * @param accessMode how many hosts may attach it
 * @param labels user labels, kept with the volume where the back end allows
 * @param sourceSnapshot a snapshot whose content the new volume starts with, if any
 * @param driverOptions back-end specific options (e.g. a storage pool); each driver rejects keys it does not know
 * @param preemption the takeover policy of this volume, honoured by every host that attaches it (a mount's own
 *                   policy still wins); empty: the configured default
 */
public record VolumeSpec(long sizeBytes, Optional<String> fsType, List<String> mkfsOptions, List<String> mountOptions,
                         AccessMode accessMode, Map<String, String> labels, Optional<SnapshotId> sourceSnapshot,
                         Map<String, String> driverOptions, Optional<PreemptionPolicy> preemption) {

    public static final String DEFAULT_FS_TYPE = "ext4";

    public VolumeSpec {
        Objects.requireNonNull(fsType, "fsType");
        mkfsOptions = List.copyOf(Objects.requireNonNull(mkfsOptions, "mkfsOptions"));
        mountOptions = List.copyOf(Objects.requireNonNull(mountOptions, "mountOptions"));
        Objects.requireNonNull(accessMode, "accessMode");
        labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
        Objects.requireNonNull(sourceSnapshot, "sourceSnapshot");
        driverOptions = Map.copyOf(Objects.requireNonNull(driverOptions, "driverOptions"));
        Objects.requireNonNull(preemption, "preemption");
    }

    /** A spec without a takeover policy of its own. */
    public VolumeSpec(long sizeBytes, Optional<String> fsType, List<String> mkfsOptions, List<String> mountOptions,
                      AccessMode accessMode, Map<String, String> labels, Optional<SnapshotId> sourceSnapshot,
                      Map<String, String> driverOptions) {
        this(sizeBytes, fsType, mkfsOptions, mountOptions, accessMode, labels, sourceSnapshot, driverOptions, Optional.empty());
    }

    /** A copy with another takeover policy ({@code null}: none of its own). */
    public VolumeSpec withPreemption(@Nullable PreemptionPolicy policy) {
        return new VolumeSpec(sizeBytes, fsType, mkfsOptions, mountOptions, accessMode, labels, sourceSnapshot, driverOptions,
                Optional.ofNullable(policy));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder pre-filled with this spec's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.sizeBytes = sizeBytes;
        b.fsType = fsType.orElse(null);
        b.mkfsOptions.addAll(mkfsOptions);
        b.mountOptions.addAll(mountOptions);
        b.accessMode = accessMode;
        b.labels.putAll(labels);
        b.sourceSnapshot = sourceSnapshot.orElse(null);
        b.driverOptions.putAll(driverOptions);
        b.preemption = preemption.orElse(null);
        return b;
    }

    /** Builder; only the size is required (validated by the layer that uses the spec, not here). */
    public static final class Builder {
        private long sizeBytes;
        private @Nullable String fsType = DEFAULT_FS_TYPE;
        private final List<String> mkfsOptions = new ArrayList<>();
        private final List<String> mountOptions = new ArrayList<>();
        private AccessMode accessMode = AccessMode.SINGLE_HOST_READ_WRITE;
        private final Map<String, String> labels = new LinkedHashMap<>();
        private @Nullable SnapshotId sourceSnapshot;
        private final Map<String, String> driverOptions = new LinkedHashMap<>();
        private @Nullable PreemptionPolicy preemption;

        private Builder() {
        }

        public Builder sizeBytes(long bytes) {
            this.sizeBytes = bytes;
            return this;
        }

        /** Filesystem type, e.g. {@code xfs}. */
        public Builder fsType(String type) {
            this.fsType = Objects.requireNonNull(type, "type");
            return this;
        }

        /** Filesystem type as a back end recorded it: empty when it did not. */
        public Builder fsType(Optional<String> type) {
            this.fsType = type.orElse(null);
            return this;
        }

        public Builder mkfsOptions(List<String> options) {
            mkfsOptions.clear();
            mkfsOptions.addAll(options);
            return this;
        }

        public Builder mountOptions(List<String> options) {
            mountOptions.clear();
            mountOptions.addAll(options);
            return this;
        }

        public Builder accessMode(AccessMode mode) {
            this.accessMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        public Builder label(String key, String value) {
            labels.put(key, value);
            return this;
        }

        public Builder labels(Map<String, String> all) {
            labels.clear();
            labels.putAll(all);
            return this;
        }

        public Builder sourceSnapshot(SnapshotId snapshot) {
            this.sourceSnapshot = snapshot;
            return this;
        }

        public Builder driverOption(String key, String value) {
            driverOptions.put(key, value);
            return this;
        }

        public Builder driverOptions(Map<String, String> all) {
            driverOptions.clear();
            driverOptions.putAll(all);
            return this;
        }

        /** The volume's own takeover policy; {@code null} (the default): the configured one. */
        public Builder preemption(@Nullable PreemptionPolicy policy) {
            this.preemption = policy;
            return this;
        }

        public VolumeSpec build() {
            return new VolumeSpec(sizeBytes, Optional.ofNullable(fsType), mkfsOptions, mountOptions, accessMode, labels,
                    Optional.ofNullable(sourceSnapshot), driverOptions, Optional.ofNullable(preemption));
        }
    }
}
