package io.libstorage.emulator.vbox.internal;

import java.util.ArrayList;
import java.util.Locale;

import static io.libstorage.emulator.vbox.internal.Operations.none;
import static io.libstorage.emulator.vbox.internal.Operations.one;

/** {@code IMedium}. */
final class MediumOps {
    static final String[] VARIANTS = {"Standard", "VmdkSplit2G", "VmdkRawDisk", "VmdkStreamOptimized", "VmdkESX",
            "VdiZeroExpand", "Fixed", "Diff", "Formatted", "NoCreateDir"};

    private MediumOps() {
    }

    static void register(Operations ops, Model model) {
        Media media = model.mediaRules();
        ops.add("IMedium_getId", c -> one(disk(c).idText()));
        ops.add("IMedium_getName", c -> one(disk(c).name()));
        ops.add("IMedium_getLocation", c -> one(disk(c).location));
        ops.add("IMedium_getDescription", c -> one(disk(c).description));
        ops.add("IMedium_setDescription", c -> {
            Disk d = disk(c);
            if (d.state != Disk.State.Created) {
                throw new ComError(ComError.VBOX_E_INVALID_OBJECT_STATE, "Medium",
                        "Storage for the medium '" + d.location + "' is not created");
            }
            d.description = c.string("description");
            return none();
        });
        ops.add("IMedium_getFormat", c -> one(disk(c).format));
        ops.add("IMedium_getState", c -> one(disk(c).state));
        ops.add("IMedium_getDeviceType", c -> {
            disk(c);
            return one("HardDisk");
        });
        ops.add("IMedium_getType", c -> {
            disk(c);
            return one("Normal");
        });
        ops.add("IMedium_getHostDrive", c -> {
            disk(c);
            return one(false);
        });
        ops.add("IMedium_getReadOnly", c -> {
            disk(c);
            return one(false);
        });
        ops.add("IMedium_getParent", c -> {
            disk(c);
            return one("");
        });
        ops.add("IMedium_getChildren", c -> {
            disk(c);
            return none();
        });
        ops.add("IMedium_getVariant", c -> {
            disk(c);
            return one("Standard");
        });
        ops.add("IMedium_getLogicalSize", c -> one(disk(c).logicalSize));
        ops.add("IMedium_getSize", c -> {
            Disk d = disk(c);
            return one(d.state == Disk.State.Created ? d.logicalSize : 0);
        });
        ops.add("IMedium_getMachineIds", c -> new ArrayList<>(media.machineIds(disk(c))));
        ops.add("IMedium_getSnapshotIds", c -> {
            // a base disk in a machine's current state: that machine's UUID stands for the current state
            String machineId = c.string("machineId").toLowerCase(Locale.ROOT);
            return media.machineIds(disk(c)).contains(machineId) ? one(machineId) : none();
        });
        ops.add("IMedium_getMediumFormat", c -> one(c.ref(new ComObjects.FormatRef(disk(c).format))));
        ops.add("IMediumFormat_getId", c -> one(c.self(ComObjects.FormatRef.class).id()));
        ops.add("IMediumFormat_getName", c -> one(c.self(ComObjects.FormatRef.class).id()));
        ops.add("IMedium_createBaseStorage", c -> {
            Disk d = disk(c);
            return one(c.ref(media.createBaseStorage(d, c.longValue("logicalSize"), c.enumValues("variant", VARIANTS))));
        });
        ops.add("IMedium_deleteStorage", c -> one(c.ref(media.deleteStorage(disk(c)))));
        ops.add("IMedium_close", c -> {
            media.close(disk(c));
            return none();
        });
    }

    private static Disk disk(Call c) {
        return c.self(Disk.class);
    }
}
