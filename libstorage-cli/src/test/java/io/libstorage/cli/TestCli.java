package io.libstorage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.libstorage.cli.internal.Deadline;
import io.libstorage.core.DriverCatalog;
import io.libstorage.inmemory.InMemoryCluster;
import io.libstorage.spi.support.FileTrees;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs the command in this JVM over the in-memory drivers: a temporary directory with a config.yml
 * ({@code service: memory}, {@code os.driver: memory}), a cluster of its own whose drivers the command's
 * environment offers next to those on the class path, captured stdout/stderr, and a clean-up that waits
 * for abandoned deadline workers, closes the cluster and deletes the directory.
 */
final class TestCli implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final YAMLMapper YAML = new YAMLMapper();

    final Path dir;
    private final InMemoryCluster cluster = InMemoryCluster.create();
    private final DriverCatalog drivers = DriverCatalog.load()
            .withStorageDrivers(cluster.storageDriverProvider()).withOsDrivers(cluster.osDriverProvider());
    final Path config;
    final Map<String, String> env = new HashMap<>();
    boolean interactive;
    final List<Runnable> terminationActions = new CopyOnWriteArrayList<>();

    /** The result of one run. */
    record Run(int exit, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + out, e);
            }
        }

        JsonNode yaml() {
            try {
                return YAML.readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("not YAML: " + out, e);
            }
        }

        List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    TestCli() {
        try {
            dir = Files.createTempDirectory("libstorage-cli-test-");
            config = dir.resolve("config.yml");
            Files.writeString(config, """
                    libstorage:
                      service: memory
                      stateRoot: %s
                      os:
                        driver: memory
                      device:
                        attachTimeout: 2s
                    memory:
                      host: host-1
                    """.formatted(dir.resolve("state")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put("LIBSTORAGE_CONFIG", config.toString());
        env.put("LIBSTORAGE_PLUGIN_DIR", dir.resolve("plugins").toString());
    }

    InMemoryCluster cluster() {
        return cluster;
    }

    /** {@code libstorage args...}. */
    Run run(String... args) {
        return invoke("libstorage", args);
    }

    /** The program invoked as {@code dvdcli}. */
    Run dvdcli(String... args) {
        return invoke("dvdcli", args);
    }

    Run invoke(String program, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnvironment e = new CliEnvironment(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, interactive, program, terminationActions::add)
                .withDrivers(drivers);
        int exit = Main.run(e, args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs every registered termination action, as SIGTERM would. */
    void terminate() {
        terminationActions.forEach(Runnable::run);
    }

    @Override
    public void close() throws Exception {
        cluster.faults().reset();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(Deadline.THREAD_PREFIX)) {
                t.interrupt();
                t.join(60_000);
            }
        }
        cluster.close();
        FileTrees.deleteTree(dir);
    }
}
