package io.libstorage.docker;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.Feature;
import io.libstorage.api.InvalidConfigurationException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a {@link DockerVolumePlugin} serves. Immutable; build with {@link #builder()} (every setting has a
 * default) and adjust a copy with {@link #toBuilder()}.
 *
 * @param name the plugin (driver) name users give to {@code docker volume create -d NAME}; the socket is
 *             {@code <socketDirectory>/<name>.sock}
 * @param socketDirectory where the socket is created (default {@code /run/docker/plugins}, the directory
 *                        dockerd searches; created with mode 0755 when missing)
 * @param scope what {@code /VolumeDriver.Capabilities} answers; empty (the default): from the back end's
 *              features when the plugin starts ({@link Scope#of})
 * @param operationTimeout the longest a call may take before the plugin answers it with a {@code TIMEOUT}
 *                         error; each call is further capped at 90% of dockerd's own deadline for it (Create and
 *                         Mount 2 min, everything else 1 min). Default 90 s
 * @param specDirectory when present, a spec file {@code <specDirectory>/<name>.spec} holding
 *                      {@code unix://<socket>} is written at start and removed at close, for sockets outside the
 *                      directories dockerd searches (e.g. {@code /etc/docker/plugins})
 * @param socketGroup when present, the socket is owned by this group (mode 0660 lets its members connect)
 * @param maxConcurrentOperations how many volume-changing calls (Create, Remove, Mount, Unmount) on different
 *                                volumes run at once; calls on one volume always run one after the other
 * @param maxRequestBytes the largest request body accepted; larger ones are answered 413
 * @param reconcileOnStart whether {@link DockerVolumePlugin#start} first calls the library's
 *                         {@code reconcile()} (without dropping any consumer) and logs what it did
 */
public record PluginOptions(String name, Path socketDirectory, Optional<Scope> scope, Duration operationTimeout,
                            Optional<Path> specDirectory, Optional<String> socketGroup, int maxConcurrentOperations,
                            int maxRequestBytes, boolean reconcileOnStart) {

    /** The plugin name when none is given, as the command line's {@code service start} uses it. */
    public static final String DEFAULT_NAME = "libstorage";
    /** Where dockerd looks for plugin sockets. */
    public static final Path DEFAULT_SOCKET_DIRECTORY = Path.of("/run/docker/plugins");
    public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(90);
    public static final int DEFAULT_MAX_CONCURRENT_OPERATIONS = 16;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final ErrorContext CONTEXT = ErrorContext.of("configure docker plugin");

    /** Where Docker may use a volume of this plugin: what {@code /VolumeDriver.Capabilities} answers. */
    public enum Scope {
        /** Every host sees the same volumes (e.g. ScaleIO, VirtualBox): a volume created on one host is the volume on another. */
        GLOBAL,
        /** The volumes belong to this host (e.g. localfs's loop devices). */
        LOCAL;

        /** The scope of a back end with {@code features}: {@link #GLOBAL} when other hosts can attach its volumes ({@link Feature#REMOTE_ATTACH}), else {@link #LOCAL}. */
        public static Scope of(Set<Feature> features) {
            return features.contains(Feature.REMOTE_ATTACH) ? GLOBAL : LOCAL;
        }

        /**
         * {@code global} or {@code local}, case-insensitive, surrounding white space ignored.
         *
         * @throws InvalidConfigurationException for anything else
         */
        public static Scope parse(String text) {
            String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
            for (Scope scope : values()) {
                if (scope.wireName().equals(s)) {
                    return scope;
                }
            }
            throw new InvalidConfigurationException(CONTEXT, "scope", "'" + text + "' is neither 'global' nor 'local'");
        }

        /** As the protocol spells it: {@code global} or {@code local}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public PluginOptions {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidConfigurationException(CONTEXT, "name", "'" + name
                    + "' is not a plugin name: 1 to 64 characters from [A-Za-z0-9_.-], starting with a letter or digit");
        }
        Objects.requireNonNull(socketDirectory, "socketDirectory");
        socketDirectory = socketDirectory.toAbsolutePath().normalize();
        Objects.requireNonNull(scope, "scope");
        if (operationTimeout == null || operationTimeout.isNegative() || operationTimeout.isZero()) {
            throw new InvalidConfigurationException(CONTEXT, "operationTimeout", "must be positive, was " + operationTimeout);
        }
        specDirectory = Objects.requireNonNull(specDirectory, "specDirectory").map(p -> p.toAbsolutePath().normalize());
        Objects.requireNonNull(socketGroup, "socketGroup");
        if (maxConcurrentOperations < 1) {
            throw new InvalidConfigurationException(CONTEXT, "maxConcurrentOperations", "must be at least 1, was " + maxConcurrentOperations);
        }
        if (maxRequestBytes < 1024) {
            throw new InvalidConfigurationException(CONTEXT, "maxRequestBytes", "must be at least 1024, was " + maxRequestBytes);
        }
    }

    /**
     * A builder with every setting at its default: plugin {@value #DEFAULT_NAME} on
     * {@code /run/docker/plugins/libstorage.sock}, scope from the back end's features, 90 s operation timeout,
     * no spec file, no socket group, 16 concurrent operations, 1 MiB bodies, reconcile on start.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options. */
    public Builder toBuilder() {
        Builder b = new Builder().name(name).socketDirectory(socketDirectory).operationTimeout(operationTimeout)
                .maxConcurrentOperations(maxConcurrentOperations).maxRequestBytes(maxRequestBytes).reconcileOnStart(reconcileOnStart);
        b.scope = scope.orElse(null);
        b.specDirectory = specDirectory.orElse(null);
        b.socketGroup = socketGroup.orElse(null);
        return b;
    }

    /** The socket path, {@code <socketDirectory>/<name>.sock}. */
    public Path socketPath() {
        return socketDirectory.resolve(name + ".sock");
    }

    /** The spec file this configuration writes, if any. */
    public Optional<Path> specFile() {
        return specDirectory.map(d -> d.resolve(name + ".spec"));
    }

    /** Builder of {@link PluginOptions}; {@link #build()} checks every setting. */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private Path socketDirectory = DEFAULT_SOCKET_DIRECTORY;
        private Scope scope;
        private Duration operationTimeout = DEFAULT_OPERATION_TIMEOUT;
        private Path specDirectory;
        private String socketGroup;
        private int maxConcurrentOperations = DEFAULT_MAX_CONCURRENT_OPERATIONS;
        private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
        private boolean reconcileOnStart = true;

        private Builder() {
        }

        /** The plugin (driver) name; {@code [A-Za-z0-9][A-Za-z0-9_.-]{0,63}}. */
        public Builder name(String pluginName) {
            this.name = pluginName;
            return this;
        }

        public Builder socketDirectory(Path dir) {
            this.socketDirectory = dir;
            return this;
        }

        /** A fixed scope instead of the one the back end's features give. */
        public Builder scope(Scope s) {
            this.scope = Objects.requireNonNull(s, "scope");
            return this;
        }

        public Builder operationTimeout(Duration timeout) {
            this.operationTimeout = timeout;
            return this;
        }

        /** Also write {@code <dir>/<name>.spec}. */
        public Builder specDirectory(Path dir) {
            this.specDirectory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** Group owner of the socket (default: the process's group). */
        public Builder socketGroup(String group) {
            this.socketGroup = Objects.requireNonNull(group, "group");
            return this;
        }

        public Builder maxConcurrentOperations(int n) {
            this.maxConcurrentOperations = n;
            return this;
        }

        public Builder maxRequestBytes(int bytes) {
            this.maxRequestBytes = bytes;
            return this;
        }

        public Builder reconcileOnStart(boolean reconcile) {
            this.reconcileOnStart = reconcile;
            return this;
        }

        /**
         * The options.
         *
         * @throws InvalidConfigurationException naming the setting that is not valid
         */
        public PluginOptions build() {
            return new PluginOptions(name, socketDirectory, Optional.ofNullable(scope), operationTimeout,
                    Optional.ofNullable(specDirectory), Optional.ofNullable(socketGroup), maxConcurrentOperations,
                    maxRequestBytes, reconcileOnStart);
        }
    }
}
