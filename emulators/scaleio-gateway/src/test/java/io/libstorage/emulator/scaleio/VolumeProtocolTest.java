package io.libstorage.emulator.scaleio;

import com.fasterxml.jackson.databind.JsonNode;
import io.libstorage.emulator.scaleio.GatewayClient.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.threeten.extra.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.libstorage.emulator.scaleio.ObjectsProtocolTest.href;
import static io.libstorage.emulator.scaleio.ObjectsProtocolTest.rels;
import static org.assertj.core.api.Assertions.assertThat;

/** Volume create/get/list/lookup/remove/resize/rename against reference sections 3.4, 4.1, 5, 6 and 7. */
class VolumeProtocolTest {
    static final long GIB = 1024 * 1024; // in KiB
    static final AtomicInteger SEQ = new AtomicInteger();
    static ScaleIoGatewayEmulator gw;
    static GatewayClient client;
    static String pool;

    @BeforeAll
    static void start() throws Exception {
        gw = ScaleIoGatewayEmulator.builder().system(SystemSpec.named("cluster1").withProtectionDomain("pd1", "pool1")
                .withProtectionDomain("pd2", "pool2")).start();
        client = new GatewayClient(gw).login("admin", "Scaleio123");
        pool = client.poolId("pool1");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static String name() {
        return "vol-" + SEQ.incrementAndGet();
    }

    static String error(Answer a) {
        return a.status() + "/" + a.json().get("errorCode").asInt() + "/" + a.json().get("message").asText();
    }

    @ParameterizedTest
    @CsvSource({"1, 8", "1048576, 8", "4194304, 8", "8388608, 8", "9437184, 16", "10485760, 16", "16777216, 16", "16777217, 24"})
    void createRoundsUpTo8GiBMultiples(long requestedKb, long expectedGiB) {
        String id = client.createVolume(name(), requestedKb, pool);
        assertThat(client.volume(id).get("sizeInKb").asLong()).isEqualTo(expectedGiB * GIB);
    }

    @Test
    void createAnswersOnlyTheIdAndTheVolumeHasTheReferenceShape() {
        String n = name();
        Answer a = client.post("/api/types/Volume/instances", Map.of("name", n, "volumeSizeInKb", "8388608", "storagePoolId", pool,
                "volumeType", "ThinProvisioned", "useRmcache", "true"));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().fieldNames()).toIterable().containsExactly("id");
        String id = a.json().get("id").asText();
        assertThat(id).matches("[0-9a-f]{16}");
        JsonNode v = client.volume(id);
        assertThat(v.get("name").asText()).isEqualTo(n);
        assertThat(v.get("mappedSdcInfo").isNull()).isTrue();
        assertThat(v.get("ancestorVolumeId").isNull()).isTrue();
        assertThat(v.get("consistencyGroupId").isNull()).isTrue();
        assertThat(v.get("mappingToAllSdcsEnabled").asBoolean()).isFalse();
        assertThat(v.get("useRmcache").asBoolean()).isTrue();
        assertThat(v.get("isObfuscated").isBoolean()).isTrue();
        assertThat(v.get("volumeType").asText()).isEqualTo("ThinProvisioned");
        assertThat(v.get("storagePoolId").asText()).isEqualTo(pool);
        assertThat(v.get("sizeInKb").isIntegralNumber()).isTrue();
        assertThat(v.get("creationTime").asLong()).isBetween(System.currentTimeMillis() / 1000 - 60, System.currentTimeMillis() / 1000 + 60);
        assertThat(rels(v)).containsExactly("self", "/api/Volume/relationship/Statistics", "/api/parent/relationship/vtreeId",
                "/api/parent/relationship/storagePoolId");
        assertThat(href(v, "self")).isEqualTo("/api/instances/Volume::" + id);
        assertThat(href(v, "/api/parent/relationship/storagePoolId")).isEqualTo("/api/instances/StoragePool::" + pool);
        JsonNode vtree = client.get(href(v, "/api/parent/relationship/vtreeId")).json();
        assertThat(vtree.get("baseVolumeId").asText()).isEqualTo(id);
        assertThat(vtree.get("storagePoolId").asText()).isEqualTo(pool);
        assertThat(vtree.has("name")).isTrue();
        assertThat(client.get(href(vtree, "self") + "/relationships/Volume").json()).extracting(x -> x.get("id").asText()).containsExactly(id);
        assertThat(client.get(href(v, "/api/Volume/relationship/Statistics")).json().get("numOfMappedSdcs").asInt()).isZero();
    }

    @Test
    void unnamedVolumesReportNullNameAndDefaultToThick() {
        Answer a = client.post("/api/types/Volume/instances", Map.of("volumeSizeInKb", "1", "storagePoolId", pool));
        JsonNode v = client.volume(a.json().get("id").asText());
        assertThat(v.get("name").isNull()).isTrue();
        assertThat(v.get("volumeType").asText()).isEqualTo("ThickProvisioned");
    }

    @Test
    void nativeJsonNumbersAndBooleansAreAcceptedToo() {
        Answer a = client.post("/api/types/Volume/instances", "{\"name\":\"" + name() + "\",\"volumeSizeInKb\":9437184,\"storagePoolId\":\""
                + pool + "\",\"volumeType\":\"thinprovisioned\",\"useRmcache\":true}");
        assertThat(a.status()).isEqualTo(200);
        JsonNode v = client.volume(a.json().get("id").asText());
        assertThat(v.get("sizeInKb").asLong()).isEqualTo(16 * GIB);
        assertThat(v.get("useRmcache").asBoolean()).isTrue();
        Answer gb = client.post("/api/types/Volume/instances", Map.of("name", name(), "volumeSizeInGb", "9", "storagePoolId", pool));
        assertThat(client.volume(gb.json().get("id").asText()).get("sizeInKb").asLong()).isEqualTo(16 * GIB);
    }

    @Test
    void zeroNegativeAndMissingSizesAreRejected() {
        assertThat(error(client.post("/api/types/Volume/instances", Map.of("name", name(), "volumeSizeInKb", "0", "storagePoolId", pool))))
                .isEqualTo("500/225/The specified volume size is illegal. Volume size must be in 8 GB blocks");
        assertThat(error(client.post("/api/types/Volume/instances", Map.of("name", name(), "volumeSizeInKb", "-8", "storagePoolId", pool))))
                .startsWith("500/225/");
        Answer missing = client.post("/api/types/Volume/instances", Map.of("name", name(), "storagePoolId", pool));
        assertThat(missing.body()).isEqualTo("{\"message\":\"Request message is not valid: The following parameter(s) must be part of the "
                + "request body: volumeSizeInKb.\",\"httpStatusCode\":400,\"errorCode\":0}");
        Answer noPool = client.post("/api/types/Volume/instances", Map.of("name", name(), "volumeSizeInKb", "8"));
        assertThat(error(noPool)).isEqualTo("400/0/Request message is not valid: The following parameter(s) must be part of the request body: storagePoolId.");
        assertThat(error(client.post("/api/types/Volume/instances", Map.of("volumeSizeInKb", "x", "storagePoolId", pool)))).startsWith("400/0/");
        assertThat(error(client.post("/api/types/Volume/instances", Map.of("volumeSizeInKb", Long.toString(2L << 40), "storagePoolId", pool))))
                .isEqualTo("500/190/The volume size too large");
    }

    @Test
    void nameRules() {
        String thirtyOne = "a".repeat(31);
        assertThat(client.createVolume(thirtyOne, 8, pool)).isNotBlank();
        assertThat(error(client.post("/api/types/Volume/instances", Map.of("name", "b".repeat(32), "volumeSizeInKb", "8", "storagePoolId", pool))))
                .isEqualTo("500/226/The given name exceeds the allowed length of 31 characters.");
        assertThat(error(client.post("/api/types/Volume/instances", Map.of("name", "has space", "volumeSizeInKb", "8", "storagePoolId", pool))))
                .isEqualTo("500/227/The given name contains invalid characters. Use alphanumeric and punctuation characters only. Spaces are not allowed.");
        assertThat(error(client.post("/api/types/Volume/instances", Map.of("name", "tab\there", "volumeSizeInKb", "8", "storagePoolId", pool))))
                .startsWith("500/227/");
        assertThat(client.createVolume("punct_-.:@+", 8, pool)).isNotBlank();
        assertThat(error(client.post("/api/types/Volume/instances", Map.of("name", thirtyOne, "volumeSizeInKb", "8", "storagePoolId", pool))))
                .isEqualTo("500/99/Volume name already in use. Please use a different name.");
        String pool2 = client.poolId("pool2");
        assertThat(error(client.post("/api/types/Volume/instances", Map.of("name", thirtyOne, "volumeSizeInKb", "8", "storagePoolId", pool2))))
                .as("names are unique system-wide, not per pool").startsWith("500/99/");
    }

    @Test
    void poolAndDomainChecks() {
        assertThat(error(client.post("/api/types/Volume/instances", Map.of("volumeSizeInKb", "8", "storagePoolId", "00000000000000ff"))))
                .isEqualTo("500/171/Could not find Storage Pool");
        String pd2 = client.post("/api/types/ProtectionDomain/instances/action/queryIdByKey", Map.of("name", "pd2")).json().asText();
        assertThat(error(client.post("/api/types/Volume/instances", Map.of("volumeSizeInKb", "8", "storagePoolId", pool, "protectionDomainId", pd2))))
                .isEqualTo("500/197/The specified Storage Pool is not in the specified Protection Domain");
        assertThat(error(client.post("/api/types/Volume/instances", Map.of("volumeSizeInKb", "8", "storagePoolId", "not-hex"))))
                .isEqualTo("500/0/id (not-hex) must be a hexadecimal number (unsigned long)");
        assertThat(error(client.post("/api/types/Volume/instances", Map.of("volumeSizeInKb", "8", "storagePoolId", pool, "volumeType", "Fat"))))
                .startsWith("400/0/volumeType should get one of the following values");
    }

    @Test
    void getLookupAndSelectedIds() {
        String n = name();
        String id = client.createVolume(n, 8, pool);
        assertThat(error(client.get("/api/instances/Volume::00000000deadbeef"))).isEqualTo("500/79/Could not find the volume");
        Answer q = client.post("/api/types/Volume/instances/action/queryIdByKey", Map.of("name", n));
        assertThat(q.status()).isEqualTo(200);
        assertThat(q.body()).isEqualTo("\"" + id + "\"");
        Answer miss = client.post("/api/types/Volume/instances/action/queryIdByKey", Map.of("name", "never-created"));
        assertThat(miss.body()).isEqualTo("{\"message\":\"Not found\",\"httpStatusCode\":500,\"errorCode\":3}");
        assertThat(client.get("/api/types/Volume/instances/getByName::" + n).json().asText()).isEqualTo(id);
        String other = client.createVolume(name(), 8, pool);
        JsonNode sel = client.post("/api/types/Volume/instances/action/queryBySelectedIds", Map.of("ids", List.of(other, id))).json();
        assertThat(sel).extracting(v -> v.get("id").asText()).containsExactly(other, id);
        assertThat(client.get("/api/instances/StoragePool::" + pool + "/relationships/Volume").json())
                .extracting(v -> v.get("id").asText()).contains(id, other);
        assertThat(client.get("/api/types/Volume/instances").json()).extracting(v -> v.get("id").asText()).contains(id, other);
    }

    @Test
    void legacyGetByNameDecodesTwice() {
        String n = "odd%name";
        String id = client.createVolume(n, 8, pool);
        // os-brick: quote(quote(name)) -> odd%2525name
        assertThat(client.get("/api/types/Volume/instances/getByName::odd%2525name").json().asText()).isEqualTo(id);
    }

    @Test
    void queryMissCanBeTheFourXForm() throws Exception {
        try (ScaleIoGatewayEmulator g = ScaleIoGatewayEmulator.builder().queryMissErrorCode(79).start()) {
            GatewayClient c = new GatewayClient(g).login("admin", "Scaleio123");
            assertThat(error(c.post("/api/types/Volume/instances/action/queryIdByKey", Map.of("name", "x")))).isEqualTo("500/79/Could not find the volume");
        }
    }

    @Test
    void removeVolumeValidatesTheMode() {
        String id = client.createVolume(name(), 8, pool);
        String path = "/api/instances/Volume::" + id + "/action/removeVolume";
        assertThat(client.post(path, Map.of("removeMode", "EVERYTHING")).body()).isEqualTo("{\"message\":\"removeMode should get one of the "
                + "following values: ONLY_ME, INCLUDING_DESCENDANTS, DESCENDANTS_ONLY, WHOLE_VTREE, but its value is EVERYTHING.\","
                + "\"httpStatusCode\":400,\"errorCode\":0}");
        assertThat(error(client.post(path, "{}"))).startsWith("400/0/Request message is not valid");
        Answer ok = client.post(path, Map.of("removeMode", "ONLY_ME"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).isEmpty();
        assertThat(error(client.get("/api/instances/Volume::" + id))).isEqualTo("500/79/Could not find the volume");
        assertThat(error(client.post(path, Map.of("removeMode", "ONLY_ME")))).isEqualTo("500/79/Could not find the volume");
    }

    @Test
    void removeModesAndDescendants() {
        String base = client.createVolume(name(), 8, pool);
        String snap1 = snapshot(base);
        String snap2 = snapshot(snap1);
        client.post("/api/instances/Volume::" + base + "/action/removeVolume", Map.of("removeMode", "DESCENDANTS_ONLY"));
        assertThat(client.get("/api/instances/Volume::" + base).status()).isEqualTo(200);
        assertThat(client.get("/api/instances/Volume::" + snap1).status()).isEqualTo(500);
        assertThat(client.get("/api/instances/Volume::" + snap2).status()).isEqualTo(500);

        String s3 = snapshot(base);
        client.post("/api/instances/Volume::" + base + "/action/removeVolume", Map.of("removeMode", "ONLY_ME"));
        assertThat(client.get("/api/instances/Volume::" + s3).status()).as("ONLY_ME leaves descendants").isEqualTo(200);

        String b2 = client.createVolume(name(), 8, pool);
        String s4 = snapshot(b2);
        client.post("/api/instances/Volume::" + s4 + "/action/removeVolume", Map.of("removeMode", "WHOLE_VTREE"));
        assertThat(client.get("/api/instances/Volume::" + b2).status()).isEqualTo(500);

        String b3 = client.createVolume(name(), 8, pool);
        String s5 = snapshot(b3);
        client.post("/api/instances/Volume::" + b3 + "/action/removeVolume", Map.of("removeMode", "INCLUDING_DESCENDANTS"));
        assertThat(client.get("/api/instances/Volume::" + s5).status()).isEqualTo(500);
        assertThat(client.get("/api/instances/Volume::" + b3).status()).isEqualTo(500);
    }

    static String snapshot(String source) {
        Answer a = client.post("/api/instances/System/action/snapshotVolumes", Map.of("snapshotDefs", List.of(Map.of("volumeId", source))));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return a.json().get("volumeIdList").get(0).asText();
    }

    @Test
    void setVolumeSizeGrowsOnlyInWholeEightGiB() {
        String id = client.createVolume(name(), 8, pool);
        String path = "/api/instances/Volume::" + id + "/action/setVolumeSize";
        assertThat(client.post(path, Map.of("sizeInGB", "10")).status()).isEqualTo(400);
        assertThat(client.post(path, Map.of("sizeInGB", "6")).status()).isEqualTo(400);
        assertThat(client.post(path, Map.of("sizeInGB", "0")).status()).isEqualTo(400);
        assertThat(client.post(path, "{}").status()).isEqualTo(400);
        Answer grow = client.post(path, Map.of("sizeInGB", "16"));
        assertThat(grow.status()).isEqualTo(200);
        assertThat(client.volume(id).get("sizeInKb").asLong()).isEqualTo(16 * GIB);
        assertThat(error(client.post(path, Map.of("sizeInGB", "8")))).isEqualTo("500/133/Volume capacity can only be increased");
        assertThat(client.post(path, Map.of("sizeInGB", 24)).status()).as("native number").isEqualTo(200);
        assertThat(client.volume(id).get("sizeInKb").asLong()).isEqualTo(24 * GIB);
    }

    @Test
    void setVolumeNameFollowsTheNameRules() {
        String taken = name();
        client.createVolume(taken, 8, pool);
        String id = client.createVolume(name(), 8, pool);
        String path = "/api/instances/Volume::" + id + "/action/setVolumeName";
        assertThat(error(client.post(path, Map.of("newName", taken)))).startsWith("500/99/");
        assertThat(error(client.post(path, Map.of("newName", "x".repeat(32))))).startsWith("500/226/");
        assertThat(error(client.post(path, Map.of("newName", "a b")))).startsWith("500/227/");
        String renamed = name();
        assertThat(client.post(path, Map.of("newName", renamed)).status()).isEqualTo(200);
        assertThat(client.volume(id).get("name").asText()).isEqualTo(renamed);
        assertThat(client.post("/api/types/Volume/instances/action/queryIdByKey", Map.of("name", renamed)).json().asText()).isEqualTo(id);
    }

    @Test
    void asynchronousRemovalAnswers212UntilGone() throws Exception {
        MutableClock clock = MutableClock.of(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        try (ScaleIoGatewayEmulator g = ScaleIoGatewayEmulator.builder().clock(clock).removalDelay(Duration.ofSeconds(5)).start()) {
            GatewayClient c = new GatewayClient(g).login("admin", "Scaleio123");
            String id = c.createVolume("going", 8, c.poolId("pool1"));
            assertThat(c.post("/api/instances/Volume::" + id + "/action/removeVolume", Map.of("removeMode", "ONLY_ME")).status()).isEqualTo(200);
            assertThat(error(c.get("/api/instances/Volume::" + id))).isEqualTo("500/212/A volume removal operation is currently in progress. ");
            assertThat(error(c.post("/api/types/Volume/instances", Map.of("name", "going", "volumeSizeInKb", "8", "storagePoolId", c.poolId("pool1")))))
                    .startsWith("500/99/");
            clock.add(Duration.ofSeconds(5));
            assertThat(error(c.get("/api/instances/Volume::" + id))).isEqualTo("500/79/Could not find the volume");
            assertThat(c.createVolume("going", 8, c.poolId("pool1"))).isNotEqualTo(id);
        }
    }
}
