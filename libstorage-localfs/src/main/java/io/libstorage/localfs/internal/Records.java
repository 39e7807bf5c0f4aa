package io.libstorage.localfs.internal;

import io.libstorage.api.AccessMode;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.SnapshotId;
import io.libstorage.api.VolumeSpec;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON shapes of the metadata files (format version 1). Unknown fields are ignored when read (files of
 * earlier versions may carry {@code filesystemGrowPending}: the integration layer grows filesystems now).
 */
final class Records {
    static final int FORMAT = 1;

    private Records() {
    }

    /**
     * {@code volumes/<id>.json}.
     *
     * @param attachment the last attachment this driver recorded (owner host, device); the kernel decides whether it still exists
     * @param blankImage how the image looked right after this driver made it as an empty sparse file, kept until
     *                   anything but its first attach changes the record ({@code null} otherwise, and in files of
     *                   earlier versions): see {@link BlankImageProof}
     */
    record VolumeRecord(int format, String id, String name, StoredSpec spec, long allocatedSizeBytes, String createdAt,
                        StoredAttachment attachment, BlankImageProof.Stamp blankImage) {

        VolumeRecord(int format, String id, String name, StoredSpec spec, long allocatedSizeBytes, String createdAt,
                     StoredAttachment attachment) {
            this(format, id, name, spec, allocatedSizeBytes, createdAt, attachment, null);
        }

        /** A changed attachment: the image may have been written through another device since, so the blank stamp goes. */
        VolumeRecord withAttachment(StoredAttachment a) {
            return new VolumeRecord(format, id, name, spec, allocatedSizeBytes, createdAt, a, null);
        }

        /** The attachment this driver's own attach made of a never-attached image: the blank stamp stays (it is checked at use). */
        VolumeRecord withFirstAttachment(StoredAttachment a) {
            return new VolumeRecord(format, id, name, spec, allocatedSizeBytes, createdAt, a, attachment == null ? blankImage : null);
        }

        VolumeRecord withSize(long requested, long allocated) {
            return new VolumeRecord(format, id, name, spec.withSize(requested), allocated, createdAt, attachment, null);
        }
    }

    /** The whole {@link VolumeSpec}, so that the first format uses what was asked for at create time. */
    record StoredSpec(long sizeBytes, String fsType, List<String> mkfsOptions, List<String> mountOptions, String accessMode,
                      Map<String, String> labels, String sourceSnapshot, Map<String, String> driverOptions, String preemption) {

        static StoredSpec of(VolumeSpec s) {
            return new StoredSpec(s.sizeBytes(), s.fsType().orElse(null), s.mkfsOptions(), s.mountOptions(), s.accessMode().name(),
                    s.labels(), s.sourceSnapshot().map(SnapshotId::value).orElse(null), s.driverOptions(),
                    s.preemption().map(Enum::name).orElse(null));
        }

        StoredSpec withSize(long bytes) {
            return new StoredSpec(bytes, fsType, mkfsOptions, mountOptions, accessMode, labels, sourceSnapshot, driverOptions, preemption);
        }

        VolumeSpec toSpec() {
            return new VolumeSpec(sizeBytes, Optional.ofNullable(fsType), orEmpty(mkfsOptions), orEmpty(mountOptions),
                    accessMode == null ? AccessMode.SINGLE_HOST_READ_WRITE : AccessMode.valueOf(accessMode),
                    orEmpty(labels), Optional.ofNullable(sourceSnapshot).map(SnapshotId::of), orEmpty(driverOptions),
                    Optional.ofNullable(preemption).map(PreemptionPolicy::valueOf));
        }

        private static <T> List<T> orEmpty(List<T> l) {
            return l == null ? List.of() : l;
        }

        private static <K, V> Map<K, V> orEmpty(Map<K, V> m) {
            return m == null ? Map.of() : m;
        }
    }

    /**
     * @param hostId the host it was attached for
     * @param device the loop device it was attached as when recorded (informational)
     * @param attachedAt ISO-8601
     */
    record StoredAttachment(String hostId, String device, String attachedAt) {
    }

    /** {@code snapshots/<id>.json}. */
    record SnapshotRecord(int format, String id, String name, String sourceVolume, long sizeBytes, String fsType, String createdAt) {
    }
}
