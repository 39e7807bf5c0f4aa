package io.libstorage.cli.internal.dvdcli;

import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationTimeoutException;
import io.libstorage.api.VolumeNotFoundException;
import io.libstorage.cli.ExitCode;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.Deadline;
import io.libstorage.cli.internal.Version;
import io.libstorage.cli.internal.command.Converters;
import io.libstorage.docker.DockerPluginClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The dvdcli-compatible command (emccode/dvdcli 0.2): {@code mount|unmount|path|create|remove|get|list|version
 * --volumedriver=D --volumename=N [--volumeopts=k=v ...] [--explicitcreate[=true]]}.
 *
 * <p>Each command goes to the plugin socket {@code <plugin-dir>/<D>.sock} when one exists and answers
 * (Activate, then as dvdcli: Get, Create if missing, Mount without ID), else to the library in this
 * process for the anonymous consumer, when {@code D} names this library ({@code libstorage},
 * {@code rexray} or the configured storage driver). Standard output carries only results (the mount
 * point and a newline); an error is one line on standard error and exit status 1; everything is
 * bounded by a deadline (default 90 s, below Mesos' 120 s).
 */
@Command(name = "dvdcli", mixinStandardHelpOptions = true, versionProvider = DvdcliCommand.VersionProvider.class,
        subcommands = {DvdcliCommand.Mount.class, DvdcliCommand.Unmount.class, DvdcliCommand.PathVerb.class,
                DvdcliCommand.Create.class, DvdcliCommand.Remove.class, DvdcliCommand.Get.class, DvdcliCommand.ListVerb.class,
                DvdcliCommand.VersionVerb.class},
        description = "dvdcli-compatible mode for Mesos (installed as dvdcli, or run as libstorage dvdcli). Through the plugin socket <plugin-dir>/<volumedriver>.sock when one answers, else the library in-process.",
        footer = {"", "Exit status: 0 success, 1 any failure (usage errors included).",
                "Deadline: --deadline, else $LIBSTORAGE_DVDCLI_DEADLINE, else 90s.",
                "Plugin sockets: --plugin-dir, else $LIBSTORAGE_PLUGIN_DIR, else /run/docker/plugins."})
public final class DvdcliCommand implements Callable<Integer>, CliContext.Holder {
    public static final String DEADLINE_ENV = "LIBSTORAGE_DVDCLI_DEADLINE";
    public static final String PLUGIN_DIR_ENV = "LIBSTORAGE_PLUGIN_DIR";
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(90);
    public static final Path DEFAULT_PLUGIN_DIR = Path.of("/run/docker/plugins");
    /** Driver names always served in-process (besides the configured storage driver). */
    public static final Set<String> OWN_NAMES = Set.of("libstorage", "rexray");
    private static final Pattern DRIVER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--volumedriver", scope = ScopeType.INHERIT, paramLabel = "D", description = "the volume driver (plugin name)")
    String volumeDriver;

    @Option(names = "--volumename", scope = ScopeType.INHERIT, paramLabel = "N", description = "the volume name")
    String volumeName;

    @Option(names = "--volumeopts", scope = ScopeType.INHERIT, split = ",", paramLabel = "K=V",
            description = "create options (repeatable, comma-separated): size (bare number = GiB), newFsType, ...")
    List<String> volumeOpts;

    @Option(names = {"--explicitcreate", "--explicitCreate"}, scope = ScopeType.INHERIT, arity = "0..1", fallbackValue = "true",
            paramLabel = "BOOL", description = "mount: fail instead of creating a missing volume")
    boolean explicitCreate;

    @Option(names = "--deadline", scope = ScopeType.INHERIT, paramLabel = "DURATION", converter = Converters.Timeout.class,
            description = "give up after this long (default: $LIBSTORAGE_DVDCLI_DEADLINE, else 90s)")
    Duration deadline;

    @Option(names = "--plugin-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "where plugin sockets are (default: $LIBSTORAGE_PLUGIN_DIR, else /run/docker/plugins)")
    Path pluginDir;

    /** For {@code libstorage dvdcli}: the context comes from the libstorage root command. */
    public DvdcliCommand() {
        this(null);
    }

    /** For the program invoked as {@code dvdcli}. */
    public DvdcliCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public CliContext context() {
        return context;
    }

    @Override
    public Integer call() {
        throw new DvdcliCli.UsageException("a command is required");
    }

    /**
     * Runs {@code work} on the chosen back end within the deadline and prints its lines on standard output.
     */
    /** The {@code --volumeopts} items as dvdcli reads them (see {@link VolumeOpts}). */
    Map<String, String> volumeOptions() {
        return VolumeOpts.parse(volumeOpts == null ? List.of() : volumeOpts);
    }

    int execute(CommandSpec verb, String operation, boolean needsName, Function<DvdcliBackend, List<String>> work) throws Exception {
        CliContext ctx = CliContext.of(verb);
        String driver = required("--volumedriver", volumeDriver);
        if (!DRIVER_NAME.matcher(driver).matches()) {
            throw new DvdcliCli.UsageException("--volumedriver '" + driver + "' is not a plugin name ([A-Za-z0-9][A-Za-z0-9_.-]{0,63})");
        }
        String name = needsName ? required("--volumename", volumeName) : volumeName;
        Map<String, String> opts = volumeOptions();
        Duration limit = deadline(ctx);
        Path socket = pluginDir(ctx).resolve(driver + ".sock");
        if (Files.exists(socket)) {
            ctx.configureLoggingWithoutConfig("off");
        } else {
            ctx.configureLogging("off", false);
        }
        AtomicReference<DvdcliBackend> opened = new AtomicReference<>();
        List<String> lines = Deadline.run(limit, () -> {
            try (DvdcliBackend b = open(ctx, operation, name, driver, socket, limit)) {
                opened.set(b);
                return work.apply(b);
            }
        }, () -> new OperationTimeoutException(opened.get() == null ? ErrorContext.of(operation, name, null, driver)
                : opened.get().context(operation, name),
                "dvdcli " + operation + " (deadline set by --deadline or " + DEADLINE_ENV + ")", limit));
        StringBuilder out = new StringBuilder();
        lines.forEach(l -> out.append(l).append('\n'));
        ctx.env().out().print(out);
        ctx.env().out().flush();
        return ExitCode.OK;
    }

    private DvdcliBackend open(CliContext ctx, String operation, String name, String driver, Path socket, Duration limit) {
        if (Files.exists(socket)) {
            DockerPluginClient client = DockerPluginClient.connect(socket, limit);
            try {
                client.activate();
                return new SocketBackend(client);
            } catch (BackendUnavailableException e) {
                client.close();
                if (!servedInProcess(ctx, driver)) {
                    throw e;
                }
                ctx.env().err().println(ctx.env().programName() + ": the plugin socket " + socket
                        + " does not answer; using the library in this process");
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
        }
        if (!servedInProcess(ctx, driver)) {
            throw new BackendUnavailableException(ErrorContext.of(operation, name, null, driver),
                    "no plugin socket at " + socket + ", and '" + driver + "' is not a driver this library serves in-process "
                            + ownNames(ctx), true, null);
        }
        return new EmbeddedBackend(ctx.open(null, "off"));
    }

    private static boolean servedInProcess(CliContext ctx, String driver) {
        return ownNames(ctx).contains(driver);
    }

    private static Set<String> ownNames(CliContext ctx) {
        Set<String> names = new LinkedHashSet<>(List.of("libstorage", "rexray"));
        ctx.configuredService().ifPresent(names::add);
        return names;
    }

    private static String required(String flag, String value) {
        if (value == null || value.isBlank()) {
            throw new DvdcliCli.UsageException(flag + " is required");
        }
        return value;
    }

    private Duration deadline(CliContext ctx) {
        if (deadline != null) {
            return deadline;
        }
        String env = ctx.env().variables().get(DEADLINE_ENV);
        if (env == null || env.isBlank()) {
            return DEFAULT_DEADLINE;
        }
        try {
            return new Converters.Timeout().convert(env);
        } catch (RuntimeException e) {
            throw new DvdcliCli.UsageException(DEADLINE_ENV + ": " + e.getMessage());
        }
    }

    private Path pluginDir(CliContext ctx) {
        if (pluginDir != null) {
            return pluginDir;
        }
        String env = ctx.env().variables().get(PLUGIN_DIR_ENV);
        return env == null || env.isBlank() ? DEFAULT_PLUGIN_DIR : Path.of(env);
    }

    /** dvdcli's {@code version}. */
    static String versionLine() {
        return "libstorage " + Version.get() + " (dvdcli-compatible)";
    }

    /** {@code --version}. */
    public static final class VersionProvider implements picocli.CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {versionLine()};
        }
    }

    // ------------------------------------------------------------------ the verbs

    /** Base of the verbs: they reach the options through the parent command. */
    abstract static class Verb implements Callable<Integer> {
        @ParentCommand
        DvdcliCommand dvdcli;

        @Spec
        CommandSpec spec;
    }

    @Command(name = "mount", description = "Mount (creating it if missing, unless --explicitcreate); print the mount point.")
    static final class Mount extends Verb {
        @Override
        public Integer call() throws Exception {
            Map<String, String> opts = dvdcli.volumeOptions();
            return dvdcli.execute(spec, "mount", true, b -> List.of(b.mount(dvdcli.volumeName, opts, dvdcli.explicitCreate)));
        }
    }

    @Command(name = "unmount", description = "Release the mount (one unmount releases any number of mounts).")
    static final class Unmount extends Verb {
        @Override
        public Integer call() throws Exception {
            return dvdcli.execute(spec, "unmount", true, b -> {
                b.unmount(dvdcli.volumeName);
                return List.of();
            });
        }
    }

    @Command(name = "path", description = "Print the mount point (nothing when the volume is not mounted).")
    static final class PathVerb extends Verb {
        @Override
        public Integer call() throws Exception {
            return dvdcli.execute(spec, "path", true, b -> b.path(dvdcli.volumeName).map(List::of).orElse(List.of()));
        }
    }

    @Command(name = "create", description = "Create the volume with --volumeopts.")
    static final class Create extends Verb {
        @Override
        public Integer call() throws Exception {
            Map<String, String> opts = dvdcli.volumeOptions();
            return dvdcli.execute(spec, "create", true, b -> {
                b.create(dvdcli.volumeName, opts);
                return List.of();
            });
        }
    }

    @Command(name = "remove", description = "Remove the volume (a missing one is success).")
    static final class Remove extends Verb {
        @Override
        public Integer call() throws Exception {
            return dvdcli.execute(spec, "remove", true, b -> {
                b.remove(dvdcli.volumeName);
                return List.of();
            });
        }
    }

    @Command(name = "get", description = "Print the volume's name; exit status 1 when it does not exist.")
    static final class Get extends Verb {
        @Override
        public Integer call() throws Exception {
            return dvdcli.execute(spec, "get", true, b -> {
                if (!b.exists(dvdcli.volumeName)) {
                    throw new VolumeNotFoundException(b.context("get", dvdcli.volumeName), "no volume has this name");
                }
                return List.of(dvdcli.volumeName);
            });
        }
    }

    @Command(name = "list", description = "Print the volume names, one per line.")
    static final class ListVerb extends Verb {
        @Override
        public Integer call() throws Exception {
            return dvdcli.execute(spec, "list", false, b -> new ArrayList<>(b.list()));
        }
    }

    @Command(name = "version", description = "Print the version.")
    static final class VersionVerb extends Verb {
        @Override
        public Integer call() {
            CliContext ctx = CliContext.of(spec);
            ctx.env().out().print(versionLine() + "\n");
            ctx.env().out().flush();
            return ExitCode.OK;
        }
    }
}
