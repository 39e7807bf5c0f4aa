package io.libstorage.core.internal.state;

import io.libstorage.api.AccessMode;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.PreemptionPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The state files written by earlier versions (with Jackson's databind) read unchanged, and are written the same way. */
class StateJsonTest {
    /** A record as the previous version (databind with the Java time module) wrote it, byte for byte. */
    private static final String RECORD_OF_DATABIND = """
            {
              "format" : 1,
              "name" : "data",
              "volume" : {
                "id" : "vol-1",
                "name" : "data",
                "sizeBytes" : 1073741824,
                "fsType" : "xfs",
                "mkfsOptions" : [ "-m", "crc=1" ],
                "mountOptions" : [ ],
                "accessMode" : "SINGLE_HOST_READ_WRITE",
                "labels" : {
                  "team" : "a"
                },
                "sourceSnapshot" : "snap-1",
                "driverOptions" : {
                  "k" : "v"
                },
                "allocatedSizeBytes" : 5,
                "fields" : {
                  "device" : "/dev/loop3"
                },
                "createdAt" : "2026-12-07T19:48:48.384126842Z",
                "backend" : "localfs",
                "preemption" : "NEVER"
              },
              "consumers" : [ "c1", "c2" ],
              "attachToken" : "tok",
              "device" : "/dev/loop3",
              "mountPoint" : "/var/lib/x",
              "fsType" : "xfs",
              "intent" : {
                "kind" : "UNMOUNT",
                "consumer" : "c1",
                "startedAt" : "2026-12-07T19:48:49Z",
                "pid" : 4242
              },
              "bootId" : "boot-1",
              "updatedAt" : "2026-12-07T19:48:50.500Z"
            }""";

    private static final VolumeRecord RECORD = new VolumeRecord(1, "data",
            new StoredVolume("vol-1", "data", 1073741824L, "xfs", List.of("-m", "crc=1"), List.of(), AccessMode.SINGLE_HOST_READ_WRITE,
                    Map.of("team", "a"), "snap-1", Map.of("k", "v"), 5L, Map.of("device", "/dev/loop3"),
                    Instant.parse("2026-12-07T19:48:48.384126842Z"), "localfs", PreemptionPolicy.NEVER),
            Set.of("c2", "c1"), "tok", "/dev/loop3", "/var/lib/x", "xfs",
            new Intent(Intent.Kind.UNMOUNT, "c1", Instant.parse("2026-12-07T19:48:49Z"), 4242L), "boot-1",
            Instant.parse("2026-12-07T19:48:50.5Z"));

    private final ErrorContext ctx = ErrorContext.of("test");

    @Test
    void aRecordWrittenByTheEarlierVersionReadsAsWrittenAndIsWrittenTheSameWay(@TempDir Path root) throws Exception {
        HostStateStore store = new HostStateStore(root);
        Files.createDirectories(store.directory());
        Path file = store.directory().resolve("data.json");
        Files.writeString(file, RECORD_OF_DATABIND);

        assertThat(store.read("data", ctx)).isEqualTo(new HostStateStore.Stored.Present(RECORD));
        store.save(RECORD, ctx);
        assertThat(file).hasContent(RECORD_OF_DATABIND);
        assertThat(Files.readString(file)).doesNotContain("idle");
    }

    @Test
    void aProfileWrittenByTheEarlierVersionReadsAsWrittenAndIsWrittenTheSameWay(@TempDir Path root) throws Exception {
        String full = "{\"format\":1,\"volumeId\":\"vol-1\",\"name\":\"data\",\"sizeBytes\":16777216,\"fsType\":\"xfs\","
                + "\"mkfsOptions\":[\"-m\",\"crc=1\"],\"mountOptions\":[\"noatime\"],\"accessMode\":\"SINGLE_HOST_READ_WRITE\","
                + "\"labels\":{\"team\":\"a\\\"b\\u0001\"},\"preemption\":\"NEVER\"}";
        String nulls = "{\"format\":1,\"volumeId\":\"vol-2\",\"name\":\"d2\",\"sizeBytes\":null,\"fsType\":null,\"mkfsOptions\":[],"
                + "\"mountOptions\":[],\"accessMode\":null,\"labels\":{},\"preemption\":null}";
        VolumeProfile fullProfile = new VolumeProfile(1, "vol-1", "data", 16777216L, "xfs", List.of("-m", "crc=1"), List.of("noatime"),
                AccessMode.SINGLE_HOST_READ_WRITE, Map.of("team", "a\"b\u0001"), PreemptionPolicy.NEVER);
        VolumeProfile nullProfile = new VolumeProfile(1, "vol-2", "d2", null, null, null, null, null, null, null);
        for (Map.Entry<String, VolumeProfile> c : Map.of(full, fullProfile, nulls, nullProfile).entrySet()) {
            Path file = root.resolve("p.json");
            Files.writeString(file, c.getKey());
            assertThat(ProfileStore.read(file)).contains(c.getValue());
            ProfileStore.write(file, c.getValue());
            assertThat(file).hasContent(c.getKey());
        }
    }

    @Test
    void aFieldOfTheWrongShapeMakesTheRecordDamagedNamingItAndIsNeverReadAsNull(@TempDir Path root) throws Exception {
        HostStateStore store = new HostStateStore(root);
        Files.createDirectories(store.directory());
        Path file = store.directory().resolve("data.json");
        Map<String, String> wrong = new java.util.LinkedHashMap<>();
        for (String field : List.of("\"format\" : 1", "\"attachToken\" : \"tok\"", "\"device\" : \"/dev/loop3\"", "\"bootId\" : \"boot-1\"",
                "\"sizeBytes\" : 1073741824", "\"allocatedSizeBytes\" : 5", "\"pid\" : 4242", "\"updatedAt\" : \"2026-12-07T19:48:50.500Z\"",
                "\"sourceSnapshot\" : \"snap-1\"", "\"consumers\" : [ \"c1\", \"c2\" ]", "\"backend\" : \"localfs\"")) {
            String name = field.substring(1, field.indexOf('"', 1));
            // a set's elements are strings (a number is taken as its text, as before): there, a bare string is wrong
            for (String shape : List.of(name.equals("consumers") ? "\"c1\"" : "[ 1 ]", "{ \"x\" : [ 2 ] }", "[ [ 1 ] ]")) {
                wrong.put(RECORD_OF_DATABIND.replace(field, "\"" + name + "\" : " + shape), name);
            }
        }
        wrong.put(RECORD_OF_DATABIND.replace("\"pid\" : 4242", "\"pid\" : 1.5"), "pid");
        wrong.put(RECORD_OF_DATABIND.replace("\"pid\" : 4242", "\"pid\" : \"four\""), "pid");
        wrong.put(RECORD_OF_DATABIND.replace("\"format\" : 1", "\"format\" : 99999999999"), "format");
        wrong.put(RECORD_OF_DATABIND.replace("\"updatedAt\" : \"2026-12-07T19:48:50.500Z\"", "\"updatedAt\" : \"yesterday\""), "updatedAt");
        wrong.put(RECORD_OF_DATABIND.replace("\"updatedAt\" : \"2026-12-07T19:48:50.500Z\"", "\"updatedAt\" : 5"), "updatedAt");
        wrong.put(RECORD_OF_DATABIND.replace("\"kind\" : \"UNMOUNT\"", "\"kind\" : \"UNPLUG\""), "a field is missing, of the wrong type");
        wrong.put(RECORD_OF_DATABIND.replace("\"team\" : \"a\"", "\"team\" : { \"b\" : 1 }"), "team");
        for (Map.Entry<String, String> w : wrong.entrySet()) {
            Files.writeString(file, w.getKey());
            assertThat(store.read("data", ctx)).as(w.getKey()).isInstanceOfSatisfying(HostStateStore.Stored.Damaged.class,
                    d -> assertThat(d.reason()).matches(w.getValue().contains(" ") ? ".*" + w.getValue() + ".*"
                            : ".*its field '([a-z]+\\.)*" + w.getValue() + "(\\.\\[0])?' is missing, of the wrong type or invalid"));
        }
    }

    @Test
    void scalarsAreReadAsTheEarlierVersionAcceptedThem(@TempDir Path root) throws Exception {
        HostStateStore store = new HostStateStore(root);
        Files.createDirectories(store.directory());
        Path file = store.directory().resolve("data.json");
        String lenient = RECORD_OF_DATABIND.replace("\"pid\" : 4242", "\"pid\" : \"4242\"")
                .replace("\"attachToken\" : \"tok\"", "\"attachToken\" : 7").replace("\"format\" : 1", "\"unknown\" : { \"x\" : [ 1 ] }, \"format\" : 1");
        Files.writeString(file, lenient);
        assertThat(store.read("data", ctx)).isEqualTo(new HostStateStore.Stored.Present(RECORD.withAttachToken("7")));
        Files.write(file, RECORD_OF_DATABIND.replace("\"format\" : 1,", "").getBytes(StandardCharsets.UTF_8));
        assertThat(store.read("data", ctx)).isInstanceOfSatisfying(HostStateStore.Stored.Present.class,
                p -> assertThat(p.record().format()).isZero());
    }
}
