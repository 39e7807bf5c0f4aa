package io.libstorage.spi.support;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.VolumeSpec;
import io.libstorage.api.VolumeSpecConflictException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides whether a create for an existing name is a repeat (compatible) or a conflict. Size,
 * filesystem and takeover policy (when both sides know them), access mode, source snapshot and driver options must match;
 * labels and mount options do not make a conflict. Every driver decides with it; a driver that does
 * not remember everything that was asked for states the existing spec with the request's value where
 * it cannot know better (so the unknown never conflicts), and adds only what is its own (e.g. a
 * storage pool).
 */
public final class SpecCompatibility {
    private SpecCompatibility() {
    }

    /**
     * Returns normally when {@code requested} is a repeat of {@code existing}.
     *
     * @throws VolumeSpecConflictException naming every difference
     */
    public static void requireCompatible(ErrorContext ctx, VolumeSpec existing, VolumeSpec requested) {
        List<String> conflicts = conflicts(existing, requested);
        if (!conflicts.isEmpty()) {
            throw new VolumeSpecConflictException(ctx, String.join("; ", conflicts));
        }
    }

    /** The differences that make {@code requested} conflict with {@code existing}; empty when compatible. */
    public static List<String> conflicts(VolumeSpec existing, VolumeSpec requested) {
        List<String> out = new ArrayList<>();
        if (existing.sizeBytes() != requested.sizeBytes()) {
            out.add("size " + existing.sizeBytes() + " bytes exists, " + requested.sizeBytes() + " requested");
        }
        if (existing.preemption().isPresent() && requested.preemption().isPresent()
                && !existing.preemption().equals(requested.preemption())) {
            out.add("preemption " + existing.preemption().get() + " exists, " + requested.preemption().get() + " requested");
        }
        if (existing.fsType().isPresent() && requested.fsType().isPresent() && !existing.fsType().equals(requested.fsType())) {
            out.add("fsType " + existing.fsType().get() + " exists, " + requested.fsType().get() + " requested");
        }
        if (existing.accessMode() != requested.accessMode()) {
            out.add("accessMode " + existing.accessMode() + " exists, " + requested.accessMode() + " requested");
        }
        if (!existing.sourceSnapshot().equals(requested.sourceSnapshot())) {
            out.add("source snapshot " + existing.sourceSnapshot().map(Object::toString).orElse("none") + " exists, "
                    + requested.sourceSnapshot().map(Object::toString).orElse("none") + " requested");
        }
        for (var e : requested.driverOptions().entrySet()) {
            String have = existing.driverOptions().get(e.getKey());
            if (have != null && !Objects.equals(have, e.getValue())) {
                out.add(e.getKey() + " " + have + " exists, " + e.getValue() + " requested");
            }
        }
        return out;
    }
}
