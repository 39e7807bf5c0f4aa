package io.libstorage.emulator.vbox;

import java.util.Objects;

/**
 * A storage controller of a simulated VM.
 *
 * @param name      the controller name, matched exactly (REX-Ray's default is {@code SATA})
 * @param bus       its bus
 * @param portCount the current port count: VirtualBox refuses ports at or above it (Vagrant boxes often have 1)
 */
public record ControllerSpec(String name, StorageBus bus, int portCount) {
    public ControllerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bus, "bus");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a controller needs a name");
        }
        if (portCount < 1 || portCount > bus.maxPortCount()) {
            throw new IllegalArgumentException("port count of " + bus + " controller '" + name + "' must be 1.." + bus.maxPortCount());
        }
    }

    /** A SATA (AHCI) controller with {@code ports} ports. */
    public static ControllerSpec sata(String name, int ports) {
        return new ControllerSpec(name, StorageBus.SATA, ports);
    }

    /** An IDE controller (2 ports, 2 devices each). */
    public static ControllerSpec ide(String name) {
        return new ControllerSpec(name, StorageBus.IDE, 2);
    }
}
