package io.libstorage.core;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.Attachment;
import io.libstorage.api.BindState;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.Feature;
import io.libstorage.api.GrownVolume;
import io.libstorage.api.HostId;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.api.MountOptions;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.ReconcileReport;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Snapshot;
import io.libstorage.api.SnapshotId;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeEventListener;
import io.libstorage.api.VolumeId;
import io.libstorage.api.VolumeSpec;
import io.libstorage.api.VolumeStatus;
import io.libstorage.core.internal.events.EventDispatcher;
import io.libstorage.spi.ConfigKey;
import io.libstorage.spi.ConfigType;
import io.libstorage.spi.DriverConfig;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.IntegrationContext;
import io.libstorage.spi.IntegrationDriver;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.ProcessRunner;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.support.Durations;
import io.libstorage.spi.support.SystemProcessRunner;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The library's entry point: one instance per host and storage back end. Build it with
 * {@link #builder()} or from a REX-Ray style YAML file with {@link #fromYaml(Path)}, then ask it for
 * volumes:
 *
 * <pre>{@code
 * try (LibStorage storage = LibStorage.builder().storageDriver("localfs").build()) {
 *     MountedVolume v = storage.mount("pgdata", ConsumerId.of("postgres-1"), MountOptions.DEFAULT);
 *     // use v.path() ...
 *     storage.unmount("pgdata", ConsumerId.of("postgres-1"));
 * }
 * }</pre>
 *
 * <p>Every volume operation is idempotent (see {@link IntegrationDriver}): repeating a call, or
 * retrying it after a crash, converges to the same state without a second side effect. Thread-safe;
 * several processes on one host (a CLI and a plugin daemon) may share one state root.
 */
public final class LibStorage implements AutoCloseable {
    static final String KEY_SERVICE = "service";
    static final String KEY_STATE_ROOT = "stateRoot";
    static final String KEY_OS_DRIVER = "os.driver";
    static final String KEY_INTEGRATION_DRIVER = "integration.driver";
    static final String KEY_LOG_LEVEL = "logging.level";

    private static final List<ConfigKey> CORE_KEYS = List.of(
            ConfigKey.optional(KEY_SERVICE, ConfigType.STRING, null, "the storage driver (e.g. localfs, scaleio)"),
            ConfigKey.optional(KEY_STATE_ROOT, ConfigType.PATH, DriverConfig.DEFAULT_STATE_ROOT.toString(),
                    "this host's durable state; every directory a driver writes defaults to a place under it"),
            ConfigKey.optional(KEY_OS_DRIVER, ConfigType.STRING, "linux", "the OS driver"),
            ConfigKey.optional(KEY_INTEGRATION_DRIVER, ConfigType.STRING, "docker", "the integration driver"),
            ConfigKey.optional(KEY_LOG_LEVEL, ConfigType.STRING, null, "log level of the libstorage command (libraries log"
                    + " through SLF4J): trace, debug, info, warn, error or off (REX-Ray's warning, fatal, panic are read as warn, error, error)"));

    private final StorageDriver storage;
    private final OSDriver os;
    private final IntegrationDriver integration;
    private final Map<String, String> effectiveConfiguration;
    private final boolean ownsDrivers;

    private LibStorage(StorageDriver storage, OSDriver os, IntegrationDriver integration,
                       Map<String, String> effectiveConfiguration, boolean ownsDrivers) {
        this.storage = storage;
        this.os = os;
        this.integration = integration;
        this.effectiveConfiguration = effectiveConfiguration;
        this.ownsDrivers = ownsDrivers;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The keys of the {@code libstorage} section that the library itself reads (the integration driver adds its own). */
    public static List<ConfigKey> configKeys() {
        return CORE_KEYS;
    }

    /** A LibStorage configured by a REX-Ray style {@code config.yml}. */
    public static LibStorage fromYaml(Path configFile) {
        return builder().config(LibStorageConfig.load(configFile)).build();
    }

    // -------------------------------------------------------------- volume operations

    /** See {@link IntegrationDriver#mount}. */
    public MountedVolume mount(String name, ConsumerId consumer, MountOptions request) {
        return integration.mount(name, consumer, request);
    }

    /** Mounts for the anonymous consumer with the configured defaults. */
    public MountedVolume mount(String name) {
        return integration.mount(name, ConsumerId.ANONYMOUS, MountOptions.DEFAULT);
    }

    /** See {@link IntegrationDriver#unmount}. */
    public void unmount(String name, ConsumerId consumer) {
        integration.unmount(name, consumer);
    }

    /** See {@link IntegrationDriver#path}. */
    public Optional<Path> path(String name) {
        return integration.path(name);
    }

    /**
     * The volume's status from this host alone while it is mounted here, without a back-end call; empty
     * otherwise (then {@link #inspect} asks the back end). See {@link IntegrationDriver#mountedHere}: what this
     * host cannot know (other hosts' attachments, back-end changes since the mount) is not shown.
     */
    public Optional<VolumeStatus> mountedHere(String name) {
        return integration.mountedHere(name);
    }

    /** See {@link IntegrationDriver#create}. */
    public Volume create(String name, VolumeSpec spec) {
        return integration.create(name, spec);
    }

    /** The configured spec for new volumes, to adjust with {@link VolumeSpec#toBuilder()}. */
    public VolumeSpec defaultSpec() {
        return integration.defaultSpec();
    }

    /** See {@link IntegrationDriver#remove}. */
    public void remove(String name, RemoveOptions options) {
        integration.remove(name, options);
    }

    /** See {@link IntegrationDriver#list}. */
    public List<VolumeStatus> list() {
        return integration.list();
    }

    /** See {@link IntegrationDriver#inspect}. */
    public Optional<VolumeStatus> inspect(String name) {
        return integration.inspect(name);
    }

    /** See {@link IntegrationDriver#attach}. */
    public Attachment attach(String name, AttachOptions options) {
        return integration.attach(name, options);
    }

    /** See {@link IntegrationDriver#detach}. */
    public void detach(String name, DetachOptions options) {
        integration.detach(name, options);
    }

    /** See {@link IntegrationDriver#snapshot}. */
    public Snapshot snapshot(String name, String snapshotName) {
        return integration.snapshot(name, snapshotName);
    }

    /** See {@link IntegrationDriver#grow}. */
    public GrownVolume grow(String name, long newSizeBytes) {
        return integration.grow(name, newSizeBytes);
    }

    /**
     * The block device of the volume on this host, when it is attached here (no wait, no back-end change); empty when it
     * is not attached here or its device has not appeared. One back-end call.
     */
    public Optional<Path> device(String name) {
        return storage.findByName(name).flatMap(v -> v.attachmentTo(localHost())).flatMap(a -> storage.hostSide().findDevice(a));
    }

    // -------------------------------------------------------------- by volume id, for orchestrators (CSI controller)

    /**
     * The volume with this back-end id, as the back end reports it, named as this host's records name it while it holds
     * the volume (see {@link IntegrationDriver#nameHeldHere}); empty when there is none. One back-end call.
     */
    public Optional<Volume> inspectById(VolumeId id) {
        // the name this host's records use while it holds the volume, so that one volume never becomes two here
        return storage.inspect(id).map(v -> integration.nameHeldHere(id).filter(held -> !held.equals(v.name()))
                .map(held -> v.withFacts(held, v.spec(), v.fields())).orElse(v));
    }

    /**
     * Attaches the volume to {@code host}, which may be another host than this one (a CSI ControllerPublish for a
     * node): the back end's mapping only, with the pre-emption rules of {@code options}; this host's records and
     * devices are not touched (the host itself attaches, waits for the device and mounts with {@link #mount}).
     * Idempotent: a volume attached to {@code host} already is returned as it is.
     */
    public Attachment attach(VolumeId id, HostId host, AttachOptions options) {
        return storage.attach(id, host, options).attachment();
    }

    /**
     * Detaches the volume from {@code host}, which may be another host than this one (a CSI ControllerUnpublish): the
     * back end's mapping only. Idempotent: a volume not attached there, or gone, is success.
     */
    public void detach(VolumeId id, HostId host, DetachOptions options) {
        storage.detach(id, host, options);
    }

    /** The volume's snapshots. Read-only. */
    public List<Snapshot> snapshots(VolumeId id) {
        return storage.snapshots(id);
    }

    /** Every snapshot of every volume of the back end. Read-only. */
    public List<Snapshot> snapshots() {
        List<Snapshot> all = new ArrayList<>();
        for (Volume v : storage.list()) {
            all.addAll(storage.snapshots(v.id()));
        }
        return all;
    }

    /** Removes a snapshot. Idempotent: a snapshot that is gone is success. */
    public void removeSnapshot(SnapshotId id) {
        storage.removeSnapshot(id);
    }

    // -------------------------------------------------------------- this host's filesystems and bind mounts

    /** How many bytes new volumes can still take on the back end, when it knows (see {@link StorageDriver#availableCapacityBytes()}). */
    public OptionalLong availableCapacityBytes() {
        return storage.availableCapacityBytes();
    }

    /** The filesystem types this host can make (see {@link OSDriver#supportedFilesystems()}). */
    public Set<String> supportedFilesystems() {
        return os.supportedFilesystems();
    }

    /** What {@code target} holds with respect to {@code source}, from this host's mount table. Read-only. */
    public BindState bindState(Path source, Path target) {
        return os.bindState(errorContext("bind", null), source, target);
    }

    /**
     * Binds {@code source} (a directory, e.g. a volume's mount, or a device node) onto the existing {@code target} for
     * {@code volume} (named in errors), read-only when asked. Idempotent (see {@link OSDriver#bind}).
     */
    public void bind(String volume, Path source, Path target, boolean readOnly) {
        os.bind(errorContext("bind", volume), source, target, readOnly);
    }

    /** Removes every mount stacked at {@code target}; nothing mounted there is success. */
    public void unbind(String volume, Path target) {
        os.unbind(errorContext("unbind", volume), target);
    }

    /** Whether anything (a filesystem or a bind) is mounted at {@code target} on this host. */
    public boolean mountedAt(Path target) {
        return os.mountedAt(errorContext("check mount", null), target);
    }

    /** See {@link IntegrationDriver#reconcile()}. */
    public ReconcileReport reconcile() {
        return integration.reconcile();
    }

    /** See {@link IntegrationDriver#reconcile(Set)}. */
    public ReconcileReport reconcile(Set<ConsumerId> liveConsumers) {
        return integration.reconcile(liveConsumers);
    }

    // -------------------------------------------------------------- introspection

    /** This host's identity to the storage back end. */
    public HostId localHost() {
        return storage.hostSide().localHost();
    }

    /** The storage back end's name: the storage driver's provider name (e.g. {@code localfs}, {@code scaleio}). */
    public String backend() {
        return storage.name();
    }

    /**
     * What the storage back end can do, e.g. {@link Feature#REMOTE_ATTACH} for a back end whose volumes other
     * hosts can attach (a Docker plugin's scope is {@code global} then).
     */
    public Set<Feature> features() {
        return storage.features();
    }

    /**
     * The error context of an {@code operation} on {@code volume} (may be {@code null}) on this host and back
     * end, for a front end's own errors about the library's volumes: they then name host and back end as the
     * library's do. The host is {@code null} (written {@code ?}) while it cannot be determined.
     */
    public ErrorContext errorContext(String operation, @Nullable String volume) {
        return ErrorContext.of(operation, volume, knownHost(), storage.name());
    }

    private @Nullable String knownHost() {
        try {
            return localHost().value();
        } catch (RuntimeException e) {
            return null; // the context of an error must not fail itself
        }
    }

    /**
     * The storage driver, for advanced embedders and tests (driver-level calls the integration layer does not
     * offer, a driver's own type). Front ends (the Docker plugin, the command line, dvdcli mode, an executor) do
     * not need it: this class answers what they ask ({@link #backend()}, {@link #features()},
     * {@link #errorContext}, {@link #localHost()}). Calls on it bypass the per-volume lock and this host's records.
     */
    public StorageDriver storage() {
        return storage;
    }

    /** The OS driver, for advanced embedders and tests; front ends do not need it (see {@link #storage()}). */
    public OSDriver os() {
        return os;
    }

    /** The integration driver, for advanced embedders and tests; every call of it has its method here. */
    public IntegrationDriver integration() {
        return integration;
    }

    /** Every effective setting as {@code section.key → value}, sorted by key, secrets shown as {@code ******}. */
    public Map<String, String> effectiveConfiguration() {
        return effectiveConfiguration;
    }

    /** Closes the drivers this instance created (not ones handed to the builder). Idempotent. */
    @Override
    public void close() {
        integration.close();
        if (ownsDrivers) {
            storage.close();
            os.close();
        }
    }

    // -------------------------------------------------------------- builder

    /** Builds a {@link LibStorage}; settings given here override the configuration file. */
    public static final class Builder {
        private LibStorageConfig config = LibStorageConfig.empty();
        private final Map<String, Object> libstorageOverrides = new LinkedHashMap<>();
        private final Map<String, Object> storageOverrides = new LinkedHashMap<>();
        private final Map<String, Object> osOverrides = new LinkedHashMap<>();
        private StorageDriver storageInstance;
        private OSDriver osInstance;
        private DriverCatalog catalog;
        private final List<VolumeEventListener> listeners = new ArrayList<>();
        private ProcessRunner processes = SystemProcessRunner.instance();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** A configuration file's content; builder settings take precedence. */
        public Builder config(LibStorageConfig c) {
            this.config = c;
            return this;
        }

        /** The storage driver by provider name ({@code libstorage.service}). */
        public Builder storageDriver(String name) {
            libstorageOverrides.put(KEY_SERVICE, name);
            return this;
        }

        /** A ready storage driver instance (not closed by {@link LibStorage#close()}). */
        public Builder storageDriver(StorageDriver driver) {
            this.storageInstance = driver;
            return this;
        }

        /** One key of the selected storage driver's section, e.g. {@code root} for localfs. */
        public Builder storageOption(String key, Object value) {
            storageOverrides.put(key, value);
            return this;
        }

        /** The OS driver by provider name (default {@code linux}). */
        public Builder osDriver(String name) {
            libstorageOverrides.put(KEY_OS_DRIVER, name);
            return this;
        }

        /** One key of the selected OS driver's section, e.g. {@code commandTimeout} for linux. */
        public Builder osOption(String key, Object value) {
            osOverrides.put(key, value);
            return this;
        }

        /** A ready OS driver instance (not closed by {@link LibStorage#close()}). */
        public Builder osDriver(OSDriver driver) {
            this.osInstance = driver;
            return this;
        }

        /** This host's state directory (default {@code /var/lib/libstorage}). */
        public Builder stateRoot(Path root) {
            libstorageOverrides.put(KEY_STATE_ROOT, root.toString());
            return this;
        }

        /** Any key of the {@code libstorage} section, e.g. {@code integration.volume.operations.create.implicit}. */
        public Builder set(String key, Object value) {
            libstorageOverrides.put(key, value);
            return this;
        }

        /** Default pre-emption policy of mounts. */
        public Builder defaultPreemption(PreemptionPolicy policy) {
            return set("integration.volume.operations.mount.preemptionPolicy", policy.name());
        }

        /** Where volumes are mounted (default {@code <stateRoot>/volumes}). */
        public Builder mountRoot(Path root) {
            return set("integration.volume.operations.mount.path", root.toString());
        }

        /** How long to wait for an attached device (default 30 s). */
        public Builder deviceWaitTimeout(Duration timeout) {
            return set("device.attachTimeout", Durations.format(timeout));
        }

        public Builder listener(VolumeEventListener listener) {
            listeners.add(listener);
            return this;
        }

        /** How external commands are run (e.g. a counting runner for benchmarks). */
        public Builder processRunner(ProcessRunner runner) {
            this.processes = runner;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        /** The driver providers to choose from (default: {@link DriverCatalog#load()}). */
        public Builder catalog(DriverCatalog c) {
            this.catalog = c;
            return this;
        }

        /**
         * Validates the whole configuration and creates the drivers.
         *
         * @throws InvalidConfigurationException naming every unknown, missing, malformed, repeated or contradictory key
         */
        public LibStorage build() {
            ResolvedConfiguration r = resolve();
            StorageDriver storage = storageInstance;
            OSDriver os = osInstance;
            boolean owns = false;
            try {
                if (os == null) {
                    os = r.osProvider().create(new DriverContext(r.os(), processes, clock));
                }
                if (storage == null) {
                    // the OS driver is the storage driver's view of this host's devices (mounts, holders)
                    storage = r.storageProvider().create(new DriverContext(r.storage(), processes, clock, os));
                    owns = true;
                }
                EventDispatcher events = new EventDispatcher(listeners);
                IntegrationDriver integration = r.integrationProvider().create(
                        new IntegrationContext(storage, os, r.integration(), r.stateRoot(), events, clock));
                return new LibStorage(storage, os, integration, r.effective(), owns);
            } catch (RuntimeException e) {
                if (owns) {
                    storage.close();
                }
                if (osInstance == null && os != null) {
                    os.close();
                }
                throw e;
            }
        }

        /**
         * Runs exactly the validation of {@link #build()} (every section against its driver's keys, each
         * provider's {@code validate}, the log levels) without creating any driver (no back-end call, no
         * process, no file written), and returns the settings {@link LibStorage#effectiveConfiguration()}
         * would report, sorted, secrets shown as {@code ******}. For {@code libstorage config check}.
         *
         * @throws InvalidConfigurationException naming every unknown, missing, malformed, repeated or contradictory key
         */
        public Map<String, String> validate() {
            return resolve().effective();
        }

        private ResolvedConfiguration resolve() {
            return ResolvedConfiguration.resolve(new ResolvedConfiguration.Inputs(catalog != null ? catalog : DriverCatalog.load(),
                    config, libstorageOverrides, storageOverrides, osOverrides, storageInstance != null, osInstance != null));
        }
    }
}
