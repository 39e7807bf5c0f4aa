package io.libstorage.emulator.scaleio;

import io.libstorage.emulator.scaleio.GatewayClient.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuthProtocolTest {
    private static final String UNAUTHORIZED = "{\"message\":\"Unauthorized\",\"httpStatusCode\":401,\"errorCode\":0}";

    private final MutableClock clock = MutableClock.of(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private ScaleIoGatewayEmulator gw;
    private GatewayClient client;

    @BeforeEach
    void start() throws Exception {
        gw = ScaleIoGatewayEmulator.builder().credentials("admin", "Secret1").clock(clock)
                .tokenExpiry(Duration.ofMinutes(10), Duration.ofHours(8)).start();
        client = new GatewayClient(gw);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void loginReturnsAQuotedJsonStringToken() {
        Answer a = client.send("GET", "/api/login", null, GatewayClient.basic("admin", "Secret1"), Map.of());
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).startsWith("\"").endsWith("\"");
        assertThat(a.json().isTextual()).isTrue();
        assertThat(a.json().asText()).isNotBlank().doesNotContain("Secret1");
    }

    @Test
    void badCredentialsGetTheExactUnauthorizedBodyAndHeader() {
        Answer a = client.send("GET", "/api/login", null, GatewayClient.basic("admin", "wrong"), Map.of());
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.body()).isEqualTo(UNAUTHORIZED);
        assertThat(a.header("WWW-Authenticate")).isEqualTo("Basic realm=Restricted");

        Answer noAuth = client.send("GET", "/api/login", null, null, Map.of());
        assertThat(noAuth.status()).isEqualTo(401);
        assertThat(noAuth.body()).isEqualTo(UNAUTHORIZED);
    }

    @Test
    void everyOtherCallNeedsAValidTokenWithAnyUserName() {
        assertThat(client.get("/api/types/System/instances").status()).isEqualTo(401);
        assertThat(client.get("/api/types/System/instances").body()).isEqualTo(UNAUTHORIZED);
        String token = client.send("GET", "/api/login", null, GatewayClient.basic("admin", "Secret1"), Map.of()).json().asText();

        client.authorization(GatewayClient.basic("", token));
        assertThat(client.get("/api/types/System/instances").status()).isEqualTo(200);
        client.authorization(GatewayClient.basic("admin", token));
        assertThat(client.get("/api/types/System/instances").status()).isEqualTo(200);
        client.authorization(GatewayClient.basic("someone-else", token));
        assertThat(client.get("/api/types/System/instances").status()).isEqualTo(200);
        client.authorization(GatewayClient.basic("admin", "Secret1"));
        assertThat(client.get("/api/types/System/instances").status()).isEqualTo(401);
        client.authorization("Bearer " + token);
        assertThat(client.get("/api/types/System/instances").status()).isEqualTo(401);
    }

    @Test
    void tokensExpireAfterTenIdleMinutesButUseKeepsThemAlive() {
        client.login("admin", "Secret1");
        clock.add(Duration.ofMinutes(9));
        assertThat(client.get("/api/version").status()).isEqualTo(200);
        clock.add(Duration.ofMinutes(9));
        assertThat(client.get("/api/version").status()).isEqualTo(200);
        clock.add(Duration.ofMinutes(10));
        Answer expired = client.get("/api/version");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.body()).isEqualTo(UNAUTHORIZED);
    }

    @Test
    void tokensExpireAfterTheAbsoluteLifetimeEvenWhenUsed() {
        client.login("admin", "Secret1");
        for (int i = 0; i < 47; i++) {
            clock.add(Duration.ofMinutes(10).minusSeconds(1));
            assertThat(client.get("/api/version").status()).as("use %d", i).isEqualTo(200);
        }
        clock.add(Duration.ofMinutes(10));
        assertThat(client.get("/api/version").status()).isEqualTo(401);
    }

    @Test
    void restartInvalidatesEveryTokenAndReloginWorks() {
        GatewayClient other = new GatewayClient(gw).login("admin", "Secret1");
        client.login("admin", "Secret1");
        assertThat(gw.activeTokens()).isEqualTo(2);
        gw.restart();
        assertThat(client.get("/api/version").status()).isEqualTo(401);
        assertThat(other.get("/api/version").status()).isEqualTo(401);
        client.login("admin", "Secret1");
        assertThat(client.get("/api/version").status()).isEqualTo(200);
    }

    @Test
    void logoutInvalidatesOnlyThatToken() {
        GatewayClient other = new GatewayClient(gw).login("admin", "Secret1");
        client.login("admin", "Secret1");
        assertThat(client.get("/api/logout").status()).isEqualTo(200);
        assertThat(client.get("/api/version").status()).isEqualTo(401);
        assertThat(other.get("/api/version").status()).isEqualTo(200);
    }

    @Test
    void versionIsAnAuthenticatedJsonString() {
        assertThat(client.get("/api/version").status()).isEqualTo(401);
        client.login("admin", "Secret1");
        Answer a = client.get("/api/version");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEqualTo("\"2.0\"");
    }

    @Test
    void versionHeaderWithPatchLevelIsRefusedAsOnRealGateways() {
        client.login("admin", "Secret1");
        Map<String, String> good = Map.of("Accept", "application/json; version=2.0");
        assertThat(client.send("GET", "/api/types/System/instances", null, authOf(client), good).status()).isEqualTo(200);
        Map<String, String> bad = Map.of("Accept", "application/json;version=2.0.1");
        assertThat(client.send("GET", "/api/types/System/instances", null, authOf(client), bad).status()).isEqualTo(404);
    }

    @Test
    void theRequestLogShowsTheApiVersionEachCallAskedFor() {
        client.login("admin", "Secret1");
        gw.resetRequestLog();
        client.send("GET", "/api/types/System/instances", null, authOf(client), Map.of("Accept", "application/json;version=3.5"));
        client.send("GET", "/api/types/System/instances", null, authOf(client), Map.of("Accept", "application/json"));
        assertThat(gw.requests().stream().filter(r -> r.path().equals("/api/types/System/instances")).map(RequestRecord::apiVersion))
                .containsExactly("3.5", "");
    }

    private String authOf(GatewayClient c) {
        // the client keeps its header private; re-login to get one for raw sends
        String token = c.send("GET", "/api/login", null, GatewayClient.basic("admin", "Secret1"), Map.of()).json().asText();
        return GatewayClient.basic("", token);
    }

    @Test
    void nonJsonUnauthorizedModeImitatesPowerFlex4() {
        gw.setNonJsonUnauthorized(true);
        Answer a = client.send("GET", "/api/login", null, GatewayClient.basic("admin", "nope"), Map.of());
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.body()).doesNotStartWith("{");
        assertThat(a.header("WWW-Authenticate")).isEqualTo("Basic realm=Restricted");
    }

    @Test
    void versionWithoutAuthForOldClients() throws Exception {
        try (ScaleIoGatewayEmulator old = ScaleIoGatewayEmulator.builder().versionRequiresAuth(false).apiVersion("2.5").start()) {
            Answer a = new GatewayClient(old).get("/api/version");
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body()).isEqualTo("\"2.5\"");
        }
    }

    @Test
    void certificateNamesLocalhostAndLoopback() throws Exception {
        var names = gw.certificate().getSubjectAlternativeNames();
        assertThat(names).extracting(l -> l.get(1).toString()).contains("localhost", "127.0.0.1");
        assertThat(gw.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
    }
}
