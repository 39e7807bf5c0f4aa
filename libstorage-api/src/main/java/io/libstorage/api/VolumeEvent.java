package io.libstorage.api;

import java.nio.file.Path;
import java.time.Instant;

/** Something the library did to a volume. Delivered to {@link VolumeEventListener}s after the fact. */
public sealed interface VolumeEvent {
    /** When it happened. */
    Instant at();

    /** The volume's name. */
    String volume();

    record Attached(Instant at, String volume, VolumeId id, HostId host) implements VolumeEvent {
    }

    record Detached(Instant at, String volume, VolumeId id, HostId host) implements VolumeEvent {
    }

    record Formatted(Instant at, String volume, Path device, String fsType) implements VolumeEvent {
    }

    record Mounted(Instant at, String volume, Path mountPoint, Path device) implements VolumeEvent {
    }

    record Unmounted(Instant at, String volume, Path mountPoint) implements VolumeEvent {
    }

    /** A volume was taken from another host; logged at WARN, one per pre-emption. */
    record Preempted(Instant at, String volume, Preemption preemption) implements VolumeEvent {
    }

    record StaleMountCleaned(Instant at, String volume, StaleMount mount) implements VolumeEvent {
    }
}
