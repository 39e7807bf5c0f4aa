package io.libstorage.docker;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.ReconcileReport;
import io.libstorage.api.StorageException;
import io.libstorage.core.LibStorage;
import io.libstorage.docker.internal.BlankHostConnectionFactory;
import io.libstorage.docker.internal.JsonErrorHandler;
import io.libstorage.docker.internal.OperationRunner;
import io.libstorage.docker.internal.PluginHandler;
import io.libstorage.docker.internal.SocketFiles;
import io.libstorage.docker.internal.VolumeDriverService;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Docker volume plugin (legacy protocol v1, as dockerd 20.10 speaks it) serving a
 * {@link LibStorage} on a unix socket, by default {@code /run/docker/plugins/<name>.sock}, where
 * dockerd discovers it by name ({@code docker volume create -d <name>},
 * {@code docker run --volume-driver <name>}). dvdcli and Mesos use the same socket.
 *
 * <pre>{@code
 * try (LibStorage storage = LibStorage.fromYaml(Path.of("/etc/libstorage/config.yml"));
 *      DockerVolumePlugin plugin = DockerVolumePlugin.start(storage, PluginOptions.builder().name("libstorage").build())) {
 *     plugin.awaitClose();
 * }
 * }</pre>
 *
 * <p><b>Idempotency.</b> Every endpoint is as idempotent as the library: a repeated Create with
 * compatible options, a Mount with an id that already holds the volume, an Unmount of an id that
 * does not, a Remove of a missing volume all succeed without a second side effect. Each Mount id is
 * a consumer of the volume ({@code ConsumerId.ofNullable(id)}); a Mount or Unmount without an id (dvdcli,
 * Mesos) is the one anonymous consumer, so N anonymous Mounts and one anonymous Unmount release the
 * volume. The last consumer out unmounts and detaches. Consumers are durable library records:
 * a restarted plugin (after {@code reconcile()} at start) serves the same state, with no second mount.
 *
 * <p><b>Concurrency and deadlines.</b> Calls on one volume run one after the other; calls on
 * different volumes run in parallel. Each call is answered within
 * {@link PluginOptions#operationTimeout()} (capped below dockerd's own deadlines); a Mount that
 * finishes after its caller was told it timed out is undone.
 *
 * <p>{@link #close()} stops serving and removes the socket and the spec file it wrote; it does not
 * close the {@link LibStorage}, which belongs to the caller. Thread-safe.
 */
public final class DockerVolumePlugin implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DockerVolumePlugin.class);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    /**
     * HTTP threads parse a request, hand it to the {@link OperationRunner} and write its answer (operations never
     * run on them), so a few serve any number of waiting calls; with no acceptor and one selector, the selector's
     * thread is the only one an idle plugin keeps.
     */
    private static final int HTTP_MAX_THREADS = 8;
    private static final int HTTP_MIN_THREADS = 1;
    private static final Duration HTTP_THREAD_IDLE = Duration.ofSeconds(30);
    /** Kept request and response buffers, heap and direct each (requests are JSON of a few hundred bytes). */
    private static final long BUFFER_POOL_BYTES = 1024 * 1024;

    private final PluginOptions options;
    private final PluginOptions.Scope scope;
    private final Server server;
    private final UnixDomainServerConnector connector;
    private final OperationRunner runner;
    private final Path socket;
    private final Optional<Path> specFile;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closedLatch = new CountDownLatch(1);

    private DockerVolumePlugin(PluginOptions options, PluginOptions.Scope scope, Server server, UnixDomainServerConnector connector,
                               OperationRunner runner, Path socket, Optional<Path> specFile) {
        this.options = options;
        this.scope = scope;
        this.server = server;
        this.connector = connector;
        this.runner = runner;
        this.socket = socket;
        this.specFile = specFile;
    }

    /**
     * Checks, changing nothing, that a plugin with {@code options} could serve its socket: the path fits a
     * unix socket address, and nothing but a stale socket (left by a killed plugin, which {@link #start}
     * replaces) is in its way. A caller that builds the {@link LibStorage} only to serve it (a service's
     * start-up) calls this first, so that a second instance refuses before the library exists: before any
     * reconcile, state write or back-end connection. {@link #start} checks again.
     *
     * @throws OperationFailedException when another process serves the socket, or the path is not a socket
     *                                  or is too long for a unix socket address
     */
    public static void checkSocketAvailable(PluginOptions options) {
        checkSocket(options.socketPath(), ErrorContext.of("start docker plugin " + options.name()));
    }

    /**
     * Jetty's pool of the plugin: 1 to {@value #HTTP_MAX_THREADS} threads, none parked in reserve (a request is handed
     * to an idle thread, and a new one is started only when none is idle, so the idle plugin holds the selector's
     * thread and nothing else), and every thread idle for {@code idle} ends: Jetty's default ends one thread per
     * idle period, which left a burst's threads for minutes.
     */
    static QueuedThreadPool httpThreads(String name, Duration idle) {
        QueuedThreadPool threads = new QueuedThreadPool(HTTP_MAX_THREADS, HTTP_MIN_THREADS, (int) idle.toMillis());
        threads.setName(name);
        threads.setReservedThreads(0);
        threads.setMaxEvictCount(HTTP_MAX_THREADS);
        return threads;
    }

    private static void checkSocket(Path socket, ErrorContext ctx) {
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > UnixDomainServerConnector.MAX_UNIX_DOMAIN_PATH_LENGTH) {
            throw new OperationFailedException(ctx, "the socket path " + socket + " is longer than the "
                    + UnixDomainServerConnector.MAX_UNIX_DOMAIN_PATH_LENGTH + " bytes a unix socket address allows", null);
        }
        SocketFiles.checkReplaceable(socket, ctx);
    }

    /**
     * Checks the socket as {@link #checkSocketAvailable} does, and only then reconciles the library's state
     * (unless disabled), binds the socket (removing a stale one; refusing when another process serves it),
     * sets it to mode 0660, writes the spec file if configured, and serves.
     *
     * @throws StorageException when the socket cannot be bound or prepared; nothing is left behind then, and
     *                          when another process serves the socket nothing was reconciled either
     */
    public static DockerVolumePlugin start(LibStorage storage, PluginOptions options) {
        return start(storage, options, Map.of());
    }

    /**
     * As {@link #start(LibStorage, PluginOptions)}, also serving {@code extensions} (method name, e.g.
     * {@code LibStorage.Cli}, to its handler) on {@code POST /<method>}; a name of the Docker protocol is refused.
     */
    public static DockerVolumePlugin start(LibStorage storage, PluginOptions options, Map<String, PluginExtension> extensions) {
        PluginHandler.checkExtensions(extensions);
        PluginOptions.Scope scope = options.scope().orElseGet(() -> PluginOptions.Scope.of(storage.features()));
        VolumeDriverService service = new VolumeDriverService(storage, scope.wireName());
        ErrorContext ctx = storage.errorContext("start docker plugin " + options.name(), null);
        Path socket = options.socketPath();
        checkSocket(socket, ctx);
        if (options.reconcileOnStart()) {
            reconcile(storage, options.name());
        }
        SocketFiles.ensureDirectory(options.socketDirectory(), ctx);
        SocketFiles.removeStale(socket, ctx);

        OperationRunner runner = new OperationRunner("docker-plugin-" + options.name(), options.maxConcurrentOperations());
        QueuedThreadPool threads = httpThreads("docker-plugin-" + options.name() + "-http", HTTP_THREAD_IDLE);
        Server server = new Server(threads, null, new ArrayByteBufferPool(0, -1, -1, -1, BUFFER_POOL_BYTES, BUFFER_POOL_BYTES));
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        PluginHandler handler = new PluginHandler(service, runner, options.operationTimeout(), options.maxRequestBytes(), extensions);
        // no acceptor thread (the selector accepts) and one selector: dockerd, dvdcli and Mesos open a few connections
        UnixDomainServerConnector connector = new UnixDomainServerConnector(server, 0, 1,
                new BlankHostConnectionFactory(http, handler.headDeadline()));
        connector.setUnixDomainPath(socket);
        // longer than any operation: an idle timeout during a running call would fail it
        connector.setIdleTimeout(options.operationTimeout().plus(Duration.ofMinutes(2)).toMillis());
        server.addConnector(connector);
        server.setHandler(handler);
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(SHUTDOWN_GRACE.toMillis());
        Optional<Path> spec = options.specFile();
        try {
            server.start();
            SocketFiles.restrict(socket, options.socketGroup().orElse(null), ctx);
            spec.ifPresent(s -> SocketFiles.writeSpec(s, socket, ctx));
        } catch (Exception e) {
            stopQuietly(server);
            runner.close();
            deleteQuietly(socket);
            spec.ifPresent(s -> removeSpecQuietly(s, socket));
            if (e instanceof StorageException se) {
                throw se;
            }
            throw new OperationFailedException(ctx, "cannot serve on " + socket + ": " + e, e);
        }
        LOG.info("Docker volume plugin '{}' serving on {} (scope {}, back end {}, host {}{})", options.name(), socket,
                scope.wireName(), storage.backend(), ctx.host(), spec.map(s -> ", spec file " + s).orElse(""));
        return new DockerVolumePlugin(options, scope, server, connector, runner, socket, spec);
    }

    private static void reconcile(LibStorage storage, String name) {
        try {
            ReconcileReport r = storage.reconcile();
            if (r.droppedConsumers().isEmpty() && r.released().isEmpty() && r.staleMounts().isEmpty() && r.repaired().isEmpty()
                    && r.problems().isEmpty()) {
                LOG.info("plugin '{}': reconcile found nothing to repair", name);
            } else {
                LOG.info("plugin '{}': reconcile dropped consumers {}, released {}, unmounted stale mounts {}, repaired {}", name,
                        r.droppedConsumers(), r.released(), r.staleMounts(), r.repaired());
                r.problems().forEach(p -> LOG.warn("plugin '{}': reconcile could not repair: {}", name, p));
            }
        } catch (StorageException e) {
            LOG.warn("plugin '{}': reconcile at start failed; serving anyway (each call re-checks the real state): {}",
                    name, e.getMessage());
        }
    }

    /** The socket dockerd connects to. */
    public Path socketPath() {
        return socket;
    }

    /** The plugin (volume driver) name. */
    public String name() {
        return options.name();
    }

    /** The options it was started with. */
    public PluginOptions options() {
        return options;
    }

    /** The scope it answers: the configured one, else the one the back end's features give ({@link PluginOptions.Scope#of}). */
    public PluginOptions.Scope scope() {
        return scope;
    }

    /** Whether it still serves. */
    public boolean isRunning() {
        return !closed.get();
    }

    /** Blocks until {@link #close()} has finished (for a service's main thread). */
    public void awaitClose() throws InterruptedException {
        closedLatch.await();
    }

    /**
     * Stops accepting calls, lets running operations finish (up to 10 s; their effects are durable in the
     * library either way), stops the server and removes the socket and the spec file. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            connector.setAccepting(false);
            runner.shutdown(SHUTDOWN_GRACE);
            stopQuietly(server);
        } finally {
            deleteQuietly(socket);
            specFile.ifPresent(s -> removeSpecQuietly(s, socket));
            LOG.info("Docker volume plugin '{}' stopped; removed {}", options.name(), socket);
            closedLatch.countDown();
        }
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the plugin's HTTP server failed", e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", p, e.toString());
        }
    }

    private static void removeSpecQuietly(Path spec, Path socket) {
        try {
            SocketFiles.removeSpec(spec, socket);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", spec, e.toString());
        }
    }

    @Override
    public String toString() {
        return "DockerVolumePlugin[" + options.name() + " on " + socket + (closed.get() ? ", closed" : "") + "]";
    }
}
