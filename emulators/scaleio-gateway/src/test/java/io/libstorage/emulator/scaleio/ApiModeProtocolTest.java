package io.libstorage.emulator.scaleio;

import com.fasterxml.jackson.databind.JsonNode;
import io.libstorage.emulator.scaleio.GatewayClient.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The generations the emulator behaves as (its API version): 2.x, 3.6 and 4.x logins, 401 bodies, not-found codes, hosts. */
class ApiModeProtocolTest {
    private final MutableClock clock = MutableClock.of(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private ScaleIoGatewayEmulator gw;
    private GatewayClient client;

    private void start(String apiVersion) throws Exception {
        gw = ScaleIoGatewayEmulator.builder().credentials("admin", "Secret1").clock(clock).apiVersion(apiVersion)
                .accessTokenLifetime(Duration.ofMinutes(5)).tokenExpiry(Duration.ofMinutes(30), Duration.ofHours(8)).start();
        client = new GatewayClient(gw);
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private Answer bearerLogin(String user, String password) {
        return client.send("POST", "/rest/auth/login", "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}", null,
                Map.of("Content-Type", "application/json"));
    }

    private Answer withRefresh(String path, String refreshToken) {
        return client.send("POST", path, "{\"refresh_token\":\"" + refreshToken + "\"}", null, Map.of("Content-Type", "application/json"));
    }

    @Test
    void theModeFollowsTheApiVersion() {
        assertThat(ApiMode.of("2.0")).isEqualTo(ApiMode.CLASSIC);
        assertThat(ApiMode.of("3.5")).isEqualTo(ApiMode.CLASSIC);
        assertThat(ApiMode.of("3.6")).isEqualTo(ApiMode.V3_6);
        assertThat(ApiMode.of("3.6.700")).isEqualTo(ApiMode.V3_6);
        assertThat(ApiMode.of("4.5")).isEqualTo(ApiMode.V4);
        assertThatThrownBy(() -> ScaleIoGatewayEmulator.builder().apiVersion("four")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClassicGatewayHasNoRestLogin() throws Exception {
        start("2.0");
        assertThat(bearerLogin("admin", "Secret1").status()).isEqualTo(404);
        assertThat(gw.activeTokens()).isZero();
    }

    @Test
    void a36GatewayAnswersAnEmptyObjectToTheRestLoginAndNothingElse() throws Exception {
        start("3.6");
        Answer a = bearerLogin("admin", "Secret1");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().isObject()).isTrue();
        assertThat(a.json().size()).isZero();
        assertThat(gw.activeTokens()).isZero();
        assertThat(withRefresh("/rest/auth/refresh", "x").status()).isEqualTo(404);
        client.login("admin", "Secret1"); // Basic still works
        assertThat(client.get("/api/version").json().asText()).isEqualTo("3.6");
        assertThat(gw.activeTokens()).isOne();
    }

    @Test
    void a4xGatewayIssuesBearerTokensThatExpireAndAreRefreshed() throws Exception {
        start("4.5");
        assertThat(bearerLogin("admin", "wrong").status()).isEqualTo(401);
        JsonNode tokens = bearerLogin("admin", "Secret1").json();
        String access = tokens.get("access_token").asText();
        String refresh = tokens.get("refresh_token").asText();
        assertThat(tokens.get("expires_in").asLong()).isEqualTo(300);
        assertThat(gw.activeTokens()).isOne();

        client.authorization("Bearer " + access);
        assertThat(client.get("/api/version").json().asText()).isEqualTo("4.5");
        assertThat(client.get("/api/types/System/instances").status()).isEqualTo(200);

        clock.add(Duration.ofMinutes(5));
        Answer expired = client.get("/api/types/System/instances");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.body()).doesNotStartWith("{"); // 4.x: not JSON (lxd)

        JsonNode renewed = withRefresh("/rest/auth/refresh", refresh).json();
        String access2 = renewed.get("access_token").asText();
        assertThat(access2).isNotEqualTo(access);
        client.authorization("Bearer " + access2);
        assertThat(client.get("/api/types/System/instances").status()).isEqualTo(200);
        assertThat(gw.activeTokens()).as("a refresh keeps the session").isOne();
        assertThat(gw.issuedTokens()).contains(access, refresh, access2);
    }

    @Test
    void a4xLogoutEndsTheSessionWith204() throws Exception {
        start("4.5");
        JsonNode tokens = bearerLogin("admin", "Secret1").json();
        String refresh = tokens.get("refresh_token").asText();
        assertThat(withRefresh("/rest/auth/logout", refresh).status()).isEqualTo(204);
        assertThat(gw.activeTokens()).isZero();
        client.authorization("Bearer " + tokens.get("access_token").asText());
        assertThat(client.get("/api/types/System/instances").status()).isEqualTo(401);
        assertThat(withRefresh("/rest/auth/refresh", refresh).status()).isEqualTo(401);
        assertThat(withRefresh("/rest/auth/logout", refresh).status()).isEqualTo(401);
    }

    @Test
    void a4xGatewayStillAnswersApiLoginAndTakesThatTokenAsBearerOnly() throws Exception {
        start("4.5");
        Answer a = client.send("GET", "/api/login", null, GatewayClient.basic("admin", "Secret1"), Map.of());
        assertThat(a.status()).isEqualTo(200);
        client.authorization("Bearer " + a.json().asText());
        assertThat(client.get("/api/types/System/instances").status()).isEqualTo(200);
        client.authorization(GatewayClient.basic("", a.json().asText()));
        assertThat(client.get("/api/types/System/instances").status()).as("as Basic password: refused").isEqualTo(401);
        assertThat(client.get("/api/version").status()).isEqualTo(200);
        assertThat(client.get("/api/logout").status()).isEqualTo(200);
        assertThat(gw.activeTokens()).isZero();
    }

    @Test
    void bearerIsRefusedBeforeVersion4() throws Exception {
        start("3.6");
        String token = client.send("GET", "/api/login", null, GatewayClient.basic("admin", "Secret1"), Map.of()).json().asText();
        client.authorization("Bearer " + token);
        assertThat(client.get("/api/types/System/instances").status()).isEqualTo(401);
    }

    @Test
    void a4xGatewayAnswersNotFoundAs79AndListsAnNvmeHostBeforeTheSdcs() throws Exception {
        gw = ScaleIoGatewayEmulator.builder().credentials("admin", "Secret1").apiVersion("4.5")
                .sdc(SdcSpec.of("7E012974-3651-4DCB-9954-25975A3C3CDF", "10.0.0.2")).start();
        client = new GatewayClient(gw);
        client.authorization("Bearer " + bearerLogin("admin", "Secret1").json().get("access_token").asText());
        Answer miss = client.post("/api/types/Volume/instances/action/queryIdByKey", Map.of("name", "nope"));
        assertThat(miss.json().get("errorCode").asInt()).isEqualTo(79);
        JsonNode hosts = client.get("/api/instances/System::" + gw.systemId() + "/relationships/Sdc").json();
        assertThat(hosts).hasSize(2);
        assertThat(hosts.get(0).get("hostType").asText()).isEqualTo("NVMeHost");
        assertThat(hosts.get(0).has("sdcGuid")).isFalse();
        assertThat(hosts.get(1).get("hostType").asText()).isEqualTo("SdcHost");
        assertThat(client.get("/api/types/Sdc/instances").json()).hasSize(2);
    }

    @Test
    void theRequestLogNeverHoldsARestAuthBody() throws Exception {
        start("4.5");
        String refresh = bearerLogin("admin", "Secret1").json().get("refresh_token").asText();
        withRefresh("/rest/auth/refresh", refresh);
        withRefresh("/rest/auth/logout", refresh);
        assertThat(gw.requests()).hasSize(3);
        assertThat(gw.requests().toString()).doesNotContain("Secret1").doesNotContain(refresh);
    }
}
