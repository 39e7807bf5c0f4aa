package io.libstorage.emulator.vbox.internal;

import io.libstorage.emulator.vbox.MachineState;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * VirtualBox's rules for machine settings: session locks (write and shared), the state a change needs, port and
 * device ranges, busy slots, hot-plug, and the commit of a session's changes. Every method runs under the
 * {@link Model} lock (callers hold it).
 */
final class Machines {
    private final Model model;

    Machines(Model model) {
        this.model = model;
    }

    // ------------------------------------------------------------------ locks

    void lock(Vm vm, SessionObj session, String lockType) {
        if (session == null) {
            throw new ComError(ComError.E_INVALIDARG, "Machine", "Argument aSession is NULL");
        }
        if (!"Write".equals(lockType) && !"Shared".equals(lockType)) {
            throw new ComError(ComError.E_INVALIDARG, "Machine", "Argument aLockType is invalid (must be Write or Shared)");
        }
        if (session.locked()) {
            throw new ComError(ComError.VBOX_E_INVALID_OBJECT_STATE, "Machine", "The given session is busy");
        }
        if (vm.session != null) {
            if (!"Shared".equals(lockType)) {
                throw new ComError(ComError.VBOX_E_INVALID_OBJECT_STATE, "Machine",
                        "The machine '" + vm.name + "' is already locked for a session (or being unlocked)");
            }
            vm.session.shared.add(session);
            session.machine = vm.session;
            return;
        }
        // an unlocked machine: a shared lock request gets the write lock, as VirtualBox does
        vm.session = new SessionMachine(vm, session);
        session.machine = vm.session;
    }

    void unlock(SessionObj session) {
        if (!session.locked()) {
            throw notLocked();
        }
        SessionMachine sm = session.machine;
        if (sm.direct == session) {
            close(sm);
        } else {
            sm.shared.remove(session);
            session.machine = null;
        }
    }

    /** The direct session ends (unlock, its websession ends, the VM process exits): unsaved changes are discarded. */
    void close(SessionMachine sm) {
        sm.alive = false;
        sm.working = new ArrayList<>(sm.vm.committed);
        for (SessionObj s : sm.shared) {
            s.machine = null;
        }
        sm.shared.clear();
        if (sm.direct != null) {
            sm.direct.machine = null;
        }
        if (sm.vm.session == sm) {
            sm.vm.session = null;
        }
        model.syncGuest(sm.vm);
    }

    SessionMachine machineOf(SessionObj session) {
        if (!session.locked()) {
            throw notLocked();
        }
        return session.machine;
    }

    private static ComError notLocked() {
        return new ComError(ComError.E_UNEXPECTED, "Session", "The session is not locked (session state: Unlocked)");
    }

    // ------------------------------------------------------------------ changes

    void attach(Object machine, String controllerName, int port, int device, String type, Disk medium) {
        SessionMachine sm = mutable(machine, "mutable or running");
        Vm vm = sm.vm;
        boolean hotPlug = vm.state.online();
        if (!type.equals("HardDisk") && !type.equals("DVD") && !type.equals("Floppy")) {
            throw new ComError(ComError.E_INVALIDARG, "Machine", "Invalid device type: " + type);
        }
        Controller ctl = vm.controller(controllerName);
        checkRange(ctl, port, device);
        for (Attachment a : sm.working) {
            if (a.at(controllerName, port, device)) {
                throw new ComError(ComError.VBOX_E_OBJECT_IN_USE, "Machine", a.medium() != null
                        ? "Medium '" + a.medium().location + "' is already attached to port " + port + ", device " + device
                        + " of controller '" + controllerName + "' of this virtual machine"
                        : "Device is already attached to port " + port + ", device " + device + " of controller '"
                        + controllerName + "' of this virtual machine");
            }
        }
        if (hotPlug && !ctl.bus().hotPlug()) {
            throw new ComError(ComError.VBOX_E_INVALID_VM_STATE, "Machine",
                    "Controller '" + controllerName + "' does not support hotplugging");
        }
        if (medium != null) {
            checkMedium(sm, medium, type, hotPlug);
        } else if (type.equals("HardDisk")) {
            throw new ComError(ComError.E_INVALIDARG, "Machine", "Cannot attach a hard disk without a medium");
        }
        sm.working.add(new Attachment(controllerName, port, device, type, medium, hotPlug));
        model.syncGuest(vm);
    }

    private void checkMedium(SessionMachine sm, Disk medium, String type, boolean hotPlug) {
        if (!type.equals("HardDisk")) {
            throw new ComError(ComError.E_INVALIDARG, "Machine",
                    "The medium '" + medium.location + "' is a hard disk and cannot be attached as " + type);
        }
        if (medium.state != Disk.State.Created) {
            throw new ComError(ComError.VBOX_E_INVALID_OBJECT_STATE, "Medium",
                    "Storage for the medium '" + medium.location + "' is not created");
        }
        for (Attachment a : sm.working) {
            if (a.medium() == medium) {
                throw new ComError(ComError.VBOX_E_OBJECT_IN_USE, "Machine",
                        "Medium '" + medium.location + "' is already attached to this virtual machine");
            }
        }
        if (hotPlug) {
            for (Vm other : model.vms()) {
                if (other != sm.vm && other.guestView().stream().anyMatch(a -> a.medium() == medium)) {
                    throw new ComError(ComError.VBOX_E_INVALID_OBJECT_STATE, "Medium",
                            "Medium '" + medium.location + "' is locked for writing by another task");
                }
            }
        }
    }

    void detach(Object machine, String controllerName, int port, int device) {
        SessionMachine sm = mutable(machine, "mutable or running");
        Controller ctl = sm.vm.controller(controllerName);
        Attachment found = null;
        for (Attachment a : sm.working) {
            if (a.at(controllerName, port, device)) {
                found = a;
            }
        }
        if (found == null) {
            throw new ComError(ComError.VBOX_E_OBJECT_NOT_FOUND, "Machine", "No storage device attached to device slot "
                    + device + " on port " + port + " of controller '" + controllerName + "'");
        }
        if (sm.vm.state.online()) {
            if (!ctl.bus().hotPlug()) {
                throw new ComError(ComError.VBOX_E_INVALID_VM_STATE, "Machine",
                        "Controller '" + controllerName + "' does not support hotplugging");
            }
            if (!found.hotPluggable()) {
                throw new ComError(ComError.VBOX_E_NOT_SUPPORTED, "Machine", "The device slot " + device + " on port "
                        + port + " of controller '" + controllerName + "' does not support hotplugging");
            }
        }
        sm.working.remove(found);
        model.syncGuest(sm.vm);
    }

    void save(Object machine) {
        SessionMachine sm = mutable(machine, "mutable, saved or running");
        sm.vm.committed = new ArrayList<>(sm.working);
    }

    void discard(Object machine) {
        SessionMachine sm = mutable(machine, "mutable, saved or running");
        sm.working = new ArrayList<>(sm.vm.committed);
        model.syncGuest(sm.vm);
    }

    /** The attachments as the given machine object sees them: saved settings, or a session's current ones. */
    List<Attachment> attachments(Object machine) {
        if (machine instanceof SessionMachine sm) {
            requireAlive(sm);
            return List.copyOf(sm.working);
        }
        return List.copyOf(((Vm) machine).committed);
    }

    List<Attachment> attachmentsOf(Object machine, String controllerName) {
        vm(machine).controller(controllerName);
        return attachments(machine).stream().filter(a -> a.controller().equals(controllerName)).toList();
    }

    static Vm vm(Object machine) {
        if (machine instanceof SessionMachine sm) {
            requireAlive(sm);
            return sm.vm;
        }
        return (Vm) machine;
    }

    /** The session's mutable machine, if the state allows the change; the registered machine object never is. */
    private static SessionMachine mutable(Object machine, String dependency) {
        if (machine instanceof SessionMachine sm) {
            requireAlive(sm);
            MachineState s = sm.vm.state;
            boolean ok = s.offlineMutable() || (!dependency.equals("mutable") && s.online())
                    || (dependency.contains("saved") && s == MachineState.Saved);
            if (ok) {
                return sm;
            }
            throw notMutable(sm.vm, dependency);
        }
        throw notMutable((Vm) machine, dependency);
    }

    private static ComError notMutable(Vm vm, String dependency) {
        return new ComError(ComError.VBOX_E_INVALID_VM_STATE, "Machine",
                "The machine is not " + dependency + " (state is " + vm.state + ")");
    }

    private static void requireAlive(SessionMachine sm) {
        if (!sm.alive) {
            throw new ComError(ComError.E_ACCESSDENIED, "SessionMachine", "The object is not ready");
        }
    }

    private static void checkRange(Controller ctl, int port, int device) {
        int maxDevice = ctl.bus().devicesPerPort() - 1;
        if (port < 0 || port >= ctl.portCount() || device < 0 || device > maxDevice) {
            throw new ComError(ComError.E_INVALIDARG, "StorageController", String.format(Locale.ROOT,
                    "The port and/or device parameter are out of range: port=%d (must be in range [0, %d]), "
                            + "device=%d (must be in range [0, %d])", port, ctl.portCount() - 1, device, maxDevice));
        }
    }
}
