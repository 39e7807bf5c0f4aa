package io.libstorage.cli.internal.command;

import io.libstorage.api.ErrorContext;
import io.libstorage.cli.ExitCode;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.service.ClientEndpoint;
import io.libstorage.cli.internal.service.PidFile;
import io.libstorage.cli.internal.service.Readiness;
import io.libstorage.core.LibStorage;
import io.libstorage.docker.DockerVolumePlugin;
import io.libstorage.docker.PluginOptions;
import io.libstorage.spi.support.SystemProcessRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code service start}: serves the Docker volume plugin in the foreground until SIGTERM or SIGINT, then
 * closes it (running calls finish, the socket is removed) and exits with status 0. A socket that another
 * process serves is refused first, before the library is built (exit 1, nothing reconciled or written); then
 * the pid file is taken (its lock refuses a second service of the same pid file), and once the socket answers
 * the supervisor is told: {@code READY=1} through {@code NOTIFY_SOCKET} (systemd, {@code Type=notify}), else a
 * ready file. A clean stop removes the socket, the ready file and the pid file.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Serve the Docker volume plugin on <socket-dir>/<name>.sock in the foreground (for systemd: Type=notify; "
                + "without NOTIFY_SOCKET a ready file says when it serves). SIGTERM or SIGINT stops it cleanly: running calls "
                + "finish, the socket, ready file and pid file are removed, exit 0.")
final class ServiceStart implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = PluginOptions.DEFAULT_NAME,
            description = "the volume driver name for docker -d / --volumedriver (default: ${DEFAULT-VALUE})")
    String name;

    @Option(names = "--socket-dir", paramLabel = "DIR", defaultValue = "/run/docker/plugins",
            description = "where dockerd and dvdcli look for <name>.sock (default: ${DEFAULT-VALUE})")
    Path socketDirectory;

    @Option(names = "--scope", paramLabel = "SCOPE", defaultValue = "auto",
            description = "global (volumes visible from every host), local, or auto: global when the back end attaches volumes to other hosts (scaleio), else local (localfs)")
    String scope;

    @Option(names = "--operation-timeout", paramLabel = "DURATION", converter = Converters.Timeout.class,
            description = "longest time any call takes before it is answered with a TIMEOUT error (default: 90s)")
    Duration operationTimeout;

    @Option(names = "--spec-dir", paramLabel = "DIR", description = "also write <dir>/<name>.spec (e.g. /etc/docker/plugins)")
    Path specDirectory;

    @Option(names = "--socket-group", paramLabel = "GROUP", description = "group owner of the socket")
    String socketGroup;

    @Option(names = "--max-concurrent", paramLabel = "N", description = "mutating calls on different volumes at once (default: 16)")
    Integer maxConcurrent;

    @Option(names = "--no-reconcile", description = "skip the reconcile of this host's state at start")
    boolean noReconcile;

    @Option(names = "--pid-file", paramLabel = "FILE",
            description = "this process's id while it runs, removed on a clean stop; a second service with the same pid file refuses (default: <stateRoot>/service/<name>.pid)")
    Path pidFile;

    @Option(names = "--ready-file", paramLabel = "FILE",
            description = "without NOTIFY_SOCKET: written (pid=, socket=) once the socket answers, removed when it stops (default: <name>.ready beside the pid file)")
    Path readyFile;

    @Override
    public Integer call() throws InterruptedException, IOException {
        CliContext ctx = CliContext.of(spec);
        ctx.configureLogging("info", true);
        // a second instance refuses here, before the library exists: no reconcile, no state write, no back-end call
        PluginOptions options = options();
        DockerVolumePlugin.checkSocketAvailable(options);
        ErrorContext errors = ErrorContext.of("start docker plugin " + options.name());
        Path pid = pidFile != null ? pidFile : ctx.stateRoot().resolve("service").resolve(name + ".pid");
        Readiness readiness = Readiness.of(ctx.env().variables(),
                readyFile != null ? readyFile : pid.toAbsolutePath().resolveSibling(name + ".ready"), SystemProcessRunner.instance());
        Termination termination = new Termination();
        ctx.env().signals().onTermination(termination::request);
        try (PidFile held = PidFile.acquire(pid, errors)) {
            readiness.notReadyYet(errors);
            try (LibStorage storage = ctx.open(null, "info");
                 DockerVolumePlugin plugin = DockerVolumePlugin.start(storage, options, clientEndpoint(ctx, storage))) {
                termination.serving(plugin);
                if (plugin.isRunning()) {
                    readiness.ready(plugin.socketPath(), errors);
                }
                plugin.awaitClose();
            } finally {
                readiness.stopped();
            }
        }
        return ExitCode.OK;
    }

    /** {@code /LibStorage.Cli} for the thin client's {@code volume ls|inspect|path}, unless {@code --service} overrides the configuration. */
    private static java.util.Map<String, io.libstorage.docker.PluginExtension> clientEndpoint(CliContext ctx, LibStorage storage) {
        ClientEndpoint e = ClientEndpoint.of(ctx, storage);
        return e == null ? java.util.Map.of() : java.util.Map.of(ClientEndpoint.METHOD, e);
    }

    /** The options from the command line; scope {@code auto} is left to the plugin, which takes it from the back end's features. */
    PluginOptions options() {
        PluginOptions.Builder o = PluginOptions.builder().name(name).socketDirectory(socketDirectory).reconcileOnStart(!noReconcile);
        if (!scope.strip().equalsIgnoreCase("auto")) {
            o.scope(PluginOptions.Scope.parse(scope));
        }
        if (operationTimeout != null) {
            o.operationTimeout(operationTimeout);
        }
        if (specDirectory != null) {
            o.specDirectory(specDirectory);
        }
        if (socketGroup != null) {
            o.socketGroup(socketGroup);
        }
        if (maxConcurrent != null) {
            o.maxConcurrentOperations(maxConcurrent);
        }
        return o.build();
    }

    /** A stop request that may arrive before, while or after the plugin starts. */
    static final class Termination {
        private boolean requested;
        private DockerVolumePlugin plugin;

        synchronized void request() {
            requested = true;
            if (plugin != null) {
                plugin.close();
            }
        }

        synchronized void serving(DockerVolumePlugin p) {
            plugin = p;
            if (requested) {
                p.close();
            }
        }
    }
}
