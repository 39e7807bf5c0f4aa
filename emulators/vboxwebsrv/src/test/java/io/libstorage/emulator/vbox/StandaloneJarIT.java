package io.libstorage.emulator.vbox;

import io.libstorage.tck.LoopDeviceSweeper;
import io.libstorage.tck.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code java -jar ...-all.jar}: prints its endpoint, serves SOAP, stops cleanly on SIGTERM; a SIGKILLed run is cleaned up by the next. */
class StandaloneJarIT {
    @TempDir
    Path tmp;
    private Process process;

    @AfterEach
    void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        LoopDeviceSweeper.sweep(tmp);
    }

    private static Path shadedJar() throws Exception {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target"), "vboxwebsrv-emulator-*-all.jar")) {
            for (Path p : jars) {
                return p;
            }
        }
        throw new AssertionError("no shaded jar under target/ (run the package phase)");
    }

    private URI launch(String... flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                shadedJar().toString(), "--port", "0"));
        cmd.addAll(List.of(flags));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("VBOX_PASSWORD", "s3cret");
        process = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertThat(first).startsWith("VirtualBox web service emulator listening on http://127.0.0.1:");
        return URI.create(first.substring(first.indexOf("http://")));
    }

    private static String post(URI endpoint, String envelope) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(endpoint)
                .POST(HttpRequest.BodyPublishers.ofString(envelope)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    private static String value(String body) {
        Matcher m = Pattern.compile("<returnval>(.*?)</returnval>").matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return m.group(1);
    }

    @Test
    void runsFromTheShadedJarAndStopsOnSigterm() throws Exception {
        URI endpoint = launch("--user", "vbox", "--password-env", "VBOX_PASSWORD", "--vm", "host-a,mac=080027000001");
        String vboxRef = value(post(endpoint, SoapClient.envelope("IWebsessionManager_logon", "username", "vbox", "password", "s3cret")));
        String machine = value(post(endpoint, SoapClient.envelope("IVirtualBox_findMachine", "_this", vboxRef, "nameOrId", "host-a")));
        assertThat(value(post(endpoint, SoapClient.envelope("IMachine_getState", "_this", machine)))).isEqualTo("Running");

        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(143);
    }

    @Test
    void aKilledRunsLoopDevicesAndLinksAreRemovedByTheNextStartInTheSameDataDir() throws Exception {
        Prerequisites.requireLoopDevices();
        Path byId = tmp.resolve("a/by-id");
        Path data = tmp.resolve("data");
        URI endpoint = launch("--data-dir", data.toString(), "--data-path", "--vm", "host-a,bootDisk=false,diskIdPath=" + byId);
        String vboxRef = value(post(endpoint, SoapClient.envelope("IWebsessionManager_logon")));
        String medium = value(post(endpoint, SoapClient.envelope("IVirtualBox_createMedium", "_this", vboxRef, "format", "vmdk",
                "location", tmp.resolve("vols/v1").toString(), "accessMode", "ReadWrite", "aDeviceTypeType", "HardDisk")));
        String progress = value(post(endpoint, SoapClient.envelope("IMedium_createBaseStorage", "_this", medium, "logicalSize", "67108864")));
        post(endpoint, SoapClient.envelope("IProgress_waitForCompletion", "_this", progress, "timeout", "-1"));
        String machine = value(post(endpoint, SoapClient.envelope("IVirtualBox_findMachine", "_this", vboxRef, "nameOrId", "host-a")));
        String session = value(post(endpoint, SoapClient.envelope("IWebsessionManager_getSessionObject", "refIVirtualBox", vboxRef)));
        post(endpoint, SoapClient.envelope("IMachine_lockMachine", "_this", machine, "session", session, "lockType", "Shared"));
        String mutable = value(post(endpoint, SoapClient.envelope("ISession_getMachine", "_this", session)));
        post(endpoint, SoapClient.envelope("IMachine_attachDevice", "_this", mutable, "name", "SATA", "controllerPort", "1",
                "device", "0", "type", "HardDisk", "medium", medium));
        assertThat(LoopDeviceSweeper.devicesUnder(tmp.resolve("vols"))).hasSize(1);
        List<Path> links;
        try (var s = Files.list(byId)) {
            links = s.toList();
        }
        assertThat(links).hasSize(1);

        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
        assertThat(LoopDeviceSweeper.devicesUnder(tmp.resolve("vols"))).hasSize(1);

        try (VboxWebServiceEmulator next = VboxWebServiceEmulator.builder().dataDir(data).dataPath(true).start()) {
            assertThat(LoopDeviceSweeper.devicesUnder(tmp.resolve("vols"))).isEmpty();
            assertThat(Files.exists(links.get(0), LinkOption.NOFOLLOW_LINKS)).isFalse();
        }
    }
}
