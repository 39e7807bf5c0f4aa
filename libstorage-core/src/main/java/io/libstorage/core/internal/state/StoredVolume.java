package io.libstorage.core.internal.state;

import io.libstorage.api.AccessMode;
import io.libstorage.api.Attachment;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.SnapshotId;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeSpec;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The last known back-end view of a volume, kept so a repeated mount needs no back-end call. */
public record StoredVolume(String id, String name, long sizeBytes, String fsType, List<String> mkfsOptions,
                           List<String> mountOptions, AccessMode accessMode, Map<String, String> labels,
                           String sourceSnapshot, Map<String, String> driverOptions, long allocatedSizeBytes,
                           Map<String, String> fields, Instant createdAt, String backend, PreemptionPolicy preemption) {

    public static StoredVolume of(Volume v) {
        VolumeSpec s = v.spec();
        return new StoredVolume(v.id().value(), v.name(), s.sizeBytes(), s.fsType().orElse(null), s.mkfsOptions(), s.mountOptions(),
                s.accessMode(), s.labels(), s.sourceSnapshot().map(SnapshotId::value).orElse(null), s.driverOptions(),
                v.allocatedSizeBytes(), v.fields(), v.createdAt(), v.backend(), s.preemption().orElse(null));
    }

    public Volume toVolume(List<Attachment> attachments) {
        VolumeSpec spec = new VolumeSpec(sizeBytes, Optional.ofNullable(fsType), nn(mkfsOptions), nn(mountOptions), accessMode, nn(labels),
                Optional.ofNullable(sourceSnapshot).map(SnapshotId::new), nn(driverOptions), Optional.ofNullable(preemption));
        return new Volume(new VolumeId(id), name, spec, allocatedSizeBytes, attachments, nn(fields), createdAt, backend);
    }

    private static <T> List<T> nn(List<T> l) {
        return l == null ? List.of() : l;
    }

    private static <K, V> Map<K, V> nn(Map<K, V> m) {
        return m == null ? Map.of() : m;
    }
}
