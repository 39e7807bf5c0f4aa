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
    private Process sdc;

    @AfterEach
    void stop() throws Exception {
        for (Process p : new Process[] {sdc, process}) {
            if (p != null && p.isAlive()) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
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

    /** Item 3 of issue 11: a host's SDC is one command of the same jar, and the emulator says which at start. */
    @Test
    void aHostsSdcIsOneCommandOfTheSameJarAndTheEmulatorPrintsIt() throws Exception {
        String guid = "7E012974-3651-4DCB-9954-25975A3C3CDF";
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(List.of(java, "-jar", shadedJar().toString(), "--port", "0", "--no-tls", "--data-dir",
                tmp.resolve("data").toString(), "--sdc", guid + ",10.0.0.5,host-a")).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                .lines().forEach(lines::add));
        reader.setDaemon(true);
        reader.start();
        String first = lines.poll(60, TimeUnit.SECONDS);
        URI admin = URI.create(first.substring(first.indexOf("http://")).replace("/api", "/admin/sdcs"));
        String hint = lines.poll(30, TimeUnit.SECONDS);
        while (hint != null && !hint.strip().startsWith("java -jar ")) {
            hint = lines.poll(30, TimeUnit.SECONDS);
        }
        hint = hint == null ? null : hint.strip();
        assertThat(hint).as("the start-up output names the SDC command").isNotNull().contains(" sdc --mdm 127.0.0.1:").endsWith("--guid <GUID>");
        List<String> command = new java.util.ArrayList<>(List.of(hint.replace("<GUID>", guid).split(" ")));
        command.set(0, java);

        sdc = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(new BufferedReader(new InputStreamReader(sdc.getInputStream(), StandardCharsets.UTF_8)).readLine())
                .isEqualTo("CONNECTED " + guid);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        SdcConnectivityTest.await(() -> state(http, admin).equals("Connected"), "Connected while the host's SDC runs");
        sdc.destroyForcibly(); // the host dies
        assertThat(sdc.waitFor(30, TimeUnit.SECONDS)).isTrue();
        SdcConnectivityTest.await(() -> state(http, admin).equals("Disconnected"), "Disconnected when the host's SDC dies");
    }

    private static String state(HttpClient http, URI admin) {
        try {
            String body = http.send(HttpRequest.newBuilder(admin).build(), HttpResponse.BodyHandlers.ofString()).body();
            return GatewayClient.JSON.readTree(body).get(0).get("mdmConnectionState").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
