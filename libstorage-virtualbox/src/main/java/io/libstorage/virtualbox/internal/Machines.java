package io.libstorage.virtualbox.internal;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.FencingUnavailableException;
import io.libstorage.api.HostId;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.Liveness;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.OwnerEvidence;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Attaching and detaching a volume's medium on one VM: a {@code Shared} session lock on the machine (a running VM's
 * own process holds the write lock; a powered-off one gets it), the change on the session's mutable machine,
 * {@code saveSettings}, unlock. Changes to one VM are serialised in this JVM (the free port is chosen under that
 * lock); across processes VirtualBox refuses a busy port and the attach tries the next one. Also what the web service
 * says about a VM's state, the evidence of a takeover.
 */
final class Machines {
    /** VM states without a VM process: the guest cannot be using its disks. */
    private static final Set<String> NOT_RUNNING = Set.of("PoweredOff", "Aborted", "Saved", "AbortedSaved");
    private static final Set<String> RUNNING = Set.of("Running", "Paused", "Stuck", "Teleporting", "LiveSnapshotting",
            "Starting", "Stopping", "Saving", "Restoring", "TeleportingPausedVM", "TeleportingIn", "OnlineSnapshotting");
    private static final int ATTEMPTS = 3;
    private static final ReentrantLock[] STRIPES = new ReentrantLock[64];

    static {
        for (int i = 0; i < STRIPES.length; i++) {
            STRIPES[i] = new ReentrantLock();
        }
    }

    private final VirtualBoxSettings settings;

    Machines(VirtualBoxSettings settings) {
        this.settings = settings;
    }

    /** The VM a host id names; a host id is a VM's UUID. */
    static String vmId(HostId host, ErrorContext ctx) {
        if (!VboxVolumes.isMediumId(host.value())) {
            throw new InvalidRequestException(ctx, "host '" + host.value() + "' is not a VirtualBox VM: hosts are VM UUIDs");
        }
        return host.value().toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------ evidence

    /** A VM with a VM process is connected; powered off, aborted or saved is not; anything else is unknown. */
    OwnerEvidence evidence(VboxSession s, HostId owner, ErrorContext ctx) {
        String state;
        try {
            state = s.machineState(s.findMachine(vmId(owner, ctx)));
        } catch (VboxFault f) {
            if (f.is(ResultCodes.VBOX_E_OBJECT_NOT_FOUND)) {
                return new OwnerEvidence(owner, Liveness.UNKNOWN, null, "virtualbox: no such VM");
            }
            throw f;
        }
        String source = "virtualbox:machineState=" + state;
        if (NOT_RUNNING.contains(state)) {
            return new OwnerEvidence(owner, Liveness.DISCONNECTED, null, source);
        }
        return new OwnerEvidence(owner, RUNNING.contains(state) ? Liveness.CONNECTED : Liveness.UNKNOWN, null, source);
    }

    // ------------------------------------------------------------------ attach and detach

    /**
     * Attaches {@code medium} (the volume {@code mediumId}) to VM {@code vmId} on the first free port of the configured
     * controller. Already attached there: true, nothing changed. With {@code exclusive}, false while another VM holds
     * it (checked under the session lock; VirtualBox itself refuses a disk another running VM has).
     */
    boolean attach(VboxSession s, String vmId, Ref medium, boolean exclusive, ErrorContext ctx) {
        return locked(s, vmId, ctx, sm -> {
            List<String> holders = s.machineIds(medium).stream().map(m -> m.strip().toLowerCase(Locale.ROOT)).toList();
            if (holders.contains(vmId)) {
                // attached in the VM's current settings; after a lost session (a web-service restart between
                // attachDevice and saveSettings) not yet in its saved ones, so save what is pending
                save(s, sm);
                return true;
            }
            if (exclusive && !holders.isEmpty()) {
                return false;
            }
            String controller = settings.controllerName();
            int ports = s.portCount(controller(s, sm, vmId, ctx));
            for (int attempt = 1; ; attempt++) {
                int port = freePort(s, sm, controller, ports, vmId, ctx);
                try {
                    s.attachDevice(sm, controller, port, 0, medium);
                } catch (VboxFault f) {
                    if (f.is(ResultCodes.VBOX_E_INVALID_OBJECT_STATE) && exclusive) {
                        return false; // "locked for writing by another task": another running VM took it first
                    }
                    if (f.is(ResultCodes.VBOX_E_OBJECT_IN_USE) && attempt < ATTEMPTS) {
                        continue; // the port was taken by another process meanwhile
                    }
                    throw f;
                }
                save(s, sm);
                return true;
            }
        });
    }

    /** Detaches volume {@code mediumId} from VM {@code vmId} only; true when something was detached. */
    boolean detach(VboxSession s, String vmId, Ref medium, String mediumId, ErrorContext ctx) {
        if (s.machineIds(medium).stream().noneMatch(m -> m.strip().equalsIgnoreCase(vmId))) {
            return false;
        }
        return locked(s, vmId, ctx, sm -> {
            boolean changed = false;
            for (MediumAttachment a : s.mediumAttachments(sm)) {
                if (a.hardDisk() && s.mediumId(a.medium()).strip().equalsIgnoreCase(mediumId)) {
                    try {
                        s.detachDevice(sm, a.controller(), a.port(), a.device());
                    } catch (VboxFault f) {
                        throw detachRefused(f, vmId, ctx);
                    }
                    changed = true;
                }
            }
            // also when nothing was left to detach: a detach whose session was lost before saveSettings (a web-service
            // restart) is pending in a running VM's current settings, and the medium still lists the VM until it is saved
            save(s, sm);
            return changed;
        });
    }

    private static RuntimeException detachRefused(VboxFault f, String vmId, ErrorContext ctx) {
        if (f.is(ResultCodes.VBOX_E_NOT_SUPPORTED)) {
            return new OperationFailedException(ctx, "VM " + vmId + " runs and the disk was attached while it was off, so it cannot be"
                    + " hot-unplugged (" + f.text() + "); power the VM off to detach it", f);
        }
        return f;
    }

    private void save(VboxSession s, Ref sm) {
        try {
            s.saveSettings(sm);
        } catch (VboxException e) {
            try {
                s.discardSettings(sm);
            } catch (VboxException ignored) {
                // unlocking discards unsaved changes too
            }
            throw e;
        }
    }

    /**
     * Runs {@code work} on VM {@code vmId}'s mutable machine under a shared session lock, serialised with other work on
     * that VM in this JVM; unlocks whatever happens. A saved VM cannot change: that is a fencing refusal naming the way
     * out (its saved state would be lost).
     */
    private <T> T locked(VboxSession s, String vmId, ErrorContext ctx, Function<Ref, T> work) {
        ReentrantLock lock = STRIPES[Math.floorMod((settings.endpoint() + vmId).hashCode(), STRIPES.length)];
        lock.lock();
        try {
            Ref machine = findMachine(s, vmId, ctx);
            Ref session = s.sessionObject();
            s.lockMachine(machine, session, VboxSession.LockType.Shared);
            try {
                return work.apply(s.sessionMachine(session));
            } catch (VboxFault f) {
                if (f.is(ResultCodes.VBOX_E_INVALID_VM_STATE) && "Saved".equals(s.machineState(machine))) {
                    throw new FencingUnavailableException(ctx, "VM " + vmId + " is in the saved state, whose disks VirtualBox does not let"
                            + " change; discard its saved state first (VBoxManage discardstate " + vmId + "; that VM then boots afresh)", f);
                }
                throw f;
            } finally {
                try {
                    s.unlockMachine(session);
                } catch (VboxFault f) {
                    if (f.invalidObject()) {
                        throw f;
                    }
                    // already unlocked (the VM process ended meanwhile)
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private static Ref findMachine(VboxSession s, String vmId, ErrorContext ctx) {
        try {
            return s.findMachine(vmId);
        } catch (VboxFault f) {
            if (f.is(ResultCodes.VBOX_E_OBJECT_NOT_FOUND)) {
                throw new InvalidRequestException(ctx, "the VirtualBox web service knows no VM " + vmId
                        + " (vboxwebsrv must run as the host user that owns the VMs)");
            }
            throw f;
        }
    }

    /** The configured controller of a machine (registered or mutable); a missing one names the controllers it has. */
    Ref controller(VboxSession s, Ref machine, String vmName, ErrorContext ctx) {
        try {
            return s.storageControllerByName(machine, settings.controllerName());
        } catch (VboxFault f) {
            if (!f.is(ResultCodes.VBOX_E_OBJECT_NOT_FOUND)) {
                throw f;
            }
            List<String> names = new ArrayList<>();
            for (Ref c : s.storageControllers(machine)) {
                names.add("'" + s.controllerName(c) + "' (" + s.controllerBus(c) + ")");
            }
            throw new InvalidConfigurationException(ctx, VirtualBoxSettings.SECTION + ".controllerName", "VM " + vmName
                    + " has no storage controller named '" + settings.controllerName() + "'; it has " + (names.isEmpty() ? "none"
                    : String.join(", ", names)) + ". Set controllerName to its SATA controller's exact name (only SATA hot-plugs disks),"
                    + " or rename it with the VM powered off: VBoxManage storagectl <vm> --name '<current name>' --rename "
                    + settings.controllerName());
        }
    }

    /** The first port of the controller without a device, below its current port count. */
    int freePort(VboxSession s, Ref machine, String controller, int ports, String vmName, ErrorContext ctx) {
        boolean[] used = new boolean[ports];
        for (MediumAttachment a : s.mediumAttachmentsOfController(machine, controller)) {
            if (a.port() >= 0 && a.port() < ports) {
                used[a.port()] = true;
            }
        }
        for (int p = 0; p < ports; p++) {
            if (!used[p]) {
                return p;
            }
        }
        throw noFreePort(ctx, vmName, ports);
    }

    InvalidConfigurationException noFreePort(ErrorContext ctx, String vmName, int ports) {
        return new InvalidConfigurationException(ctx, VirtualBoxSettings.SECTION + ".controllerName", "all " + ports + " port(s) of"
                + " controller '" + settings.controllerName() + "' of VM " + vmName + " are in use (VirtualBox allows ports below the"
                + " controller's port count only); raise the count with the VM powered off: VBoxManage storagectl " + vmName
                + " --name " + settings.controllerName() + " --portcount 30 (SATA allows up to 30)");
    }
}
