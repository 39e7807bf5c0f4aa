package io.libstorage.localfs.internal;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;
import io.libstorage.localfs.internal.Records.SnapshotRecord;
import io.libstorage.localfs.internal.Records.StoredAttachment;
import io.libstorage.localfs.internal.Records.StoredSpec;
import io.libstorage.localfs.internal.Records.VolumeRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The metadata files keep their format across the JSON library: files written by the earlier (Jackson databind)
 * code read to the same records, the store writes them byte for byte as that code did, and damaged files are
 * reported as before.
 */
class MetadataStoreFormatTest {
    private static final ErrorContext CTX = ErrorContext.of("test", "v", "h", "localfs");
    private static final String VOLUME_ID = "lfs-36ad8baa-af3f-4144-bf28-4aa6522c5a03";
    private static final String SNAPSHOT_ID = "lfs-snap-36ad8baa-af3f-4144-bf28-4aa6522c5a03";

    /** Written by the databind code for a volume that is attached and still blank. */
    private static final String ATTACHED_VOLUME_FILE = """
            {
              "format" : 1,
              "id" : "lfs-36ad8baa-af3f-4144-bf28-4aa6522c5a03",
              "name" : "a",
              "spec" : {
                "sizeBytes" : 16777216,
                "fsType" : "ext4",
                "mkfsOptions" : [ ],
                "mountOptions" : [ ],
                "accessMode" : "SINGLE_HOST_READ_WRITE",
                "labels" : { },
                "sourceSnapshot" : null,
                "driverOptions" : { },
                "preemption" : null
              },
              "allocatedSizeBytes" : 16777216,
              "createdAt" : "2026-12-07T19:48:48.384126842Z",
              "attachment" : {
                "hostId" : "3d1219c7c4c5404aaa1f6d2a48adfda4",
                "device" : "/dev/loop0",
                "attachedAt" : "2026-12-07T19:48:48.548034074Z"
              },
              "blankImage" : {
                "fileKey" : "65024:2146659",
                "sizeBytes" : 16777216,
                "changed" : "2026-12-07T19:48:48.380096439Z",
                "modified" : "2026-12-07T19:48:48.380096439Z"
              }
            }""";
    private static final VolumeRecord ATTACHED_VOLUME = new VolumeRecord(1, VOLUME_ID, "a",
            new StoredSpec(16777216, "ext4", List.of(), List.of(), "SINGLE_HOST_READ_WRITE", Map.of(), null, Map.of(), null),
            16777216, "2026-12-07T19:48:48.384126842Z",
            new StoredAttachment("3d1219c7c4c5404aaa1f6d2a48adfda4", "/dev/loop0", "2026-12-07T19:48:48.548034074Z"),
            new BlankImageProof.Stamp("65024:2146659", 16777216, "2026-12-07T19:48:48.380096439Z", "2026-12-07T19:48:48.380096439Z"));

    /** Written by the databind code: options, labels in insertion order, text that needs escaping, null objects. */
    private static final String DETACHED_VOLUME_FILE = """
            {
              "format" : 1,
              "id" : "lfs-36ad8baa-af3f-4144-bf28-4aa6522c5a03",
              "name" : "b",
              "spec" : {
                "sizeBytes" : 9223372036854775807,
                "fsType" : null,
                "mkfsOptions" : [ "-O", "^has_journal" ],
                "mountOptions" : [ "noatime" ],
                "accessMode" : "MULTI",
                "labels" : {
                  "z" : "1",
                  "a" : "\u00e9\\"\\\\\\n\\u0001<>&",
                  "m" : ""
                },
                "sourceSnapshot" : "lfs-snap-36ad8baa-af3f-4144-bf28-4aa6522c5a03",
                "driverOptions" : {
                  "k" : "v"
                },
                "preemption" : "NEVER"
              },
              "allocatedSizeBytes" : -1,
              "createdAt" : null,
              "attachment" : null,
              "blankImage" : null
            }""";
    private static final VolumeRecord DETACHED_VOLUME = new VolumeRecord(1, VOLUME_ID, "b",
            new StoredSpec(Long.MAX_VALUE, null, List.of("-O", "^has_journal"), List.of("noatime"), "MULTI",
                    labels("z", "1", "a", "\u00e9\"\\\n\u0001<>&", "m", ""), SNAPSHOT_ID, Map.of("k", "v"), "NEVER"),
            -1, null, null, null);

    /** Written by the databind code. */
    private static final String SNAPSHOT_FILE = """
            {
              "format" : 1,
              "id" : "lfs-snap-36ad8baa-af3f-4144-bf28-4aa6522c5a03",
              "name" : "s1",
              "sourceVolume" : "lfs-36ad8baa-af3f-4144-bf28-4aa6522c5a03",
              "sizeBytes" : 16777216,
              "fsType" : "xfs",
              "createdAt" : "2026-12-07T19:48:48.384126842Z"
            }""";
    private static final SnapshotRecord SNAPSHOT = new SnapshotRecord(1, SNAPSHOT_ID, "s1", VOLUME_ID, 16777216, "xfs",
            "2026-12-07T19:48:48.384126842Z");

    @TempDir
    Path root;
    private Layout layout;

    @BeforeEach
    void setUp() throws IOException {
        layout = new Layout(root);
        Files.createDirectories(layout.volumes());
        Files.createDirectories(layout.snapshots());
    }

    private static Map<String, String> labels(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A new store per read: the cache of a store must not answer for a file rewritten within the same millisecond. */
    private VolumeRecord readVolume(String json) throws IOException {
        Files.writeString(layout.volumeMeta(VOLUME_ID), json, StandardCharsets.UTF_8);
        return new MetadataStore(layout).volume(VOLUME_ID, CTX).orElseThrow();
    }

    private String written(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Test
    void volumeFilesOfTheEarlierCodeReadToTheSameRecords() throws IOException {
        assertThat(readVolume(ATTACHED_VOLUME_FILE)).isEqualTo(ATTACHED_VOLUME);
        assertThat(readVolume(DETACHED_VOLUME_FILE)).isEqualTo(DETACHED_VOLUME);
    }

    @Test
    void snapshotFilesOfTheEarlierCodeReadToTheSameRecords() throws IOException {
        Files.writeString(layout.snapshotMeta(SNAPSHOT_ID), SNAPSHOT_FILE, StandardCharsets.UTF_8);
        assertThat(new MetadataStore(layout).snapshot(SNAPSHOT_ID, CTX)).contains(SNAPSHOT);
    }

    @Test
    void recordsAreWrittenExactlyAsTheEarlierCodeWroteThemAndReadBack() throws IOException {
        for (VolumeRecord r : List.of(ATTACHED_VOLUME, DETACHED_VOLUME)) {
            new MetadataStore(layout).save(r, CTX);
            assertThat(written(layout.volumeMeta(VOLUME_ID))).isEqualTo(r == ATTACHED_VOLUME ? ATTACHED_VOLUME_FILE : DETACHED_VOLUME_FILE);
            assertThat(new MetadataStore(layout).volume(VOLUME_ID, CTX)).contains(r);
        }
        new MetadataStore(layout).saveSharingDirectorySync(ATTACHED_VOLUME, CTX);
        assertThat(written(layout.volumeMeta(VOLUME_ID))).isEqualTo(ATTACHED_VOLUME_FILE);
        new MetadataStore(layout).saveAfter(DETACHED_VOLUME, () -> null, CTX);
        assertThat(written(layout.volumeMeta(VOLUME_ID))).isEqualTo(DETACHED_VOLUME_FILE);

        new MetadataStore(layout).save(SNAPSHOT, CTX);
        assertThat(written(layout.snapshotMeta(SNAPSHOT_ID))).isEqualTo(SNAPSHOT_FILE);
        assertThat(new MetadataStore(layout).snapshot(SNAPSHOT_ID, CTX)).contains(SNAPSHOT);
    }

    @Test
    void unknownFieldsAreIgnoredAndLenientValuesReadAsBefore() throws IOException {
        String withExtras = ATTACHED_VOLUME_FILE.replace("\"format\" : 1,",
                "\"format\" : 1, \"filesystemGrowPending\" : true, \"future\" : {\"x\" : [1, {\"y\" : null}]},");
        assertThat(readVolume(withExtras)).isEqualTo(ATTACHED_VOLUME);
        assertThat(readVolume("{\"format\": \"1\", \"allocatedSizeBytes\": 1.5, \"id\": 5}"))
                .isEqualTo(new VolumeRecord(1, "5", null, null, 1, null, null, null));
        assertThat(readVolume("{\"allocatedSizeBytes\": null, \"spec\": {\"labels\": {\"a\": 1}}}").spec().labels())
                .isEqualTo(Map.of("a", "1"));
    }

    /** The reasons a damaged file is reported with (the line and column are jackson-core's, as before). */
    @Test
    void damagedFilesAreReportedWithTheirReason() {
        Map<String, String> reasons = new LinkedHashMap<>();
        reasons.put("", "it is empty or truncated (at line 1, column 0)");
        reasons.put("\n", "it is empty or truncated (at line 1, column 0)");
        reasons.put("{\n  \"format\" : 1,\n  \"id\" : \"x\",\n  \"spec\" : {", "it is empty or truncated (at line 4, column 13)");
        reasons.put("null", "it holds JSON null");
        reasons.put("[1, 2, 3]", "it is not a valid record (at line 1, column 1)");
        reasons.put("\"text\"", "it is not a valid record (at line 1, column 1)");
        reasons.put("not json at all", "it is not a valid record (at line 1, column 1)");
        reasons.put("{\"format\": 2, \"id\": \"x\", \"name\": \"b\"}", "it is format 2, written by a newer libstorage; this one reads formats up to 1");
        reasons.put("{\"format\": 2.5}", "it is format 2, written by a newer libstorage; this one reads formats up to 1");
        reasons.put("{\"format\": 2147483648}", "it is not a valid record (at line 1, column 22)");
        // a value of the wrong type is an error, not null or 0 (jackson-jr on its own would accept these)
        reasons.put("{\"format\": \"x\"}", "it is not a valid record (at line 1, column 12)");
        reasons.put("{\"format\": true}", "it is not a valid record (at line 1, column 12)");
        reasons.put("{\"id\": {\"a\": 1}, \"name\": \"b\"}", "it is not a valid record (at line 1, column 8)");
        reasons.put("{\"id\": [\"a\"], \"name\": \"b\"}", "it is not a valid record (at line 1, column 8)");
        reasons.put("{\"allocatedSizeBytes\": \"x\"}", "it is not a valid record (at line 1, column 24)");
        reasons.put("{\"spec\": {\"mkfsOptions\": [{}]}}", "it is not a valid record (at line 1, column 27)");
        reasons.put("{\"spec\": {\"labels\": {\"a\": []}}}", "it is not a valid record (at line 1, column 27)");
        reasons.put("{\"spec\": 5}", "it is not a valid record (at line 1, column 10)");
        Path file = layout.volumeMeta(VOLUME_ID);
        reasons.forEach((content, reason) -> assertThatThrownBy(() -> readVolume(content)).as(content)
                .isInstanceOf(OperationFailedException.class)
                .extracting(e -> ((OperationFailedException) e).detail())
                .isEqualTo("cannot read the metadata file " + file + ": " + reason));
    }

    @Test
    void aListingNamesTheVolumeOfAFileOfANewerFormat() throws IOException {
        Files.writeString(layout.volumeMeta(VOLUME_ID), ATTACHED_VOLUME_FILE.replace("\"format\" : 1", "\"format\" : 2"));
        MetadataStore.Scan<VolumeRecord> scan = new MetadataStore(layout).scanVolumes(CTX);
        assertThat(scan.records()).isEmpty();
        assertThat(scan.unreadable()).singleElement().satisfies(u -> assertThat(u.name()).contains("a"));
    }
}
