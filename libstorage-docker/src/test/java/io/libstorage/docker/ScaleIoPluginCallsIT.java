package io.libstorage.docker;

import io.libstorage.core.LibStorage;
import io.libstorage.emulator.scaleio.ScaleIoGatewayEmulator;
import io.libstorage.emulator.scaleio.SdcAgent;
import io.libstorage.emulator.scaleio.SdcSpec;
import io.libstorage.emulator.scaleio.SystemSpec;
import io.libstorage.tck.LoopDeviceSweeper;
import io.libstorage.tck.Prerequisites;
import io.libstorage.spi.support.FileTrees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin over the ScaleIO driver and the Linux OS driver, against the gateway emulator with real loop
 * devices: what dockerd sends around a container start of a volume that is mounted already (a repeated
 * Mount, Get, Path) costs no gateway call, counted in the emulator's request log.
 */
class ScaleIoPluginCallsIT {
    private static final String ID_A = "46b79d9c" + "0".repeat(56);
    private static final String PASSWORD = "plugin-Password1";

    private Path dir;
    private ScaleIoGatewayEmulator gateway;
    private SdcAgent sdc;
    private LibStorage storage;
    private DockerVolumePlugin plugin;
    private RawHttp http;

    @BeforeEach
    void start() throws Exception {
        Prerequisites.requireLoopDevices();
        Prerequisites.requireCommands("blkid", "mkfs.ext4", "mount", "umount");
        dir = Files.createTempDirectory(Path.of("/tmp"), "lsdock-scaleio-").toRealPath();
        String guid = UUID.randomUUID().toString().toUpperCase();
        gateway = ScaleIoGatewayEmulator.builder()
                .credentials("admin", PASSWORD)
                .system(SystemSpec.named("cluster1").withProtectionDomain("pd1", "pool1"))
                .sdc(SdcSpec.of(guid, "10.0.0.2"))
                .hostRoot(dir.resolve("hosts")).dataDir(dir.resolve("gateway")).dataPath(true)
                .start();
        sdc = SdcAgent.connect("127.0.0.1", gateway.mdmPort(), guid);
        Path pem = Files.writeString(dir.resolve("gateway.pem"), gateway.certificatePem());
        LibStorage.Builder b = LibStorage.builder().storageDriver("scaleio").stateRoot(dir.resolve("state"));
        Map.of("endpoint", gateway.endpoint() + "/api", "caCertificate", pem.toString(), "userName", "admin",
                "password", PASSWORD, "systemName", "cluster1", "protectionDomainName", "pd1", "storagePoolName", "pool1",
                "guid", guid, "deviceDir", gateway.sdc(guid).deviceDir().toString(),
                "stateDir", dir.resolve("scaleio").toString()).forEach(b::storageOption);
        storage = b.build();
        plugin = DockerVolumePlugin.start(storage, PluginOptions.builder().name("sio").socketDirectory(dir.resolve("plugins")).build());
        http = new RawHttp(plugin.socketPath());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (http != null) {
                http.close();
            }
            if (plugin != null) {
                plugin.close();
            }
            if (storage != null) {
                storage.close();
            }
            if (sdc != null) {
                sdc.close();
            }
        } finally {
            if (dir != null) {
                LoopDeviceSweeper.unmountAllUnder(dir);
                if (gateway != null) {
                    gateway.close();
                }
                LoopDeviceSweeper.sweep(dir);
                FileTrees.deleteTree(dir);
            }
        }
    }

    private RawHttp.Reply post(String endpoint, String body) {
        RawHttp.Reply r = http.post(endpoint, body);
        assertThat(r.status()).as(endpoint + ": " + r.body()).isEqualTo(200);
        return r;
    }

    @Test
    void aRepeatedMountGetAndPathOfAMountedVolumeMakeNoGatewayCall() {
        assertThat(plugin.scope()).as("ScaleIO volumes attach to any host").isEqualTo(PluginOptions.Scope.GLOBAL);
        post("/VolumeDriver.Create", "{\"Name\":\"pgdata\",\"Opts\":{\"size\":\"1\"}}");
        String mountpoint = post("/VolumeDriver.Mount", "{\"Name\":\"pgdata\",\"ID\":\"" + ID_A + "\"}").json().get("Mountpoint").asText();
        gateway.resetRequestLog();

        assertThat(post("/VolumeDriver.Mount", "{\"Name\":\"pgdata\",\"ID\":\"" + ID_A + "\"}").json().get("Mountpoint").asText())
                .isEqualTo(mountpoint);
        assertThat(post("/VolumeDriver.Get", "{\"Name\":\"pgdata\"}").json().at("/Volume/Mountpoint").asText()).isEqualTo(mountpoint);
        assertThat(post("/VolumeDriver.Path", "{\"Name\":\"pgdata\"}").json().get("Mountpoint").asText()).isEqualTo(mountpoint);
        assertThat(gateway.requestCounts()).as("gateway calls of a repeated Mount, Get and Path").isEmpty();

        post("/VolumeDriver.Unmount", "{\"Name\":\"pgdata\",\"ID\":\"" + ID_A + "\"}");
        assertThat(gateway.requestCount()).as("the last Unmount detaches").isPositive();
    }
}
