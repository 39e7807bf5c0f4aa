package io.libstorage.cli.internal.command;

import io.libstorage.cli.ExitCode;
import io.libstorage.cli.internal.CliContext;
import io.libstorage.cli.internal.Version;
import io.libstorage.cli.internal.output.OutputFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code libstorage}: the global options; the verbs are added by {@link CommandTree}. */
@Command(name = "libstorage",
        mixinStandardHelpOptions = true,
        versionProvider = RootCommand.VersionProvider.class,
        description = "Persistent block volumes: create, attach, format and mount them, idempotently.",
        footer = {"",
                "Configuration (REX-Ray's config.yml shape): --config, else $LIBSTORAGE_CONFIG,",
                "else /etc/libstorage/config.yml.",
                "Exit status: 0 success, 1 operation failed, 2 usage error, 3 configuration error,",
                "4 volume not found."})
public final class RootCommand implements Callable<Integer>, CliContext.Holder {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    public RootCommand(CliContext context) {
        this.context = context;
    }

    @Option(names = {"-c", "--config"}, scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "the configuration file (default: $LIBSTORAGE_CONFIG, else /etc/libstorage/config.yml)")
    void config(Path file) {
        context.configOption(file);
    }

    @Option(names = {"-s", "--service"}, scope = ScopeType.INHERIT, paramLabel = "DRIVER",
            description = "the storage driver, overriding libstorage.service (e.g. scaleio, localfs)")
    void service(String driver) {
        context.serviceOption(driver);
    }

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "table (default), json or yaml")
    void output(OutputFormat format) {
        context.output(format);
    }

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "debug logging on stderr, and stack traces with errors")
    void verbose(boolean v) {
        context.verbose(v);
    }

    @Override
    public CliContext context() {
        return context;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(context.env().err());
        context.env().err().println(context.env().programName() + ": a verb is required");
        return ExitCode.USAGE;
    }

    /** {@code --version}. */
    public static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"libstorage " + Version.get()};
        }
    }
}
