package io.libstorage.inmemory;

import io.libstorage.api.Feature;
import io.libstorage.api.HostId;
import io.libstorage.api.Liveness;
import io.libstorage.api.MountEntry;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeSpec;
import io.libstorage.inmemory.Model.SimHost;
import io.libstorage.inmemory.internal.MemoryOSDriverProvider;
import io.libstorage.inmemory.internal.MemoryStorageDriverProvider;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.OSDriverProvider;
import io.libstorage.spi.ProbeResult;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.StorageDriverProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A simulated storage system shared by many simulated hosts, for tests and demos: each host gets its own
 * {@link StorageDriver} (with its {@link io.libstorage.spi.HostSide}) and {@link OSDriver}. The model keeps
 * what matters for correctness: which hosts a volume is mapped to, whether a host is connected to the
 * storage system, each host's devices and mount table, and each volume's content (its signature, how often
 * it was formatted, and its files, kept in a real directory so that data written through a mount path can
 * be read back on another host).
 *
 * <p>A cluster is wired explicitly: hand {@link #storageDriver} and {@link #osDriver} of a host to
 * {@code LibStorage.builder()}, or, for code that chooses drivers by name from a configuration file, put
 * {@link #storageDriverProvider()} and {@link #osDriverProvider()} (both named {@code memory}, key
 * {@code host}) into its driver catalog. There is no registry of clusters: two tests never share one.
 *
 * <p>Faults: {@link #faults()} (unavailable/slow back end, failed or lost unmaps, hidden devices, expired
 * sessions, busy mounts, I/O errors) and host events ({@link #killHost}, {@link #partition}, {@link #heal},
 * {@link #reboot}). Every call is counted in {@link #calls()}.
 *
 * <p>Thread-safe: the back end serialises its state changes like a real control plane would.
 */
public final class InMemoryCluster implements AutoCloseable {
    private final Path workDir;
    private final Backend backend;
    private final List<AutoCloseable> closeWithCluster = new ArrayList<>();

    private InMemoryCluster(Path workDir) {
        this.workDir = workDir;
        this.backend = new Backend(workDir);
    }

    /** A new cluster working in a fresh temporary directory, deleted by {@link #close()}. */
    public static InMemoryCluster create() {
        try {
            return new InMemoryCluster(Files.createTempDirectory("libstorage-memory-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Faults faults() {
        return backend.faults();
    }

    public CallCounts calls() {
        return backend.calls();
    }

    /** The cluster's directory (volumes' files, snapshots, {@link #hostDirectory host directories}); deleted by {@link #close()}. */
    public Path workDir() {
        return workDir;
    }

    /**
     * A directory of the simulated host {@code host}, for what lives on that host's disks (its state root,
     * its mount points); created if new, deleted by {@link #close()}.
     */
    public Path hostDirectory(String host) {
        Path dir = workDir.resolve("hosts").resolve(host(host).value());
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Closes {@code resource} when this cluster closes, before its directory is deleted (e.g. a
     * {@code LibStorage} built over this cluster's drivers). Resources close in the order they were given.
     */
    public void onClose(AutoCloseable resource) {
        synchronized (closeWithCluster) {
            closeWithCluster.add(resource);
        }
    }

    /** Allocation granularity of new volumes (default 1 MiB); e.g. 8 GiB to behave like ScaleIO. */
    public void granularity(long bytes) {
        backend.granularity(bytes);
    }

    /** How long an owner must be disconnected before IF_OWNER_UNREACHABLE may take its volumes (default 0). */
    public void ownerGracePeriod(Duration grace) {
        backend.ownerGracePeriod(grace);
    }

    /** The filesystem types the simulated mkfs makes (every host's {@link OSDriver#supportedFilesystems()}). */
    public java.util.Set<String> filesystems() {
        return InMemoryOSDriver.FILESYSTEMS;
    }

    /** Removes a feature from every driver of this cluster (to test how callers cope without it). */
    public void disable(Feature feature) {
        backend.disable(feature);
    }

    // ------------------------------------------------------------------ hosts and their drivers

    /** Registers (if new) and returns a host. */
    public HostId host(String id) {
        HostId h = new HostId(id);
        backend.hostState(h);
        return h;
    }

    /** A new storage driver of {@code host} (every call a new instance, as a newly started process would make). */
    public StorageDriver storageDriver(String host) {
        return new InMemoryStorageDriver(backend, host(host));
    }

    /** A new OS driver of {@code host}: its simulated devices and mount table. */
    public OSDriver osDriver(String host) {
        return new InMemoryOSDriver(backend, host(host));
    }

    /**
     * A storage driver provider named {@code memory} whose drivers are this cluster's, for the host its
     * configuration key {@code host} names (default {@code host-1}).
     */
    public StorageDriverProvider storageDriverProvider() {
        return new MemoryStorageDriverProvider(this);
    }

    /** An OS driver provider named {@code memory} whose drivers are this cluster's hosts' (key {@code host}). */
    public OSDriverProvider osDriverProvider() {
        return new MemoryOSDriverProvider(this);
    }

    // ------------------------------------------------------------------ host events

    /** The host's process dies: it stops answering and the storage system reports it disconnected. */
    public void killHost(String host) {
        synchronized (backend) {
            SimHost h = backend.hostState(host(host));
            h.alive = false;
            h.disconnectedSince = backend.clock().instant();
        }
    }

    /** The host stays alive but loses its connection to the storage system (control and data path). */
    public void partition(String host) {
        synchronized (backend) {
            SimHost h = backend.hostState(host(host));
            h.partitioned = true;
            h.disconnectedSince = backend.clock().instant();
        }
    }

    /** Ends a partition. */
    public void heal(String host) {
        synchronized (backend) {
            SimHost h = backend.hostState(host(host));
            h.partitioned = false;
            h.disconnectedSince = h.alive ? null : h.disconnectedSince;
        }
    }

    /** The host (dead or alive) boots again: a new boot id, an empty mount table, connected again. */
    public void reboot(String host) {
        synchronized (backend) {
            SimHost h = backend.hostState(host(host));
            h.alive = true;
            h.partitioned = false;
            h.disconnectedSince = null;
            h.boot++;
            h.mounts.clear();
        }
    }

    /** What the storage system knows about the host's connection. */
    public Liveness liveness(String host) {
        synchronized (backend) {
            return backend.hostState(host(host)).connected() ? Liveness.CONNECTED : Liveness.DISCONNECTED;
        }
    }

    // ------------------------------------------------------------------ inspection for tests

    /** The hosts a volume is mapped to, in mapping order. */
    public List<HostId> mappingsOf(String volumeName) {
        synchronized (backend) {
            return backend.volumeNamed(volumeName).map(v -> List.copyOf(v.mappings.keySet())).orElse(List.of());
        }
    }

    /** How often the volume's device was formatted. */
    public int formatCount(String volumeName) {
        synchronized (backend) {
            return backend.volumeNamed(volumeName).map(v -> v.disk.formatCount).orElse(0);
        }
    }

    /** The filesystem on the volume, if any. */
    public Optional<String> filesystemOf(String volumeName) {
        synchronized (backend) {
            return backend.volumeNamed(volumeName).map(v -> v.disk.signature)
                    .filter(s -> s instanceof ProbeResult.Signature sig && sig.isFilesystem())
                    .map(s -> ((ProbeResult.Signature) s).type());
        }
    }

    /** Puts a signature on a volume's disk, as if something (a partition table, LUKS, another fs) had been written to it. */
    public void writeSignature(String volumeName, String type, String usage) {
        synchronized (backend) {
            backend.volumeNamed(volumeName).orElseThrow().disk.signature = new ProbeResult.Signature(type, usage);
        }
    }

    /** Adds a second back-end volume with an existing name, as another tool might have (for ambiguity tests). */
    public VolumeId addDuplicateVolume(String name, long sizeBytes) {
        synchronized (backend) {
            return backend.newVolume(name, VolumeSpec.builder().sizeBytes(sizeBytes).build()).id;
        }
    }

    /** A host's simulated mount table. */
    public List<MountEntry> mountsOf(String host) {
        synchronized (backend) {
            return List.copyOf(backend.hostState(host(host)).mounts);
        }
    }

    /** Number of volumes the back end holds. */
    public int volumeCount() {
        synchronized (backend) {
            return backend.volumeCount();
        }
    }

    /** Closes what was given to {@link #onClose} (best effort), then deletes the cluster's directory. Idempotent. */
    @Override
    public void close() {
        List<AutoCloseable> resources;
        synchronized (closeWithCluster) {
            resources = List.copyOf(closeWithCluster);
            closeWithCluster.clear();
        }
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // best effort: the directory goes anyway
            }
        }
        DataDirs.delete(workDir);
    }
}
