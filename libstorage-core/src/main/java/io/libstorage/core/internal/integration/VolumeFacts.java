package io.libstorage.core.internal.integration;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.Feature;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeSpec;
import io.libstorage.api.VolumeSpecConflictException;
import io.libstorage.api.VolumeStatus;
import io.libstorage.core.internal.state.ProfileStore;
import io.libstorage.core.internal.state.VolumeProfile;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.support.AtomicFiles;
import io.libstorage.spi.support.SpecCompatibility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The same truth about a volume on every host (its name, requested size, filesystem and takeover policy), for back
 * ends that cannot keep it ({@link Feature#KEEPS_SPEC} absent, e.g. ScaleIO): the volume's own record
 * ({@value #RECORD} at its filesystem root, beside the consumers' directory), read at every cold mount and written
 * where missing, and this host's cache of it ({@link ProfileStore}), written at a create here and at every mount.
 * A driver that keeps the spec is its own truth: nothing is written then.
 *
 * <p>What this host knows replaces the driver's placeholders ({@link #known}); what it does not know is said
 * ({@link #unknown}), never guessed.
 */
final class VolumeFacts {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeFacts.class);
    /** The volume's own record, relative to its filesystem root. */
    static final String RECORD = ".libstorage/volume.json";

    private final StorageDriver storage;
    private final ProfileStore cache;

    VolumeFacts(StorageDriver storage, ProfileStore cache) {
        this.storage = storage;
        this.cache = cache;
    }

    /** Whether the back end keeps every fact itself (then this class only passes volumes through). */
    boolean backendKeepsSpec() {
        return storage.features().contains(Feature.KEEPS_SPEC);
    }

    /** The volume with what this host knows of it in place of the driver's placeholders. */
    Volume known(Volume v) {
        if (backendKeepsSpec()) {
            return v;
        }
        return known(v, cache.read(v.name(), v.id().value()).or(() -> Optional.ofNullable(cache.byVolumeId().get(v.id().value()))));
    }

    /** For listings: every volume resolved against one read of the cache. */
    List<Volume> known(List<Volume> volumes, Map<String, VolumeProfile> profiles) {
        return volumes.stream().map(v -> backendKeepsSpec() ? v : known(v, Optional.ofNullable(profiles.get(v.id().value())))).toList();
    }

    Map<String, VolumeProfile> cachedProfiles() {
        return backendKeepsSpec() ? Map.of() : cache.byVolumeId();
    }

    private static Volume known(Volume v, Optional<VolumeProfile> profile) {
        if (profile.isEmpty()) {
            return v;
        }
        VolumeProfile p = profile.get();
        if (p.sizeBytes() != null && p.sizeBytes() > v.allocatedSizeBytes()) {
            p = p.withSize(null); // cannot be: volumes never shrink, so such a record is not this volume's truth
        }
        Set<String> unknown = new LinkedHashSet<>(v.unknownFacts());
        unknown.remove(VolumeStatus.NAME);
        if (p.sizeBytes() != null) {
            unknown.remove(VolumeStatus.REQUESTED_SIZE);
        }
        if (p.fsType() != null) {
            unknown.remove(VolumeStatus.FS_TYPE);
        }
        Map<String, String> fields = new HashMap<>(v.fields());
        if (unknown.isEmpty()) {
            fields.remove(Volume.UNKNOWN_FIELD);
        } else {
            fields.put(Volume.UNKNOWN_FIELD, String.join(",", unknown));
        }
        return v.withFacts(p.name(), p.applyTo(v.spec()), fields);
    }

    /**
     * What this host does not know of a volume already passed through {@link #known}: the driver's remaining
     * placeholders, and its takeover policy when neither the back end nor this host's record has it.
     */
    Set<String> unknown(Volume known) {
        if (backendKeepsSpec()) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>(known.unknownFacts());
        if (known.spec().preemption().isEmpty() && cache.read(known.name(), known.id().value()).isEmpty()) {
            out.add(VolumeStatus.PREEMPTION);
        }
        return out;
    }

    /** The takeover policy an attach of this host uses: the call's, else the volume's own, else the configured default. */
    static PreemptionPolicy policy(Optional<PreemptionPolicy> perCall, Volume known, PreemptionPolicy configured) {
        return perCall.or(() -> known.spec().preemption()).orElse(configured);
    }

    /** Remembers what a create on this host asked for (the volume's record is written at its first mount). */
    void created(Volume v, String name, VolumeSpec spec, ErrorContext ctx) {
        if (!backendKeepsSpec()) {
            cache.save(VolumeProfile.of(v.id().value(), name, spec), ctx);
        }
    }

    /**
     * A create on this host gave a takeover policy for a volume whose record it cannot read now (it is in use on
     * another host): the policy is remembered, nothing else (the create's other values may be mere defaults). The
     * volume's own record, read at this host's first mount, wins over it.
     */
    void toldPolicy(Volume v, String name, VolumeSpec spec, ErrorContext ctx) {
        if (backendKeepsSpec() || spec.preemption().isEmpty() || cache.read(name, v.id().value()).isPresent()) {
            return;
        }
        cache.save(new VolumeProfile(VolumeProfile.FORMAT, v.id().value(), name, null, null, List.of(), List.of(), null, Map.of(),
                spec.preemption().get()), ctx);
    }

    /**
     * At a cold mount, with the filesystem mounted at {@code root} and holding {@code fsType}: reads the volume's
     * own record, completes it with what this host knows, writes it back when it changed (unless read-only) and
     * caches it. {@code requested}, when given (a create on this host), must be compatible with the record.
     *
     * @return the volume with the record's facts
     * @throws VolumeSpecConflictException when a create asked for something the volume's record contradicts
     */
    Volume mounted(Volume v, String name, Path root, String fsType, boolean readOnly, Optional<VolumeSpec> requested, ErrorContext ctx) {
        if (backendKeepsSpec()) {
            return v;
        }
        String id = v.id().value();
        Path file = root.resolve(RECORD);
        Optional<VolumeProfile> own = ProfileStore.read(file);
        Optional<VolumeProfile> inVolume = own.filter(p -> p.volumeId().equals(id));
        if (inVolume.isPresent() && requested.isPresent()) {
            List<String> conflicts = SpecCompatibility.conflicts(inVolume.get().applyTo(v.spec()), requested.get());
            if (!conflicts.isEmpty()) {
                throw new VolumeSpecConflictException(ctx, String.join("; ", conflicts) + " (as the volume's own record " + RECORD
                        + " says)");
            }
        }
        VolumeProfile fromHere = cache.read(name, id).orElseGet(() -> driversView(v, name));
        VolumeProfile truth = inVolume.map(p -> p.completedBy(fromHere).withLargerSize(fromHere.sizeBytes()))
                .or(() -> own.map(clone -> clone.forVolume(id, name).completedBy(fromHere)))
                .orElse(fromHere).withFsType(fsType);
        if (!readOnly && !own.equals(Optional.of(truth))) {
            try {
                AtomicFiles.deleteTemporariesOf(file);
                ProfileStore.write(file, truth);
            } catch (IOException e) {
                LOG.warn("volume '{}': cannot write its record {}: {}; the next mount writes it", name, file, e.toString());
            }
        }
        cache.save(truth, ctx);
        return known(v, Optional.of(truth));
    }

    /**
     * After a grow on this host: the requested size is the grown one, in this host's cache and, where the volume is
     * mounted here ({@code root}), in its own record. Other hosts learn it at their next mount (sizes only grow, so
     * the larger of the record's and a cache's wins).
     */
    Volume grown(Volume known, String name, long requestedBytes, Optional<Path> root, ErrorContext ctx) {
        if (backendKeepsSpec()) {
            return known;
        }
        String id = known.id().value();
        VolumeProfile before = cache.read(name, id).orElseGet(() -> driversView(known, name));
        VolumeProfile after = new VolumeProfile(VolumeProfile.FORMAT, id, name,
                Math.max(requestedBytes, before.sizeBytes() == null ? 0 : before.sizeBytes()), before.fsType(), before.mkfsOptions(),
                before.mountOptions(), before.accessMode(), before.labels(), before.preemption());
        cache.save(after, ctx);
        root.ifPresent(r -> {
            Path file = r.resolve(RECORD);
            Optional<VolumeProfile> own = ProfileStore.read(file).filter(p -> p.volumeId().equals(id));
            VolumeProfile merged = own.map(p -> new VolumeProfile(VolumeProfile.FORMAT, id, p.name(), after.sizeBytes(), p.fsType(),
                    p.mkfsOptions(), p.mountOptions(), p.accessMode(), p.labels(), p.preemption()).completedBy(after)).orElse(after);
            try {
                ProfileStore.write(file, merged);
            } catch (IOException e) {
                LOG.warn("volume '{}': cannot write its record {}: {}", name, file, e.toString());
            }
        });
        return known(known, Optional.of(after));
    }

    /** What the driver itself says, with its placeholders left out. */
    private static VolumeProfile driversView(Volume v, String name) {
        Set<String> unknown = v.unknownFacts();
        VolumeSpec s = v.spec();
        return new VolumeProfile(VolumeProfile.FORMAT, v.id().value(), name,
                unknown.contains(VolumeStatus.REQUESTED_SIZE) ? null : s.sizeBytes(),
                unknown.contains(VolumeStatus.FS_TYPE) ? null : s.fsType().orElse(null), s.mkfsOptions(), s.mountOptions(), s.accessMode(),
                s.labels(), s.preemption().orElse(null));
    }

    /** Forgets this host's cache of a removed volume. */
    void removed(String name) {
        cache.delete(name);
    }
}
