package io.libstorage.cli;

import io.libstorage.spi.support.FileTrees;
import io.libstorage.tck.LoopDeviceSweeper;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged distribution ({@code target/libstorage-<version>/}, built by {@code package} before the
 * ITs run) and a temporary directory with a localfs configuration; runs the launchers as child
 * processes. {@link #close()} unmounts and detaches whatever is left under the temporary directory.
 */
final class Launcher implements AutoCloseable {
    final Path dist;
    final Path dir;
    final Path config;
    final Map<String, String> env = new HashMap<>();

    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    Launcher() throws IOException {
        String d = System.getProperty("libstorage.dist");
        Assumptions.assumeTrue(d != null && Files.isDirectory(Path.of(d)), "the distribution is built by mvn package (-Dlibstorage.dist)");
        dist = Path.of(d);
        dir = Files.createTempDirectory("libstorage-cli-it-");
        config = dir.resolve("config.yml");
        Files.writeString(config, "libstorage:\n  service: localfs\n  stateRoot: " + dir.resolve("state")
                + "\nlocalfs:\n  root: " + dir.resolve("localfs") + "\n");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("LIBSTORAGE_CONFIG", config.toString());
        env.put("LIBSTORAGE_PLUGIN_DIR", dir.resolve("plugins").toString());
    }

    Path bin(String name) {
        return dist.resolve("bin").resolve(name);
    }

    ProcessBuilder builder(Path program, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(program.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("JAVA_OPTS");
        pb.environment().remove("LIBSTORAGE_CONFIG");
        pb.environment().remove("NOTIFY_SOCKET"); // a test runner under systemd: its socket is none of our business
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb;
    }

    Run run(Path program, String... args) throws Exception {
        return runIn(null, program, args);
    }

    /** As {@link #run} in the working directory {@code workingDir} (null: this process's); {@code program} may be relative to it. */
    Run runIn(Path workingDir, Path program, String... args) throws Exception {
        ProcessBuilder pb = builder(program, args);
        if (workingDir != null) {
            pb.directory(workingDir.toFile());
        }
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(program + " " + List.of(args) + " did not end within 120 s");
        }
        Run r = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    Run libstorage(String... args) throws Exception {
        return run(bin("libstorage"), args);
    }

    Run dvdcli(String... args) throws Exception {
        return run(bin("dvdcli"), args);
    }

    @Override
    public void close() throws IOException {
        LoopDeviceSweeper.unmountAllUnder(dir);
        LoopDeviceSweeper.sweep(dir);
        FileTrees.deleteTree(dir);
    }
}
