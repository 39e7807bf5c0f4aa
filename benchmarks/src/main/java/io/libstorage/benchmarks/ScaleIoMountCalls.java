package io.libstorage.benchmarks;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.VolumeSpec;
import io.libstorage.core.LibStorage;
import io.libstorage.emulator.scaleio.ScaleIoGatewayEmulator;
import io.libstorage.emulator.scaleio.SdcAgent;
import io.libstorage.emulator.scaleio.SdcSpec;
import io.libstorage.emulator.scaleio.SystemSpec;
import io.libstorage.spi.support.FileTrees;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * Gateway round trips of whole mount-pipeline operations through {@link LibStorage} with the
 * ScaleIO driver and the Linux OS driver, against the emulator with real loop devices (root):
 * a cold mount of an existing volume, a repeated mount, a second consumer, an unmount of a
 * non-last and of the last consumer. Counted from the emulator's request log.
 */
public final class ScaleIoMountCalls {
    private ScaleIoMountCalls() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("libstorage-bench-sio-");
        String guid = UUID.randomUUID().toString().toUpperCase();
        try (ScaleIoGatewayEmulator gw = ScaleIoGatewayEmulator.builder()
                .credentials("admin", "bench-Password1")
                .system(SystemSpec.named("cluster1").withProtectionDomain("pd1", "pool1"))
                .sdc(SdcSpec.of(guid, "10.0.0.2"))
                .hostRoot(dir.resolve("hosts")).dataDir(dir.resolve("gw")).dataPath(true)
                .start();
             SdcAgent agent = SdcAgent.connect("127.0.0.1", gw.mdmPort(), guid)) {
            Path pem = dir.resolve("gw.pem");
            Files.writeString(pem, gw.certificatePem());
            LibStorage.Builder b = LibStorage.builder().storageDriver("scaleio").osDriver("linux").stateRoot(dir.resolve("state"));
            Map.of("endpoint", gw.endpoint() + "/api", "caCertificate", pem.toString(), "userName", "admin",
                    "password", "bench-Password1", "systemName", "cluster1", "protectionDomainName", "pd1",
                    "storagePoolName", "pool1", "guid", guid, "deviceDir", gw.sdc(guid).deviceDir().toString(),
                    "stateDir", dir.resolve("sio-state").toString()).forEach(b::storageOption);
            try (LibStorage storage = b.build()) {
                count(gw, "create (the gateway keeps no filesystem: formatted at create, its record written inside it)",
                        () -> storage.create("pgdata", VolumeSpec.builder().sizeBytes(1L << 30).build()));
                count(gw, "cold mount of an existing, unattached volume (formatted at create)",
                        () -> storage.mount("pgdata", ConsumerId.of("a"), MountOptions.DEFAULT));
                count(gw, "repeated mount, same consumer", () -> storage.mount("pgdata", ConsumerId.of("a"), MountOptions.DEFAULT));
                count(gw, "mount for a second consumer", () -> storage.mount("pgdata", ConsumerId.of("b"), MountOptions.DEFAULT));
                count(gw, "unmount of one of two consumers", () -> {
                    storage.unmount("pgdata", ConsumerId.of("b"));
                    return null;
                });
                count(gw, "unmount of the last consumer (unmount, detach)", () -> {
                    storage.unmount("pgdata", ConsumerId.of("a"));
                    return null;
                });
                count(gw, "cold mount of an existing, formatted volume", () -> storage.mount("pgdata", ConsumerId.of("a"), MountOptions.DEFAULT));
                count(gw, "inspect by name", () -> storage.inspect("pgdata"));
                storage.unmount("pgdata", ConsumerId.of("a"));
            }
        } finally {
            FileTrees.deleteTree(dir);
        }
    }

    private static void count(ScaleIoGatewayEmulator gw, String what, java.util.concurrent.Callable<?> action) throws Exception {
        gw.resetRequestLog();
        long t0 = System.nanoTime();
        action.call();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("%-62s %2d gateway calls %s (%d ms)%n", what, gw.requestCount(), gw.requestCounts().keySet(), ms);
    }
}
