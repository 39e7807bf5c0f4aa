package io.libstorage.csi.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The plugin's own view of volumes and snapshots, so that only {@link Library} speaks the library's types. */
final class Model {
    private Model() {
    }

    /** How many nodes may use a volume at once. */
    enum Sharing {
        SINGLE_NODE, MULTI_NODE_READ_ONLY, MULTI_NODE_MULTI_WRITER
    }

    /** What an attach may do when another node holds the volume (per call, from the volume context). */
    enum Takeover {
        NEVER, IF_OWNER_UNREACHABLE, ALWAYS;

        /** The policy named by {@code text}, any case, {@code -} for {@code _}. */
        static Optional<Takeover> parse(String text) {
            String v = text.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            for (Takeover t : values()) {
                if (t.name().equals(v)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /** A volume as the back end reports it. {@code sourceSnapshotId} is null when it was created empty. */
    record VolumeInfo(String id, String name, long capacityBytes, String fsType, Sharing sharing, List<String> attachedNodes,
                      String sourceSnapshotId) {
        VolumeInfo {
            Objects.requireNonNull(id, "id");
            attachedNodes = List.copyOf(attachedNodes);
        }
    }

    /** A snapshot; {@code createdAt} may be null. Library snapshots are complete when taken. */
    record SnapshotInfo(String id, String name, String sourceVolumeId, long sizeBytes, Instant createdAt) {
    }

    /** What CreateVolume asks for. {@code sourceSnapshotId} and {@code fsType} may be null. */
    record NewVolume(String name, long sizeBytes, String fsType, Sharing sharing, String sourceSnapshotId,
                     Map<String, String> driverOptions, Map<String, String> labels) {
        NewVolume {
            driverOptions = Map.copyOf(driverOptions);
            labels = Map.copyOf(labels);
        }
    }
}
