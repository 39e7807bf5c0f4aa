package io.libstorage.emulator.vbox.internal;

import io.libstorage.emulator.vbox.MachineState;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** A registered machine (the immutable {@code IMachine}); its settings are those last saved. Guarded by the {@link Model} lock. */
final class Vm {
    final UUID id;
    final String name;
    MachineState state;
    final String chipset;
    final List<String> macs;
    final List<Controller> controllers;
    List<Attachment> committed = new ArrayList<>();
    /** The mutable machine while the machine is locked (always while the VM runs), else null. */
    SessionMachine session;
    final Path diskIdPath;
    final Path scsiHostPath;

    Vm(UUID id, String name, MachineState state, String chipset, List<String> macs, List<Controller> controllers,
       Path diskIdPath, Path scsiHostPath) {
        this.id = id;
        this.name = name;
        this.state = state;
        this.chipset = chipset;
        this.macs = List.copyOf(macs);
        this.controllers = List.copyOf(controllers);
        this.diskIdPath = diskIdPath;
        this.scsiHostPath = scsiHostPath;
    }

    String idText() {
        return id.toString().toLowerCase(Locale.ROOT);
    }

    Controller controller(String controllerName) {
        for (Controller c : controllers) {
            if (c.name().equals(controllerName)) {
                return c;
            }
        }
        throw new ComError(ComError.VBOX_E_OBJECT_NOT_FOUND, "Machine",
                "Could not find a storage controller named '" + controllerName + "'");
    }

    /** What the guest sees: the running VM's current attachments (hot-plug takes effect at once), or none. */
    List<Attachment> guestView() {
        return state.online() && session != null ? session.working : List.of();
    }
}
