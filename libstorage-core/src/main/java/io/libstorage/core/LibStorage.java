package io.libstorage.core;

import io.libstorage.api.AttachOptions;
import io.libstorage.api.Attachment;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.DetachOptions;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.HostId;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.api.MountRequest;
import io.libstorage.api.MountedVolume;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.ReconcileReport;
import io.libstorage.api.RemoveOptions;
import io.libstorage.api.Snapshot;
import io.libstorage.api.Volume;
import io.libstorage.api.VolumeEventListener;
import io.libstorage.api.VolumeSpec;
import io.libstorage.api.VolumeStatus;
import io.libstorage.core.internal.events.EventDispatcher;
import io.libstorage.spi.ConfigKey;
import io.libstorage.spi.ConfigType;
import io.libstorage.spi.DriverConfig;
import io.libstorage.spi.DriverContext;
import io.libstorage.spi.IntegrationContext;
import io.libstorage.spi.IntegrationDriver;
import io.libstorage.spi.IntegrationDriverProvider;
import io.libstorage.spi.OSDriver;
import io.libstorage.spi.ProcessRunner;
import io.libstorage.spi.StorageDriver;
import io.libstorage.spi.StorageDriverProvider;
import io.libstorage.spi.support.Durations;
import io.libstorage.spi.support.SystemProcessRunner;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The library's entry point: one instance per host and storage back end. Build it with
 * {@link #builder()} or from a REX-Ray style YAML file with {@link #fromYaml(Path)}, then ask it for
 * volumes:
 *
 * <pre>{@code
 * try (LibStorage storage = LibStorage.builder().storageDriver("localfs").build()) {
 *     MountedVolume v = storage.mount("pgdata", ConsumerId.of("postgres-1"), MountRequest.DEFAULT);
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
            ConfigKey.optional(KEY_STATE_ROOT, ConfigType.PATH, "/var/lib/libstorage", "this host's durable state and default mount root"),
            ConfigKey.optional(KEY_OS_DRIVER, ConfigType.STRING, "linux", "the OS driver"),
            ConfigKey.optional(KEY_INTEGRATION_DRIVER, ConfigType.STRING, "docker", "the integration driver"),
            ConfigKey.oneOf(KEY_LOG_LEVEL, null, "log level of the libstorage command (libraries log through SLF4J)",
                    "error", "warn", "info", "debug"));

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
    public MountedVolume mount(String name, ConsumerId consumer, MountRequest request) {
        return integration.mount(name, consumer, request);
    }

    /** Mounts for the anonymous consumer with the configured defaults. */
    public MountedVolume mount(String name) {
        return integration.mount(name, ConsumerId.ANONYMOUS, MountRequest.DEFAULT);
    }

    /** See {@link IntegrationDriver#unmount}. */
    public void unmount(String name, ConsumerId consumer) {
        integration.unmount(name, consumer);
    }

    /** See {@link IntegrationDriver#path}. */
    public Optional<Path> path(String name) {
        return integration.path(name);
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

    /** The storage driver (control plane), for operations the integration layer does not offer. */
    public StorageDriver storage() {
        return storage;
    }

    /** The OS driver. */
    public OSDriver os() {
        return os;
    }

    /** The integration driver. */
    public IntegrationDriver integration() {
        return integration;
    }

    /** Every effective setting as {@code section.key → value}, secrets shown as {@code ******}. */
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
         * @throws InvalidConfigurationException naming the first unknown, missing, malformed or contradictory key
         */
        public LibStorage build() {
            return assemble(true, new TreeMap<>());
        }

        /**
         * Validates the whole configuration as {@link #build()} does, without creating any driver (no
         * back-end call, no process, no file written), and returns the settings {@link LibStorage#effectiveConfiguration()}
         * would report, secrets shown as {@code ******}. For {@code libstorage config check}.
         *
         * @throws InvalidConfigurationException naming the first unknown, missing, malformed or contradictory key
         */
        public Map<String, String> validate() {
            Map<String, String> effective = new TreeMap<>();
            assemble(false, effective);
            return Map.copyOf(effective);
        }

        private LibStorage assemble(boolean createDrivers, Map<String, String> effective) {
            DriverCatalog drivers = catalog != null ? catalog : DriverCatalog.load();
            Map<String, Object> libstorage = new LinkedHashMap<>(config.libstorageSection());
            putAllReplacingCase(libstorage, libstorageOverrides);

            Map<String, Object> core = new LinkedHashMap<>();
            Map<String, Object> integrationSection = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : libstorage.entrySet()) {
                String k = e.getKey().toLowerCase(Locale.ROOT);
                boolean integrationKey = (k.startsWith("integration.") && !k.equals(KEY_INTEGRATION_DRIVER)) || k.startsWith("device.");
                (integrationKey ? integrationSection : core).put(e.getKey(), e.getValue());
            }
            DriverConfig coreConfig = DriverConfig.parse("libstorage", CORE_KEYS, core);
            Path stateRoot = coreConfig.path(KEY_STATE_ROOT).toAbsolutePath().normalize();

            coreConfig.describe().forEach((k, v) -> effective.put("libstorage." + k, v));

            validateSections(drivers, coreConfig);
            // the integration section is checked before any driver connects to anything
            IntegrationDriverProvider ip = drivers.integrationDriver(coreConfig.string(KEY_INTEGRATION_DRIVER));
            DriverConfig ic = DriverConfig.parse("libstorage", ip.configKeys(), integrationSection);
            StorageDriver storage = storageInstance;
            OSDriver os = osInstance;
            boolean owns = false;
            try {
                if (storage == null) {
                    String service = coreConfig.optionalString(KEY_SERVICE).orElseThrow(() -> new InvalidConfigurationException(
                            ErrorContext.of("load configuration"), "libstorage.service",
                            "no storage driver selected; available: " + drivers.storageDrivers().keySet()));
                    StorageDriverProvider p = drivers.storageDriver(service);
                    Map<String, Object> section = new LinkedHashMap<>(config.driverSection(service));
                    putAllReplacingCase(section, storageOverrides);
                    DriverConfig dc = DriverConfig.parse(service, p.configKeys(), section);
                    dc.describe().forEach((k, v) -> effective.put(service + "." + k, v));
                    if (createDrivers) {
                        storage = p.create(new DriverContext(dc, processes, clock));
                        owns = true;
                    }
                } else if (!storageOverrides.isEmpty()) {
                    throw new InvalidConfigurationException(ErrorContext.of("load configuration"), "storageOption",
                            "options were given for a driver instance handed to the builder");
                }
                if (os == null) {
                    String osName = coreConfig.string(KEY_OS_DRIVER);
                    var p = drivers.osDriver(osName);
                    Map<String, Object> section = new LinkedHashMap<>(config.driverSection(osName));
                    putAllReplacingCase(section, osOverrides);
                    DriverConfig dc = DriverConfig.parse(osName, p.configKeys(), section);
                    dc.describe().forEach((k, v) -> effective.put(osName + "." + k, v));
                    if (createDrivers) {
                        os = p.create(new DriverContext(dc, processes, clock));
                    }
                } else if (!osOverrides.isEmpty()) {
                    throw new InvalidConfigurationException(ErrorContext.of("load configuration"), "osOption",
                            "options were given for an OS driver instance handed to the builder");
                }
                ic.describe().forEach((k, v) -> effective.put("libstorage." + k, v));
                if (!createDrivers) {
                    return null;
                }
                EventDispatcher events = new EventDispatcher(listeners);
                IntegrationDriver integration = ip.create(new IntegrationContext(storage, os, ic, stateRoot, events, clock));
                return new LibStorage(storage, os, integration, Map.copyOf(effective), owns);
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

        /** Every driver section in the file must belong to a known driver, and be valid for it. */
        private void validateSections(DriverCatalog drivers, DriverConfig coreConfig) {
            for (Map.Entry<String, Map<String, Object>> s : config.driverSections().entrySet()) {
                StorageDriverProvider sp = drivers.storageDrivers().get(s.getKey());
                var op = drivers.osDrivers().get(s.getKey());
                if (sp == null && op == null) {
                    throw new InvalidConfigurationException(ErrorContext.of("load configuration"), s.getKey(),
                            "unknown section: no storage or OS driver has this name; storage drivers: "
                                    + drivers.storageDrivers().keySet() + ", OS drivers: " + drivers.osDrivers().keySet());
                }
                if (sp != null && !coreConfig.optionalString(KEY_SERVICE).map(s.getKey()::equalsIgnoreCase).orElse(false)) {
                    DriverConfig.parse(s.getKey(), sp.configKeys(), s.getValue());
                }
            }
        }

        private static void putAllReplacingCase(Map<String, Object> target, Map<String, Object> overrides) {
            for (Map.Entry<String, Object> o : overrides.entrySet()) {
                target.keySet().removeIf(k -> k.equalsIgnoreCase(o.getKey()));
                target.put(o.getKey(), o.getValue());
            }
        }
    }
}
