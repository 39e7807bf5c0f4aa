package io.libstorage.virtualbox;

import io.libstorage.api.ByteSizes;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.StorageDriver;
import io.libstorage.tck.TckTarget;

import java.nio.file.Path;
import java.util.List;

/**
 * The conformance target for the VirtualBox driver: the web service emulator with real loop devices, VMs {@code local}
 * and {@code tck-host-b} (a killed host is a powered-off VM), the Linux OS driver, and back-end mutations counted from
 * the emulator's request log.
 */
final class VirtualBoxTarget implements TckTarget {
    final EmulatedVirtualBox vbox = new EmulatedVirtualBox(true, "local", "tck-host-b");

    @Override
    public StorageDriver newDriver() {
        return vbox.newDriver("local");
    }

    @Override
    public OSDriver newOsDriver() {
        return EmulatedVirtualBox.linuxOs();
    }

    @Override
    public Path workDir() {
        return vbox.dir();
    }

    @Override
    public long backendMutations() {
        return vbox.mutations();
    }

    @Override
    public StorageDriver newDriverForHost(String hostName) {
        return vbox.newDriver(hostName);
    }

    @Override
    public void killHost(String hostName) {
        vbox.powerOff(hostName);
    }

    @Override
    public long volumeSizeBytes() {
        return 512 * ByteSizes.MIB;
    }

    @Override
    public List<String> fsTypes() {
        return List.of("ext4", "xfs");
    }

    @Override
    public int crashRuns() {
        return Integer.getInteger("libstorage.tck.crashRuns.virtualbox", 40);
    }

    @Override
    public void close() {
        vbox.close();
    }
}
