package io.libstorage.emulator.vbox.internal;

import io.libstorage.emulator.vbox.MachineSpec;

import java.util.ArrayList;
import java.util.List;

import static io.libstorage.emulator.vbox.internal.Operations.one;

/** {@code IVirtualBox} and {@code ISystemProperties}. */
final class VirtualBoxOps {
    static final String[] ACCESS_MODES = {"ReadOnly", "ReadWrite"};
    static final String[] DEVICE_TYPES = {"Null", "Floppy", "DVD", "HardDisk", "Network", "USB", "SharedFolder", "Graphics3D"};

    private VirtualBoxOps() {
    }

    static void register(Operations ops, Model model, String version, String apiVersion) {
        ops.add("IVirtualBox_getVersion", c -> {
            c.self(ComObjects.VirtualBoxRoot.class);
            return one(version);
        });
        ops.add("IVirtualBox_getAPIVersion", c -> {
            c.self(ComObjects.VirtualBoxRoot.class);
            return one(apiVersion);
        });
        ops.add("IVirtualBox_findMachine", c -> {
            c.self(ComObjects.VirtualBoxRoot.class);
            return one(c.ref(model.findMachine(c.string("nameOrId"))));
        });
        ops.add("IVirtualBox_getMachines", c -> {
            c.self(ComObjects.VirtualBoxRoot.class);
            List<String> refs = new ArrayList<>();
            model.vms().forEach(vm -> refs.add(c.ref(vm)));
            return refs;
        });
        ops.add("IVirtualBox_getHardDisks", c -> {
            c.self(ComObjects.VirtualBoxRoot.class);
            List<String> refs = new ArrayList<>();
            model.mediaRules().hardDisks().forEach(d -> refs.add(c.ref(d)));
            return refs;
        });
        ops.add("IVirtualBox_getSystemProperties", c -> {
            c.self(ComObjects.VirtualBoxRoot.class);
            return one(c.ref(ComObjects.SYSTEM_PROPERTIES));
        });
        ops.add("IVirtualBox_createMedium", c -> {
            c.self(ComObjects.VirtualBoxRoot.class);
            return one(c.ref(model.mediaRules().create(c.string("format"), c.string("location"),
                    c.enumValue("accessMode", ACCESS_MODES), c.enumValue("aDeviceTypeType", DEVICE_TYPES))));
        });
        ops.add("IVirtualBox_openMedium", c -> {
            c.self(ComObjects.VirtualBoxRoot.class);
            return one(c.ref(model.mediaRules().open(c.string("location"), c.enumValue("deviceType", DEVICE_TYPES),
                    c.enumValue("accessMode", ACCESS_MODES), c.bool("forceNewUuid"))));
        });
        ops.add("ISystemProperties_getMaxNetworkAdapters", c -> {
            c.self(ComObjects.SystemProperties.class);
            String chipset = c.enumValue("chipset", "Null", "PIIX3", "ICH9");
            if (chipset.equals("Null")) {
                throw new ComError(ComError.E_INVALIDARG, "SystemProperties", "Invalid chipset type Null");
            }
            return one(MachineSpec.maxAdapters(chipset));
        });
    }
}
