package io.libstorage.virtualbox.internal;

import io.libstorage.api.AccessMode;
import io.libstorage.api.Attachment;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.Feature;
import io.libstorage.api.HostId;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.OwnerEvidence;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeInUseException;
import io.libstorage.api.VolumeNames;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.spi.HostDevices;
import io.libstorage.spi.HostSide;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.VolumeMapping;
import io.libstorage.spi.support.SpecCompatibility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The VirtualBox storage driver, over the VirtualBox web service (vboxwebsrv): volumes are hard disks directly in
 * {@code volumePath} on the VirtualBox host, hot-plugged into this guest's VM on a free port of its SATA controller;
 * hosts are VMs (their UUIDs). One websession per driver (re-logon once after a web-service restart), this guest's VM
 * resolved once at start, and start-up checks that each fail with their own error: web service unreachable, logon
 * refused, VM not found (or ambiguous), controller not found, no free port, volume directory missing on the host.
 *
 * <p>No snapshots and no grow: VirtualBox offers them for media (machine snapshots, {@code IMedium::resize}) but not
 * for a disk hot-plugged into a running VM, so they are not declared. SOAP calls per operation: see
 * {@code benchmarks/README.md}.
 */
final class VirtualBoxStorageDriver implements StorageDriver {
    private static final Logger LOG = LoggerFactory.getLogger(VirtualBoxStorageDriver.class);
    static final String NAME = "virtualbox";
    /** VirtualBox sizes disks in whole MiB ({@code VBoxManage createmedium --size}); every request is rounded up to one. */
    static final long SIZE_UNIT = ByteSizes.MIB;
    private static final ReentrantLock[] CREATE_STRIPES = new ReentrantLock[64];

    static {
        for (int i = 0; i < CREATE_STRIPES.length; i++) {
            CREATE_STRIPES[i] = new ReentrantLock();
        }
    }

    private final VirtualBoxSettings settings;
    private final VboxCalls calls;
    private final VboxVolumes volumes;
    private final Machines machines;
    private final VboxHostSide hostSide;
    private final MountedHere mountedHere;
    private final LocalVm vm;

    private VirtualBoxStorageDriver(VirtualBoxSettings settings, VboxWebService service, HostDevices devices) {
        this.settings = settings;
        this.calls = new VboxCalls(service);
        this.volumes = new VboxVolumes(new VolumePath(settings.requireVolumePath()));
        this.machines = new Machines(settings);
        ErrorContext ctx = ErrorContext.of("connect", null, null, NAME);
        service.logon(ctx);
        Set<String> macs = settings.localMachineNameOrId().isPresent() ? Set.of() : VboxHostSide.guestMacs(settings.netClassPath());
        this.vm = calls.run(ctx, s -> LocalVm.resolve(s, settings, macs, ctx));
        ErrorContext here = ctx.withHost(vm.id());
        calls.run(here, s -> {
            checkController(s, here);
            return null;
        });
        checkVolumePath(here);
        this.hostSide = new VboxHostSide(settings, new HostId(vm.id()));
        this.mountedHere = new MountedHere(hostSide, devices);
        LOG.info("virtualbox: web service {} (VirtualBox {}), this guest is VM {}, controller '{}', volumes in {} on the host",
                settings.endpoint(), calls.run(here, VboxSession::version), vm, settings.controllerName(), volumes.path());
    }

    /** Connects and runs the start-up checks; {@code devices} tells whether this guest has a disk mounted. */
    static VirtualBoxStorageDriver connect(VirtualBoxSettings settings, HostDevices devices) {
        VboxWebService service = new VboxWebService(settings);
        try {
            return new VirtualBoxStorageDriver(settings, service, devices);
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }

    /** The controller exists, hot-plugs, and has a free port (or its ports hold volumes already). */
    private void checkController(VboxSession s, ErrorContext ctx) {
        Ref machine = s.findMachine(vm.id());
        Ref controller = machines.controller(s, machine, vm.name(), ctx);
        String bus = s.controllerBus(controller);
        if (!bus.equals("SATA") && !bus.equals("USB")) {
            throw new InvalidConfigurationException(ctx, VirtualBoxSettings.SECTION + ".controllerName", "controller '"
                    + settings.controllerName() + "' of VM " + vm.name() + " is a " + bus + " controller; VirtualBox hot-plugs disks"
                    + " only into SATA controllers: name the VM's SATA controller (or add one with the VM powered off:"
                    + " VBoxManage storagectl " + vm.name() + " --name SATA --add sata --portcount 30)");
        }
        int ports = s.portCount(controller);
        try {
            machines.freePort(s, machine, settings.controllerName(), ports, vm.name(), ctx);
        } catch (InvalidConfigurationException full) {
            boolean holdsVolumes = s.mediumAttachmentsOfController(machine, settings.controllerName()).stream()
                    .anyMatch(a -> a.hardDisk() && volumes.path().nameOf(s.mediumLocation(a.medium())).isPresent());
            if (!holdsVolumes) {
                throw full;
            }
            LOG.warn("virtualbox: {} (it holds volumes already, so the driver starts)", full.detail());
        }
    }

    /**
     * {@code volumePath} must exist on the host and take new disks: a 1 MiB probe disk is created there without
     * creating directories ({@code NoCreateDir}) and deleted again.
     */
    private void checkVolumePath(ErrorContext ctx) {
        calls.run(ctx, s -> {
            String probe = volumes.path().location(".libstorage-probe-" + UUID.randomUUID());
            Ref medium = s.createMedium("vmdk", probe);
            try {
                s.awaitProgress(s.createBaseStorage(medium, SIZE_UNIT, "Standard", "NoCreateDir"), "IMedium_createBaseStorage",
                        settings.progressTimeout());
            } catch (VboxProgressFailure f) {
                throw volumePathRefused(ctx, f);
            }
            s.awaitProgress(s.deleteStorage(medium), "IMedium_deleteStorage", settings.progressTimeout());
            return null;
        });
    }

    private InvalidConfigurationException volumePathRefused(ErrorContext ctx, VboxProgressFailure f) {
        String problem = f.text().contains("does not exist")
                ? "the directory " + volumes.path() + " does not exist on the VirtualBox host (" + f.text() + "); volumePath is a"
                + " path on the host, not in this guest: create it there, writable by the user vboxwebsrv runs as"
                : "the VirtualBox host cannot create disks in " + volumes.path() + ": " + f.getMessage()
                + " (it must be writable by the user vboxwebsrv runs as)";
        return new InvalidConfigurationException(ctx, VirtualBoxSettings.SECTION + ".volumePath", problem);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Feature> features() {
        return EnumSet.of(Feature.REMOTE_ATTACH, Feature.OWNER_LIVENESS, Feature.KEEPS_SPEC);
    }

    @Override
    public HostSide hostSide() {
        return hostSide;
    }

    private ErrorContext ctx(String operation, String volume) {
        return ErrorContext.of(operation, volume, hostSide.localHost().value(), NAME);
    }

    @Override
    public Optional<Volume> inspect(VolumeId id) {
        return calls.run(ctx("inspect", id.value()), s -> volumes.byId(s, id.value()).map(VboxVolumes.Found::volume));
    }

    @Override
    public Optional<Volume> findByName(String name) {
        return calls.run(ctx("inspect", name), s -> volumes.byName(s, name).map(VboxVolumes.Found::volume));
    }

    @Override
    public List<Volume> list() {
        return calls.run(ctx("list", null), volumes::list);
    }

    /**
     * Creates {@code volumePath/name} as a VMDK of the requested size rounded up to whole MiB, and records the spec in
     * its description. A create of an existing name is a repeat when the specs are compatible (a disk without a
     * recorded spec, e.g. REX-Ray's, is adopted when it is at least as large). Creates of one name are serialised in
     * this JVM; across processes VirtualBox refuses the second storage unit and the loser finds the winner's disk.
     */
    @Override
    public Volume create(String name, VolumeSpec spec) {
        ErrorContext ctx = ctx("create", name);
        VolumeNames.requireValid(name, ctx);
        ByteSizes.requireVolumeSize(spec.sizeBytes(), ctx);
        if (spec.sourceSnapshot().isPresent()) {
            throw unsupported("create from snapshot", name, Feature.CREATE_FROM_SNAPSHOT);
        }
        if (spec.accessMode() != AccessMode.SINGLE_HOST_READ_WRITE) {
            throw new InvalidRequestException(ctx, "access mode " + spec.accessMode() + " is not offered: VirtualBox attaches a normal"
                    + " disk to one running VM at a time");
        }
        if (!spec.driverOptions().isEmpty()) {
            throw new InvalidRequestException(ctx, "unknown driver options " + spec.driverOptions().keySet()
                    + ": the virtualbox driver takes none");
        }
        long bytes = ByteSizes.roundUp(spec.sizeBytes(), SIZE_UNIT);
        String location = volumes.path().location(name);
        ReentrantLock lock = CREATE_STRIPES[Math.floorMod((settings.endpoint() + location).hashCode(), CREATE_STRIPES.length)];
        lock.lock();
        try {
            return calls.run(ctx, s -> {
                Optional<VboxVolumes.Found> existing = volumes.byName(s, name);
                if (existing.isPresent()) {
                    return repeat(s, existing.get(), spec, ctx);
                }
                Ref medium = s.createMedium("vmdk", location);
                try {
                    s.awaitProgress(s.createBaseStorage(medium, bytes, "Standard", "NoCreateDir"), "IMedium_createBaseStorage",
                            settings.progressTimeout());
                } catch (VboxProgressFailure f) {
                    if (f.text().contains("does not exist")) {
                        throw volumePathRefused(ctx, f);
                    }
                    Optional<VboxVolumes.Found> raced = volumes.byName(s, name);
                    if (raced.isPresent()) {
                        return repeat(s, raced.get(), spec, ctx);
                    }
                    throw f;
                }
                s.setMediumDescription(medium, MediumDescription.encode(spec));
                return volumes.view(s, medium, name, s.mediumLocation(medium));
            });
        } finally {
            lock.unlock();
        }
    }

    private Volume repeat(VboxSession s, VboxVolumes.Found found, VolumeSpec requested, ErrorContext ctx) {
        Volume v = found.volume();
        if (MediumDescription.decode(s.mediumDescription(found.medium())).isEmpty()) {
            if (v.allocatedSizeBytes() < requested.sizeBytes()) {
                SpecCompatibility.requireCompatible(ctx, v.spec(), requested);
            }
            s.setMediumDescription(found.medium(), MediumDescription.encode(requested));
            return volumes.view(s, found.medium(), v.name(), v.fields().get("location"));
        }
        SpecCompatibility.requireCompatible(ctx, v.spec(), requested);
        return v;
    }

    @Override
    public void remove(VolumeId id, RemoveOptions options) {
        ErrorContext plain = ctx("remove", id.value());
        calls.run(plain, s -> {
            Optional<VboxVolumes.Found> found = volumes.byId(s, id.value());
            if (found.isEmpty()) {
                if (options.strict()) {
                    throw new VolumeNotFoundException(plain);
                }
                return null;
            }
            Volume v = found.get().volume();
            ErrorContext ctx = VboxVolumes.named(plain, v);
            if (!v.attachments().isEmpty()) {
                List<HostId> hosts = v.attachments().stream().map(Attachment::hostId).toList();
                if (!options.force()) {
                    throw new VolumeInUseException(ctx, "attached to VM(s) " + hosts + "; detach it first, or remove it with force");
                }
                for (HostId h : hosts) {
                    mountedHere.refuse(h, v.id().value(), ctx);
                }
                for (HostId h : hosts) {
                    machines.detach(s, Machines.vmId(h, ctx), found.get().medium(), v.id().value(), ctx);
                }
            }
            Ref deletion;
            try {
                deletion = s.deleteStorage(found.get().medium());
            } catch (VboxFault f) {
                if (f.is(ResultCodes.VBOX_E_INVALID_OBJECT_STATE) && awaitDeleted(s, v.id().value())) {
                    return null; // a deletion already under way (started before a web-service restart) finished it
                }
                throw f;
            }
            s.awaitProgress(deletion, "IMedium_deleteStorage", settings.progressTimeout());
            return null;
        });
    }

    /** Whether the medium is gone within the progress timeout (its state says a deletion runs). */
    private boolean awaitDeleted(VboxSession s, String id) {
        long deadline = System.nanoTime() + settings.progressTimeout().toNanos();
        while (System.nanoTime() - deadline < 0) {
            Optional<Ref> medium = volumes.open(s, id);
            if (medium.isEmpty()) {
                return true;
            }
            String state = s.mediumState(medium.get());
            if (state.equals("NotCreated")) {
                return true; // the deletion finished between the two calls
            }
            if (!state.equals("Deleting")) {
                return false;
            }
            s.release(medium.get());
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    @Override
    public VolumeMapping mapping(VolumeId id, HostId target) {
        return new VboxMapping(calls, volumes, machines, mountedHere, id.value(), target, ctx("attach", id.value()));
    }

    /** Detaches from {@code host}'s VM only (never from every VM, as REX-Ray did); not attached there: nothing changes. */
    @Override
    public void detach(VolumeId id, HostId host, DetachOptions options) {
        ErrorContext ctx = ctx("detach", id.value());
        String vmId = Machines.vmId(host, ctx);
        calls.run(ctx, s -> {
            Optional<Ref> medium = volumes.open(s, id.value());
            if (medium.isEmpty()) {
                return false;
            }
            mountedHere.refuse(host, id.value(), ctx);
            return machines.detach(s, vmId, medium.get(), id.value(), ctx);
        });
    }

    @Override
    public OwnerEvidence ownerEvidence(HostId host) {
        ErrorContext ctx = ctx("owner evidence", null);
        return calls.run(ctx, s -> machines.evidence(s, host, ctx));
    }

    /** Logs off and closes the connections. */
    @Override
    public void close() {
        calls.service().close();
    }
}
