package io.libstorage.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.libstorage.core.LibStorage;
import io.libstorage.tck.LibStorageExtension;
import io.libstorage.tck.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Negative cases with the real {@code curl --unix-socket}, the manual client of reference §7. */
@ExtendWith(LibStorageExtension.class)
class CurlUnixSocketTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private DockerVolumePlugin plugin;

    record Result(int status, String body, String stderr) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    @BeforeEach
    void start(LibStorage storage) {
        Prerequisites.requireCommands("curl");
        plugin = DockerVolumePlugin.start(storage, PluginOptions.builder().name("curl-test").socketDirectory(dir).build());
    }

    @AfterEach
    void stop() {
        if (plugin != null) {
            plugin.close();
        }
    }

    private Result curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-v", "--max-time", "30", "--unix-socket",
                plugin.socketPath().toString(), "-w", "\n%{http_code}"));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("curl did not finish: " + cmd);
        }
        String stdout = Files.readString(out);
        int nl = stdout.lastIndexOf('\n');
        return new Result(Integer.parseInt(stdout.substring(nl + 1).strip()), stdout.substring(0, nl), Files.readString(err));
    }

    @Test
    void activateWithoutABody() throws Exception {
        Result r = curl("-X", "POST", "-H", "Accept: application/vnd.docker.plugins.v1.2+json", "http://plugin/Plugin.Activate");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("Implements").get(0).asText()).isEqualTo("VolumeDriver");
        assertThat(r.stderr()).contains("Content-Type: application/vnd.docker.plugins.v1.2+json");
    }

    @Test
    void theReferenceSmokeCommand() throws Exception {
        Result r = curl("-X", "POST", "-d", "{\"Name\":\"x\"}", "http://plugin/VolumeDriver.Get");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.json().get("Err").asText()).isEqualTo("get failed: volume does not exist [operation=get volume=x host=host-1 backend=memory]");
        assertThat(r.json().get("Code").asText()).isEqualTo("VOLUME_NOT_FOUND");
    }

    @Test
    void badJson() throws Exception {
        Result r = curl("-X", "POST", "-H", "Content-Type: application/json", "-d", "{\"Name\":", "http://plugin/VolumeDriver.Create");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("Err").asText()).startsWith("the request body is not valid JSON");
    }

    @Test
    void unknownEndpointAndWrongMethod() throws Exception {
        Result unknown = curl("-X", "POST", "-d", "{}", "http://plugin/NetworkDriver.CreateNetwork");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("Err").asText()).contains("unknown endpoint '/NetworkDriver.CreateNetwork'");
        Result get = curl("http://plugin/VolumeDriver.List");
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.json().get("Err").asText()).contains("must be called with POST, not GET");
    }

    @Test
    void hugeBody() throws Exception {
        Path big = dir.resolve("big.json");
        Files.writeString(big, "{\"Name\":\"" + "y".repeat(3 * 1024 * 1024) + "\"}", StandardCharsets.UTF_8);
        Result r = curl("-X", "POST", "--data-binary", "@" + big, "http://plugin/VolumeDriver.Create");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("Err").asText()).contains("exceeds the limit of 1048576 bytes");
    }

    @Test
    void connectionsAreKeptAlive() throws Exception {
        Result r = curl("-X", "POST", "-d", "{}", "http://plugin/VolumeDriver.List", "http://plugin/VolumeDriver.Capabilities");
        assertThat(r.stderr()).containsPattern("(?i)re-?using existing connection");
        assertThat(r.body()).contains("\"Scope\":\"global\"");
    }
}
