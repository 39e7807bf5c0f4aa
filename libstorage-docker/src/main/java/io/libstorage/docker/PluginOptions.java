package io.libstorage.docker;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidConfigurationException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a {@link DockerVolumePlugin} serves. Immutable; start from {@link #defaults(String)} and adjust
 * with the {@code with*} methods.
 *
 * @param name the plugin (driver) name users give to {@code docker volume create -d NAME}; the socket is
 *             {@code <socketDirectory>/<name>.sock}
 * @param socketDirectory where the socket is created (default {@code /run/docker/plugins}, the directory
 *                        dockerd searches; created with mode 0755 when missing)
 * @param scope what {@code /VolumeDriver.Capabilities} answers: {@code global} (volumes are visible from every
 *              host, e.g. ScaleIO, VirtualBox) or {@code local} (per host, e.g. the local loop-device driver)
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
public record PluginOptions(String name, Path socketDirectory, String scope, Duration operationTimeout,
                            Optional<Path> specDirectory, Optional<String> socketGroup, int maxConcurrentOperations,
                            int maxRequestBytes, boolean reconcileOnStart) {

    /** Where dockerd looks for plugin sockets. */
    public static final Path DEFAULT_SOCKET_DIRECTORY = Path.of("/run/docker/plugins");
    public static final String SCOPE_GLOBAL = "global";
    public static final String SCOPE_LOCAL = "local";
    public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(90);
    public static final int DEFAULT_MAX_CONCURRENT_OPERATIONS = 16;
    public static final int DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public PluginOptions {
        ErrorContext ctx = ErrorContext.of("configure docker plugin");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidConfigurationException(ctx, "name", "'" + name
                    + "' is not a plugin name: 1 to 64 characters from [A-Za-z0-9_.-], starting with a letter or digit");
        }
        Objects.requireNonNull(socketDirectory, "socketDirectory");
        socketDirectory = socketDirectory.toAbsolutePath().normalize();
        String s = scope == null ? "" : scope.strip().toLowerCase(Locale.ROOT);
        if (!s.equals(SCOPE_GLOBAL) && !s.equals(SCOPE_LOCAL)) {
            throw new InvalidConfigurationException(ctx, "scope", "'" + scope + "' is neither 'global' nor 'local'");
        }
        scope = s;
        if (operationTimeout == null || operationTimeout.isNegative() || operationTimeout.isZero()) {
            throw new InvalidConfigurationException(ctx, "operationTimeout", "must be positive, was " + operationTimeout);
        }
        specDirectory = Objects.requireNonNull(specDirectory, "specDirectory").map(p -> p.toAbsolutePath().normalize());
        Objects.requireNonNull(socketGroup, "socketGroup");
        if (maxConcurrentOperations < 1) {
            throw new InvalidConfigurationException(ctx, "maxConcurrentOperations", "must be at least 1, was " + maxConcurrentOperations);
        }
        if (maxRequestBytes < 1024) {
            throw new InvalidConfigurationException(ctx, "maxRequestBytes", "must be at least 1024, was " + maxRequestBytes);
        }
    }

    /**
     * Plugin {@code name} on {@code /run/docker/plugins/<name>.sock}, scope {@code global}, 90 s operation
     * timeout, no spec file, reconcile on start.
     */
    public static PluginOptions defaults(String name) {
        return new PluginOptions(name, DEFAULT_SOCKET_DIRECTORY, SCOPE_GLOBAL, DEFAULT_OPERATION_TIMEOUT, Optional.empty(),
                Optional.empty(), DEFAULT_MAX_CONCURRENT_OPERATIONS, DEFAULT_MAX_REQUEST_BYTES, true);
    }

    /** The socket path, {@code <socketDirectory>/<name>.sock}. */
    public Path socketPath() {
        return socketDirectory.resolve(name + ".sock");
    }

    /** The spec file this configuration writes, if any. */
    public Optional<Path> specFile() {
        return specDirectory.map(d -> d.resolve(name + ".spec"));
    }

    public PluginOptions withName(String n) {
        return new PluginOptions(n, socketDirectory, scope, operationTimeout, specDirectory, socketGroup,
                maxConcurrentOperations, maxRequestBytes, reconcileOnStart);
    }

    public PluginOptions withSocketDirectory(Path dir) {
        return new PluginOptions(name, dir, scope, operationTimeout, specDirectory, socketGroup,
                maxConcurrentOperations, maxRequestBytes, reconcileOnStart);
    }

    /** {@code global} or {@code local} (case-insensitive). */
    public PluginOptions withScope(String s) {
        return new PluginOptions(name, socketDirectory, s, operationTimeout, specDirectory, socketGroup,
                maxConcurrentOperations, maxRequestBytes, reconcileOnStart);
    }

    public PluginOptions withOperationTimeout(Duration timeout) {
        return new PluginOptions(name, socketDirectory, scope, timeout, specDirectory, socketGroup,
                maxConcurrentOperations, maxRequestBytes, reconcileOnStart);
    }

    /** Also write {@code <dir>/<name>.spec}; {@code null} writes none. */
    public PluginOptions withSpecDirectory(Path dir) {
        return new PluginOptions(name, socketDirectory, scope, operationTimeout, Optional.ofNullable(dir), socketGroup,
                maxConcurrentOperations, maxRequestBytes, reconcileOnStart);
    }

    /** Group owner of the socket; {@code null} keeps the process's group. */
    public PluginOptions withSocketGroup(String group) {
        return new PluginOptions(name, socketDirectory, scope, operationTimeout, specDirectory, Optional.ofNullable(group),
                maxConcurrentOperations, maxRequestBytes, reconcileOnStart);
    }

    public PluginOptions withMaxConcurrentOperations(int n) {
        return new PluginOptions(name, socketDirectory, scope, operationTimeout, specDirectory, socketGroup,
                n, maxRequestBytes, reconcileOnStart);
    }

    public PluginOptions withMaxRequestBytes(int bytes) {
        return new PluginOptions(name, socketDirectory, scope, operationTimeout, specDirectory, socketGroup,
                maxConcurrentOperations, bytes, reconcileOnStart);
    }

    public PluginOptions withReconcileOnStart(boolean reconcile) {
        return new PluginOptions(name, socketDirectory, scope, operationTimeout, specDirectory, socketGroup,
                maxConcurrentOperations, maxRequestBytes, reconcile);
    }
}
