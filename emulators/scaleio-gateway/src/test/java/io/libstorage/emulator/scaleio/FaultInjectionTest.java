package io.libstorage.emulator.scaleio;

import com.fasterxml.jackson.databind.JsonNode;
import io.libstorage.emulator.scaleio.GatewayClient.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

import static io.libstorage.emulator.scaleio.VolumeProtocolTest.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fault injection, "MDM unreachable", the request log and the admin HTTP API. */
class FaultInjectionTest {
    static final String GUID = "7E012974-3651-4DCB-9954-25975A3C3CDF";
    private ScaleIoGatewayEmulator gw;
    private GatewayClient client;
    private GatewayClient admin;
    private String pool;
    private String sdcId;

    @BeforeEach
    void start() throws Exception {
        gw = ScaleIoGatewayEmulator.builder().sdc(SdcSpec.of(GUID, "10.0.0.5")).start();
        client = new GatewayClient(gw).login("admin", "Scaleio123");
        admin = new GatewayClient(gw);
        pool = client.poolId("pool1");
        sdcId = gw.sdc(GUID).sdcId();
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void failNextNCallsThenBehaveNormally() {
        gw.failNext(2, "^/api/types/Volume/instances$", 500, 0, "MDM busy");
        Map<String, String> body = Map.of("volumeSizeInKb", "8", "storagePoolId", pool);
        assertThat(error(client.post("/api/types/Volume/instances", body))).isEqualTo("500/0/MDM busy");
        assertThat(error(client.get("/api/types/Volume/instances"))).isEqualTo("500/0/MDM busy");
        assertThat(client.post("/api/types/Volume/instances", body).status()).isEqualTo(200);
        assertThat(gw.faults()).isEmpty();
    }

    @Test
    void faultsCanBeRestrictedToAMethod() {
        gw.addFault(FaultRule.error("^/api/types/Volume/instances$", 503, 0, "down").withMethod("POST").withTimes(-1));
        assertThat(client.get("/api/types/Volume/instances").status()).isEqualTo(200);
        assertThat(client.post("/api/types/Volume/instances", Map.of("volumeSizeInKb", "8", "storagePoolId", pool)).status()).isEqualTo(503);
        gw.clearFaults();
        assertThat(client.post("/api/types/Volume/instances", Map.of("volumeSizeInKb", "8", "storagePoolId", pool)).status()).isEqualTo(200);
    }

    @Test
    void injectedUnauthorizedLooksLikeAnExpiredToken() {
        gw.addFault(FaultRule.unauthorized("/api/types/System"));
        Answer a = client.get("/api/types/System/instances");
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.body()).isEqualTo("{\"message\":\"Unauthorized\",\"httpStatusCode\":401,\"errorCode\":0}");
        assertThat(a.header("WWW-Authenticate")).isEqualTo("Basic realm=Restricted");
        assertThat(client.get("/api/types/System/instances").status()).isEqualTo(200);
    }

    @Test
    void droppedConnectionsGetNoAnswer() {
        // a POST, because the JDK client silently retries an idempotent GET once on a closed connection
        gw.addFault(FaultRule.dropConnection("^/api/types/Volume/instances$").withMethod("POST"));
        Map<String, String> body = Map.of("volumeSizeInKb", "8", "storagePoolId", pool);
        assertThatThrownBy(() -> client.post("/api/types/Volume/instances", body)).isInstanceOf(UncheckedIOException.class);
        assertThat(client.post("/api/types/Volume/instances", body).status()).isEqualTo(200);
        assertThat(gw.requests()).extracting(RequestRecord::status).contains(0);
    }

    @Test
    void latencyDelaysTheCall() {
        gw.addFault(FaultRule.latency("/api/version", Duration.ofMillis(300)).withTimes(1));
        long start = System.nanoTime();
        assertThat(client.get("/api/version").status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void lostUnmapAnswers200ButTheMappingStays() {
        String vol = client.createVolume("lost", 8, pool);
        client.post("/api/instances/Volume::" + vol + "/action/addMappedSdc", Map.of("sdcId", sdcId));
        gw.loseNextUnmaps(1);
        assertThat(client.post("/api/instances/Volume::" + vol + "/action/removeMappedSdc", Map.of("sdcId", sdcId)).status()).isEqualTo(200);
        assertThat(client.volume(vol).get("mappedSdcInfo")).hasSize(1);
        assertThat(client.post("/api/instances/Volume::" + vol + "/action/removeMappedSdc", Map.of("sdcId", sdcId)).status()).isEqualTo(200);
        assertThat(client.volume(vol).get("mappedSdcInfo").isNull()).isTrue();
    }

    @Test
    void mdmUnreachableFailsEveryMdmCallButNotVersion() {
        String vol = client.createVolume("fence", 8, pool);
        gw.setMdmReachable(false);
        assertThat(client.get("/api/instances/Volume::" + vol).status()).isEqualTo(500);
        assertThat(client.post("/api/instances/Volume::" + vol + "/action/addMappedSdc", Map.of("sdcId", sdcId)).status()).isEqualTo(500);
        assertThat(client.get("/api/version").status()).isEqualTo(200);
        assertThat(client.send("GET", "/api/login", null, GatewayClient.basic("admin", "Scaleio123"), Map.of()).status()).isEqualTo(500);
        gw.setMdmReachable(true);
        assertThat(client.volume(vol).get("mappedSdcInfo").isNull()).isTrue();
    }

    @Test
    void requestLogCountsRoundTripsPerEndpoint() {
        gw.resetRequestLog();
        String vol = client.createVolume("counted", 8, pool);
        client.volume(vol);
        client.volume(vol);
        client.get("/api/instances/Volume::00000000deadbeef");
        assertThat(gw.requestCount()).isEqualTo(4);
        assertThat(gw.requestCount("GET /api/instances/Volume::{id}")).isEqualTo(3);
        assertThat(gw.requestCount("POST /api/types/Volume/instances")).isEqualTo(1);
        RequestRecord last = gw.requests().get(gw.requests().size() - 1);
        assertThat(last.status()).isEqualTo(500);
        assertThat(last.errorCode()).isEqualTo(79);
        assertThat(gw.requests().get(0).body()).contains("counted");
        assertThat(gw.requests()).noneMatch(r -> r.body().contains("Scaleio123"));
        gw.resetRequestLog();
        assertThat(gw.requestCount()).isZero();
        assertThat(gw.requests()).isEmpty();
    }

    @Test
    void adminHttpApiControlsTheSameThings() {
        Answer status = admin.get("/admin/status");
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().get("systems").get(0).get("id").asText()).isEqualTo(gw.systemId());
        assertThat(admin.get("/admin/certificate").body()).isEqualTo(gw.certificatePem());

        Answer added = admin.post("/admin/faults", Map.of("kind", "error", "path", "/api/types/Sdc", "httpStatus", 500, "errorCode", 65,
                "message", "injected", "times", 1));
        assertThat(added.status()).isEqualTo(200);
        assertThat(admin.get("/admin/faults").json().has(added.json().get("id").asText())).isTrue();
        assertThat(error(client.get("/api/types/Sdc/instances"))).isEqualTo("500/65/injected");

        admin.send("DELETE", "/admin/requests", null, null, Map.of());
        client.get("/api/types/Sdc/instances");
        JsonNode log = admin.get("/admin/requests").json();
        assertThat(log.get("total").asLong()).isEqualTo(1);
        assertThat(log.get("counts").get("GET /api/types/Sdc/instances").asLong()).isEqualTo(1);
        assertThat(log.get("records").get(0).get("status").asInt()).isEqualTo(200);

        assertThat(admin.post("/admin/restart", "{}").status()).isEqualTo(200);
        assertThat(client.get("/api/types/Sdc/instances").status()).isEqualTo(401);
        client.login("admin", "Scaleio123");

        JsonNode sdc = admin.post("/admin/sdcs", Map.of("guid", "9E56672F-2F4B-4A42-BFF4-88B6846FBFDA", "ip", "10.0.0.9", "name", "late")).json();
        assertThat(sdc.get("sdcId").asText()).matches("[0-9a-f]{16}");
        assertThat(client.get("/api/types/Sdc/instances").json()).hasSize(2);
        assertThat(admin.send("PUT", "/admin/sdcs/9E56672F-2F4B-4A42-BFF4-88B6846FBFDA/state", "{\"state\":\"Connected\"}", null,
                Map.of("Content-Type", "application/json")).status()).isEqualTo(200);
        assertThat(client.get("/api/instances/Sdc::" + sdc.get("sdcId").asText()).json().get("mdmConnectionState").asText()).isEqualTo("Connected");

        assertThat(admin.send("PUT", "/admin/mdm", "{\"reachable\":false}", null, Map.of()).status()).isEqualTo(200);
        assertThat(client.get("/api/types/Sdc/instances").status()).isEqualTo(500);
        admin.send("PUT", "/admin/mdm", "{\"reachable\":true}", null, Map.of());
        assertThat(client.get("/api/types/Sdc/instances").status()).isEqualTo(200);
        assertThat(admin.get("/admin/nothing").status()).isEqualTo(404);
    }

    @Test
    void adminTokenProtectsTheAdminApi() throws Exception {
        try (ScaleIoGatewayEmulator g = ScaleIoGatewayEmulator.builder().adminToken("t0ken").start()) {
            GatewayClient c = new GatewayClient(g);
            assertThat(c.get("/admin/status").status()).isEqualTo(401);
            assertThat(c.send("GET", "/admin/status", null, "Bearer t0ken", Map.of()).status()).isEqualTo(200);
        }
    }
}
