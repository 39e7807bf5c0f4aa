package io.libstorage.inmemory;

import io.libstorage.api.HostId;
import io.libstorage.api.MountEntry;
import io.libstorage.api.SnapshotId;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeSpec;
import io.libstorage.spi.ProbeResult;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the simulated storage system and hosts consist of. Mutable; guarded by the {@link Backend}'s monitor. */
final class Model {
    /** The major device number of every simulated volume device; the minor is the volume's. */
    static final int DEVICE_MAJOR = 240;

    private Model() {
    }

    /** A volume's content: its signature, how often it was formatted, and its files (a real directory). */
    static final class SimDisk {
        ProbeResult signature;
        int formatCount;
        final Path dataDir;

        SimDisk(Path dataDir) {
            this.dataDir = dataDir;
        }
    }

    static final class SimVolume {
        final VolumeId id;
        final String name;
        final VolumeSpec spec;
        long allocated;
        final Instant createdAt;
        /** Host to when it was mapped there, in mapping order. */
        final Map<HostId, Instant> mappings = new LinkedHashMap<>();
        final SimDisk disk;
        final int minor;

        SimVolume(VolumeId id, String name, VolumeSpec spec, long allocated, Instant createdAt, SimDisk disk, int minor) {
            this.id = id;
            this.name = name;
            this.spec = spec;
            this.allocated = allocated;
            this.createdAt = createdAt;
            this.disk = disk;
            this.minor = minor;
        }

        String deviceNumber() {
            return DEVICE_MAJOR + ":" + minor;
        }
    }

    record SimSnapshot(SnapshotId id, String name, VolumeId source, long size, Instant createdAt, ProbeResult signature, Path dataDir) {
    }

    /** A host: whether it runs and reaches the storage system, its boot, and its mount table. */
    static final class SimHost {
        final HostId id;
        boolean alive = true;
        boolean partitioned;
        Instant disconnectedSince;
        int boot = 1;
        final List<MountEntry> mounts = new ArrayList<>();
        int nextMountId = 100;

        SimHost(HostId id) {
            this.id = id;
        }

        boolean connected() {
            return alive && !partitioned;
        }
    }
}
