package io.libstorage.core.internal.integration;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidConfigurationException;
import io.libstorage.api.PreemptionPolicy;
import io.libstorage.api.VolumeSpec;
import io.libstorage.spi.ConfigKey;
import io.libstorage.spi.ConfigType;
import io.libstorage.spi.DriverConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The default integration driver's settings, under {@code libstorage.} in REX-Ray's key names
 * ({@code integration.volume.operations.*}, {@code device.attachTimeout}) plus the few this
 * library adds (marked "libstorage-java").
 */
public record IntegrationSettings(PreemptionPolicy defaultPreemption, Path mountRoot, String consumerSubPath,
                                  boolean createImplicit, boolean createDisabled, boolean removeDisabled,
                                  VolumeSpec defaultSpec, Duration deviceWaitTimeout, Duration lockTimeout) {
    private static final Logger LOG = LoggerFactory.getLogger(IntegrationSettings.class);
    private static final String OPS = "integration.volume.operations.";

    static final String PREEMPT = OPS + "mount.preempt";
    static final String PREEMPTION_POLICY = OPS + "mount.preemptionPolicy";
    static final String MOUNT_PATH = OPS + "mount.path";
    static final String ROOT_PATH = OPS + "mount.rootPath";
    static final String IGNORE_USED_COUNT = OPS + "unmount.ignoreUsedCount";
    static final String PATH_CACHE_ENABLED = OPS + "path.cache.enabled";
    static final String PATH_CACHE_ASYNC = OPS + "path.cache.async";
    static final String CREATE_DISABLE = OPS + "create.disable";
    static final String CREATE_IMPLICIT = OPS + "create.implicit";
    static final String DEFAULT_SIZE = OPS + "create.default.size";
    static final String DEFAULT_FS = OPS + "create.default.fsType";
    /** The key of the default filesystem of creates, which configuration validation checks against the OS driver. */
    public static final String DEFAULT_FS_KEY = DEFAULT_FS;
    static final String DEFAULT_TYPE = OPS + "create.default.type";
    static final String DEFAULT_AZ = OPS + "create.default.availabilityZone";
    static final String DEFAULT_IOPS = OPS + "create.default.IOPS";
    static final String DEFAULT_MKFS = OPS + "create.default.mkfsOptions";
    static final String DEFAULT_MOUNT_OPTIONS = OPS + "create.default.mountOptions";
    static final String REMOVE_DISABLE = OPS + "remove.disable";
    static final String LOCK_TIMEOUT = OPS + "lockTimeout";
    static final String ATTACH_TIMEOUT = "device.attachTimeout";

    public static List<ConfigKey> keys() {
        return List.of(
                ConfigKey.optional(PREEMPT, ConfigType.BOOLEAN, "false",
                        "REX-Ray's switch; true means IF_OWNER_UNREACHABLE (take a volume only from a host the storage system shows as gone)"),
                ConfigKey.oneOf(PREEMPTION_POLICY, null,
                        "libstorage-java: default pre-emption policy of mounts (overrides preempt; a contradiction with preempt is an error)",
                        "NEVER", "IF_OWNER_UNREACHABLE", "ALWAYS"),
                ConfigKey.stateDirectory(MOUNT_PATH, "volumes",
                        "directory under which volumes are mounted, one directory per volume name"),
                ConfigKey.optional(ROOT_PATH, ConfigType.STRING, "/data",
                        "sub-directory of the filesystem handed to consumers, so lost+found is not visible; '/' hands out the root"),
                ConfigKey.optional(IGNORE_USED_COUNT, ConfigType.BOOLEAN, "false",
                        "REX-Ray compatibility; has no effect: consumers are a durable set, and a caller without an id is one anonymous consumer"),
                ConfigKey.optional(PATH_CACHE_ENABLED, ConfigType.BOOLEAN, "true",
                        "REX-Ray compatibility; has no effect: paths are always answered from durable local state"),
                ConfigKey.optional(PATH_CACHE_ASYNC, ConfigType.BOOLEAN, "true",
                        "REX-Ray compatibility; has no effect"),
                ConfigKey.optional(CREATE_DISABLE, ConfigType.BOOLEAN, "false",
                        "refuse every create (explicit or implicit) with OPERATION_DISABLED"),
                ConfigKey.optional(CREATE_IMPLICIT, ConfigType.BOOLEAN, "true",
                        "whether a mount of a missing volume creates it"),
                ConfigKey.optional(DEFAULT_SIZE, ConfigType.BYTES, "16",
                        "size of new volumes: a bare number is GiB (as in REX-Ray), or a size such as 512MiB"),
                ConfigKey.optional(DEFAULT_FS, ConfigType.STRING, VolumeSpec.DEFAULT_FS_TYPE,
                        "filesystem of new volumes (ext4, xfs, btrfs)"),
                ConfigKey.optional(DEFAULT_TYPE, ConfigType.STRING, null,
                        "back-end volume type of new volumes (ScaleIO: storage pool name); passed as driver option 'type'"),
                ConfigKey.optional(DEFAULT_AZ, ConfigType.STRING, null,
                        "back-end availability zone of new volumes (ScaleIO: protection domain name); driver option 'availabilityZone'"),
                ConfigKey.optional(DEFAULT_IOPS, ConfigType.INTEGER, null,
                        "IOPS limit of new volumes where the back end supports it; driver option 'iops'"),
                ConfigKey.optional(DEFAULT_MKFS, ConfigType.STRING_LIST, null,
                        "libstorage-java: extra mkfs arguments for new volumes"),
                ConfigKey.optional(DEFAULT_MOUNT_OPTIONS, ConfigType.STRING_LIST, null,
                        "libstorage-java: mount options for new volumes"),
                ConfigKey.optional(REMOVE_DISABLE, ConfigType.BOOLEAN, "false",
                        "refuse every remove with OPERATION_DISABLED (it fails loudly, never succeeds silently)"),
                ConfigKey.optional(LOCK_TIMEOUT, ConfigType.DURATION, "2m",
                        "libstorage-java: how long a call waits for another call on the same volume"),
                ConfigKey.optional(ATTACH_TIMEOUT, ConfigType.DURATION, "30s",
                        "how long to wait for an attached volume's device to appear"));
    }

    /**
     * The typed settings, checking what the keys' types cannot (a contradiction, a root path that escapes).
     * No side effect: {@code config check} runs it as the provider's validation.
     *
     * @throws InvalidConfigurationException naming the key
     */
    public static IntegrationSettings from(DriverConfig c) {
        PreemptionPolicy policy = c.optionalString(PREEMPTION_POLICY).map(PreemptionPolicy::valueOf)
                .orElse(c.bool(PREEMPT) ? PreemptionPolicy.IF_OWNER_UNREACHABLE : PreemptionPolicy.NEVER);
        if (c.optionalString(PREEMPTION_POLICY).isPresent() && c.bool(PREEMPT) && policy == PreemptionPolicy.NEVER) {
            throw new InvalidConfigurationException(ErrorContext.of("load configuration"), "libstorage." + PREEMPTION_POLICY,
                    "NEVER contradicts libstorage." + PREEMPT + ": true");
        }
        String rootPath = c.string(ROOT_PATH);
        String sub = rootPath.replaceAll("^/+", "").replaceAll("/+$", "");
        if (sub.contains("..") || sub.contains("\0")) {
            throw new InvalidConfigurationException(ErrorContext.of("load configuration"), "libstorage." + ROOT_PATH,
                    "must be a plain sub-directory without '..'");
        }
        VolumeSpec.Builder spec = VolumeSpec.builder()
                .sizeBytes(c.bytes(DEFAULT_SIZE))
                .fsType(c.string(DEFAULT_FS).toLowerCase(Locale.ROOT))
                .mkfsOptions(c.stringList(DEFAULT_MKFS))
                .mountOptions(c.stringList(DEFAULT_MOUNT_OPTIONS));
        c.optionalString(DEFAULT_TYPE).ifPresent(v -> spec.driverOption("type", v));
        c.optionalString(DEFAULT_AZ).ifPresent(v -> spec.driverOption("availabilityZone", v));
        c.value(DEFAULT_IOPS).ifPresent(v -> spec.driverOption("iops", String.valueOf(v)));
        return new IntegrationSettings(policy,
                c.path(MOUNT_PATH).toAbsolutePath().normalize(),
                sub, c.bool(CREATE_IMPLICIT), c.bool(CREATE_DISABLE), c.bool(REMOVE_DISABLE), spec.build(),
                c.duration(ATTACH_TIMEOUT), c.duration(LOCK_TIMEOUT));
    }

    /** Says once, at start-up, which REX-Ray settings are accepted but have no effect. */
    static void warnAboutIneffectiveSettings(DriverConfig c) {
        if (c.bool(IGNORE_USED_COUNT)) {
            LOG.warn("libstorage.{} has no effect: consumers are tracked as a set per volume", IGNORE_USED_COUNT);
        }
    }

    /** Where a volume's filesystem is mounted. */
    public Path mountPointOf(String name) {
        return mountRoot.resolve(name);
    }

    /** What consumers of a volume mounted at {@code mountPoint} are given. */
    public Path consumerPath(Path mountPoint) {
        return consumerSubPath.isEmpty() ? mountPoint : mountPoint.resolve(consumerSubPath);
    }

    public Optional<String> subPath() {
        return consumerSubPath.isEmpty() ? Optional.empty() : Optional.of(consumerSubPath);
    }
}
