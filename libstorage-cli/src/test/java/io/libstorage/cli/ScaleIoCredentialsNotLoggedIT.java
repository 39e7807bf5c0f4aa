package io.libstorage.cli;

import io.libstorage.emulator.scaleio.FaultRule;
import io.libstorage.emulator.scaleio.ScaleIoGatewayEmulator;
import io.libstorage.emulator.scaleio.SdcAgent;
import io.libstorage.emulator.scaleio.SdcSpec;
import io.libstorage.emulator.scaleio.SystemSpec;
import io.libstorage.tck.Prerequisites;
import io.libstorage.tck.SecretLeaks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged command on the ScaleIO driver at its most verbose ({@code -v}, {@code LIBSTORAGE_LOG_LEVEL=trace},
 * {@code libstorage.logging.level: debug}), through logins and a re-login after a 401: nothing it prints holds the
 * gateway password or a session token in any encoding; and no run leaves its session live on the gateway.
 */
class ScaleIoCredentialsNotLoggedIT {
    private static final String PASSWORD = "S3cr3t:p@ss/w+rd=%!";
    private static final String GUID = "5E9A1C2B-3D4F-4A6B-8C7D-9E0F1A2B3C4D";

    private Launcher launcher;
    private ScaleIoGatewayEmulator gateway;
    private SdcAgent sdc;

    @BeforeEach
    void setUp() throws Exception {
        // a create on ScaleIO formats the volume (the gateway keeps no filesystem), so this needs real devices
        Prerequisites.requireLoopDevices();
        Prerequisites.requireCommands("mkfs.ext4");
        launcher = new Launcher();
        gateway = ScaleIoGatewayEmulator.builder()
                .credentials("admin", PASSWORD)
                .system(SystemSpec.named("cluster1").withProtectionDomain("pd1", "pool1"))
                .sdc(SdcSpec.of(GUID, "10.0.0.2"))
                .hostRoot(launcher.dir.resolve("hosts"))
                .dataDir(launcher.dir.resolve("gateway"))
                .dataPath(true)
                .start();
        sdc = SdcAgent.connect("127.0.0.1", gateway.mdmPort(), GUID);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!gateway.sdc(GUID).state().name().equals("CONNECTED") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Path pem = Files.writeString(launcher.dir.resolve("gateway.pem"), gateway.certificatePem());
        writeConfig(pem, "");
        launcher.env.remove("LIBSTORAGE_LOG_LEVEL");
    }

    private void writeConfig(Path pem, String logging) throws Exception {
        Files.writeString(launcher.config, "libstorage:\n  service: scaleio\n  stateRoot: " + launcher.dir.resolve("state") + "\n"
                + logging
                + "scaleio:\n"
                + "  endpoint: " + gateway.endpoint() + "/api\n"
                + "  caCertificate: " + pem + "\n"
                + "  userName: admin\n"
                + "  password: '" + PASSWORD + "'\n"
                + "  systemName: cluster1\n"
                + "  protectionDomainName: pd1\n"
                + "  storagePoolName: pool1\n"
                + "  guid: " + GUID + "\n"
                + "  deviceDir: " + gateway.sdc(GUID).deviceDir() + "\n"
                + "  stateDir: " + launcher.dir.resolve("state/scaleio") + "\n");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (sdc != null) {
            sdc.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (launcher != null) {
            launcher.close();
        }
    }

    @Test
    void noVerbositySwitchPrintsThePasswordOrAToken() throws Exception {
        List<Launcher.Run> runs = new ArrayList<>();
        runs.add(launcher.libstorage("-v", "volume", "create", "quiet", "--size", "1"));
        launcher.env.put("LIBSTORAGE_LOG_LEVEL", "trace");
        runs.add(launcher.libstorage("volume", "ls"));
        launcher.env.remove("LIBSTORAGE_LOG_LEVEL");
        writeConfig(launcher.dir.resolve("gateway.pem"), "  logging:\n    level: debug\n");
        gateway.addFault(FaultRule.unauthorized("/api/instances/Volume::")); // a 401 in the middle: one re-login
        runs.add(launcher.libstorage("volume", "inspect", "quiet"));
        runs.add(launcher.libstorage("-v", "volume", "rm", "quiet"));

        for (Launcher.Run r : runs) {
            assertThat(r.exit()).as(r.toString()).isZero();
        }
        assertThat(runs.get(0).err()).as("-v logs at debug").contains("DEBUG");
        assertThat(runs.get(1).err()).as("trace reaches HttpClient").contains("MainClientExec");
        assertThat(runs.get(2).err()).contains("logging in again");
        List<String> tokens = gateway.issuedTokens();
        assertThat(tokens).as("one login per command, and the re-login").hasSize(5);

        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("password", PASSWORD);
        for (int i = 0; i < tokens.size(); i++) {
            secrets.put("token " + (i + 1), tokens.get(i));
        }
        StringBuilder all = new StringBuilder();
        runs.forEach(r -> all.append(r.out()).append('\n').append(r.err()).append('\n'));
        assertThat(SecretLeaks.find(all.toString(), secrets)).isEmpty();
    }

    @Test
    void theServiceAtTraceAndTheThinClientThroughItPrintNoPasswordOrToken() throws Exception {
        Path plugins = Files.createDirectories(launcher.dir.resolve("plugins"));
        Path log = launcher.dir.resolve("service.log");
        ProcessBuilder pb = launcher.builder(launcher.bin("libstorage"), "service", "start", "--socket-dir", plugins.toString(),
                "--no-reconcile");
        pb.environment().put("LIBSTORAGE_LOG_LEVEL", "trace");
        pb.redirectOutput(log.toFile()).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process service = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(plugins.resolve("libstorage.sock"))) {
                assertThat(service.isAlive()).as(Files.readString(log)).isTrue();
                assertThat(System.nanoTime()).as("no socket after 60 s: " + Files.readString(log)).isLessThan(deadline);
                Thread.sleep(50);
            }
            List<Launcher.Run> runs = new ArrayList<>();
            runs.add(launcher.dvdcli("mount", "--volumedriver=libstorage", "--volumename=thin-vol", "--volumeopts=size=1"));
            runs.add(launcher.libstorage("volume", "ls"));
            runs.add(launcher.libstorage("volume", "inspect", "thin-vol"));
            runs.add(launcher.dvdcli("list", "--volumedriver=libstorage"));
            runs.add(launcher.dvdcli("unmount", "--volumedriver=libstorage", "--volumename=thin-vol"));
            runs.add(launcher.dvdcli("remove", "--volumedriver=libstorage", "--volumename=thin-vol"));
            for (Launcher.Run r : runs) {
                assertThat(r.exit()).as(r.toString()).isZero();
            }
            assertThat(runs.get(1).out()).as("the thin client's ls, answered by the service").contains("thin-vol");
        } finally {
            service.destroy();
            assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        String serviceLog = Files.readString(log);
        assertThat(serviceLog).as("the service ran at trace: third-party loggers reached too").contains("InternalHttpClient");
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("password", PASSWORD);
        List<String> tokens = gateway.issuedTokens();
        assertThat(tokens).as("the service logged in").isNotEmpty();
        for (int i = 0; i < tokens.size(); i++) {
            secrets.put("token " + (i + 1), tokens.get(i));
        }
        assertThat(SecretLeaks.find(serviceLog, secrets)).isEmpty();
    }

    @Test
    void noRunLeavesASessionLiveOnTheGateway() throws Exception {
        for (int run = 0; run < 5; run++) {
            Launcher.Run r = launcher.libstorage("volume", "ls");
            assertThat(r.exit()).as(r.toString()).isZero();
        }
        assertThat(gateway.issuedTokens()).as("one login per run").hasSize(5);
        assertThat(gateway.activeTokens()).as("sessions still live on the gateway after 5 runs").isZero();
    }
}
