package io.libstorage.virtualbox.internal;

import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationTimeoutException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The typed operations, used inside {@link VboxWebService#withSession}. Each method is one SOAP request (the
 * progress wait a bounded loop of them). Every reference a method returns is held by this piece of work and released
 * when it ends; {@link #release} lets go earlier. An empty reference where one is required means the websession is
 * gone and raises the invalid-object fault that makes {@code withSession} log on again. Not thread-safe: one per
 * piece of work.
 */
public final class VboxSession {
    private static final Duration WAIT_SLICE = Duration.ofSeconds(2);
    private static final int MAX_ERROR_CHAIN = 10;

    /** {@code LockType} values a client may ask for. */
    public enum LockType { Shared, Write }

    private final VboxWebService service;
    private final Websession websession;
    private final ErrorContext ctx;
    private final List<Ref> held = new ArrayList<>();
    private boolean closed;

    VboxSession(VboxWebService service, Websession websession, ErrorContext ctx) {
        this.service = service;
        this.websession = websession;
        this.ctx = ctx;
    }

    /** The websession's {@code IVirtualBox} reference. */
    public Ref vbox() {
        return websession.vbox();
    }

    // ------------------------------------------------------------------ IVirtualBox

    public String version() {
        return text(SoapCall.on("IVirtualBox_getVersion", vbox()));
    }

    public Ref findMachine(String nameOrId) {
        return ref(SoapCall.on("IVirtualBox_findMachine", vbox()).text("nameOrId", nameOrId));
    }

    public List<Ref> machines() {
        return refs(SoapCall.on("IVirtualBox_getMachines", vbox()));
    }

    /** Every registered base hard disk, the VMs' own disks included. */
    public List<Ref> hardDisks() {
        return refs(SoapCall.on("IVirtualBox_getHardDisks", vbox()));
    }

    public Ref systemProperties() {
        return ref(SoapCall.on("IVirtualBox_getSystemProperties", vbox()));
    }

    public int maxNetworkAdapters(Ref systemProperties, String chipset) {
        return integer(SoapCall.on("ISystemProperties_getMaxNetworkAdapters", systemProperties).text("chipset", chipset));
    }

    /** A new, not yet created read-write hard disk at {@code location} on the host. */
    public Ref createMedium(String format, String location) {
        return ref(SoapCall.on("IVirtualBox_createMedium", vbox()).text("format", format).text("location", location)
                .text("accessMode", "ReadWrite").text("aDeviceTypeType", "HardDisk"));
    }

    /**
     * The hard disk at {@code location}, registering it if needed; a UUID instead of a location names a registered
     * medium (what replaced {@code findMedium} in VirtualBox 4.2). One call instead of listing every medium.
     */
    public Ref openMedium(String location) {
        return ref(SoapCall.on("IVirtualBox_openMedium", vbox()).text("location", location).text("deviceType", "HardDisk")
                .text("accessMode", "ReadWrite").bool("forceNewUuid", false));
    }

    // ------------------------------------------------------------------ sessions and locks

    /** A new ISession object of this websession. */
    public Ref sessionObject() {
        return ref(SoapCall.of("IWebsessionManager_getSessionObject").ref("refIVirtualBox", vbox()));
    }

    public void lockMachine(Ref machine, Ref session, LockType type) {
        call(SoapCall.on("IMachine_lockMachine", machine).ref("session", session).text("lockType", type.name()));
    }

    /** The locked session's mutable machine. */
    public Ref sessionMachine(Ref session) {
        return ref(SoapCall.on("ISession_getMachine", session));
    }

    public void unlockMachine(Ref session) {
        call(SoapCall.on("ISession_unlockMachine", session));
    }

    // ------------------------------------------------------------------ IMachine

    public String machineId(Ref machine) {
        return text(SoapCall.on("IMachine_getId", machine));
    }

    public String machineName(Ref machine) {
        return text(SoapCall.on("IMachine_getName", machine));
    }

    /** {@code MachineState}: {@code Running}, {@code PoweredOff}, {@code Aborted}, {@code Saved}, … */
    public String machineState(Ref machine) {
        return text(SoapCall.on("IMachine_getState", machine));
    }

    public String chipsetType(Ref machine) {
        return text(SoapCall.on("IMachine_getChipsetType", machine));
    }

    public Ref networkAdapter(Ref machine, long slot) {
        return ref(SoapCall.on("IMachine_getNetworkAdapter", machine).number("slot", slot));
    }

    /** 12 upper-case hex digits. */
    public String macAddress(Ref adapter) {
        return text(SoapCall.on("INetworkAdapter_getMACAddress", adapter));
    }

    public List<Ref> storageControllers(Ref machine) {
        return refs(SoapCall.on("IMachine_getStorageControllers", machine));
    }

    public Ref storageControllerByName(Ref machine, String name) {
        return ref(SoapCall.on("IMachine_getStorageControllerByName", machine).text("name", name));
    }

    public List<MediumAttachment> mediumAttachments(Ref machine) {
        return attachments(SoapCall.on("IMachine_getMediumAttachments", machine));
    }

    public List<MediumAttachment> mediumAttachmentsOfController(Ref machine, String controller) {
        return attachments(SoapCall.on("IMachine_getMediumAttachmentsOfController", machine).text("name", controller));
    }

    /** Attaches a hard disk to a session's mutable machine. */
    public void attachDevice(Ref mutableMachine, String controller, int port, int device, Ref medium) {
        call(SoapCall.on("IMachine_attachDevice", mutableMachine).text("name", controller).number("controllerPort", port)
                .number("device", device).text("type", "HardDisk").ref("medium", medium));
    }

    public void detachDevice(Ref mutableMachine, String controller, int port, int device) {
        call(SoapCall.on("IMachine_detachDevice", mutableMachine).text("name", controller).number("controllerPort", port)
                .number("device", device));
    }

    public void saveSettings(Ref mutableMachine) {
        call(SoapCall.on("IMachine_saveSettings", mutableMachine));
    }

    public void discardSettings(Ref mutableMachine) {
        call(SoapCall.on("IMachine_discardSettings", mutableMachine));
    }

    // ------------------------------------------------------------------ IStorageController

    public String controllerName(Ref controller) {
        return text(SoapCall.on("IStorageController_getName", controller));
    }

    /** {@code StorageBus}: {@code SATA}, {@code IDE}, … */
    public String controllerBus(Ref controller) {
        return text(SoapCall.on("IStorageController_getBus", controller));
    }

    /** The ports usable now (VirtualBox refuses ports at or above it). */
    public int portCount(Ref controller) {
        return integer(SoapCall.on("IStorageController_getPortCount", controller));
    }

    public int maxPortCount(Ref controller) {
        return integer(SoapCall.on("IStorageController_getMaxPortCount", controller));
    }

    // ------------------------------------------------------------------ IMedium

    public String mediumId(Ref medium) {
        return text(SoapCall.on("IMedium_getId", medium));
    }

    public String mediumName(Ref medium) {
        return text(SoapCall.on("IMedium_getName", medium));
    }

    public String mediumLocation(Ref medium) {
        return text(SoapCall.on("IMedium_getLocation", medium));
    }

    public String mediumDescription(Ref medium) {
        return text(SoapCall.on("IMedium_getDescription", medium));
    }

    /** Sets the medium's description (kept in VirtualBox's media registry). */
    public void setMediumDescription(Ref medium, String description) {
        call(SoapCall.on("IMedium_setDescription", medium).text("description", description));
    }

    public String mediumFormat(Ref medium) {
        return text(SoapCall.on("IMedium_getFormat", medium));
    }

    /** {@code MediumState}: {@code Created}, {@code NotCreated}, … */
    public String mediumState(Ref medium) {
        return text(SoapCall.on("IMedium_getState", medium));
    }

    public long logicalSize(Ref medium) {
        String s = text(SoapCall.on("IMedium_getLogicalSize", medium));
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw new BackendUnavailableException(ctx, "IMedium_getLogicalSize answered '" + s + "', not a number", false, null);
        }
    }

    /** UUIDs of the machines the medium is attached to. */
    public List<String> machineIds(Ref medium) {
        return service.call(ctx, SoapCall.on("IMedium_getMachineIds", medium)).texts();
    }

    /** Starts creating the medium's storage; returns the progress. {@code variants} empty means Standard. */
    public Ref createBaseStorage(Ref medium, long logicalSize, String... variants) {
        SoapCall c = SoapCall.on("IMedium_createBaseStorage", medium).number("logicalSize", logicalSize);
        for (String v : variants.length == 0 ? new String[] {"Standard"} : variants) {
            c = c.text("variant", v);
        }
        return ref(c);
    }

    /** Starts deleting the medium's storage (and unregistering it); returns the progress. */
    public Ref deleteStorage(Ref medium) {
        return ref(SoapCall.on("IMedium_deleteStorage", medium));
    }

    /** Unregisters the medium without deleting its storage. */
    public void closeMedium(Ref medium) {
        call(SoapCall.on("IMedium_close", medium));
    }

    // ------------------------------------------------------------------ IProgress

    /**
     * Waits for a progress in bounded slices until it completes or {@code timeout} passes, then checks its result
     * code; a failure becomes a {@link VboxProgressFailure} carrying the error info's texts.
     *
     * @param startedBy the operation that returned the progress, for messages
     * @throws OperationTimeoutException when it has not completed in time (the work may still finish later)
     */
    public void awaitProgress(Ref progress, String startedBy, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new OperationTimeoutException(ctx, startedBy + " (progress " + progress + ")", timeout);
            }
            long slice = Math.max(1, Math.min(Duration.ofNanos(left).toMillis(), WAIT_SLICE.toMillis()));
            call(SoapCall.on("IProgress_waitForCompletion", progress).number("timeout", slice));
            if (Boolean.parseBoolean(text(SoapCall.on("IProgress_getCompleted", progress)).strip())) {
                break;
            }
        }
        int rc = integer(SoapCall.on("IProgress_getResultCode", progress));
        if (rc == 0) {
            return;
        }
        List<String> texts = new ArrayList<>();
        String component = "";
        Ref info = optionalRef(SoapCall.on("IProgress_getErrorInfo", progress));
        for (int i = 0; info != null && i < MAX_ERROR_CHAIN; i++) {
            texts.add(text(SoapCall.on("IVirtualBoxErrorInfo_getText", info)));
            if (i == 0) {
                component = text(SoapCall.on("IVirtualBoxErrorInfo_getComponent", info));
            }
            info = optionalRef(SoapCall.on("IVirtualBoxErrorInfo_getNext", info));
        }
        throw new VboxProgressFailure(startedBy, rc, texts, component);
    }

    // ------------------------------------------------------------------ references

    /** Lets go of a reference now instead of at the end of the work. */
    public void release(Ref ref) {
        if (held.remove(ref)) {
            websession.dropAndRelease(ref, () -> sendRelease(ref));
        }
    }

    /** Releases every reference still held (idempotent). */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Ref r : List.copyOf(held)) {
            release(r);
        }
    }

    private void sendRelease(Ref ref) {
        try {
            service.call(ctx, SoapCall.on("IManagedObjectRef_release", ref));
        } catch (VboxFault | BackendUnavailableException e) {
            // already gone with its websession, or the service is away: nothing left to release
        }
    }

    private void call(SoapCall c) {
        service.call(ctx, c);
    }

    private String text(SoapCall c) {
        return service.call(ctx, c).single();
    }

    private int integer(SoapCall c) {
        String s = text(c);
        try {
            return (int) Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            throw new BackendUnavailableException(ctx, c.operation() + " answered '" + s + "', not a number", false, null);
        }
    }

    private Ref ref(SoapCall c) {
        Ref r = optionalRef(c);
        if (r == null) {
            throw VboxFault.deadWebsession(c.operation(), vbox());
        }
        return r;
    }

    private Ref optionalRef(SoapCall c) {
        return websession.handingOut(() -> hold(service.call(ctx, c).single()));
    }

    private List<Ref> refs(SoapCall c) {
        return websession.handingOut(() -> {
            List<Ref> out = new ArrayList<>();
            for (String id : service.call(ctx, c).texts()) {
                Ref r = hold(id);
                if (r != null) {
                    out.add(r);
                }
            }
            return out;
        });
    }

    private List<MediumAttachment> attachments(SoapCall c) {
        return websession.handingOut(() -> {
            List<MediumAttachment> out = new ArrayList<>();
            for (Map<String, String> fields : service.call(ctx, c).structs()) {
                hold(fields.get("machine"));
                out.add(MediumAttachment.from(fields, hold(fields.get("medium"))));
            }
            return out;
        });
    }

    private Ref hold(String id) {
        if (id == null || id.isBlank()) {
            return null;
        }
        Ref r = new Ref(id.strip());
        websession.hold(r);
        held.add(r);
        return r;
    }
}
