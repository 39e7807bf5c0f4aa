package io.libstorage.cli.internal.command;

import io.libstorage.cli.CliEnvironment;
import io.libstorage.cli.ExitCode;
import io.libstorage.cli.Main;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.thin.ThinClient;
import io.libstorage.core.LibStorage;
import io.libstorage.docker.DockerVolumePlugin;
import io.libstorage.docker.PluginOptions;
import io.libstorage.spi.support.FileTrees;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code cds-training} (hidden): the training run for the class-data-sharing archive. Runs the common
 * verbs in this process against a throw-away localfs configuration in a temporary directory (outputs
 * discarded, failures ignored), so that their classes are loaded when the JVM writes the archive at exit
 * ({@code LIBSTORAGE_CDS=create bin/libstorage cds-training}); when the launcher asks for them, also the class lists
 * of the short commands ({@link ShortCommandLists}). Touches nothing outside that directory.
 */
@Command(name = "cds-training", hidden = true, description = "Training run for the class-data-sharing archive (see README).")
final class CdsTrainingCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        CliContext ctx = CliContext.of(spec);
        io.libstorage.cli.internal.Logging.configure("off", false);
        Path dir = Files.createTempDirectory("libstorage-cds-");
        try {
            Path config = dir.resolve("config.yml");
            Files.writeString(config, "libstorage:\n  service: localfs\n  stateRoot: " + dir.resolve("state")
                    + "\nlocalfs:\n  root: " + dir.resolve("localfs") + "\n");
            PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, java.nio.charset.StandardCharsets.UTF_8);
            CliEnvironment quiet = new CliEnvironment(sink, sink,
                    Map.of("LIBSTORAGE_CONFIG", config.toString(), "LIBSTORAGE_PLUGIN_DIR", dir.toString()),
                    false, "libstorage", action -> { });
            CliEnvironment dvdcli = quiet.withProgramName("dvdcli");
            List<List<String>> runs = List.of(
                    List.of("version"), List.of("--help"), List.of("volume", "--help"), List.of("volume", "mount", "--no-such-flag"),
                    List.of("config", "check"), List.of("config", "check", "-o", "json"), List.of("config", "check", "-o", "yaml"),
                    List.of("volume", "ls"), List.of("volume", "ls", "-o", "json"), List.of("volume", "ls", "-o", "yaml"),
                    List.of("volume", "inspect", "cds-training-missing"), List.of("volume", "path", "cds-training-missing"));
            for (List<String> args : runs) {
                Main.run(quiet, args.toArray(String[]::new));
            }
            Main.run(dvdcli, "version");
            Main.run(dvdcli, "path", "--volumedriver=libstorage", "--volumename=cds-training-missing");
            Main.run(dvdcli, "mount", "--volumedriver=libstorage", "--volumename=x", "--volumeopts=bad");
            // the socket path: a plugin on a socket in the temporary directory, and dvdcli calls through it
            try (LibStorage storage = LibStorage.builder().config(io.libstorage.core.LibStorageConfig.load(config)).build();
                 DockerVolumePlugin plugin = DockerVolumePlugin.start(storage,
                         PluginOptions.builder().name("cds").socketDirectory(dir).reconcileOnStart(false).build())) {
                // the thin client (every verb), then the full command's socket back end (its fall-back)
                Main.run(dvdcli, "list", "--volumedriver=cds");
                Main.run(dvdcli, "path", "--volumedriver=cds", "--volumename=cds-training-missing");
                Main.run(dvdcli, "get", "--volumedriver=cds", "--volumename=cds-training-missing");
                Main.run(dvdcli, "mount", "--volumedriver=cds", "--volumename=cds-training", "--volumeopts=size=16MiB");
                Main.run(dvdcli, "path", "--volumedriver=cds", "--volumename=cds-training");
                Main.run(dvdcli, "unmount", "--volumedriver=cds", "--volumename=cds-training");
                Main.run(dvdcli, "remove", "--volumedriver=cds", "--volumename=cds-training");
                Main.run(dvdcli, "create", "--volumedriver=cds", "--volumename=cds-training", "--volumeopts=size=bad");
                CliEnvironment full = new CliEnvironment(sink, sink, Map.of("LIBSTORAGE_CONFIG", config.toString(),
                        "LIBSTORAGE_PLUGIN_DIR", dir.toString(), ThinClient.SWITCH_ENV, "off"), false, "dvdcli", action -> { });
                Main.run(full, "list", "--volumedriver=cds");
                Main.run(full, "path", "--volumedriver=cds", "--volumename=cds-training-missing");
                String lists = System.getProperty(ShortCommandLists.DIRECTORY_PROPERTY);
                if (lists != null) {
                    ShortCommandLists.write(Path.of(lists), config, dir, "cds", ctx.env().err());
                }
            } catch (RuntimeException e) {
                ctx.env().err().println("cds-training: the plugin part was skipped: " + e.getMessage());
            }
            scaleIo(dir, sink);
        } finally {
            FileTrees.deleteTree(dir);
        }
        return ExitCode.OK;
    }

    /**
     * {@code volume ls} with the ScaleIO driver against a loopback port that accepts each connection and closes it:
     * the driver, its HTTP client and the client side of a TLS handshake up to the first answer are loaded; no
     * gateway is asked anything (the training has none) and nothing leaves this host.
     */
    private static void scaleIo(Path dir, PrintStream sink) throws IOException {
        try (ServerSocket closer = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!closer.isClosed()) {
                    try {
                        closer.accept().close();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "cds-training-closer");
            acceptor.setDaemon(true);
            acceptor.start();
            Path config = dir.resolve("scaleio.yml");
            Files.writeString(config, "libstorage:\n  service: scaleio\n  stateRoot: " + dir.resolve("scaleio-state")
                    + "\nscaleio:\n  endpoint: https://127.0.0.1:" + closer.getLocalPort() + "/api"
                    + "\n  userName: cds-training\n  password: cds-training\n  systemName: cds\n  protectionDomainName: cds"
                    + "\n  storagePoolName: cds\n  guid: 00000000-0000-0000-0000-000000000000\n  deviceDir: " + dir.resolve("by-id")
                    + "\n  requestTimeout: 2s\n");
            CliEnvironment env = new CliEnvironment(sink, sink, Map.of("LIBSTORAGE_CONFIG", config.toString(),
                    "LIBSTORAGE_PLUGIN_DIR", dir.toString()), false, "libstorage", action -> { });
            Main.run(env, "volume", "ls");
        }
    }
}
