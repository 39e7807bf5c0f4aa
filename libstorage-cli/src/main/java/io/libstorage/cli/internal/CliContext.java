package io.libstorage.cli.internal;

import io.libstorage.api.VolumeEventListener;
import io.libstorage.cli.CliEnvironment;
import io.libstorage.cli.internal.output.OutputFormat;
import io.libstorage.cli.internal.output.Result;
import io.libstorage.core.LibStorage;
import io.libstorage.core.LibStorageConfig;
import io.libstorage.core.LogLevel;
import io.libstorage.spi.DriverConfig;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One run of the command: its environment, the global options, and the configuration, loaded only
 * when a verb needs it (so that {@code version} reads no file and loads no YAML parser, and no verb
 * creates a driver it does not use).
 */
public final class CliContext {
    /** Environment variable with a log level that overrides the configuration (not {@code --verbose}). */
    public static final String LOG_LEVEL_ENV = "LIBSTORAGE_LOG_LEVEL";

    private final CliEnvironment env;
    private Path configOption;
    private String serviceOption;
    private OutputFormat output = OutputFormat.TABLE;
    private boolean verbose;
    private LibStorageConfig config;
    private LibStorage shared;

    public CliContext(CliEnvironment env) {
        this.env = env;
    }

    /** Implemented by the root command objects, which own the context of a run. */
    public interface Holder {
        /** The run's context, or null when this command is not the root of the run. */
        CliContext context();
    }

    /** The context of the run a command belongs to (the nearest command up the tree that holds one). */
    public static CliContext of(CommandSpec spec) {
        for (CommandSpec s = spec; s != null; s = s.parent()) {
            if (s.userObject() instanceof Holder h && h.context() != null) {
                return h.context();
            }
        }
        throw new IllegalStateException("no context for command " + spec.qualifiedName());
    }

    public CliEnvironment env() {
        return env;
    }

    public void configOption(Path p) {
        this.configOption = p;
    }

    public void serviceOption(String s) {
        this.serviceOption = s;
    }

    public void output(OutputFormat f) {
        this.output = f == null ? OutputFormat.TABLE : f;
    }

    public void verbose(boolean v) {
        this.verbose = v;
    }

    public boolean verbose() {
        return verbose;
    }

    public OutputFormat output() {
        return output;
    }

    /** Where the configuration file is. */
    public ConfigLocation configLocation() {
        return ConfigLocation.resolve(configOption, env.variables());
    }

    /** The configuration file's content; empty when the default file does not exist. Loaded once. */
    public LibStorageConfig config() {
        if (config == null) {
            ConfigLocation at = configLocation();
            config = !at.explicit() && !Files.exists(at.path()) ? LibStorageConfig.empty() : LibStorageConfig.load(at.path());
        }
        return config;
    }

    /** The storage driver selected by {@code --service} or {@code libstorage.service}, if any. */
    public Optional<String> configuredService() {
        if (serviceOption != null) {
            return Optional.of(serviceOption);
        }
        return get(config().libstorageSection(), "service");
    }

    /** {@code libstorage.stateRoot} of the configuration, else the library's default. */
    public Path stateRoot() {
        return get(config().libstorageSection(), "stateRoot").map(Path::of).orElse(DriverConfig.DEFAULT_STATE_ROOT);
    }

    /** A builder with the configuration and the {@code --service} override. */
    public LibStorage.Builder builder() {
        LibStorage.Builder b = LibStorage.builder().catalog(env.drivers().get()).config(config());
        if (serviceOption != null) {
            b.storageDriver(serviceOption);
        }
        return b;
    }

    /**
     * A context whose verbs use {@code storage} (the running service's library, for its thin clients) instead of
     * building one: {@link #open} returns it without touching logging, and the verbs leave it open.
     */
    public static CliContext sharing(CliEnvironment env, LibStorage storage) {
        CliContext c = new CliContext(env);
        c.shared = java.util.Objects.requireNonNull(storage, "storage");
        return c;
    }

    /** Whether {@link #open} returns a library that belongs to someone else (not to be closed by the verb). */
    public boolean sharesStorage() {
        return shared != null;
    }

    /** The {@code --service} option, if given. */
    public Optional<String> serviceOption() {
        return Optional.ofNullable(serviceOption);
    }

    /** Configures logging (see {@link #logLevel}) and builds the library; {@code listener} may be null. */
    public LibStorage open(VolumeEventListener listener, String defaultLogLevel) {
        if (shared != null) {
            return shared;
        }
        configureLogging(defaultLogLevel, false);
        LibStorage.Builder b = builder();
        if (listener != null) {
            b.listener(listener);
        }
        return b.build();
    }

    /** Sets the log level before any logger exists: see {@link #logLevel}. */
    public void configureLogging(String defaultLevel, boolean timestamps) {
        Logging.configure(logLevel(defaultLevel, true), timestamps);
    }

    /** As {@link #configureLogging} but without reading the configuration file (the dvdcli socket path). */
    public void configureLoggingWithoutConfig(String defaultLevel) {
        Logging.configure(logLevel(defaultLevel, false), false);
    }

    /**
     * {@code --verbose} (debug), else {@code $LIBSTORAGE_LOG_LEVEL}, else the configuration's
     * {@code libstorage.logging.level} (or REX-Ray's {@code rexray.logLevel}), else {@code defaultLevel}.
     * Every level given is checked by {@link LogLevel#parse}, as the library checks the configuration's,
     * even when another one wins.
     *
     * @throws io.libstorage.api.InvalidConfigurationException naming the variable or key of a level that is not one
     */
    String logLevel(String defaultLevel, boolean readConfig) {
        String fromEnv = env.variables().get(LOG_LEVEL_ENV);
        Optional<LogLevel> level = fromEnv == null || fromEnv.isBlank() ? Optional.empty()
                : Optional.of(LogLevel.parse(fromEnv, LOG_LEVEL_ENV));
        if (readConfig) {
            Optional<LogLevel> configured = get(config().libstorageSection(), "logging.level")
                    .map(v -> LogLevel.parse(v, "libstorage.logging.level"));
            Optional<LogLevel> rexRay = get(config().rexraySection(), "logLevel").map(v -> LogLevel.parse(v, "rexray.logLevel"));
            level = level.or(() -> configured).or(() -> rexRay);
        }
        if (verbose) {
            return LogLevel.DEBUG.toString();
        }
        return level.map(LogLevel::toString).orElse(defaultLevel);
    }

    /** Checks every log level given (variable, configuration), as the verbs do before they configure logging. */
    public void checkLogLevels() {
        logLevel("warn", true);
    }

    private static Optional<String> get(Map<String, Object> section, String key) {
        return section.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(key) && e.getValue() != null)
                .map(e -> String.valueOf(e.getValue())).findFirst();
    }

    /** A spinner on standard error while {@code label} runs, when standard error is a terminal. */
    public Progress progress(String label) {
        return Progress.start(env.err(), env.interactive(), label);
    }

    /** Prints a result on standard output in the chosen format. */
    public void print(Result result) {
        result.print(env.out(), output);
    }
}
