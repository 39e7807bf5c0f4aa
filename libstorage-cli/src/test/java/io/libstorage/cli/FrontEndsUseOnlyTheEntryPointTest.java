package io.libstorage.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The front ends (this command with its dvdcli mode, the Docker plugin, the CSI plugin, the examples with the Mesos
 * executor) need only {@code LibStorage}'s own methods: none of them reaches for the drivers behind it through
 * {@code storage()}, {@code os()} or {@code integration()}. And no module's main code imports another module's
 * {@code internal} packages (the benchmarks included).
 */
class FrontEndsUseOnlyTheEntryPointTest {
    private static final Pattern DRIVER_ACCESSOR = Pattern.compile("\\.(storage|os|integration)\\(\\)");
    private static final List<Path> FRONT_ENDS = List.of(Path.of("src/main/java"), Path.of("../libstorage-docker/src/main/java"),
            Path.of("../libstorage-csi/src/main/java"), Path.of("../examples/src/main/java"));
    /** Every module's main sources with the package its own {@code internal} packages live under. */
    private static final Map<Path, String> MODULES = Map.ofEntries(
            Map.entry(Path.of("src/main/java"), "io.libstorage.cli"),
            Map.entry(Path.of("../libstorage-docker/src/main/java"), "io.libstorage.docker"),
            Map.entry(Path.of("../libstorage-csi/src/main/java"), "io.libstorage.csi"),
            Map.entry(Path.of("../examples/src/main/java"), "io.libstorage.examples"),
            Map.entry(Path.of("../benchmarks/src/main/java"), "io.libstorage.benchmarks"),
            Map.entry(Path.of("../libstorage-core/src/main/java"), "io.libstorage.core"),
            Map.entry(Path.of("../libstorage-api/src/main/java"), "io.libstorage.api"),
            Map.entry(Path.of("../libstorage-inmemory/src/main/java"), "io.libstorage.inmemory"),
            Map.entry(Path.of("../libstorage-tck/src/main/java"), "io.libstorage.tck"),
            Map.entry(Path.of("../libstorage-localfs/src/main/java"), "io.libstorage.localfs"),
            Map.entry(Path.of("../libstorage-scaleio/src/main/java"), "io.libstorage.scaleio"),
            Map.entry(Path.of("../libstorage-virtualbox/src/main/java"), "io.libstorage.virtualbox"),
            Map.entry(Path.of("../emulators/scaleio-gateway/src/main/java"), "io.libstorage.emulator.scaleio"),
            Map.entry(Path.of("../emulators/vboxwebsrv/src/main/java"), "io.libstorage.emulator.vbox"));
    private static final Pattern INTERNAL_IMPORT = Pattern.compile("^import\\s+(static\\s+)?(io\\.libstorage\\.[\\w.]*?)\\.internal\\b");

    @Test
    void noFrontEndCallsTheDriverAccessors() throws IOException {
        List<String> uses = new ArrayList<>();
        for (Path root : FRONT_ENDS) {
            forEachLine(root, (where, line) -> {
                if (DRIVER_ACCESSOR.matcher(line).find()) {
                    uses.add(where + ": " + line.strip());
                }
            });
        }
        assertThat(uses).as("LibStorage offers what front ends need (backend(), features(), errorContext(), ...)").isEmpty();
    }

    @Test
    void noModuleImportsAnotherModulesInternalPackages() throws IOException {
        List<String> uses = new ArrayList<>();
        for (Map.Entry<Path, String> module : MODULES.entrySet()) {
            forEachLine(module.getKey(), (where, line) -> {
                Matcher m = INTERNAL_IMPORT.matcher(line.strip());
                if (m.find() && !m.group(2).equals(module.getValue()) && !m.group(2).startsWith(module.getValue() + ".")) {
                    uses.add(where + ": " + line.strip());
                }
            });
        }
        assertThat(uses).as("an internal package is its module's own; others use its exported API").isEmpty();
    }

    private interface LineVisitor {
        void visit(String where, String line);
    }

    private static void forEachLine(Path root, LineVisitor visitor) throws IOException {
        assertThat(root).as("module sources (the test runs in the libstorage-cli directory)").isDirectory();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    visitor.visit(file + ":" + (i + 1), lines.get(i));
                }
            }
        }
    }
}
