package io.libstorage.cli.internal.command;

import io.libstorage.cli.ExitCode;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.core.LibStorage;
import io.libstorage.csi.CsiEndpoint;
import io.libstorage.csi.CsiPlugin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code csi} and {@code csi start}: the CSI plugin (Identity, Controller and Node in one process) in the
 * foreground on the unix socket {@code CSI_ENDPOINT} names, until SIGTERM or SIGINT; then running calls
 * finish, the socket is removed and the exit status is 0. A socket another server answers on is refused
 * (exit 1).
 */
@Command(name = "csi", mixinStandardHelpOptions = true,
        description = "The Container Storage Interface plugin (Kubernetes, Nomad, Swarm): see 'csi start'.")
final class CsiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(CliContext.of(spec).env().err());
        return ExitCode.USAGE;
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Serve CSI v1.12 Identity, Controller and Node on the unix socket of CSI_ENDPOINT (unix:///path/csi.sock)"
                    + " in the foreground. SIGTERM or SIGINT stops it cleanly: running calls finish, the socket is removed, exit 0.")
    int start(@Option(names = "--endpoint", paramLabel = "ENDPOINT",
                      description = "the socket, unix:///path/csi.sock or a path (default: $CSI_ENDPOINT)") String endpoint,
              @Option(names = "--name", paramLabel = "NAME", defaultValue = CsiPlugin.DEFAULT_NAME,
                      description = "the CSI driver name (default: ${DEFAULT-VALUE})") String name,
              @Option(names = "--no-reconcile", description = "skip the reconcile of this host's state at start") boolean noReconcile)
            throws InterruptedException {
        CommandSpec start = spec.subcommands().get("start").getCommandSpec();
        CliContext ctx = CliContext.of(spec);
        ctx.configureLogging("info", true);
        CsiEndpoint where;
        try {
            where = CsiEndpoint.parse(endpoint != null ? endpoint : ctx.env().variables().get(CsiEndpoint.VARIABLE));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(start.commandLine(), e.getMessage());
        }
        Object lock = new Object();
        CsiPlugin[] serving = new CsiPlugin[1];
        boolean[] stop = new boolean[1];
        ctx.env().signals().onTermination(() -> {
            synchronized (lock) {
                stop[0] = true;
                if (serving[0] != null) {
                    serving[0].close();
                }
            }
        });
        try (LibStorage storage = ctx.open(null, "info");
             CsiPlugin plugin = CsiPlugin.builder(storage).endpoint(where).name(name).reconcileOnStart(!noReconcile).start()) {
            synchronized (lock) {
                serving[0] = plugin;
                if (stop[0]) {
                    plugin.close();
                }
            }
            plugin.awaitTermination();
        }
        return ExitCode.OK;
    }
}
