package io.libstorage.emulator.vbox.internal;

import io.libstorage.emulator.vbox.ControllerSpec;
import io.libstorage.emulator.vbox.MachineInfo;
import io.libstorage.emulator.vbox.MachineSpec;
import io.libstorage.emulator.vbox.MachineState;
import io.libstorage.emulator.vbox.MediumInfo;
import io.libstorage.emulator.vbox.StorageBus;
import io.libstorage.emulator.vbox.internal.host.DataPath;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The VirtualBox host behind the web service: registered machines and media, and what each running VM's guest
 * sees (kept in step with the data path). Every call from the web service runs under this object's monitor.
 */
public final class Model implements AutoCloseable {
    private static final long BOOT_DISK_BYTES = 64L << 20;

    private final Map<UUID, Vm> machines = new LinkedHashMap<>();
    private final Set<String> usedMacs = new HashSet<>();
    /** The {@code scsi_host/hostN/scan} files this emulator created (deleted at close). */
    private final List<Path> scanFiles = new ArrayList<>();
    private final Path dataDir;
    private final DataPath dataPath;
    private final Progresses progresses = new Progresses(this);
    private final Media media;
    private final Machines rules = new Machines(this);

    public Model(Path dataDir, DataPath dataPath) {
        this.dataDir = dataDir;
        this.dataPath = dataPath;
        this.media = new Media(this, dataDir.resolve("HardDisks"));
    }

    Progresses progresses() {
        return progresses;
    }

    Media mediaRules() {
        return media;
    }

    Machines rules() {
        return rules;
    }

    List<Vm> vms() {
        return new ArrayList<>(machines.values());
    }

    // ------------------------------------------------------------------ machines

    /** Registers a machine; a running one is locked by its VM process at once. */
    public synchronized UUID addMachine(MachineSpec spec) throws IOException {
        for (Vm v : machines.values()) {
            if (v.name.equals(spec.name())) {
                throw new IllegalArgumentException("a machine named '" + spec.name() + "' exists already");
            }
        }
        UUID id = spec.id() != null ? spec.id() : UUID.randomUUID();
        if (machines.containsKey(id)) {
            throw new IllegalArgumentException("a machine with UUID " + id + " exists already");
        }
        // VirtualBox does not stop two VMs from having the same MAC, so neither does the emulator
        List<String> macs = new ArrayList<>(spec.macs());
        usedMacs.addAll(macs);
        while (macs.size() < MachineSpec.maxAdapters(spec.chipset())) {
            macs.add(generateMac());
        }
        List<Controller> controllers = new ArrayList<>();
        for (ControllerSpec c : spec.controllers()) {
            controllers.add(new Controller(c.name(), c.bus(), c.portCount()));
        }
        if (spec.emptyDvd() && controllers.stream().noneMatch(c -> c.name().equals("IDE"))) {
            controllers.add(new Controller("IDE", StorageBus.IDE, 2));
        }
        Vm vm = new Vm(id, spec.name(), spec.state(), spec.chipset(), macs, controllers, spec.diskIdPath(), spec.scsiHostPath());
        if (spec.bootDisk() && !controllers.isEmpty()) {
            Disk boot = media.addImage(dataDir.resolve("Machines").resolve(spec.name()).resolve(spec.name() + "-disk001.vmdk"),
                    BOOT_DISK_BYTES);
            vm.committed.add(new Attachment(controllers.get(0).name(), 0, 0, "HardDisk", boot, false));
        }
        if (spec.emptyDvd()) {
            vm.committed.add(new Attachment("IDE", 1, 0, "DVD", null, false));
        }
        if (vm.scsiHostPath != null) {
            for (String host : List.of("host0", "host1")) {
                Path scan = Files.createDirectories(vm.scsiHostPath.resolve(host)).resolve("scan");
                if (!Files.exists(scan)) {
                    scanFiles.add(Files.createFile(scan));
                }
            }
        }
        machines.put(id, vm);
        if (vm.state.online()) {
            vm.session = new SessionMachine(vm, null);
        }
        syncGuest(vm);
        return id;
    }

    private String generateMac() {
        while (true) {
            String mac = String.format(Locale.ROOT, "080027%06X", ThreadLocalRandom.current().nextInt(1 << 24));
            if (usedMacs.add(mac)) {
                return mac;
            }
        }
    }

    Vm findMachine(String nameOrId) {
        UUID id = parseUuid(nameOrId);
        if (id != null) {
            Vm vm = machines.get(id);
            if (vm == null) {
                throw new ComError(ComError.VBOX_E_OBJECT_NOT_FOUND, "VirtualBox",
                        "Could not find a registered machine with UUID {" + id + "}");
            }
            return vm;
        }
        for (Vm vm : machines.values()) {
            if (vm.name.equals(nameOrId)) {
                return vm;
            }
        }
        throw new ComError(ComError.VBOX_E_OBJECT_NOT_FOUND, "VirtualBox",
                "Could not find a registered machine named '" + (nameOrId == null ? "" : nameOrId) + "'");
    }

    /** Looks a machine up by name or UUID for the admin API and tests. */
    public synchronized UUID machineId(String nameOrId) {
        return findMachine(nameOrId).id;
    }

    static UUID parseUuid(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        if (t.startsWith("{") && t.endsWith("}")) {
            t = t.substring(1, t.length() - 1);
        }
        if (t.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(t);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Powers a VM on or off, saves or aborts it. Leaving Running/Paused ends the VM process: its write lock goes,
     * shared sessions are closed and unsaved changes are lost; entering them needs the machine unlocked.
     */
    public synchronized void setState(UUID vmId, MachineState target) {
        Vm vm = machines.get(vmId);
        if (vm == null) {
            throw new IllegalArgumentException("no machine " + vmId);
        }
        if (vm.state == target) {
            return;
        }
        if (target.online() && !vm.state.online()) {
            if (vm.session != null) {
                throw new IllegalStateException("machine '" + vm.name + "' is locked by a session; it cannot be started");
            }
            for (Attachment a : vm.committed) {
                for (Vm other : machines.values()) {
                    if (other != vm && a.medium() != null && other.guestView().stream().anyMatch(b -> b.medium() == a.medium())) {
                        throw new IllegalStateException("medium '" + a.medium().location + "' is locked for writing by machine '"
                                + other.name + "'");
                    }
                }
            }
            vm.state = target;
            vm.session = new SessionMachine(vm, null);
        } else if (!target.online() && vm.state.online()) {
            SessionMachine sm = vm.session;
            vm.state = target;
            if (sm != null) {
                rules.close(sm);
            }
        } else {
            vm.state = target;
        }
        syncGuest(vm);
    }

    /** Ends the sessions of websessions that are gone (logoff, expiry, restart), releasing their locks. */
    synchronized void endSessions(List<SessionObj> sessions) {
        for (SessionObj s : sessions) {
            if (s.locked()) {
                rules.unlock(s);
            }
        }
    }

    /** Makes the data path match what the VM's guest sees now. */
    void syncGuest(Vm vm) {
        if (vm.diskIdPath == null) {
            return;
        }
        Map<UUID, Path> disks = new LinkedHashMap<>();
        for (Attachment a : vm.guestView()) {
            if (a.medium() != null && a.type().equals("HardDisk")) {
                disks.put(a.medium().id, a.medium().location);
            }
        }
        try {
            dataPath.reconcile(vm.id, vm.diskIdPath, disks);
        } catch (IOException e) {
            throw new ComError(ComError.E_FAIL, "Console", "The emulator's data path failed for machine '" + vm.name + "': "
                    + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ inspection for the admin API and tests

    public synchronized List<MachineInfo> machines() {
        List<MachineInfo> out = new ArrayList<>();
        for (Vm vm : machines.values()) {
            List<String> ctls = vm.controllers.stream().map(c -> c.name() + " (" + c.bus() + ", " + c.portCount() + " ports)").toList();
            List<String> atts = vm.committed.stream().map(a -> a.controller() + "-" + a.port() + "-" + a.device() + " "
                    + (a.medium() == null ? "(empty " + a.type() + ")" : a.medium().idText())).toList();
            out.add(new MachineInfo(vm.id, vm.name, vm.state, vm.session == null ? "Unlocked" : "Locked", vm.macs.subList(0,
                    Math.min(vm.macs.size(), 4)), ctls, atts, vm.diskIdPath));
        }
        return out;
    }

    public synchronized List<MediumInfo> media() {
        return media.hardDisks().stream().map(d -> new MediumInfo(d.id, d.location, d.logicalSize, media.machineIds(d))).toList();
    }

    /** The loop device a medium is attached as in a VM's guest (data path on), or null. */
    public synchronized Path device(UUID diskId, UUID vmId) {
        return dataPath.device(diskId, vmId);
    }

    public void progressDelay(Duration delay) {
        progresses.delay(delay);
    }

    public Duration progressDelay() {
        return progresses.delay();
    }

    public void failNextProgresses(int n, int resultCode, String text) {
        progresses.failNext(n, resultCode, text);
    }

    @Override
    public synchronized void close() {
        progresses.close();
        dataPath.close();
        media.deleteOwnFiles();
        for (Path scan : scanFiles) {
            try {
                Files.deleteIfExists(scan);
            } catch (IOException e) {
                // best effort at close
            }
        }
    }
}
