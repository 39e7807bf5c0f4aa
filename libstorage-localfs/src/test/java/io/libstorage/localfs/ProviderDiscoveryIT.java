package io.libstorage.localfs;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Driver providers are found both on the module path (through {@code provides} in module-info) and
 * on the class path (through {@code META-INF/services}): localfs's and core's. Runs the packaged jars
 * (localfs, core, api and what they need) in a child JVM.
 */
class ProviderDiscoveryIT {
    private static final List<String> NEEDED = List.of("libstorage-api", "libstorage-core", "libstorage-localfs",
            "slf4j-api", "jackson-", "snakeyaml");

    private static List<String> jars() {
        List<String> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String file = Path.of(entry).getFileName().toString();
            if (file.endsWith(".jar") && NEEDED.stream().anyMatch(file::startsWith) && !file.contains("-tests")) {
                out.add(entry);
            }
        }
        assertThat(out).as("the packaged jars on the failsafe class path").anyMatch(j -> j.contains("libstorage-localfs"))
                .anyMatch(j -> j.contains("libstorage-core")).anyMatch(j -> j.contains("libstorage-api"));
        return out;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void providersAreFoundOnTheModulePath() throws Exception {
        String out = run(List.of(java(), "--module-path", String.join(File.pathSeparator, jars()),
                "--add-modules", "ALL-MODULE-PATH", "-m", "io.libstorage.core/io.libstorage.core.DriverCatalog"));
        assertThat(out).contains("storage localfs io.libstorage.localfs")
                .contains("os linux io.libstorage.core")
                .contains("integration docker io.libstorage.core");
    }

    @Test
    void providersAreFoundOnTheClassPath() throws Exception {
        String out = run(List.of(java(), "-cp", String.join(File.pathSeparator, jars()), "io.libstorage.core.DriverCatalog"));
        assertThat(out).contains("storage localfs (class path)")
                .contains("os linux (class path)")
                .contains("integration docker (class path)");
    }
}
