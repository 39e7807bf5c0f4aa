package io.libstorage.emulator.vbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A registered VM, which also stands for one simulated guest host: while it runs, media attached to it appear as
 * {@code ata-VBOX_HARDDISK_VB…} links in its {@code diskIdPath} (data path on).
 *
 * @param name          machine name (unique)
 * @param id            machine UUID, or null for a random one
 * @param state         initial state (default {@link MachineState#Running})
 * @param chipset       {@code PIIX3} (8 network adapters) or {@code ICH9} (36)
 * @param macs          MAC addresses of the first adapters (12 hex digits, separators allowed); the rest are generated
 * @param controllers   storage controllers (default: {@code SATA}, 30 ports)
 * @param bootDisk      whether the VM has a boot disk of its own on port 0 of its first controller (default true)
 * @param emptyDvd      whether an IDE controller {@code IDE} with an empty DVD drive at 1:0 is added
 * @param diskIdPath    this guest's {@code /dev/disk/by-id}, or null for no guest data path
 * @param scsiHostPath  this guest's {@code /sys/class/scsi_host}, or null; {@code host0/scan} and {@code host1/scan} are created
 */
public record MachineSpec(String name, @Nullable UUID id, MachineState state, String chipset, List<String> macs,
                          List<ControllerSpec> controllers, boolean bootDisk, boolean emptyDvd, @Nullable Path diskIdPath,
                          @Nullable Path scsiHostPath) {
    private static final Pattern MAC = Pattern.compile("[0-9A-F]{12}");

    public MachineSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a machine needs a name");
        }
        if (!chipset.equals("PIIX3") && !chipset.equals("ICH9")) {
            throw new IllegalArgumentException("chipset must be PIIX3 or ICH9: " + chipset);
        }
        macs = macs.stream().map(MachineSpec::normalizeMac).toList();
        if (macs.size() > maxAdapters(chipset)) {
            throw new IllegalArgumentException(chipset + " machines have " + maxAdapters(chipset) + " network adapters");
        }
        controllers = List.copyOf(controllers);
        if (controllers.stream().map(ControllerSpec::name).distinct().count() != controllers.size()) {
            throw new IllegalArgumentException("controller names of machine " + name + " must be unique");
        }
    }

    /** A running PIIX3 VM with a 30-port {@code SATA} controller, a boot disk and generated MACs. */
    public static MachineSpec named(String name) {
        return new MachineSpec(name, null, MachineState.Running, "PIIX3", List.of(), List.of(ControllerSpec.sata("SATA", 30)),
                true, false, null, null);
    }

    /** Network adapters per chipset, as {@code ISystemProperties.getMaxNetworkAdapters} reports them. */
    public static int maxAdapters(String chipset) {
        return chipset.equals("ICH9") ? 36 : 8;
    }

    /** {@code 08:00:27:1a:45:65} to {@code 0800271A4565}, as VirtualBox reports MACs. */
    public static String normalizeMac(String mac) {
        String m = mac.replace(":", "").replace("-", "").toUpperCase(Locale.ROOT);
        if (!MAC.matcher(m).matches()) {
            throw new IllegalArgumentException("not a MAC address: " + mac);
        }
        return m;
    }

    public MachineSpec withId(UUID newId) {
        return new MachineSpec(name, newId, state, chipset, macs, controllers, bootDisk, emptyDvd, diskIdPath, scsiHostPath);
    }

    public MachineSpec withState(MachineState newState) {
        return new MachineSpec(name, id, newState, chipset, macs, controllers, bootDisk, emptyDvd, diskIdPath, scsiHostPath);
    }

    public MachineSpec withChipset(String newChipset) {
        return new MachineSpec(name, id, state, newChipset, macs, controllers, bootDisk, emptyDvd, diskIdPath, scsiHostPath);
    }

    public MachineSpec withMacs(String... newMacs) {
        return new MachineSpec(name, id, state, chipset, List.of(newMacs), controllers, bootDisk, emptyDvd, diskIdPath, scsiHostPath);
    }

    public MachineSpec withControllers(ControllerSpec... newControllers) {
        return new MachineSpec(name, id, state, chipset, macs, List.of(newControllers), bootDisk, emptyDvd, diskIdPath, scsiHostPath);
    }

    /** Adds a controller after the existing ones. */
    public MachineSpec withController(ControllerSpec controller) {
        List<ControllerSpec> all = new ArrayList<>(controllers);
        all.add(controller);
        return new MachineSpec(name, id, state, chipset, macs, all, bootDisk, emptyDvd, diskIdPath, scsiHostPath);
    }

    public MachineSpec withBootDisk(boolean on) {
        return new MachineSpec(name, id, state, chipset, macs, controllers, on, emptyDvd, diskIdPath, scsiHostPath);
    }

    public MachineSpec withEmptyDvd(boolean on) {
        return new MachineSpec(name, id, state, chipset, macs, controllers, bootDisk, on, diskIdPath, scsiHostPath);
    }

    /** This guest's {@code /dev/disk/by-id} directory (created when needed). */
    public MachineSpec withDiskIdPath(Path dir) {
        return new MachineSpec(name, id, state, chipset, macs, controllers, bootDisk, emptyDvd, dir, scsiHostPath);
    }

    /** This guest's {@code /sys/class/scsi_host} directory (created with {@code host0/scan}, {@code host1/scan}). */
    public MachineSpec withScsiHostPath(Path dir) {
        return new MachineSpec(name, id, state, chipset, macs, controllers, bootDisk, emptyDvd, diskIdPath, dir);
    }
}
