package io.libstorage.emulator.scaleio;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code java -jar ...-all.jar}: starts, serves HTTPS with the printed certificate, stops cleanly on SIGTERM. */
class StandaloneJarIT {
    @TempDir
    Path tmp;
    private Process process;

    @AfterEach
    void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Path shadedJar() throws Exception {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "scaleio-gateway-emulator-*-all.jar")) {
            for (Path p : jars) {
                return p;
            }
        }
        throw new AssertionError("no shaded jar under target/ (run the package phase)");
    }

    @Test
    void runsFromTheShadedJar() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path data = tmp.resolve("data");
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-jar", shadedJar().toString(), "--port", "0", "--data-dir", data.toString(),
                "--password-env", "GW_PASSWORD", "--sdc", "7E012974-3651-4DCB-9954-25975A3C3CDF,10.0.0.5,host-a"))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("GW_PASSWORD", "Pa55word");
        process = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertThat(first).startsWith("ScaleIO gateway emulator listening on https://127.0.0.1:");
        URI api = URI.create(first.substring(first.indexOf("https://")));

        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        byte[] pem = Files.readAllBytes(data.resolve("tls/gateway.pem"));
        trust.setCertificateEntry("gw", CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem)));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(api + "/login"))
                .header("Authorization", GatewayClient.basic("admin", "Pa55word")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        String token = GatewayClient.JSON.readTree(login.body()).asText();
        HttpResponse<String> sdcs = http.send(HttpRequest.newBuilder(URI.create(api + "/types/Sdc/instances"))
                .header("Authorization", GatewayClient.basic("", token)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(GatewayClient.JSON.readTree(sdcs.body()).get(0).get("name").asText()).isEqualTo("host-a");

        process.destroy(); // SIGTERM: the shutdown hook closes the emulator
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Map.of("exit", process.exitValue())).containsEntry("exit", 143);
    }
}
