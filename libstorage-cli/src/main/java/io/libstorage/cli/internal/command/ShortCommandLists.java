package io.libstorage.cli.internal.command;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.StorageException;
import io.libstorage.spi.support.SystemProcessRunner;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The class lists of the short commands, for the launcher's class-data archive of short commands: {@code version},
 * {@code dvdcli version} and the dvdcli verbs through a running plugin (the thin client), each run once as a child
 * process through the distribution's own launcher with {@code -XX:DumpLoadedClassList}, so that each list holds
 * exactly what that command loads and nothing of the training run around it. Only commands that the thin client
 * answers are run: a command that fell back to the full command would bring the whole command into the small archive.
 * Failures are reported and otherwise ignored (a missing list only leaves its classes to the archive's top layer).
 */
final class ShortCommandLists {
    /** System property the launcher sets (to a directory) when it wants the lists written. */
    static final String DIRECTORY_PROPERTY = "libstorage.cds.shortLists";
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private ShortCommandLists() {
    }

    /**
     * Runs the short commands against the plugin {@code driver} on a socket in {@code pluginDir}, with configuration
     * {@code config}, writing one class list per command into {@code lists}.
     */
    static void write(Path lists, Path config, Path pluginDir, String driver, PrintStream err) {
        Path bin = Path.of(System.getProperty("libstorage.home", ".")).resolve("bin");
        String d = "--volumedriver=" + driver;
        List<List<String>> runs = List.of(
                List.of("libstorage", "version"),
                List.of("dvdcli", "version"),
                List.of("dvdcli", "list", d),
                List.of("dvdcli", "get", d, "--volumename=cds-training-missing"),
                List.of("dvdcli", "mount", d, "--volumename=cds-short", "--volumeopts=size=16MiB"),
                List.of("dvdcli", "path", d, "--volumename=cds-short"),
                List.of("dvdcli", "unmount", d, "--volumename=cds-short"),
                List.of("dvdcli", "remove", d, "--volumename=cds-short"),
                List.of("dvdcli", "create", d, "--volumename=cds-short", "--volumeopts=size=bad"));
        int n = 0;
        for (List<String> run : runs) {
            List<String> command = new ArrayList<>(List.of("env", "-u", "LIBSTORAGE_THIN", "-u", "LIBSTORAGE_LOG_LEVEL",
                    "LIBSTORAGE_CDS=off", "LIBSTORAGE_CONFIG=" + config, "LIBSTORAGE_PLUGIN_DIR=" + pluginDir,
                    "JAVA_OPTS=-XX:DumpLoadedClassList=" + lists.resolve((n++) + ".classlist"),
                    bin.resolve(run.get(0)).toString()));
            command.addAll(run.subList(1, run.size()));
            try {
                SystemProcessRunner.instance().run(ErrorContext.of("cds-training " + String.join(" ", run)), command, DEADLINE);
            } catch (StorageException e) {
                err.println("cds-training: " + e.getMessage());
            }
        }
    }
}
