package io.libstorage.cli.internal.command;

import io.libstorage.api.ConsumerId;
import io.libstorage.api.MountOptions;
import io.libstorage.api.VolumeSpec;
import io.libstorage.cli.CliEnvironment;
import io.libstorage.core.LibStorage;
import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.tck.InMemoryLibStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's parser-free path for {@code volume ls|inspect|path} prints, reports and exits exactly as the same
 * command line through picocli does, on the same library; every other form is left to the parser untouched.
 */
class PlainVolumeQueryTest {
    private final InMemoryCluster cluster = InMemoryCluster.create();
    private final LibStorage storage = InMemoryLibStorage.onHost(cluster, "host-1");

    record Run(int exit, String out, String err) {
    }

    @AfterEach
    void closeCluster() {
        cluster.close();
    }

    private Run run(BiFunction<CliEnvironment, String[], Integer> how, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnvironment env = new CliEnvironment(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), false, "libstorage", a -> { });
        int exit = how.apply(env, args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run plain(String... args) {
        return run((env, a) -> PlainVolumeQuery.run(env, storage, a), args);
    }

    private Run parsed(String... args) {
        return run((env, a) -> LibstorageCli.runSharingParsed(env, storage, a), args);
    }

    @Test
    void plainFormsGiveWhatTheParserGives() {
        storage.create("a", VolumeSpec.builder().sizeBytes(1L << 30).build());
        storage.create("b", VolumeSpec.builder().sizeBytes(2L << 30).build());
        storage.mount("a", ConsumerId.of("c1"), MountOptions.DEFAULT);
        List<String[]> forms = List.of(
                new String[] {"volume", "ls"}, new String[] {"volumes", "list", "b"}, new String[] {"volume", "get", "nothere"},
                new String[] {"volume", "ls", "-o", "json"}, new String[] {"volume", "ls", "--output=YAML", "a"},
                new String[] {"volume", "ls", "a", "b", "--output", "Table"},
                new String[] {"volume", "inspect", "a"}, new String[] {"volume", "inspect", "a", "b", "-o", "json"},
                new String[] {"volume", "inspect", "a", "nothere"}, new String[] {"volume", "inspect", "nothere", "-o", "yaml"},
                new String[] {"volume", "inspect", "a", "-c", "/etc/libstorage/config.yml"},
                new String[] {"volume", "inspect", "a", "--config=/x.yml", "-o", "json"},
                new String[] {"volume", "path", "a"}, new String[] {"volume", "path", "b", "-o", "json"},
                new String[] {"volume", "path", "nothere"}, new String[] {"volume", "path", "a", "-o", "yaml"},
                new String[] {"volume", "inspect", "bad/name"});
        int errors = 0;
        for (String[] args : forms) {
            Run plain = plain(args);
            assertThat(plain.exit()).as(String.join(" ", args)).isNotEqualTo(Integer.MIN_VALUE);
            assertThat(plain).as(String.join(" ", args)).isEqualTo(parsed(args));
            errors += plain.exit() == 0 ? 0 : 1;
        }
        assertThat(errors).as("the forms include failures").isGreaterThanOrEqualTo(4);
    }

    @Test
    void everyOtherFormIsLeftToTheParserHavingDoneNothing() {
        storage.create("a", VolumeSpec.builder().sizeBytes(1L << 30).build());
        List<String[]> forms = List.of(
                new String[] {"volume"}, new String[] {"volume", "rm", "a"}, new String[] {"volume", "mount", "a"},
                new String[] {"config", "check"}, new String[] {"volume", "path"}, new String[] {"volume", "path", "a", "b"},
                new String[] {"volume", "inspect"}, new String[] {"volume", "ls", "--help"}, new String[] {"volume", "ls", "-v"},
                new String[] {"volume", "ls", "--", "a"}, new String[] {"volume", "ls", "@args.txt"},
                new String[] {"volume", "ls", ""}, new String[] {"volume", "ls", "-o"}, new String[] {"volume", "ls", "-o", "xml"},
                new String[] {"volume", "ls", "-o", "json", "-o", "json"}, new String[] {"volume", "ls", "-ojson"},
                new String[] {"volume", "ls", "--output="}, new String[] {"volume", "ls", "-o", "-v"},
                new String[] {"volume", "ls", "-c", "a.yml", "--config", "b.yml"}, new String[] {"volume", "ls", "-c", "@f"},
                new String[] {"volume", "ls", "-s", "memory"}, new String[] {"-o", "json", "volume", "ls"},
                new String[] {"volume", "inspect", "-a"});
        for (String[] args : forms) {
            assertThat(plain(args)).as(String.join(" ", args)).isEqualTo(new Run(Integer.MIN_VALUE, "", ""));
        }
        assertThat(cluster.volumeCount()).isEqualTo(1);
    }
}
