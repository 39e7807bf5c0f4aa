package io.libstorage.benchmarks;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.VolumeSpec;
import io.libstorage.core.LibStorage;
import io.libstorage.docker.DockerPluginClient;
import io.libstorage.docker.DockerVolumePlugin;
import io.libstorage.docker.PluginOptions;
import io.libstorage.emulator.scaleio.RequestRecord;
import io.libstorage.emulator.scaleio.ScaleIoGatewayEmulator;
import io.libstorage.emulator.scaleio.SdcAgent;
import io.libstorage.emulator.scaleio.SdcSpec;
import io.libstorage.emulator.scaleio.SystemSpec;
import io.libstorage.spi.support.FileTrees;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Gateway calls per operation of the ScaleIO driver through the whole library (LibStorage, the Linux OS driver, real
 * loop devices: root), the Docker plugin and what a command-line run does (a new library over the same state root),
 * counted from the emulator's request log. Uses only public API, so the same program measures any commit. Run:
 * {@code java -cp <classpath> io.libstorage.benchmarks.ScaleIoCallsPerOperation}.
 */
public final class ScaleIoCallsPerOperation {
    private static final String PASSWORD = "bench-Password1";

    private final ScaleIoGatewayEmulator gw;
    private final Path dir;
    private final String guid;
    private final String otherGuid;

    private ScaleIoCallsPerOperation(ScaleIoGatewayEmulator gw, Path dir, String guid, String otherGuid) {
        this.gw = gw;
        this.dir = dir;
        this.guid = guid;
        this.otherGuid = otherGuid;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "libstorage-bench-calls-").toRealPath();
        String guid = UUID.randomUUID().toString().toUpperCase();
        String other = UUID.randomUUID().toString().toUpperCase();
        try (ScaleIoGatewayEmulator gw = ScaleIoGatewayEmulator.builder()
                .credentials("admin", PASSWORD)
                .system(SystemSpec.named("cluster1").withProtectionDomain("pd1", "pool1"))
                .sdc(SdcSpec.of(guid, "10.0.0.2")).sdc(SdcSpec.of(other, "10.0.0.3"))
                .hostRoot(dir.resolve("hosts")).dataDir(dir.resolve("gw")).dataPath(true)
                .start();
             SdcAgent agent = SdcAgent.connect("127.0.0.1", gw.mdmPort(), guid);
             SdcAgent otherAgent = SdcAgent.connect("127.0.0.1", gw.mdmPort(), other)) {
            new ScaleIoCallsPerOperation(gw, dir, guid, other).measure();
        } finally {
            FileTrees.deleteTree(dir);
        }
    }

    /** A library as one process builds it: this host's (or the other host's) state root, the same each time. */
    private LibStorage build(String host) throws Exception {
        String g = host.equals("local") ? guid : otherGuid;
        Path pem = dir.resolve("gw.pem");
        if (!Files.exists(pem)) {
            Files.writeString(pem, gw.certificatePem());
        }
        LibStorage.Builder b = LibStorage.builder().storageDriver("scaleio").osDriver("linux")
                .stateRoot(dir.resolve("state-" + host)).deviceWaitTimeout(Duration.ofSeconds(30));
        Map<String, String> options = new LinkedHashMap<>();
        options.put("endpoint", gw.endpoint() + "/api");
        options.put("caCertificate", pem.toString());
        options.put("userName", "admin");
        options.put("password", PASSWORD);
        options.put("systemName", "cluster1");
        options.put("protectionDomainName", "pd1");
        options.put("storagePoolName", "pool1");
        options.put("guid", g);
        options.put("deviceDir", gw.sdc(g).deviceDir().toString());
        options.put("stateDir", dir.resolve("state-" + host).resolve("scaleio").toString());
        options.forEach(b::storageOption);
        return b.build();
    }

    private void measure() throws Exception {
        VolumeSpec gib = VolumeSpec.builder().sizeBytes(1L << 30).build();
        ConsumerId a = ConsumerId.of("a");
        try (LibStorage elsewhere = build("other")) {
            for (String name : List.of("cold", "cli", "dock", "gone", "gone2")) {
                elsewhere.create(name, gib);
            }
        }
        System.out.printf("%-78s %5s  %s%n", "operation", "calls", "gateway calls");

        // one command-line run each: a new library over the same state root
        LibStorage first = count("CLI run: start-up (build the library)", () -> build("local"));
        count("CLI run: mount of an unattached volume this host never saw (start-up + mount)",
                () -> first.mount("cli", a, MountOptions.DEFAULT));
        first.close();
        LibStorage second = count("CLI run: start-up again", () -> build("local"));
        count("CLI run: repeated mount of a volume mounted here", () -> second.mount("cli", a, MountOptions.DEFAULT));
        second.close();

        // a long-running process (the Docker plugin's, or an embedding program's)
        try (LibStorage storage = build("local")) {
            storage.list();
            storage.unmount("cli", a);
            count("cold mount of an unattached volume this host never saw", () -> storage.mount("cold", a, MountOptions.DEFAULT));
            count("repeated mount, same consumer", () -> storage.mount("cold", a, MountOptions.DEFAULT));
            count("unmount of the last consumer (unmount, detach)", () -> {
                storage.unmount("cold", a);
                return null;
            });
            count("cold mount of a volume this host has seen (id known)", () -> storage.mount("cold", a, MountOptions.DEFAULT));
            storage.unmount("cold", a);
            count("remove of a volume this host never saw", () -> {
                storage.remove("gone", RemoveOptions.DEFAULT);
                return null;
            });
            storage.inspect("gone2");
            gw.resetRequestLog();
            count("remove of a volume this host has seen", () -> {
                storage.remove("gone2", RemoveOptions.DEFAULT);
                return null;
            });

            String id = "6f2e9d1c" + "0".repeat(56);
            try (DockerVolumePlugin plugin = DockerVolumePlugin.start(storage,
                    PluginOptions.builder().name("sio").socketDirectory(dir.resolve("plugins")).build());
                 DockerPluginClient docker = DockerPluginClient.connect(plugin.socketPath(), Duration.ofSeconds(60))) {
                count("Docker Get of an unmounted volume", () -> docker.get("dock"));
                count("Docker Mount (cold)", () -> docker.mount("dock", id));
                count("Docker Mount of the mounted volume (repeated)", () -> docker.mount("dock", id));
                count("Docker Get of the mounted volume", () -> docker.get("dock"));
                count("Docker Path", () -> docker.path("dock"));
                count("Docker Unmount (last consumer: unmount, detach)", () -> {
                    docker.unmount("dock", id);
                    return null;
                });
            }
        }
    }

    private <T> T count(String what, Callable<T> action) throws Exception {
        gw.resetRequestLog();
        T result = action.call();
        List<String> calls = gw.requests().stream().map(RequestRecord::endpoint).map(ScaleIoCallsPerOperation::shortName).toList();
        System.out.printf("%-78s %5d  %s%n", what, calls.size(), String.join(", ", calls));
        return result;
    }

    private static String shortName(String endpoint) {
        String e = endpoint.replace("/api/instances/", "").replace("/api/types/", "").replace("/instances/action/", " ")
                .replace("/action/", " ").replace("/relationships/", " ");
        return e.startsWith("GET Volume::{id}") ? "GET Volume" : e;
    }
}
