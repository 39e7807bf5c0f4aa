package io.libstorage.core.internal.integration;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.Attachment;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.MountEntry;
import io.libstorage.api.MountOptions;
import io.libstorage.api.OperationDisabledException;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.OwnerStillAliveException;
import io.libstorage.api.RefusedToFormatException;
import io.libstorage.api.StaleMount;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeEvent;
import io.libstorage.api.VolumeAttachedToOtherHostException;
import io.libstorage.api.VolumeEventListener;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.spi.AttachResult;
import io.libstorage.spi.FormatOptions;
import io.libstorage.spi.HostSide;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.ProbeResult;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.support.DeviceWait;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The individual steps of the mount pipeline. Each one looks at the real state first (back end,
 * device, mount table) and does only what is missing, so any sequence of them can be repeated or
 * resumed after a crash.
 */
final class VolumeSteps {
    private final StorageDriver storage;
    private final HostSide host;
    private final OSDriver os;
    private final IntegrationSettings settings;
    private final VolumeEventListener events;
    private final Clock clock;

    VolumeSteps(StorageDriver storage, OSDriver os, IntegrationSettings settings, VolumeEventListener events, Clock clock) {
        this.storage = storage;
        this.host = storage.hostSide();
        this.os = os;
        this.settings = settings;
        this.events = events;
        this.clock = clock;
    }

    HostId localHost() {
        return host.localHost();
    }

    /** The error context of an operation of this host on {@code volume} (or none). */
    ErrorContext context(String operation, String volume) {
        return ErrorContext.of(operation, volume, localHost().value(), storage.name());
    }

    /** The volume a mount works on, whether this call created it, and with what spec (when it did). */
    record Resolved(Volume volume, boolean created, VolumeSpec spec) {
    }

    /**
     * The volume as {@code found} (the back end's answer to {@link StorageDriver#findByName}), created first when it
     * is missing and the request and configuration allow it.
     */
    Resolved resolveOrCreate(String name, Optional<Volume> existing, MountOptions request, ErrorContext ctx) {
        if (existing.isPresent()) {
            return new Resolved(existing.get(), false, null);
        }
        if (!request.createIfMissing().resolve(settings.createImplicit())) {
            throw new VolumeNotFoundException(ctx, "volume does not exist and the mount does not create missing volumes");
        }
        VolumeSpec spec = request.createSpec().orElse(settings.defaultSpec());
        if (request.fsType().isPresent() && request.createSpec().isEmpty()) {
            spec = spec.toBuilder().fsType(request.fsType().get()).build();
        }
        VolumeSpec complete = complete(spec);
        return new Resolved(create(name, complete, ctx), true, complete);
    }

    /**
     * Creates the volume after checking, before anything changes, that the request can be met: creates
     * allowed, a positive size, and a filesystem this host's OS driver can make.
     */
    Volume create(String name, VolumeSpec spec, ErrorContext ctx) {
        if (settings.createDisabled()) {
            throw new OperationDisabledException(ctx, "libstorage." + IntegrationSettings.CREATE_DISABLE);
        }
        ByteSizes.requireVolumeSize(spec.sizeBytes(), ctx);
        spec = complete(spec);
        String fsType = spec.fsType().orElseGet(this::defaultFsType);
        boolean defaultFs = fsType.equals(defaultFsType());
        Set<String> makeable = os.supportedFilesystems();
        if (!makeable.contains(fsType)) {
            throw new InvalidRequestException(ctx, "cannot create a volume with the filesystem '" + fsType
                    + "'" + (defaultFs ? " (the default, libstorage." + IntegrationSettings.DEFAULT_FS + ")" : "")
                    + ": the " + os.name() + " OS driver of this host can make " + new TreeSet<>(makeable));
        }
        return storage.create(name, spec);
    }

    /** The spec a create uses: the configured default filesystem where none is given. */
    VolumeSpec complete(VolumeSpec spec) {
        return spec.fsType().isPresent() ? spec : spec.toBuilder().fsType(defaultFsType()).build();
    }

    /** A filesystem the caller names must match the one recorded with the volume. */
    void checkRequestedFs(Volume volume, MountOptions request, ErrorContext ctx) {
        ExpectedFilesystem.require(ctx, volume.spec().fsType().orElse(null), request.fsType(), null);
    }

    /** The attachment to this host, attaching under the pre-emption policy when needed. */
    AttachResult ensureAttached(Volume volume, AttachOptions options, String policySource, ErrorContext ctx) {
        Optional<Attachment> mine = volume.attachmentTo(localHost());
        if (mine.isPresent() && volume.otherOwners(localHost()).isEmpty()) {
            return new AttachResult(volume, mine.get(), Optional.empty(), false);
        }
        AttachResult r;
        try {
            r = storage.attach(volume.id(), localHost(), options);
        } catch (VolumeAttachedToOtherHostException | OwnerStillAliveException refused) {
            throw TakeoverRefusals.explain(refused, ctx, storage, policySource);
        }
        if (r.changed()) {
            events.onEvent(new VolumeEvent.Attached(clock.instant(), volume.name(), volume.id(), localHost()));
        }
        r.preemption().ifPresent(p -> events.onEvent(new VolumeEvent.Preempted(clock.instant(), volume.name(), p)));
        return r;
    }

    Path awaitDevice(Attachment attachment, ErrorContext ctx) {
        return DeviceWait.await(host, attachment, settings.deviceWaitTimeout(), ctx);
    }

    /** Where this host has the device of {@code volume} mounted; empty when it is not attached or mounted here. */
    List<MountEntry> mountsHere(Volume volume, ErrorContext ctx) {
        Optional<Path> device = volume.attachmentTo(localHost()).flatMap(host::findDevice);
        return device.isEmpty() ? List.of() : mountsOf(device.get(), ctx);
    }

    /** Where this host has {@code device} mounted. */
    List<MountEntry> mountsOf(Path device, ErrorContext ctx) {
        return os.deviceNumber(ctx, device).map(n -> os.mountsOf(ctx, n)).orElse(List.of());
    }

    /**
     * For a forced remove or detach: unmounts every mount of the volume's device on this host
     * (wherever it is mounted, deepest first), never lazily, so that a mount processes still use is
     * refused naming them ({@link io.libstorage.api.VolumeInUseException}) and the storage driver,
     * which never pulls a device from under a filesystem, can then let it go.
     */
    void unmountEverywhereHere(Volume known, ErrorContext ctx) {
        Optional<Volume> fresh = storage.inspect(known.id());
        if (fresh.isEmpty()) {
            return;
        }
        List<MountEntry> mounts = new ArrayList<>(mountsHere(fresh.get(), ctx));
        mounts.sort(Comparator.comparing((MountEntry m) -> m.mountPoint().getNameCount()).reversed());
        for (MountEntry m : mounts) {
            os.unmount(ctx, m.mountPoint(), false);
            events.onEvent(new VolumeEvent.Unmounted(clock.instant(), known.name(), m.mountPoint()));
        }
    }

    /** The outcome of making sure a device carries the volume's filesystem. */
    record Formatting(String fsType, boolean formatted) {
    }

    /**
     * Formats the device only when it is provably blank (or the caller asked to overwrite exactly
     * this volume). A device with another filesystem is a mismatch; one with any other signature is refused.
     * Blank is proven by the OS driver's probe, or, without it, by the back end's own proof for this attachment
     * ({@link HostSide#provesBlank}: e.g. an image localfs made empty and nothing wrote to since); the OS driver's
     * format checks the device again right before it formats either way.
     */
    Formatting ensureFormatted(Volume volume, Attachment attachment, Path device, MountOptions request, ErrorContext ctx) {
        boolean overwrite = request.overwriteVolumeId().map(id -> id.equals(volume.id())).orElse(false);
        if (request.overwriteVolumeId().isPresent() && !overwrite) {
            throw new InvalidRequestException(ctx, "overwrite was requested for volume id " + request.overwriteVolumeId().get()
                    + " but the volume named '" + volume.name() + "' has id " + volume.id());
        }
        String wanted = volume.spec().fsType().or(request::fsType).orElseGet(this::defaultFsType);
        ProbeResult probe = !overwrite && host.provesBlank(attachment, device) ? ProbeResult.blank() : os.probe(ctx, device);
        if (probe instanceof ProbeResult.Signature s && !overwrite) {
            if (!s.isFilesystem()) {
                throw new RefusedToFormatException(ctx, device.toString(), s.toString());
            }
            ExpectedFilesystem.require(ctx, volume.spec().fsType().orElse(null), request.fsType(), s.type());
            return new Formatting(s.type(), false);
        }
        if (!request.allowFormat()) {
            throw new InvalidRequestException(ctx, "the device " + device + " is blank and the request does not allow formatting");
        }
        List<String> mkfs = volume.spec().mkfsOptions().isEmpty() && volume.spec().fsType().isEmpty()
                ? settings.defaultSpec().mkfsOptions() : volume.spec().mkfsOptions();
        os.format(ctx, device, new FormatOptions(wanted, mkfs, volume.name(), overwrite));
        events.onEvent(new VolumeEvent.Formatted(clock.instant(), volume.name(), device, wanted));
        return new Formatting(wanted, true);
    }

    /** The configured filesystem of new volumes. */
    private String defaultFsType() {
        return settings.defaultSpec().fsType().orElse(VolumeSpec.DEFAULT_FS_TYPE);
    }

    /**
     * The device mounted at {@code mountPoint}, replacing a stale mount found there. The mount point is the caller's
     * (from the name its record is kept under), never derived from {@code volume.name()}: a back end may show the
     * volume under another name than the one this host's record uses until the host learns the user's.
     */
    Formatting ensureMounted(Volume volume, Path mountPoint, Attachment attachment, Path device, MountOptions request,
                             ErrorContext ctx) {
        return ensureMounted(volume, mountPoint, attachment, device, request, ctx, f -> {
        });
    }

    /** {@link #ensureMounted}, telling {@code beforeMount} the filesystem right before it is mounted (not when it already was). */
    Formatting ensureMounted(Volume volume, Path mountPoint, Attachment attachment, Path device, MountOptions request,
                             ErrorContext ctx, Consumer<Formatting> beforeMount) {
        String deviceNumber = os.deviceNumber(ctx, device).orElseThrow(() -> new OperationFailedException(ctx,
                "the device " + device + " disappeared before it could be mounted", null));
        Optional<MountEntry> existing = os.mountAt(ctx, mountPoint);
        if (existing.isPresent() && existing.get().deviceNumber().equals(deviceNumber)) {
            String fs = existing.get().fsType();
            ExpectedFilesystem.require(ctx, volume.spec().fsType().orElse(null), request.fsType(), fs);
            return new Formatting(fs, false);
        }
        if (existing.isPresent()) {
            os.unmount(ctx, mountPoint, true);
            StaleMount stale = new StaleMount(volume.name(), mountPoint, "the mount point held device "
                    + existing.get().source() + " (" + existing.get().deviceNumber() + ") instead of " + device);
            events.onEvent(new VolumeEvent.StaleMountCleaned(clock.instant(), volume.name(), stale));
        }
        Formatting f = ensureFormatted(volume, attachment, device, request, ctx);
        List<String> options = new ArrayList<>(volume.spec().mountOptions());
        options.addAll(request.mountOptions());
        if (request.readOnly() && !options.contains("ro")) {
            options.add("ro");
        }
        beforeMount.accept(f);
        os.mount(ctx, device, mountPoint, f.fsType(), options);
        events.onEvent(new VolumeEvent.Mounted(clock.instant(), volume.name(), mountPoint, device));
        return f;
    }

    /** The consumer path inside the mounted filesystem, created when missing. */
    Path ensureConsumerPath(Path mountPoint, boolean readOnly, ErrorContext ctx) {
        Path path = settings.consumerPath(mountPoint);
        if (!path.equals(mountPoint) && !Files.isDirectory(path)) {
            if (readOnly) {
                throw new OperationFailedException(ctx, "the volume is mounted read-only and has no "
                        + settings.consumerSubPath() + " directory to hand out", null);
            }
            try {
                Files.createDirectories(path);
            } catch (IOException e) {
                throw new OperationFailedException(ctx, "cannot create " + path + ": " + e.getMessage(), e);
            }
        }
        return path;
    }

    /** Unmounts the volume's mount point if mounted (lazily if asked), removes the empty directory, and detaches from this host if attached. */
    void release(String name, Optional<Volume> knownVolume, Path mountPoint, boolean lazy, ErrorContext ctx) {
        if (os.mountAt(ctx, mountPoint).isPresent()) {
            os.unmount(ctx, mountPoint, lazy);
            events.onEvent(new VolumeEvent.Unmounted(clock.instant(), name, mountPoint));
        }
        removeEmptyDirectory(mountPoint);
        knownVolume.ifPresent(v -> detachIfMine(v, ctx));
    }

    void detachIfMine(Volume known, ErrorContext ctx) {
        Optional<Volume> fresh = storage.inspect(known.id());
        if (fresh.isPresent() && fresh.get().attachmentTo(localHost()).isPresent()) {
            storage.detach(known.id(), localHost(), DetachOptions.DEFAULT);
            events.onEvent(new VolumeEvent.Detached(clock.instant(), known.name(), known.id(), localHost()));
        }
    }

    void lazyUnmountStale(StaleMount stale, ErrorContext ctx) {
        if (os.mountAt(ctx, stale.mountPoint()).isPresent()) {
            os.unmount(ctx, stale.mountPoint(), true);
        }
        removeEmptyDirectory(stale.mountPoint());
        events.onEvent(new VolumeEvent.StaleMountCleaned(clock.instant(), stale.volumeName(), stale));
    }

    private static void removeEmptyDirectory(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException e) {
            // something was left in the (unmounted) directory; keep it rather than lose it
        } catch (IOException e) {
            // not worth failing an unmount for
        }
    }
}
