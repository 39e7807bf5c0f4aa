package io.libstorage.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.core.LibStorage;
import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.inmemory.OsOp;
import io.libstorage.tck.LibStorageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The wire protocol, byte for byte as dockerd 20.10 sends it, against an in-memory LibStorage. */
@ExtendWith(LibStorageExtension.class)
class PluginProtocolTest {
    private static final String ID_A = "46b79d9c" + "0".repeat(56);
    private static final String ID_B = "4268cc0d" + "1".repeat(56);

    @TempDir
    Path dir;
    private DockerVolumePlugin plugin;
    private RawHttp http;
    private LibStorage storage;
    private InMemoryCluster cluster;

    @BeforeEach
    void start(LibStorage storage, InMemoryCluster cluster) {
        this.storage = storage;
        this.cluster = cluster;
        plugin = DockerVolumePlugin.start(storage, PluginOptions.builder().name("t" + UUID.randomUUID().toString().substring(0, 8))
                .socketDirectory(dir.resolve("plugins")).build());
        http = new RawHttp(plugin.socketPath());
    }

    @AfterEach
    void stop() {
        if (http != null) {
            http.close();
        }
        if (plugin != null) {
            plugin.close();
        }
    }

    @Test
    void activateWithAnEmptyBodyAnswersImplementsVolumeDriver() {
        RawHttp.Reply r = http.post("/Plugin.Activate", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/vnd.docker.plugins.v1.2+json");
        assertThat(r.json().get("Implements").get(0).asText()).isEqualTo("VolumeDriver");
    }

    @Test
    void aRequestWithAHostIsServedToo() {
        RawHttp.Reply r = http.send("POST /Plugin.Activate HTTP/1.1\r\nHost: plugin.moby.localhost\r\nContent-Length: 0\r\n\r\n");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("Implements").get(0).asText()).isEqualTo("VolumeDriver");
    }

    @Test
    void capabilitiesAnswerGlobalScopeByDefault() {
        RawHttp.Reply r = http.post("/VolumeDriver.Capabilities", "{}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().at("/Capabilities/Scope").asText()).isEqualTo("global");
        assertThat(r.err()).isEmpty();
        assertThat(r.json().has("Err")).isTrue();
    }

    @Test
    void capabilitiesAnswerLocalWhenConfigured(LibStorage storage) {
        try (DockerVolumePlugin local = DockerVolumePlugin.start(storage, PluginOptions.builder().name("local-" + plugin.name())
                .socketDirectory(dir.resolve("plugins")).scope(PluginOptions.Scope.LOCAL).reconcileOnStart(false).build());
             RawHttp h = new RawHttp(local.socketPath())) {
            assertThat(h.post("/VolumeDriver.Capabilities", "{}").json().at("/Capabilities/Scope").asText()).isEqualTo("local");
        }
    }

    @Test
    void theObservedDockerTraceOfCreateLsInspectAndRun() {
        // docker volume create -d P -o size=1 -o fstype=ext4 vol1
        http.post("/Plugin.Activate", null);
        http.post("/VolumeDriver.Capabilities", "{}");
        RawHttp.Reply miss = http.post("/VolumeDriver.Get", "{\"Name\": \"vol1\"}");
        assertThat(miss.status()).isEqualTo(500);
        assertThat(miss.code()).isEqualTo("VOLUME_NOT_FOUND");
        assertThat(miss.err()).contains("vol1").contains("host=host-1").contains("backend=memory");
        RawHttp.Reply created = http.post("/VolumeDriver.Create", "{\"Name\": \"vol1\", \"Opts\": {\"fstype\": \"ext4\", \"size\": \"1\"}}");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.body()).isEqualTo("{\"Err\":\"\"}");
        assertThat(created.header("Content-Type")).startsWith("application/vnd.docker.plugins.v1.2+json");
        assertThat(storage.inspect("vol1").orElseThrow().volume().requestedSizeBytes()).isEqualTo(ByteSizes.GIB);

        // docker volume ls
        JsonNode list = http.post("/VolumeDriver.List", "{}").json();
        assertThat(list.get("Volumes")).hasSize(1);
        assertThat(list.at("/Volumes/0/Name").asText()).isEqualTo("vol1");
        assertThat(list.at("/Volumes/0/Mountpoint").isMissingNode()).isTrue();

        // docker volume inspect
        JsonNode got = http.post("/VolumeDriver.Get", "{\"Name\": \"vol1\"}").json();
        assertThat(got.get("Err").asText()).isEmpty();
        String createdAt = got.at("/Volume/CreatedAt").asText();
        assertThat(createdAt).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(OffsetDateTime.parse(createdAt).toInstant()).isBeforeOrEqualTo(Instant.now());
        JsonNode status = got.at("/Volume/Status");
        assertThat(status.get("backend").asText()).isEqualTo("memory");
        assertThat(status.get("volumeId").asText()).isNotEmpty();
        assertThat(status.get("requestedSizeBytes").asLong()).isEqualTo(ByteSizes.GIB);
        assertThat(status.get("allocatedSizeBytes").asLong()).isGreaterThanOrEqualTo(ByteSizes.GIB);
        assertThat(status.get("requestedSize").asText()).isEqualTo("1GiB");
        assertThat(status.get("fsType").asText()).isEqualTo("ext4");
        assertThat(status.get("consumers")).isEmpty();
        assertThat(status.get("mounted").asBoolean()).isFalse();
        assertThat(status.get("localHost").asText()).isEqualTo("host-1");

        // docker run: Mount/Unmount pair at create (copy-up), then Mount at start, Unmount at exit
        RawHttp.Reply m1 = http.post("/VolumeDriver.Mount", "{\"Name\": \"vol1\", \"ID\": \"" + ID_A + "\"}");
        assertThat(m1.status()).isEqualTo(200);
        String mountpoint = m1.json().get("Mountpoint").asText();
        assertThat(mountpoint).endsWith("vol1/data");
        assertThat(Path.of(mountpoint)).isDirectory();
        assertThat(http.post("/VolumeDriver.Get", "{\"Name\": \"vol1\"}").json().at("/Volume/Mountpoint").asText()).isEqualTo(mountpoint);
        assertThat(http.post("/VolumeDriver.Unmount", "{\"Name\": \"vol1\", \"ID\": \"" + ID_A + "\"}").status()).isEqualTo(200);
        assertThat(http.post("/VolumeDriver.Get", "{\"Name\": \"vol1\"}").json().at("/Volume/Mountpoint").isMissingNode()).isTrue();
        String again = http.post("/VolumeDriver.Mount", "{\"Name\": \"vol1\", \"ID\": \"" + ID_B + "\"}").json().get("Mountpoint").asText();
        assertThat(again).isEqualTo(mountpoint);
        JsonNode mounted = http.post("/VolumeDriver.Get", "{\"Name\": \"vol1\"}").json().at("/Volume/Status");
        assertThat(mounted.get("consumers").get(0).asText()).isEqualTo(ID_B);
        assertThat(mounted.get("attachedTo").get(0).asText()).isEqualTo("host-1");
        JsonNode path = http.post("/VolumeDriver.Path", "{\"Name\": \"vol1\"}").json();
        assertThat(path.get("Mountpoint").asText()).isEqualTo(mountpoint);
        assertThat(http.post("/VolumeDriver.Unmount", "{\"Name\": \"vol1\", \"ID\": \"" + ID_B + "\"}").status()).isEqualTo(200);
        assertThat(cluster.mountsOf("host-1")).isEmpty();
        assertThat(cluster.mappingsOf("vol1")).isEmpty();
        assertThat(http.post("/VolumeDriver.Path", "{\"Name\": \"vol1\"}").body()).isEqualTo("{\"Err\":\"\"}");

        // docker volume rm: Get x2, Remove
        http.post("/VolumeDriver.Get", "{\"Name\": \"vol1\"}");
        assertThat(http.post("/VolumeDriver.Remove", "{\"Name\": \"vol1\"}").status()).isEqualTo(200);
        assertThat(storage.inspect("vol1")).isEmpty();
    }

    @Test
    void createWithNullOptsOrEmptyOptsUsesTheDefaultSpec() {
        assertThat(http.post("/VolumeDriver.Create", "{\"Name\":\"implicit\",\"Opts\":null}").status()).isEqualTo(200);
        assertThat(http.post("/VolumeDriver.Create", "{\"Name\":\"explicit\",\"Opts\":{}}").status()).isEqualTo(200);
        assertThat(http.post("/VolumeDriver.Create", "{\"Name\":\"noopts\"}").status()).isEqualTo(200);
        long def = storage.defaultSpec().sizeBytes();
        for (String n : new String[] {"implicit", "explicit", "noopts"}) {
            assertThat(storage.inspect(n).orElseThrow().volume().requestedSizeBytes()).isEqualTo(def);
        }
    }

    @Test
    void createIsIdempotentAndAConflictNamesTheDifference() {
        String body = "{\"Name\":\"v\",\"Opts\":{\"size\":\"2\"}}";
        assertThat(http.post("/VolumeDriver.Create", body).status()).isEqualTo(200);
        assertThat(http.post("/VolumeDriver.Create", body).status()).isEqualTo(200);
        assertThat(cluster.volumeCount()).isEqualTo(1);
        RawHttp.Reply conflict = http.post("/VolumeDriver.Create", "{\"Name\":\"v\",\"Opts\":{\"size\":\"3\"}}");
        assertThat(conflict.status()).isEqualTo(500);
        assertThat(conflict.code()).isEqualTo("VOLUME_SPEC_CONFLICT");
        assertThat(conflict.err()).contains("size");
    }

    @Test
    void optionsAreMatchedCaseInsensitivelyAndMapToTheSpec() {
        RawHttp.Reply r = http.post("/VolumeDriver.Create", "{\"Name\":\"x\",\"Opts\":{\"SIZE\":\"512MiB\",\"newFsType\":\"XFS\","
                + "\"mountoptions\":\"noatime,nodiratime\",\"mkfsOptions\":\"-m 0\",\"AccessMode\":\"rwo\",\"label.team\":\"db\"}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        var spec = storage.inspect("x").orElseThrow().volume().spec();
        assertThat(spec.sizeBytes()).isEqualTo(512 * ByteSizes.MIB);
        assertThat(spec.fsType()).contains("xfs");
        assertThat(spec.mountOptions()).containsExactly("noatime", "nodiratime");
        assertThat(spec.mkfsOptions()).containsExactly("-m", "0");
        assertThat(spec.labels()).containsEntry("team", "db");
    }

    @Test
    void anOverlongNameIsRefusedWithoutEchoingItWhole() {
        String name = "n".repeat(64 * 1024);
        for (String endpoint : List.of("/VolumeDriver.Create", "/VolumeDriver.Get", "/VolumeDriver.Mount", "/VolumeDriver.Remove")) {
            RawHttp.Reply r = http.post(endpoint, "{\"Name\":\"" + name + "\",\"ID\":\"" + ID_A + "\"}");
            assertThat(r.status()).as(endpoint).isEqualTo(500);
            assertThat(r.json().get("Err").asText()).as(endpoint).contains("65536").hasSizeLessThan(1_000);
        }
    }

    @Test
    void theVolumesOwnTakeoverPolicyIsACreateOptionAndShownInItsStatus() {
        RawHttp.Reply r = http.post("/VolumeDriver.Create", "{\"Name\":\"p\",\"Opts\":{\"preemption\":\"if_owner_unreachable\"}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(storage.inspect("p").orElseThrow().volume().spec().preemption()).hasValue(PreemptionPolicy.IF_OWNER_UNREACHABLE);
        assertThat(http.post("/VolumeDriver.Get", "{\"Name\": \"p\"}").json().at("/Volume/Status/preemption").asText())
                .isEqualTo("IF_OWNER_UNREACHABLE");
        assertThat(http.post("/VolumeDriver.Create", "{\"Name\":\"q\"}").status()).isEqualTo(200);
        assertThat(http.post("/VolumeDriver.Get", "{\"Name\": \"q\"}").json().at("/Volume/Status/preemption").asText())
                .contains("configured default");
        RawHttp.Reply bad = http.post("/VolumeDriver.Create", "{\"Name\":\"r\",\"Opts\":{\"preemption\":\"sometimes\"}}");
        assertThat(bad.json().at("/Err").asText()).contains("preemption").contains("sometimes").contains("IF_OWNER_UNREACHABLE");
    }

    @Test
    void unknownOptionsAreAnErrorNamingThem() {
        RawHttp.Reply r = http.post("/VolumeDriver.Create", "{\"Name\":\"x\",\"Opts\":{\"size\":\"1\",\"colour\":\"blue\",\"overwriteFs\":\"true\"}}");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.code()).isEqualTo("INVALID_REQUEST");
        assertThat(r.err()).contains("'colour'").contains("'overwriteFs'").contains("accepted: size");
        assertThat(cluster.volumeCount()).isZero();
    }

    @Test
    void aBadSizeIsAnErrorNamingTheValue() {
        RawHttp.Reply r = http.post("/VolumeDriver.Create", "{\"Name\":\"x\",\"Opts\":{\"size\":\"lots\"}}");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.code()).isEqualTo("INVALID_REQUEST");
        assertThat(r.err()).startsWith("create failed: option 'size': 'lots' is not a size").contains("volume=x");
        RawHttp.Reply zero = http.post("/VolumeDriver.Create", "{\"Name\":\"x\",\"Opts\":{\"size\":\"0\"}}");
        assertThat(zero.err()).contains("'0' is not a positive size");
    }

    @Test
    void removeOfAVolumeInUseIsRefusedWithAClearError() {
        http.post("/VolumeDriver.Create", "{\"Name\":\"busy\",\"Opts\":{}}");
        http.post("/VolumeDriver.Mount", "{\"Name\":\"busy\",\"ID\":\"" + ID_A + "\"}");
        RawHttp.Reply r = http.post("/VolumeDriver.Remove", "{\"Name\":\"busy\"}");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.code()).isEqualTo("VOLUME_IN_USE");
        assertThat(r.err()).startsWith("remove failed: volume is in use").contains(ID_A).contains("volume=busy");
        assertThat(storage.inspect("busy")).isPresent();
    }

    @Test
    void mountWithTheSameIdIsIdempotentAndUnmountOfAnUnknownIdSucceeds() {
        http.post("/VolumeDriver.Create", "{\"Name\":\"v\",\"Opts\":{}}");
        String p1 = http.post("/VolumeDriver.Mount", "{\"Name\":\"v\",\"ID\":\"" + ID_A + "\"}").json().get("Mountpoint").asText();
        String p2 = http.post("/VolumeDriver.Mount", "{\"Name\":\"v\",\"ID\":\"" + ID_A + "\"}").json().get("Mountpoint").asText();
        assertThat(p2).isEqualTo(p1);
        assertThat(cluster.calls().count(OsOp.MOUNT)).isEqualTo(1);
        assertThat(http.post("/VolumeDriver.Unmount", "{\"Name\":\"v\",\"ID\":\"unknown\"}").status()).isEqualTo(200);
        assertThat(storage.path("v")).isPresent();
        assertThat(http.post("/VolumeDriver.Unmount", "{\"Name\":\"v\",\"ID\":\"" + ID_A + "\"}").status()).isEqualTo(200);
        assertThat(storage.path("v")).isEmpty();
        assertThat(http.post("/VolumeDriver.Unmount", "{\"Name\":\"v\",\"ID\":\"" + ID_A + "\"}").status()).isEqualTo(200);
    }

    @Test
    void oneConnectionServesManyRequests() {
        for (int i = 0; i < 20; i++) {
            RawHttp.Reply r = http.post("/VolumeDriver.List", "{}");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Connection")).isNull();
        }
    }

    @Test
    void unknownEndpointIs404WithAnErr() {
        RawHttp.Reply r = http.post("/VolumeDriver.Snapshot", "{}");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.err()).contains("unknown endpoint '/VolumeDriver.Snapshot'");
        assertThat(r.code()).isEqualTo("UNKNOWN_ENDPOINT");
        // the connection stays usable
        assertThat(http.post("/Plugin.Activate", null).status()).isEqualTo(200);
    }

    @Test
    void requestsJettyRejectsItselfStillGetAJsonErr() {
        RawHttp.Reply r = http.send("POST /VolumeDriver.List HTTP/1.1\r\nHost: \r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/vnd.docker.plugins.v1.2+json");
        assertThat(r.err()).startsWith("the plugin could not handle the request: ");
        assertThat(r.code()).isEqualTo("HTTP_400");
    }

    @Test
    void otherMethodsThanPostAre405() {
        RawHttp.Reply r = http.send("GET /VolumeDriver.List HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.header("Allow")).isEqualTo("POST");
        assertThat(r.err()).contains("must be called with POST, not GET");
    }

    @Test
    void malformedJsonIs400WithAnErr() {
        RawHttp.Reply r = http.post("/VolumeDriver.Get", "{\"Name\": ");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("BAD_JSON");
        assertThat(r.err()).startsWith("the request body is not valid JSON");
        RawHttp.Reply array = http.post("/VolumeDriver.Create", "[1,2]");
        assertThat(array.status()).isEqualTo(400);
        assertThat(array.err()).contains("must be a JSON object, not an array");
        RawHttp.Reply wrongType = http.post("/VolumeDriver.Mount", "{\"Name\":5}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.err()).contains("field 'Name' must be a string, not a number");
        RawHttp.Reply badOpts = http.post("/VolumeDriver.Create", "{\"Name\":\"v\",\"Opts\":{\"size\":{\"a\":1}}}");
        assertThat(badOpts.err()).contains("option 'size' of 'Opts' must be a string");
    }

    @Test
    void aMissingBodyIsAnEmptyObject() {
        RawHttp.Reply list = http.post("/VolumeDriver.List", null);
        assertThat(list.status()).isEqualTo(200);
        RawHttp.Reply path = http.post("/VolumeDriver.Path", null);
        assertThat(path.status()).isEqualTo(400);
        assertThat(path.code()).isEqualTo("MISSING_FIELD");
        assertThat(path.err()).contains("field 'Name' is missing, null or empty");
        assertThat(http.post("/VolumeDriver.Capabilities", "null").status()).isEqualTo(200);
    }

    @Test
    void getWithAnEmptyOrMissingNameIsAMissLikeAnyUnknownVolume_asDockerdAsksAtStartUp() {
        RawHttp.Reply unknown = http.post("/VolumeDriver.Get", "{\"Name\":\"nosuchvolume\"}");
        assertThat(unknown.code()).isEqualTo("VOLUME_NOT_FOUND");
        for (String body : new String[]{"{\"Name\":\"\"}", "{\"Name\":\"  \"}", "{}", "{\"Name\":null}", null}) {
            RawHttp.Reply get = http.post("/VolumeDriver.Get", body);
            assertThat(get.status()).as(body).isEqualTo(unknown.status());
            assertThat(get.code()).as(body).isEqualTo("VOLUME_NOT_FOUND");
            assertThat(get.err()).as(body).contains("no volume has an empty name");
        }
    }

    @Test
    void fieldsAreReadLikeGoDoes_caseInsensitiveAndNullAsAbsent() {
        assertThat(http.post("/VolumeDriver.Create", "{\"name\":\"lc\",\"opts\":{\"size\":1}}").status()).isEqualTo(200);
        assertThat(storage.inspect("lc").orElseThrow().volume().requestedSizeBytes()).isEqualTo(ByteSizes.GIB);
        RawHttp.Reply m = http.post("/VolumeDriver.Mount", "{\"Name\":\"lc\",\"ID\":null}");
        assertThat(m.status()).isEqualTo(200);
        assertThat(storage.inspect("lc").orElseThrow().consumers()).extracting(c -> c.isAnonymous()).containsExactly(true);
    }

    @Test
    void aHugeBodyIs413() {
        // dockerd-style framing with a 2 MiB Content-Length: answered from the headers, before the body is read
        RawHttp.Reply r = http.send("POST /VolumeDriver.Get HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n{\"Name\":\"");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.code()).isEqualTo("REQUEST_TOO_LARGE");
        assertThat(r.err()).contains("exceeds the limit of 1048576 bytes");
    }

    @Test
    void aHugeChunkedBodyIs413Too() {
        byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
        StringBuilder req = new StringBuilder("POST /VolumeDriver.Get HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        String hex = Integer.toHexString(chunk.length);
        for (int i = 0; i < 20; i++) {
            req.append(hex).append("\r\n").append(new String(chunk, StandardCharsets.UTF_8)).append("\r\n");
        }
        req.append("0\r\n\r\n");
        RawHttp.Reply r = http.send(req.toString());
        assertThat(r.status()).as(r.body()).isEqualTo(413);
        assertThat(r.err()).contains("exceeds the limit");
    }

    @Test
    void errorsAreJsonEscapedAndNeverEmpty() {
        RawHttp.Reply r = http.post("/VolumeDriver.Get", "{\"Name\":\"bad\\\"name\\nwith\\\\stuff\"}");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.code()).isEqualTo("INVALID_VOLUME_NAME");
        assertThat(r.err()).contains("bad\"name\\x0awith\\stuff");
        assertThat(r.body()).contains("\\\"");
        RawHttp.Reply mount = http.post("/VolumeDriver.Mount", "{\"Name\":\"../etc\",\"ID\":\"x\"}");
        assertThat(mount.code()).isEqualTo("INVALID_VOLUME_NAME");
        assertThat(mount.err()).startsWith("mount failed: invalid volume name: '../etc' must start with a letter or digit");
    }

    @Test
    void theSocketIsMode0660AndItsDirectoryWasCreated0755() throws Exception {
        assertThat(Files.getPosixFilePermissions(plugin.socketPath()))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
        assertThat(Files.getPosixFilePermissions(plugin.socketPath().getParent()))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(plugin.socketPath()).isEqualTo(dir.resolve("plugins").resolve(plugin.name() + ".sock"));
    }
}
