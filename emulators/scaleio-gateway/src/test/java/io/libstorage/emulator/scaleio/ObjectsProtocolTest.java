package io.libstorage.emulator.scaleio;

import com.fasterxml.jackson.databind.JsonNode;
import io.libstorage.emulator.scaleio.GatewayClient.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Systems, protection domains, storage pools, SDCs and VTrees: fields, links, lookups and misses. */
class ObjectsProtocolTest {
    static final String GUID_A = "7E012974-3651-4DCB-9954-25975A3C3CDF";
    static ScaleIoGatewayEmulator gw;
    static GatewayClient client;

    @BeforeAll
    static void start() throws Exception {
        gw = ScaleIoGatewayEmulator.builder()
                .system(SystemSpec.named("cluster1").withId("14dbbf5617523654").withProtectionDomain("pd1", "pool1", "shared")
                        .withProtectionDomain("pd2", "shared"))
                .sdc(SdcSpec.of(GUID_A.toLowerCase(), "10.0.0.5").withName("host-a"))
                .start();
        client = new GatewayClient(gw).login("admin", "Scaleio123");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static List<String> rels(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.get("links").forEach(l -> out.add(l.get("rel").asText()));
        return out;
    }

    static String href(JsonNode object, String rel) {
        for (JsonNode l : object.get("links")) {
            if (l.get("rel").asText().equals(rel)) {
                return l.get("href").asText();
            }
        }
        throw new AssertionError("no link " + rel + " in " + object);
    }

    @Test
    void systemListAndGetCarryTheFieldsAndLinks() {
        JsonNode list = client.get("/api/types/System/instances").json();
        assertThat(list.isArray()).isTrue();
        assertThat(list).hasSize(1);
        JsonNode sys = list.get(0);
        assertThat(sys.get("id").asText()).isEqualTo("14dbbf5617523654");
        assertThat(sys.get("name").asText()).isEqualTo("cluster1");
        assertThat(sys.get("systemVersionName").asText()).startsWith("EMC ScaleIO Version: R2_0");
        assertThat(sys.get("restrictedSdcModeEnabled").isBoolean()).isTrue();
        assertThat(sys.get("mdmManagementPort").isInt()).isTrue();
        assertThat(sys.has("installId")).isTrue();
        assertThat(sys.get("mdmCluster").isObject()).isTrue();
        assertThat(rels(sys)).containsExactlyInAnyOrder("self", "/api/System/relationship/Statistics",
                "/api/System/relationship/ProtectionDomain", "/api/System/relationship/Sdc", "/api/System/relationship/User");
        assertThat(href(sys, "self")).isEqualTo("/api/instances/System::14dbbf5617523654");
        assertThat(client.get(href(sys, "self")).json()).isEqualTo(sys);
        assertThat(client.get(href(sys, "/api/System/relationship/User")).json().get(0).get("name").asText()).isEqualTo("admin");
        JsonNode stats = client.get(href(sys, "/api/System/relationship/Statistics")).json();
        assertThat(stats.get("numOfProtectionDomains").asInt()).isEqualTo(2);
        assertThat(stats.get("numOfStoragePools").asInt()).isEqualTo(3);
    }

    @Test
    void protectionDomainsThroughTheSystemLinkAndByKey() {
        JsonNode sys = client.get("/api/types/System/instances").json().get(0);
        JsonNode pds = client.get(href(sys, "/api/System/relationship/ProtectionDomain")).json();
        assertThat(pds).hasSize(2);
        JsonNode pd1 = pds.get(0);
        assertThat(pd1.get("name").asText()).isEqualTo("pd1");
        assertThat(pd1.get("systemId").asText()).isEqualTo("14dbbf5617523654");
        assertThat(pd1.get("protectionDomainState").asText()).isEqualTo("Active");
        assertThat(rels(pd1)).contains("self", "/api/ProtectionDomain/relationship/StoragePool",
                "/api/ProtectionDomain/relationship/Statistics", "/api/ProtectionDomain/relationship/Sds",
                "/api/ProtectionDomain/relationship/FaultSet", "/api/parent/relationship/systemId");
        assertThat(href(pd1, "/api/parent/relationship/systemId")).isEqualTo("/api/instances/System::14dbbf5617523654");
        assertThat(client.get("/api/types/ProtectionDomain/instances").json()).hasSize(2);

        Answer id = client.post("/api/types/ProtectionDomain/instances/action/queryIdByKey", Map.of("name", "pd1"));
        assertThat(id.status()).isEqualTo(200);
        assertThat(id.json().asText()).isEqualTo(pd1.get("id").asText());
        assertThat(client.get("/api/types/Domain/instances/getByName::pd1").json().asText()).isEqualTo(pd1.get("id").asText());

        Answer miss = client.post("/api/types/ProtectionDomain/instances/action/queryIdByKey", Map.of("name", "nope"));
        assertThat(miss.status()).isEqualTo(500);
        assertThat(miss.body()).isEqualTo("{\"message\":\"Not found\",\"httpStatusCode\":500,\"errorCode\":3}");

        Answer unknown = client.get("/api/instances/ProtectionDomain::0000000000000bad");
        assertThat(unknown.status()).isEqualTo(500);
        assertThat(unknown.json().get("errorCode").asInt()).isEqualTo(142);
        assertThat(unknown.json().get("message").asText()).isEqualTo("Could not find Protection Domain");
    }

    @Test
    void storagePoolsAreUniqueOnlyWithinTheirDomain() {
        JsonNode pd1 = client.get("/api/types/ProtectionDomain/instances").json().get(0);
        JsonNode pools = client.get(href(pd1, "/api/ProtectionDomain/relationship/StoragePool")).json();
        assertThat(pools).extracting(p -> p.get("name").asText()).containsExactly("pool1", "shared");
        JsonNode pool = pools.get(0);
        for (String f : List.of("zeroPaddingEnabled", "useRmcache", "rebuildEnabled", "rebalanceEnabled", "checksumEnabled", "useRfcache")) {
            assertThat(pool.get(f).isBoolean()).as(f).isTrue();
        }
        assertThat(pool.get("sparePercentage").isInt()).isTrue();
        assertThat(pool.get("protectionDomainId").asText()).isEqualTo(pd1.get("id").asText());
        assertThat(rels(pool)).contains("self", "/api/StoragePool/relationship/Volume", "/api/StoragePool/relationship/Statistics",
                "/api/StoragePool/relationship/Device", "/api/StoragePool/relationship/VTree", "/api/parent/relationship/protectionDomainId");

        String shared1 = client.post("/api/types/StoragePool/instances/action/queryIdByKey",
                Map.of("name", "shared", "protectionDomainName", "pd1")).json().asText();
        String shared2 = client.post("/api/types/StoragePool/instances/action/queryIdByKey",
                Map.of("name", "shared", "protectionDomainName", "pd2")).json().asText();
        assertThat(shared1).isNotEqualTo(shared2).isEqualTo(pools.get(1).get("id").asText());
        JsonNode pd2 = client.get("/api/types/ProtectionDomain/instances").json().get(1);
        assertThat(client.post("/api/types/StoragePool/instances/action/queryIdByKey",
                Map.of("name", "shared", "protectionDomainId", pd2.get("id").asText())).json().asText()).isEqualTo(shared2);
        assertThat(client.get("/api/types/Pool/instances/getByName::" + pd2.get("id").asText() + ",shared").json().asText()).isEqualTo(shared2);

        JsonNode stats = client.get(href(pool, "/api/StoragePool/relationship/Statistics")).json();
        assertThat(stats.get("capacityAvailableForVolumeAllocationInKb").isNumber()).isTrue();
        assertThat(stats.get("thinCapacityAllocatedInKb").isNumber()).isTrue();
        JsonNode selected = client.post("/api/types/StoragePool/instances/action/querySelectedStatistics",
                Map.of("ids", List.of(pool.get("id").asText()), "properties", List.of("capacityLimitInKb", "spareCapacityInKb"))).json();
        assertThat(selected.get(pool.get("id").asText()).fieldNames()).toIterable().containsExactly("capacityLimitInKb", "spareCapacityInKb");

        Answer unknown = client.get("/api/instances/StoragePool::00000000000000ff");
        assertThat(unknown.json().get("errorCode").asInt()).isEqualTo(171);
        Answer relOfUnknown = client.get("/api/instances/StoragePool::00000000000000ff/relationships/Volume");
        assertThat(relOfUnknown.status()).isEqualTo(500);
        assertThat(relOfUnknown.body()).isEqualTo("{\"message\":\"Error in get relationship Volume\",\"httpStatusCode\":500,\"errorCode\":0}");
    }

    @Test
    void sdcsAreListedWithUpperCaseGuidAndConnectionState() {
        JsonNode sdcs = client.get("/api/types/Sdc/instances").json();
        assertThat(sdcs).hasSize(1);
        JsonNode sdc = sdcs.get(0);
        assertThat(sdc.get("sdcGuid").asText()).isEqualTo(GUID_A);
        assertThat(sdc.get("sdcIp").asText()).isEqualTo("10.0.0.5");
        assertThat(sdc.get("name").asText()).isEqualTo("host-a");
        assertThat(sdc.get("sdcApproved").asBoolean()).isTrue();
        assertThat(sdc.get("mdmConnectionState").asText()).isEqualTo("Disconnected");
        assertThat(sdc.get("systemId").asText()).isEqualTo("14dbbf5617523654");
        assertThat(sdc.get("versionInfo").isNull()).isTrue();
        assertThat(rels(sdc)).containsExactlyInAnyOrder("self", "/api/Sdc/relationship/Statistics", "/api/Sdc/relationship/Volume",
                "/api/parent/relationship/systemId");
        String id = sdc.get("id").asText();
        assertThat(client.get("/api/instances/Sdc::" + id).json()).isEqualTo(sdc);
        assertThat(client.get("/api/instances/System::14dbbf5617523654/relationships/Sdc").json()).hasSize(1);
        assertThat(client.post("/api/types/Sdc/instances/action/queryIdByKey", Map.of("ip", "10.0.0.5")).json().asText()).isEqualTo(id);
        assertThat(client.get("/api/types/Client/instances/getByIp::10.0.0.5/").json().asText()).isEqualTo(id);
        assertThat(client.post("/api/types/Sdc/instances/action/queryIdByKey", Map.of("ip", "10.9.9.9")).json().get("errorCode").asInt())
                .isEqualTo(3);
        assertThat(client.get(href(sdc, "/api/Sdc/relationship/Volume")).json().isArray()).isTrue();
        Answer unknown = client.get("/api/instances/Sdc::00000000000000aa");
        assertThat(unknown.json().get("errorCode").asInt()).isEqualTo(80);

        gw.setSdcState(GUID_A, SdcState.CONNECTED);
        assertThat(client.get("/api/instances/Sdc::" + id).json().get("mdmConnectionState").asText()).isEqualTo("Connected");
        gw.clearSdcStateOverride(GUID_A);
        assertThat(client.get("/api/instances/Sdc::" + id).json().get("mdmConnectionState").asText()).isEqualTo("Disconnected");
    }

    @Test
    void malformedIdsGetTheHexadecimalMessage() {
        for (String path : List.of("/api/instances/Volume::worker-node-2", "/api/instances/Sdc::xyz",
                "/api/instances/StoragePool::12345678901234567")) {
            Answer a = client.get(path);
            assertThat(a.status()).as(path).isEqualTo(500);
            String bad = path.substring(path.indexOf("::") + 2);
            assertThat(a.json().get("message").asText()).isEqualTo("id (" + bad + ") must be a hexadecimal number (unsigned long)");
        }
    }

    @Test
    void idsAreParsedAsUnsignedLongs() {
        String id = client.get("/api/types/System/instances").json().get(0).get("id").asText();
        assertThat(client.get("/api/instances/System::" + id.toUpperCase()).status()).isEqualTo(200);
    }

    @Test
    void unknownRoutesAndMethods() {
        assertThat(client.get("/api/types/Nothing/instances").status()).isEqualTo(404);
        assertThat(client.get("/api/instances/Volume::0000000000000001/action/removeVolume").status()).isEqualTo(405);
        assertThat(client.post("/api/instances/Volume::0000000000000001/action/frobnicate", "{}").status()).isEqualTo(404);
    }

    @Test
    void severalSystemsAndAnUnnamedOneAreListedWithTheirSdcs() throws Exception {
        String guidB = "0D6E2B51-8E1A-4C9F-A1C2-3B4D5E6F7A8B";
        try (ScaleIoGatewayEmulator two = ScaleIoGatewayEmulator.builder()
                .system(SystemSpec.named("cluster1").withProtectionDomain("pd1", "pool1"))
                .system(SystemSpec.unnamed().withId("2222222200000000").withProtectionDomain("pd1", "pool1"))
                .sdc(SdcSpec.of(guidB, "10.0.0.9").inSystem("2222222200000000"))
                .start()) {
            GatewayClient c = new GatewayClient(two).login("admin", "Scaleio123");
            JsonNode systems = c.get("/api/types/System/instances").json();
            assertThat(systems).hasSize(2);
            assertThat(systems.get(0).get("name").asText()).isEqualTo("cluster1");
            assertThat(systems.get(1).get("name").isNull()).as("an unnamed system shows name: null").isTrue();
            JsonNode sdcs = c.get("/api/instances/System::2222222200000000/relationships/Sdc").json();
            assertThat(sdcs).hasSize(1);
            assertThat(sdcs.get(0).get("sdcGuid").asText()).isEqualTo(guidB);
            assertThat(c.get("/api/instances/System::" + systems.get(0).get("id").asText() + "/relationships/Sdc").json()).isEmpty();
        }
    }
}
