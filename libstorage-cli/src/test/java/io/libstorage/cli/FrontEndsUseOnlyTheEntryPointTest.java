package io.libstorage.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The front ends (this command with its dvdcli mode, the Docker plugin, the examples with the Mesos executor)
 * need only {@code LibStorage}'s own methods: none of them reaches for the drivers behind it through
 * {@code storage()}, {@code os()} or {@code integration()}.
 */
class FrontEndsUseOnlyTheEntryPointTest {
    private static final Pattern DRIVER_ACCESSOR = Pattern.compile("\\.(storage|os|integration)\\(\\)");
    private static final List<Path> FRONT_ENDS = List.of(Path.of("src/main/java"), Path.of("../libstorage-docker/src/main/java"),
            Path.of("../examples/src/main/java"));

    @Test
    void noFrontEndCallsTheDriverAccessors() throws IOException {
        List<String> uses = new ArrayList<>();
        for (Path root : FRONT_ENDS) {
            assertThat(root).as("front-end sources (the test runs in the libstorage-cli directory)").isDirectory();
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        Matcher m = DRIVER_ACCESSOR.matcher(lines.get(i));
                        if (m.find()) {
                            uses.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
                        }
                    }
                }
            }
        }
        assertThat(uses).as("LibStorage offers what front ends need (backend(), features(), errorContext(), ...)").isEmpty();
    }
}
