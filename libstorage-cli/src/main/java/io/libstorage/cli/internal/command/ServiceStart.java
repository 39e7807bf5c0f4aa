package io.libstorage.cli.internal.command;

import io.libstorage.cli.ExitCode;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.core.LibStorage;
import io.libstorage.docker.DockerVolumePlugin;
import io.libstorage.docker.PluginOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code service start}: serves the Docker volume plugin in the foreground until SIGTERM or SIGINT, then
 * closes it (running calls finish, the socket is removed) and exits with status 0. A socket that another
 * process serves is refused first, before the library is built (exit 1, nothing reconciled or written).
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Serve the Docker volume plugin on <socket-dir>/<name>.sock in the foreground (for systemd: Type=simple). SIGTERM or SIGINT stops it cleanly: running calls finish, the socket is removed, exit 0.")
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

    @Override
    public Integer call() throws InterruptedException {
        CliContext ctx = CliContext.of(spec);
        ctx.configureLogging("info", true);
        // a second instance refuses here, before the library exists: no reconcile, no state write, no back-end call
        PluginOptions options = options();
        DockerVolumePlugin.checkSocketAvailable(options);
        Termination termination = new Termination();
        ctx.env().signals().onTermination(termination::request);
        try (LibStorage storage = ctx.open(null, "info")) {
            try (DockerVolumePlugin plugin = DockerVolumePlugin.start(storage, options)) {
                termination.serving(plugin);
                plugin.awaitClose();
            }
        }
        return ExitCode.OK;
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
