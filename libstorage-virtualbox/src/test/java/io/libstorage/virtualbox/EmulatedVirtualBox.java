package io.libstorage.virtualbox;

import io.libstorage.core.DriverCatalog;
import io.libstorage.emulator.vbox.MachineSpec;
import io.libstorage.emulator.vbox.MachineState;
import io.libstorage.emulator.vbox.RequestRecord;
import io.libstorage.emulator.vbox.VboxWebServiceEmulator;
import io.libstorage.spi.DriverConfig;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.OSDriverProvider;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.StorageDriverProvider;
import io.libstorage.spi.support.FileTrees;
import io.libstorage.spi.support.SystemProcessRunner;
import io.libstorage.tck.LoopDeviceSweeper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A VirtualBox web service emulator whose VMs stand for hosts: each host name is a running VM with its own MAC, its
 * own by-id and scsi_host directories under this fixture's temporary directory, and {@link #newDriver(String)} builds
 * the driver of that guest through the provider, configured as a REX-Ray {@code virtualbox:} section would be.
 * {@link #close()} detaches every loop device, removes the links and deletes the directory.
 */
public final class EmulatedVirtualBox implements AutoCloseable {
    /** Operations that change VirtualBox's state, when they succeed: what the TCK counts as back-end mutations. */
    private static final Set<String> MUTATING = Set.of("IMedium_createBaseStorage", "IMedium_deleteStorage", "IMachine_attachDevice",
            "IMachine_detachDevice", "IMedium_setDescription");

    private final Path dir;
    private final VboxWebServiceEmulator emulator;
    private final boolean dataPath;
    private final Map<String, String> macs = new LinkedHashMap<>();

    public EmulatedVirtualBox(boolean dataPath, String... hosts) {
        this(dataPath, UnaryOperator.identity(), hosts);
    }

    /** As {@link #EmulatedVirtualBox(boolean, String...)}, with {@code setup} changing a VM's spec (by its name) or adding VMs. */
    public EmulatedVirtualBox(boolean dataPath, UnaryOperator<MachineSpec> setup, String... hosts) {
        this.dataPath = dataPath;
        try {
            dir = Files.createTempDirectory("libstorage-vbox-test-");
            Files.createDirectories(volumes());
            VboxWebServiceEmulator.Builder b = VboxWebServiceEmulator.builder().dataDir(dir.resolve("host")).dataPath(dataPath);
            for (String h : hosts) {
                String mac = String.format("0800271%05X", macs.size() + 1);
                macs.put(h, mac);
                b.machine(setup.apply(MachineSpec.named(h).withMacs(mac).withDiskIdPath(diskIdPath(h))
                        .withScsiHostPath(dir.resolve("guests").resolve(h).resolve("scsi_host"))));
            }
            emulator = b.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public VboxWebServiceEmulator emulator() {
        return emulator;
    }

    public Path dir() {
        return dir;
    }

    /** The host directory holding the volumes ({@code volumePath}). */
    public Path volumes() {
        return dir.resolve("host").resolve("volumes");
    }

    public Path diskIdPath(String host) {
        return dir.resolve("guests").resolve(host).resolve("by-id");
    }

    public Path scsiHostPath(String host) {
        return dir.resolve("guests").resolve(host).resolve("scsi_host");
    }

    public String mac(String host) {
        return macs.get(host);
    }

    public String vmId(String host) {
        return emulator.machineId(host).toString();
    }

    /** The driver configuration of a guest, as its {@code virtualbox:} section would give it (REX-Ray's keys). */
    public Map<String, Object> config(String host) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("endpoint", emulator.endpoint().toString());
        c.put("volumePath", volumes().toString());
        c.put("controllerName", "SATA");
        c.put("localMachineNameOrId", host);
        c.put("diskIDPath", diskIdPath(host).toString());
        c.put("scsiHostPath", scsiHostPath(host) + "/");
        return c;
    }

    public StorageDriver newDriver(String host) {
        return newDriver(config(host));
    }

    public static StorageDriver newDriver(Map<String, Object> config) {
        StorageDriverProvider p = DriverCatalog.load().storageDriver("virtualbox");
        return p.create(new DriverContext(DriverConfig.parse("virtualbox", p.configKeys(), config), SystemProcessRunner.instance(),
                Clock.systemUTC(), linuxOs()));
    }

    /** The host's VM stops: powered off, its guest's disks gone. */
    public void powerOff(String host) {
        emulator.setState(host, MachineState.PoweredOff);
    }

    /** Successful state changes so far, from the emulator's request log. */
    public long mutations() {
        long n = 0;
        for (RequestRecord r : emulator.requests()) {
            if (r.httpStatus() == 200 && MUTATING.contains(r.operation())) {
                n++;
            }
        }
        return n;
    }

    /** Requests per operation since {@code before} (a {@link VboxWebServiceEmulator#requestCounts()}), zeros left out. */
    public Map<String, Long> since(Map<String, Long> before) {
        Map<String, Long> out = new java.util.TreeMap<>();
        emulator.requestCounts().forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d != 0) {
                out.put(k, d);
            }
        });
        return out;
    }

    /** The Linux OS driver, as LibStorage finds it: the tests' OS and the drivers' view of this host's devices. */
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

    public List<RequestRecord> requests() {
        return emulator.requests();
    }

    @Override
    public void close() {
        if (dataPath) {
            LoopDeviceSweeper.unmountAllUnder(dir);
        }
        emulator.close();
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
