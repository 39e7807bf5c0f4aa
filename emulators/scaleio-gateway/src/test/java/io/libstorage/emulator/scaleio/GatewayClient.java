package io.libstorage.emulator.scaleio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** A minimal real HTTPS client for protocol tests: JDK HttpClient trusting only the emulator's certificate. */
final class GatewayClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI base;
    private String authorization;

    /** One HTTP answer. */
    record Answer(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    GatewayClient(ScaleIoGatewayEmulator emulator) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (emulator.certificate() != null) {
            b.sslContext(emulator.sslContext());
        }
        this.http = b.build();
        this.base = emulator.endpoint();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Logs in and uses {@code :token} (the goscaleio form, empty user) from now on. */
    GatewayClient login(String user, String password) {
        Answer a = send("GET", "/api/login", null, basic(user, password), Map.of());
        if (a.status() != 200) {
            throw new AssertionError("login failed: " + a.status() + " " + a.body());
        }
        authorization = basic("", a.json().asText());
        return this;
    }

    GatewayClient authorization(String header) {
        this.authorization = header;
        return this;
    }

    Answer get(String path) {
        return send("GET", path, null, authorization, Map.of());
    }

    Answer post(String path, String jsonBody) {
        return send("POST", path, jsonBody, authorization, Map.of("Content-Type", "application/json;version=2.0"));
    }

    Answer post(String path, Map<String, ?> body) {
        try {
            return post(path, JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    Answer send(String method, String path, String body, String auth, Map<String, String> headers) {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            r.header("Authorization", auth);
        }
        headers.forEach(r::header);
        try {
            HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(resp.statusCode(), resp.body(), resp);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Creates a volume and returns its id (fails the test otherwise). */
    String createVolume(String name, long sizeKb, String poolId) {
        Answer a = post("/api/types/Volume/instances", Map.of("name", name, "volumeSizeInKb", Long.toString(sizeKb),
                "storagePoolId", poolId, "volumeType", "ThinProvisioned"));
        if (a.status() != 200) {
            throw new AssertionError("create failed: " + a.status() + " " + a.body());
        }
        return a.json().get("id").asText();
    }

    JsonNode volume(String id) {
        Answer a = get("/api/instances/Volume::" + id);
        if (a.status() != 200) {
            throw new AssertionError("get volume failed: " + a.status() + " " + a.body());
        }
        return a.json();
    }

    String poolId(String name) {
        for (JsonNode p : get("/api/types/StoragePool/instances").json()) {
            if (p.get("name").asText().equals(name)) {
                return p.get("id").asText();
            }
        }
        throw new AssertionError("no pool " + name);
    }
}
