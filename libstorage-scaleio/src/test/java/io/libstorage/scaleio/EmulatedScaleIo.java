package io.libstorage.scaleio;

import io.libstorage.emulator.scaleio.RequestRecord;
import io.libstorage.emulator.scaleio.ScaleIoGatewayEmulator;
import io.libstorage.emulator.scaleio.SdcAgent;
import io.libstorage.emulator.scaleio.SdcSpec;
import io.libstorage.emulator.scaleio.SystemSpec;
import io.libstorage.core.DriverCatalog;
import io.libstorage.scaleio.internal.ScaleIoDriverProvider;
import io.libstorage.spi.DriverConfig;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.OSDriverProvider;
import io.libstorage.spi.ProcessRunner;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.support.FileTrees;
import io.libstorage.spi.support.SystemProcessRunner;
import io.libstorage.tck.LoopDeviceSweeper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A gateway emulator with simulated hosts for the driver's tests: each host name gets an SDC GUID,
 * its own device directory (under the emulator's host root) and a connected SDC agent, and
 * {@link #newDriver(String)} builds a driver for it through the provider, trusting the emulator's
 * certificate (TLS verified, never {@code insecure}).
 */
public final class EmulatedScaleIo implements AutoCloseable {
    public static final String USER = "admin";
    public static final String PASSWORD = "Scaleio123!";
    private static final Pattern MUTATING = Pattern.compile(
            "POST /api/(types/Volume/instances|instances/[^/]+/action/(addMappedSdc|removeMappedSdc|removeVolume|setVolumeSize|"
                    + "setVolumeName|snapshotVolumes|removeConsistencyGroupSnapshots|setMappedSdcLimits))");

    private final Path dir;
    private final String password;
    private final ScaleIoGatewayEmulator gateway;
    private final Map<String, String> guids = new LinkedHashMap<>();
    private final Map<String, SdcAgent> agents = new ConcurrentHashMap<>();
    private final Path certificate;
    private final boolean dataPath;

    public EmulatedScaleIo(boolean dataPath, String... hosts) {
        this(dataPath, PASSWORD, b -> b.system(SystemSpec.named("cluster1").withProtectionDomain("pd1", "pool1", "pool2")), hosts);
    }

    /**
     * As {@link #EmulatedScaleIo(boolean, String...)} with a gateway of another generation: {@code apiVersion} 2.0, 3.6
     * or 4.5 (see the emulator's {@code ApiMode}), plus any other emulator settings from {@code setup}.
     */
    public static EmulatedScaleIo ofVersion(String apiVersion, boolean dataPath, UnaryOperator<ScaleIoGatewayEmulator.Builder> setup,
                                            String... hosts) {
        return new EmulatedScaleIo(dataPath, PASSWORD,
                b -> setup.apply(b.apiVersion(apiVersion).system(SystemSpec.named("cluster1").withProtectionDomain("pd1", "pool1", "pool2"))),
                hosts);
    }

    /**
     * As {@link #EmulatedScaleIo(boolean, String...)} with another gateway password, and {@code setup} adding the
     * systems (SDCs register in the first) and any other emulator settings.
     */
    public EmulatedScaleIo(boolean dataPath, String password, UnaryOperator<ScaleIoGatewayEmulator.Builder> setup, String... hosts) {
        this.dataPath = dataPath;
        this.password = password;
        try {
            dir = Files.createTempDirectory("libstorage-scaleio-test-");
            ScaleIoGatewayEmulator.Builder b = setup.apply(ScaleIoGatewayEmulator.builder()
                    .credentials(USER, password)
                    .hostRoot(dir.resolve("hosts"))
                    .dataDir(dir.resolve("gateway"))
                    .dataPath(dataPath));
            for (String h : hosts) {
                String guid = UUID.nameUUIDFromBytes((h + dir).getBytes()).toString().toUpperCase();
                guids.put(h, guid);
                b.sdc(SdcSpec.of(guid, "10.0.0." + (guids.size() + 1)).withName(h));
            }
            this.gateway = b.start();
            certificate = dir.resolve("gateway.pem");
            Files.writeString(certificate, this.gateway.certificatePem());
            for (String h : hosts) {
                connect(h);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ScaleIoGatewayEmulator gateway() {
        return gateway;
    }

    public String guid(String host) {
        return guids.get(host);
    }

    public Path deviceDir(String host) {
        return gateway.sdc(guid(host)).deviceDir();
    }

    public Path certificate() {
        return certificate;
    }

    public String password() {
        return password;
    }

    /** The driver configuration of a host, as a user's config.yml {@code scaleio:} section would give it. */
    public Map<String, Object> config(String host) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("endpoint", gateway.endpoint() + "/api");
        c.put("caCertificate", certificate.toString());
        c.put("userName", USER);
        c.put("password", password);
        c.put("systemName", "cluster1");
        c.put("protectionDomainName", "pd1");
        c.put("storagePoolName", "pool1");
        c.put("guid", guid(host));
        c.put("deviceDir", deviceDir(host).toString());
        c.put("stateDir", dir.resolve("state").resolve(host).toString());
        c.put("ownerGracePeriod", "200ms");
        return c;
    }

    public StorageDriver newDriver(String host) {
        return newDriver(host, Map.of(), SystemProcessRunner.instance());
    }

    public StorageDriver newDriver(String host, Map<String, Object> overrides, ProcessRunner processes) {
        return newDriver(host, overrides, processes, Clock.systemUTC());
    }

    /** As {@link #newDriver(String, Map, ProcessRunner)} with the driver's clock. */
    public StorageDriver newDriver(String host, Map<String, Object> overrides, ProcessRunner processes, Clock clock) {
        ScaleIoDriverProvider p = new ScaleIoDriverProvider();
        Map<String, Object> c = config(host);
        c.putAll(overrides);
        return p.create(new DriverContext(DriverConfig.parse("scaleio", p.configKeys(), c), processes, clock, linuxOs()));
    }

    /**
     * Makes the first gateway call of a new driver (a list) and closes it: starting a driver makes no call, so a wrong
     * endpoint, certificate, credential or system surfaces here.
     */
    public static void firstCall(StorageDriver driver) {
        try (driver) {
            driver.list();
        }
    }

    /** The Linux OS driver (found as LibStorage finds it): the test's OS and the drivers' view of this host's devices. */
    public static OSDriver linuxOs() {
        return LinuxOs.INSTANCE;
    }

    private static final class LinuxOs {
        static final OSDriver INSTANCE = create();

        private static OSDriver create() {
            OSDriverProvider p = DriverCatalog.load().osDriver("linux");
            return p.create(new DriverContext(DriverConfig.parse("linux", p.configKeys(), Map.of()), SystemProcessRunner.instance(),
                    Clock.systemUTC()));
        }
    }

    /** The host's process dies: its SDC agent connection drops and the MDM sees the SDC Disconnected. */
    public void kill(String host) {
        SdcAgent a = agents.remove(host);
        if (a != null) {
            a.close();
            try {
                a.awaitDisconnect();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        awaitState(host, "DISCONNECTED");
    }

    public void connect(String host) {
        try {
            agents.put(host, SdcAgent.connect("127.0.0.1", gateway.mdmPort(), guid(host)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitState(host, "CONNECTED");
    }

    private void awaitState(String host, String state) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!gateway.sdc(guid(host)).state().name().equals(state)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("SDC of " + host + " did not become " + state);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Gateway state changes so far: successful creates, maps, unmaps, removes, resizes, snapshots. */
    public long mutations() {
        long n = 0;
        for (RequestRecord r : gateway.requests()) {
            if (r.status() == 200 && MUTATING.matcher(r.method() + " " + r.path()).matches()) {
                n++;
            }
        }
        return n;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        agents.values().forEach(SdcAgent::close);
        agents.clear();
        if (dataPath) {
            LoopDeviceSweeper.unmountAllUnder(dir);
        }
        gateway.close();
        if (dataPath) {
            LoopDeviceSweeper.sweep(dir);
        }
        try {
            FileTrees.deleteTree(dir);
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
