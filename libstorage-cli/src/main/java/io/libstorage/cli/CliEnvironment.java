package io.libstorage.cli;

import io.libstorage.core.DriverCatalog;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a run of the command sees of the outside world, so that it can run in-process (tests,
 * embedding) as well as from the launcher.
 *
 * @param out standard output: results only
 * @param err standard error: errors, progress and logging
 * @param variables the environment variables ({@code LIBSTORAGE_CONFIG}, ...)
 * @param interactive whether standard error is a terminal (progress is shown only then)
 * @param programName the name the command was invoked by ({@code dvdcli} selects the dvdcli-compatible mode)
 * @param signals where {@code service start} registers what to do on SIGTERM/SIGINT
 * @param drivers the drivers the configuration may name, asked for only by a verb that needs them
 *                (default {@link DriverCatalog#load()}: those on the module path or class path)
 */
public record CliEnvironment(PrintStream out, PrintStream err, Map<String, String> variables, boolean interactive,
                             String programName, TerminationSignals signals, Supplier<DriverCatalog> drivers) {

    /** The system property the launcher sets to the basename of its {@code $0}. */
    public static final String ARGV0_PROPERTY = "libstorage.argv0";

    public CliEnvironment {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        // the process's own environment is already an unmodifiable map; copying it costs a short command ~0.3 ms
        variables = variables == System.getenv() ? variables : Map.copyOf(variables);
        Objects.requireNonNull(programName, "programName");
        Objects.requireNonNull(signals, "signals");
        Objects.requireNonNull(drivers, "drivers");
    }

    /** An environment whose drivers are those on the module path or class path. */
    public CliEnvironment(PrintStream out, PrintStream err, Map<String, String> variables, boolean interactive,
                          String programName, TerminationSignals signals) {
        this(out, err, variables, interactive, programName, signals, new InstalledDrivers());
    }

    /** {@link DriverCatalog#load()}, as a class rather than a method reference: no lambda is spun at start-up. */
    private static final class InstalledDrivers implements Supplier<DriverCatalog> {
        @Override
        public DriverCatalog get() {
            return DriverCatalog.load();
        }
    }

    /** The real signals, as a class rather than a method reference (see {@link InstalledDrivers}). */
    private static final class RealSignals implements TerminationSignals {
        @Override
        public void onTermination(Runnable action) {
            io.libstorage.cli.internal.Signals.onTermination(action);
        }
    }

    /** Receives the action to run when the process is asked to terminate. */
    @FunctionalInterface
    public interface TerminationSignals {
        /** Runs {@code action} (once, on another thread) when SIGTERM or SIGINT arrives. */
        void onTermination(Runnable action);
    }

    /** The real process: {@code System.out/err}, {@code System.getenv()}, argv[0] from the launcher, real signals. */
    public static CliEnvironment system() {
        String argv0 = System.getProperty(ARGV0_PROPERTY, "libstorage");
        return new CliEnvironment(System.out, System.err, System.getenv(), stderrIsTerminal(System.getenv()), argv0,
                new RealSignals());
    }

    /** A copy with another program name. */
    public CliEnvironment withProgramName(String name) {
        return new CliEnvironment(out, err, variables, interactive, name, signals, drivers);
    }

    /**
     * A copy whose configuration chooses among {@code catalog}'s drivers, e.g. the classpath's plus drivers wired
     * explicitly ({@code DriverCatalog.load().withStorageDrivers(...)}) when the command runs embedded or in a test.
     */
    public CliEnvironment withDrivers(DriverCatalog catalog) {
        Objects.requireNonNull(catalog, "catalog");
        return new CliEnvironment(out, err, variables, interactive, programName, signals, () -> catalog);
    }

    /**
     * Whether file descriptor 2 is a terminal: {@code System.console()} says whether stdin and stdout
     * are, so the descriptor's target is checked as well ({@code /dev/pts/N}, {@code /dev/ttyN}).
     * {@code TERM=dumb} counts as no terminal.
     */
    static boolean stderrIsTerminal(Map<String, String> env) {
        if ("dumb".equals(env.get("TERM"))) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
