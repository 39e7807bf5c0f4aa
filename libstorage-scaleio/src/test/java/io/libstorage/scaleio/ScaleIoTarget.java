package io.libstorage.scaleio;

import io.libstorage.api.ByteSizes;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.support.SystemProcessRunner;
import io.libstorage.tck.TckTarget;

import java.nio.file.Path;
import java.util.List;

/**
 * The conformance target for the ScaleIO driver: the gateway emulator with real loop devices, host
 * {@code local} plus {@code tck-host-b}, the Linux OS driver, and back-end mutations counted from the
 * emulator's request log.
 */
final class ScaleIoTarget implements TckTarget {
    final EmulatedScaleIo sio;
    private final int crashRuns;

    /** Against the emulator's default gateway (ScaleIO 2.0). */
    ScaleIoTarget() {
        sio = new EmulatedScaleIo(true, "local", "tck-host-b");
        crashRuns = Integer.getInteger("libstorage.tck.crashRuns.scaleio", 1000);
    }

    /**
     * Against a gateway of another generation ({@code 3.6}: Basic login after the {@code {}} answer; {@code 4.5}: bearer
     * tokens, HTML 401s, errorCode 79, an NVMe host). The seeded crash runs, which exercise the driver's convergence
     * rather than its login, are fewer here ({@code libstorage.tck.crashRuns.scaleioVersions}, default 200) to keep CI
     * time in bounds.
     */
    ScaleIoTarget(String apiVersion) {
        sio = EmulatedScaleIo.ofVersion(apiVersion, true, b -> b, "local", "tck-host-b");
        crashRuns = Integer.getInteger("libstorage.tck.crashRuns.scaleioVersions", 200);
    }

    @Override
    public StorageDriver newDriver() {
        return sio.newDriver("local");
    }

    @Override
    public OSDriver newOsDriver() {
        return EmulatedScaleIo.linuxOs();
    }

    @Override
    public Path workDir() {
        return sio.dir();
    }

    @Override
    public long backendMutations() {
        return sio.mutations();
    }

    @Override
    public StorageDriver newDriverForHost(String hostName) {
        return sio.newDriver(hostName);
    }

    @Override
    public void killHost(String hostName) {
        sio.kill(hostName);
    }

    @Override
    public long volumeSizeBytes() {
        return ByteSizes.GIB;
    }

    @Override
    public List<String> fsTypes() {
        return List.of("ext4", "xfs");
    }

    @Override
    public int crashRuns() {
        return crashRuns;
    }

    @Override
    public void close() {
        sio.close();
    }
}
