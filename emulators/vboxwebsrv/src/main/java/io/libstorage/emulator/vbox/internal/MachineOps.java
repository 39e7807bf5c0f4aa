package io.libstorage.emulator.vbox.internal;

import io.libstorage.emulator.vbox.StorageBus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.libstorage.emulator.vbox.internal.Operations.none;
import static io.libstorage.emulator.vbox.internal.Operations.one;

/** {@code IMachine}, {@code ISession}, {@code IStorageController} and {@code INetworkAdapter}. */
final class MachineOps {
    private static final String[] LOCK_TYPES = {"Null", "Shared", "Write", "VM"};

    private MachineOps() {
    }

    static void register(Operations ops, Model model) {
        Machines rules = model.rules();
        ops.add("IMachine_getId", c -> one(machine(c).idText()));
        ops.add("IMachine_getName", c -> one(machine(c).name));
        ops.add("IMachine_getState", c -> one(machine(c).state));
        ops.add("IMachine_getSessionState", c -> one(machine(c).session == null ? "Unlocked" : "Locked"));
        ops.add("IMachine_getChipsetType", c -> one(machine(c).chipset));
        ops.add("IMachine_getStorageControllers", c -> {
            Object m = c.self(Vm.class, SessionMachine.class);
            List<String> refs = new ArrayList<>();
            Machines.vm(m).controllers.forEach(ctl -> refs.add(c.ref(new ComObjects.ControllerRef(m, ctl.name()))));
            return refs;
        });
        ops.add("IMachine_getStorageControllerByName", c -> {
            Object m = c.self(Vm.class, SessionMachine.class);
            Controller ctl = Machines.vm(m).controller(c.string("name"));
            return one(c.ref(new ComObjects.ControllerRef(m, ctl.name())));
        });
        ops.add("IMachine_getMediumAttachments", c -> {
            Object m = c.self(Vm.class, SessionMachine.class);
            return structs(c, m, rules.attachments(m));
        });
        ops.add("IMachine_getMediumAttachmentsOfController", c -> {
            Object m = c.self(Vm.class, SessionMachine.class);
            return structs(c, m, rules.attachmentsOf(m, c.string("name")));
        });
        ops.add("IMachine_getMediumAttachment", c -> {
            Object m = c.self(Vm.class, SessionMachine.class);
            String name = c.string("name");
            int port = c.integer("controllerPort");
            int device = c.integer("device");
            List<Attachment> found = rules.attachmentsOf(m, name).stream().filter(a -> a.at(name, port, device)).toList();
            if (found.isEmpty()) {
                throw new ComError(ComError.VBOX_E_OBJECT_NOT_FOUND, "Machine", "No storage device attached to device slot "
                        + device + " on port " + port + " of controller '" + name + "'");
            }
            return structs(c, m, found);
        });
        ops.add("IMachine_getNetworkAdapter", c -> {
            Vm vm = machine(c);
            long slot = c.longValue("slot");
            if (slot < 0 || slot >= vm.macs.size()) {
                throw new ComError(ComError.E_INVALIDARG, "Machine",
                        "Invalid slot number: " + slot + " (must be in range [0, " + (vm.macs.size() - 1) + "])");
            }
            return one(c.ref(new ComObjects.AdapterRef(vm, (int) slot)));
        });
        ops.add("IMachine_lockMachine", c -> {
            Vm vm = c.self(Vm.class);
            rules.lock(vm, c.object("session", SessionObj.class), c.enumValue("lockType", LOCK_TYPES));
            return none();
        });
        ops.add("IMachine_attachDevice", c -> {
            Object m = c.self(Vm.class, SessionMachine.class);
            rules.attach(m, c.string("name"), c.integer("controllerPort"), c.integer("device"),
                    c.enumValue("type", VirtualBoxOps.DEVICE_TYPES), c.object("medium", Disk.class));
            return none();
        });
        ops.add("IMachine_detachDevice", c -> {
            rules.detach(c.self(Vm.class, SessionMachine.class), c.string("name"), c.integer("controllerPort"), c.integer("device"));
            return none();
        });
        ops.add("IMachine_saveSettings", c -> {
            rules.save(c.self(Vm.class, SessionMachine.class));
            return none();
        });
        ops.add("IMachine_discardSettings", c -> {
            rules.discard(c.self(Vm.class, SessionMachine.class));
            return none();
        });

        ops.add("ISession_getMachine", c -> one(c.ref(rules.machineOf(c.self(SessionObj.class)))));
        ops.add("ISession_unlockMachine", c -> {
            rules.unlock(c.self(SessionObj.class));
            return none();
        });
        ops.add("ISession_getState", c -> one(c.self(SessionObj.class).state()));

        ops.add("IStorageController_getName", c -> one(controller(c).name()));
        ops.add("IStorageController_getBus", c -> one(controller(c).bus()));
        ops.add("IStorageController_getControllerType", c -> one(controller(c).bus().controllerType()));
        ops.add("IStorageController_getPortCount", c -> one(controller(c).portCount()));
        ops.add("IStorageController_getMaxPortCount", c -> one(controller(c).bus().maxPortCount()));
        ops.add("IStorageController_getMaxDevicesPerPortCount", c -> one(controller(c).bus().devicesPerPort()));
        ops.add("IStorageController_getBootable", c -> one(controller(c).bus() != StorageBus.USB));

        ops.add("INetworkAdapter_getMACAddress", c -> {
            ComObjects.AdapterRef a = c.self(ComObjects.AdapterRef.class);
            return one(a.vm().macs.get(a.slot()));
        });
        ops.add("INetworkAdapter_getSlot", c -> one(c.self(ComObjects.AdapterRef.class).slot()));
    }

    private static Vm machine(Call c) {
        return Machines.vm(c.self(Vm.class, SessionMachine.class));
    }

    private static Controller controller(Call c) {
        ComObjects.ControllerRef ref = c.self(ComObjects.ControllerRef.class);
        return Machines.vm(ref.machine()).controller(ref.name());
    }

    /** IMediumAttachment is returned by value, with the 7.0 WSDL's element order. */
    private static List<Map<String, String>> structs(Call c, Object machine, List<Attachment> attachments) {
        List<Map<String, String>> out = new ArrayList<>();
        String machineRef = c.ref(machine);
        for (Attachment a : attachments) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("machine", machineRef);
            m.put("medium", c.ref(a.medium()));
            m.put("controller", a.controller());
            m.put("port", Integer.toString(a.port()));
            m.put("device", Integer.toString(a.device()));
            m.put("type", a.type());
            m.put("passthrough", "false");
            m.put("temporaryEject", "false");
            m.put("isEjected", "false");
            m.put("nonRotational", "false");
            m.put("discard", "false");
            m.put("hotPluggable", Boolean.toString(a.hotPluggable()));
            m.put("bandwidthGroup", "");
            out.add(m);
        }
        return out;
    }
}
