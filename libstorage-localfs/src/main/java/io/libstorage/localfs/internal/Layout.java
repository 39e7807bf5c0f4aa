package io.libstorage.localfs.internal;

import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Where things live under the root:
 * <pre>
 * localfs.lock                  serialises mutations across processes
 * volumes/&lt;id&gt;.img, .json       sparse image and metadata of a volume
 * snapshots/&lt;id&gt;.img, .json     the same for a snapshot
 * trash/                        images being removed (a removal interrupted here is finished at start-up)
 * freezing/&lt;id&gt;                 left by versions that froze filesystems themselves (reported by reconcile)
 * quarantine/&lt;id&gt;.img           images found without metadata that hold data: kept for a person to look at
 * </pre>
 * Ids are {@code lfs-<uuid>} and {@code lfs-snap-<uuid>}: never reused, never derived from names,
 * and validated before they are joined to a path.
 */
record Layout(Path root) {
    static final String IMAGE = ".img";
    static final String META = ".json";
    static final String PARTIAL = ".partial";
    private static final String UUID_RE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final Pattern VOLUME_ID = Pattern.compile("lfs-" + UUID_RE);
    private static final Pattern SNAPSHOT_ID = Pattern.compile("lfs-snap-" + UUID_RE);

    static String newVolumeId() {
        return "lfs-" + UUID.randomUUID();
    }

    static String newSnapshotId() {
        return "lfs-snap-" + UUID.randomUUID();
    }

    static boolean isVolumeId(String id) {
        return id != null && VOLUME_ID.matcher(id).matches();
    }

    static boolean isSnapshotId(String id) {
        return id != null && SNAPSHOT_ID.matcher(id).matches();
    }

    Path lockFile() {
        return root.resolve("localfs.lock");
    }

    Path volumes() {
        return root.resolve("volumes");
    }

    Path snapshots() {
        return root.resolve("snapshots");
    }

    Path trash() {
        return root.resolve("trash");
    }

    Path quarantine() {
        return root.resolve("quarantine");
    }

    Path volumeImage(String id) {
        return volumes().resolve(checkVolume(id) + IMAGE);
    }

    Path volumeMeta(String id) {
        return volumes().resolve(checkVolume(id) + META);
    }

    Path snapshotImage(String id) {
        return snapshots().resolve(checkSnapshot(id) + IMAGE);
    }

    Path snapshotMeta(String id) {
        return snapshots().resolve(checkSnapshot(id) + META);
    }

    /** The volume id whose image {@code file} is, if it is one under {@code volumes/}. */
    Optional<String> volumeIdOfImage(Path file) {
        if (!volumes().equals(file.getParent())) {
            return Optional.empty();
        }
        String name = file.getFileName().toString();
        if (!name.endsWith(IMAGE)) {
            return Optional.empty();
        }
        String id = name.substring(0, name.length() - IMAGE.length());
        return isVolumeId(id) ? Optional.of(id) : Optional.empty();
    }

    private static String checkVolume(String id) {
        if (!isVolumeId(id)) {
            throw new IllegalArgumentException("not a localfs volume id: " + id);
        }
        return id;
    }

    private static String checkSnapshot(String id) {
        if (!isSnapshotId(id)) {
            throw new IllegalArgumentException("not a localfs snapshot id: " + id);
        }
        return id;
    }
}
