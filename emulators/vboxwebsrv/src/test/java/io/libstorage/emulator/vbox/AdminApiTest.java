package io.libstorage.emulator.vbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin API over HTTP: restart, faults, progress, machine power states, the request log. */
class AdminApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private VboxWebServiceEmulator vbox;
    private SoapClient c;

    @BeforeEach
    void start() throws Exception {
        vbox = VboxWebServiceEmulator.builder().machine(MachineSpec.named("host-a")).adminToken("t0k").start();
        c = new SoapClient(vbox).logon();
    }

    @AfterEach
    void stop() {
        vbox.close();
    }

    private HttpResponse<String> admin(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(vbox.endpoint() + path.substring(1)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String method, String path, String body) throws Exception {
        HttpResponse<String> r = admin(method, path, body, "t0k");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void theTokenIsRequired() throws Exception {
        assertThat(admin("GET", "/admin/status", null, null).statusCode()).isEqualTo(401);
        assertThat(admin("GET", "/admin/status", null, "wrong").statusCode()).isEqualTo(401);
        JsonNode status = ok("GET", "/admin/status", null);
        assertThat(status.get("endpoint").asText()).isEqualTo(vbox.endpoint().toString());
        assertThat(status.get("activeWebsessions").asInt()).isEqualTo(1);
    }

    @Test
    void restartInvalidatesEveryReference() throws Exception {
        String m = c.findMachine("host-a");
        ok("POST", "/admin/restart", null);
        assertThat(c.call("IMachine_getName", "_this", m).fault()).contains("Invalid managed object reference");
    }

    @Test
    void faultsCanBeAddedListedAndRemoved() throws Exception {
        String id = ok("POST", "/admin/faults", "{\"kind\":\"runtime_fault\",\"operation\":\"IVirtualBox_findMachine\",\"times\":1,"
                + "\"resultCode\":\"0x80bb0001\",\"text\":\"gone\"}").get("id").asText();
        assertThat(ok("GET", "/admin/faults", null).get(id).get("resultCode").asText()).isEqualTo("0x80bb0001");
        assertThat(c.call("IVirtualBox_findMachine", "_this", c.vbox, "nameOrId", "host-a").fault())
                .isEqualTo("VirtualBox error: rc=0x80bb0001 gone (0x80bb0001)");
        ok("POST", "/admin/faults", "{\"kind\":\"latency\",\"operation\":\"IMachine_\",\"latencyMillis\":1}");
        ok("DELETE", "/admin/faults", null);
        assertThat(ok("GET", "/admin/faults", null).size()).isZero();
    }

    @Test
    void machinesCanBePoweredOffAbortedAndStarted() throws Exception {
        ok("PUT", "/admin/machines/host-a/state", "{\"state\":\"Aborted\"}");
        String m = c.findMachine("host-a");
        assertThat(c.get("IMachine_getState", m)).isEqualTo("Aborted");
        assertThat(c.get("IMachine_getSessionState", m)).isEqualTo("Unlocked");
        ok("PUT", "/admin/machines/" + vbox.machineId("host-a") + "/state", "{\"state\":\"Running\"}");
        assertThat(c.get("IMachine_getState", m)).isEqualTo("Running");
        JsonNode machines = ok("GET", "/admin/machines", null);
        assertThat(machines.get(0).get("state").asText()).isEqualTo("Running");
        assertThat(machines.get(0).get("attachments").get(0).asText()).startsWith("SATA-0-0 ");
        assertThat(admin("PUT", "/admin/machines/nope/state", "{\"state\":\"Running\"}", "t0k").statusCode()).isEqualTo(404);
        assertThat(admin("PUT", "/admin/machines/host-a/state", "{\"state\":\"Flying\"}", "t0k").statusCode()).isEqualTo(400);
    }

    @Test
    void progressDelayAndFailuresAndTheRequestLog() throws Exception {
        assertThat(ok("PUT", "/admin/progress", "{\"delayMillis\":5}").get("delayMillis").asLong()).isEqualTo(5);
        ok("POST", "/admin/progress/failures", "{\"times\":1,\"resultCode\":\"0x80bb0004\",\"text\":\"disk full\"}");
        String medium = c.ok("IVirtualBox_createMedium", "_this", c.vbox, "format", "vmdk", "location",
                vbox.dataDir().resolve("v").toString(), "accessMode", "ReadWrite", "aDeviceTypeType", "HardDisk").value();
        String p = c.ok("IMedium_createBaseStorage", "_this", medium, "logicalSize", "1048576").value();
        c.ok("IProgress_waitForCompletion", "_this", p, "timeout", "-1");
        assertThat(c.get("IVirtualBoxErrorInfo_getText", c.get("IProgress_getErrorInfo", p))).isEqualTo("disk full");

        JsonNode log = ok("GET", "/admin/requests", null);
        assertThat(log.get("counts").get("IWebsessionManager_logon").asInt()).isEqualTo(1);
        assertThat(log.get("records").get(0).get("body").asText()).contains("<password>******</password>");
        long last = log.get("records").get(log.get("records").size() - 1).get("seq").asLong();
        assertThat(ok("GET", "/admin/requests?since=" + last, null).get("records").size()).isZero();
        ok("DELETE", "/admin/requests", null);
        assertThat(ok("GET", "/admin/requests", null).get("total").asInt()).isZero();
        assertThat(ok("GET", "/admin/media", null).size()).isEqualTo(1);
    }
}
