package io.libstorage.emulator.scaleio;

import com.fasterxml.jackson.databind.JsonNode;
import io.libstorage.emulator.scaleio.GatewayClient.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.libstorage.emulator.scaleio.VolumeProtocolTest.error;
import static org.assertj.core.api.Assertions.assertThat;

/** addMappedSdc / removeMappedSdc / setMappedSdcLimits and the SDC side of mappings (reference 3.5, 3.6). */
class MappingProtocolTest {
    static final String GUID_A = "7E012974-3651-4DCB-9954-25975A3C3CDF";
    static final String GUID_B = "9E56672F-2F4B-4A42-BFF4-88B6846FBFDA";
    static ScaleIoGatewayEmulator gw;
    static GatewayClient client;
    static String pool;
    static String sdcA;
    static String sdcB;
    static int seq;

    @BeforeAll
    static void start() throws Exception {
        gw = ScaleIoGatewayEmulator.builder().sdc(SdcSpec.of(GUID_A, "10.0.0.5")).sdc(SdcSpec.of(GUID_B, "10.0.0.6")).start();
        client = new GatewayClient(gw).login("admin", "Scaleio123");
        pool = client.poolId("pool1");
        sdcA = gw.sdc(GUID_A).sdcId();
        sdcB = gw.sdc(GUID_B).sdcId();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static synchronized String volume() {
        return client.createVolume("map-" + (++seq), 8, pool);
    }

    static Answer map(String vol, Map<String, ?> body) {
        return client.post("/api/instances/Volume::" + vol + "/action/addMappedSdc", body);
    }

    static Answer unmap(String vol, Map<String, ?> body) {
        return client.post("/api/instances/Volume::" + vol + "/action/removeMappedSdc", body);
    }

    @Test
    void mapBySdcIdShowsInMappedSdcInfoAndTheSdcRelationship() {
        String vol = volume();
        Answer a = map(vol, Map.of("sdcId", sdcA, "allowMultipleMappings", "FALSE"));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEmpty();
        JsonNode info = client.volume(vol).get("mappedSdcInfo");
        assertThat(info.isArray()).isTrue();
        assertThat(info).hasSize(1);
        assertThat(info.get(0).get("sdcId").asText()).isEqualTo(sdcA);
        assertThat(info.get(0).get("sdcIp").asText()).isEqualTo("10.0.0.5");
        assertThat(info.get(0).get("limitIops").asInt()).isZero();
        assertThat(info.get(0).get("limitBwInMbps").asInt()).isZero();
        assertThat(info.get(0).has("allowMultipleMappings")).as("cannot be read back").isFalse();
        assertThat(client.get("/api/instances/Sdc::" + sdcA + "/relationships/Volume").json())
                .extracting(v -> v.get("id").asText()).contains(vol);
        assertThat(client.get("/api/instances/Sdc::" + sdcB + "/relationships/Volume").json())
                .extracting(v -> v.get("id").asText()).doesNotContain(vol);
    }

    @Test
    void mapByGuidInAnyCase() {
        String vol = volume();
        assertThat(map(vol, Map.of("guid", GUID_B.toLowerCase())).status()).isEqualTo(200);
        assertThat(client.volume(vol).get("mappedSdcInfo").get(0).get("sdcId").asText()).isEqualTo(sdcB);
    }

    @Test
    void mappingTwiceToTheSameSdcIs81() {
        String vol = volume();
        map(vol, Map.of("sdcId", sdcA));
        assertThat(error(map(vol, Map.of("sdcId", sdcA)))).isEqualTo("500/81/The volume is already mapped to this SDC");
    }

    @Test
    void mappingElsewhereWithoutMultipleMappingsIs297() {
        String vol = volume();
        map(vol, Map.of("sdcId", sdcA, "allowMultipleMappings", "false"));
        assertThat(error(map(vol, Map.of("sdcId", sdcB, "allowMultipleMappings", "FALSE"))))
                .isEqualTo("500/297/This volume is already mapped and may not be mapped to additional SDCs.");
        assertThat(error(map(vol, Map.of("sdcId", sdcB)))).startsWith("500/297/");
        assertThat(map(vol, Map.of("sdcId", sdcB, "allowMultipleMappings", "TRUE")).status()).isEqualTo(200);
        assertThat(client.volume(vol).get("mappedSdcInfo")).hasSize(2);
    }

    @Test
    void mappedElsewhereCodeCanBe315() throws Exception {
        try (ScaleIoGatewayEmulator g = ScaleIoGatewayEmulator.builder().mappedElsewhereErrorCode(315)
                .sdc(SdcSpec.of(GUID_A, "10.0.0.5")).sdc(SdcSpec.of(GUID_B, "10.0.0.6")).start()) {
            GatewayClient c = new GatewayClient(g).login("admin", "Scaleio123");
            String vol = c.createVolume("v", 8, c.poolId("pool1"));
            c.post("/api/instances/Volume::" + vol + "/action/addMappedSdc", Map.of("guid", GUID_A));
            assertThat(error(c.post("/api/instances/Volume::" + vol + "/action/addMappedSdc", Map.of("guid", GUID_B))))
                    .isEqualTo("500/315/The volume is already mapped to a SDC");
        }
    }

    @Test
    void unknownSdcAndMissingSelector() {
        String vol = volume();
        assertThat(error(map(vol, Map.of("sdcId", "00000000000000aa")))).isEqualTo("500/80/Could not find the SDC");
        assertThat(error(map(vol, Map.of("guid", "00000000-0000-0000-0000-000000000000")))).startsWith("500/80/");
        assertThat(error(map(vol, Map.of("allowMultipleMappings", "TRUE")))).startsWith("400/0/Request message is not valid");
        assertThat(error(map("00000000deadbeef", Map.of("sdcId", sdcA)))).startsWith("500/79/");
    }

    @Test
    void unmapRules() {
        String vol = volume();
        assertThat(error(unmap(vol, Map.of("sdcId", sdcA)))).isEqualTo("500/84/The volume is not mapped to SDC");
        map(vol, Map.of("sdcId", sdcA));
        assertThat(error(unmap(vol, Map.of("sdcId", sdcB)))).startsWith("500/84/");
        Answer ok = unmap(vol, Map.of("guid", GUID_A, "ignoreScsiInitiators", "TRUE"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).isEmpty();
        assertThat(client.volume(vol).get("mappedSdcInfo").isNull()).as("null again, never []").isTrue();
    }

    @Test
    void allSdcsIsPresenceBasedAndUnmapsEverySdc() {
        for (String value : new String[] {"", "true", sdcA}) {
            String vol = volume();
            map(vol, Map.of("sdcId", sdcA));
            map(vol, Map.of("sdcId", sdcB, "allowMultipleMappings", "TRUE"));
            assertThat(unmap(vol, Map.of("allSdcs", value, "ignoreScsiInitiators", "true")).status()).isEqualTo(200);
            assertThat(client.volume(vol).get("mappedSdcInfo").isNull()).as("allSdcs=%s", value).isTrue();
        }
    }

    @Test
    void removingAMappedVolumeIs104() {
        String vol = volume();
        map(vol, Map.of("sdcId", sdcA));
        assertThat(error(client.post("/api/instances/Volume::" + vol + "/action/removeVolume", Map.of("removeMode", "ONLY_ME"))))
                .isEqualTo("500/104/Volume is mapped");
        unmap(vol, Map.of("sdcId", sdcA));
        assertThat(client.post("/api/instances/Volume::" + vol + "/action/removeVolume", Map.of("removeMode", "ONLY_ME")).status()).isEqualTo(200);
    }

    @Test
    void mappedSdcLimits() {
        String vol = volume();
        String path = "/api/instances/Volume::" + vol + "/action/setMappedSdcLimits";
        assertThat(error(client.post(path, Map.of("sdcId", sdcA, "iopsLimit", "100")))).startsWith("500/84/");
        map(vol, Map.of("sdcId", sdcA));
        assertThat(client.post(path, Map.of("sdcId", sdcA, "iopsLimit", "5")).status()).isEqualTo(400);
        assertThat(client.post(path, Map.of("sdcId", sdcA, "bandwidthLimitInKbps", "1000")).status()).isEqualTo(400);
        assertThat(client.post(path, Map.of("sdcId", sdcA, "bandwidthLimitInKbps", "10240", "iopsLimit", "11")).status()).isEqualTo(200);
        JsonNode info = client.volume(vol).get("mappedSdcInfo").get(0);
        assertThat(info.get("limitIops").asInt()).isEqualTo(11);
        assertThat(info.get("limitBwInMbps").asInt()).isEqualTo(10);
    }

    @Test
    void restrictedModeNeedsApproval() throws Exception {
        try (ScaleIoGatewayEmulator g = ScaleIoGatewayEmulator.builder().restrictedSdcMode(true).sdc(SdcSpec.of(GUID_A, "10.0.0.5")).start()) {
            GatewayClient c = new GatewayClient(g).login("admin", "Scaleio123");
            String vol = c.createVolume("v", 8, c.poolId("pool1"));
            JsonNode sdc = c.get("/api/types/Sdc/instances").json().get(0);
            assertThat(sdc.get("sdcApproved").asBoolean()).isFalse();
            assertThat(c.get("/api/types/System/instances").json().get(0).get("restrictedSdcModeEnabled").asBoolean()).isTrue();
            assertThat(error(c.post("/api/instances/Volume::" + vol + "/action/addMappedSdc", Map.of("guid", GUID_A))))
                    .isEqualTo("500/322/The SDC is not approved");
            assertThat(c.post("/api/types/Sdc/instances/action/queryAllApprovedSdc", "{}").json()).isEmpty();
            Answer approve = c.post("/api/instances/System::" + g.systemId() + "/action/approveSdc", Map.of("sdcGuid", GUID_A));
            assertThat(approve.json().get("id").asText()).isEqualTo(sdc.get("id").asText());
            assertThat(c.post("/api/instances/Volume::" + vol + "/action/addMappedSdc", Map.of("guid", GUID_A)).status()).isEqualTo(200);
            assertThat(c.post("/api/types/Sdc/instances/action/queryAllApprovedSdc", "{}").json()).hasSize(1);
        }
    }

    @Test
    void setSdcName() {
        String path = "/api/instances/Sdc::" + sdcB + "/action/setSdcName";
        assertThat(client.post(path, Map.of("sdcName", "worker-2")).status()).isEqualTo(200);
        assertThat(client.get("/api/instances/Sdc::" + sdcB).json().get("name").asText()).isEqualTo("worker-2");
        assertThat(error(client.post(path, Map.of("sdcName", "a b")))).startsWith("500/227/");
    }
}
