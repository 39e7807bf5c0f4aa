package io.libstorage.docker;

import io.libstorage.spi.support.FileTrees;
import io.libstorage.tck.Prerequisites;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A private Docker engine for integration tests, run exactly as reference docker-volume-plugin.md §8
 * describes: binaries unpacked from Debian's docker.io/containerd/runc/tini/busybox-static packages
 * by {@code .ci/dockerd.sh}, private {@code --data-root/--exec-root/--pidfile/-H} under one temporary
 * directory, no iptables and no bridge (containers run with {@code --network none}), a busybox image
 * imported from the package (no registry). Every process is started with an argument list and a
 * deadline; the daemon is stopped by its PID; {@link #close()} removes every container, stops the
 * daemon, kills leftovers that reference the private root (by PID), unmounts everything below the
 * root and deletes it, and removes what dockerd created outside it ({@code /etc/docker},
 * {@code /run/docker}, {@code /run/containerd}) when those did not exist before.
 *
 * <p>Binaries: system property {@code libstorage.docker.bin} or environment variable
 * {@code LIBSTORAGE_DOCKER_BIN} (a directory with dockerd, docker, containerd, runc, busybox), else the
 * output of {@code .ci/dockerd.sh}, found through {@code libstorage.docker.script} or by walking up
 * from the working directory.
 */
final class DockerDaemon implements AutoCloseable {
    static final String IMAGE = "local/busybox:test";
    private static final Duration READY_DEADLINE = Duration.ofSeconds(90);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(30);
    private static final List<Path> OUTSIDE = List.of(Path.of("/etc/docker"), Path.of("/run/docker"), Path.of("/run/containerd"));

    /** The outcome of a command. */
    record Result(int exit, String out, String err) {
        Result ok() {
            if (exit != 0) {
                throw new AssertionError("command failed (exit " + exit + "): " + err + out);
            }
            return this;
        }
    }

    private final Path bin;
    private final Path root;
    private final List<Path> createdOutside;
    private final AtomicInteger commands = new AtomicInteger();
    private Process daemon;

    private DockerDaemon(Path bin, Path root, List<Path> createdOutside) {
        this.bin = bin;
        this.root = root;
        this.createdOutside = createdOutside;
    }

    /** Paths outside the private root that dockerd may create; call before anything touches them. */
    static List<Path> absentOutsidePaths() {
        return OUTSIDE.stream().filter(p -> !Files.exists(p, LinkOption.NOFOLLOW_LINKS)).toList();
    }

    /**
     * Starts a daemon (requires root and the binaries; fails under CI=true, skips elsewhere) and imports the image.
     *
     * @param absentBefore what {@link #absentOutsidePaths()} returned before the test touched anything
     */
    static DockerDaemon start(List<Path> absentBefore) throws Exception {
        Prerequisites.requireRoot();
        Path bin = binaries();
        for (String b : List.of("dockerd", "docker", "containerd", "containerd-shim-runc-v2", "runc", "busybox")) {
            Prerequisites.require(Files.isExecutable(bin.resolve(b)), "the Docker binaries in " + bin + " lack " + b);
        }
        Path root = Files.createTempDirectory(Path.of("/tmp"), "lsdock-");
        DockerDaemon d = new DockerDaemon(bin, root, absentBefore);
        try {
            d.startDaemon();
            d.importImage();
            return d;
        } catch (Exception | Error e) {
            d.close();
            throw e;
        }
    }

    private static Path binaries() throws Exception {
        for (String v : new String[] {System.getProperty("libstorage.docker.bin"), System.getenv("LIBSTORAGE_DOCKER_BIN")}) {
            if (v != null && !v.isBlank() && !v.startsWith("${")) {
                return Path.of(v.strip());
            }
        }
        Optional<Path> script = Optional.ofNullable(System.getProperty("libstorage.docker.script"))
                .filter(s -> !s.isBlank() && !s.startsWith("${")).map(Path::of).filter(Files::isRegularFile)
                .or(DockerDaemon::findScript);
        Prerequisites.require(script.isPresent(), "neither LIBSTORAGE_DOCKER_BIN nor .ci/dockerd.sh was found");
        Path out = Files.createTempFile("dockerd-sh", ".out");
        Path err = Files.createTempFile("dockerd-sh", ".err");
        try {
            Process p = new ProcessBuilder("bash", script.get().toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(script.get() + " did not finish within 15 minutes");
            }
            List<String> lines = Files.readAllLines(out);
            Prerequisites.require(p.exitValue() == 0 && !lines.isEmpty(), script.get() + " failed (exit " + p.exitValue() + "): "
                    + Files.readString(err));
            return Path.of(lines.get(lines.size() - 1).strip());
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static Optional<Path> findScript() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path s = d.resolve(".ci/dockerd.sh");
            if (Files.isRegularFile(s)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    Path root() {
        return root;
    }

    Path log() {
        return root.resolve("dockerd.log");
    }

    private Map<String, String> environment(ProcessBuilder pb) {
        Map<String, String> env = pb.environment();
        env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
        env.put("DOCKER_HOST", "unix://" + root.resolve("docker.sock"));
        env.put("DOCKER_CONFIG", root.resolve("client-config").toString());
        env.remove("DOCKER_CONTEXT");
        return env;
    }

    private void startDaemon() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(bin.resolve("dockerd").toString(),
                "--data-root", root.resolve("data").toString(),
                "--exec-root", root.resolve("exec").toString(),
                "--pidfile", root.resolve("dockerd.pid").toString(),
                "-H", "unix://" + root.resolve("docker.sock"),
                "--iptables=false", "--ip6tables=false", "--bridge=none",
                "--storage-driver", "overlay2")
                .redirectErrorStream(true).redirectOutput(log().toFile());
        environment(pb);
        daemon = pb.start();
        long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        while (true) {
            if (!daemon.isAlive()) {
                throw new AssertionError("dockerd exited with " + daemon.exitValue() + ":\n" + tail(log()));
            }
            if (docker(Duration.ofSeconds(10), "version", "--format", "{{.Server.Version}}").exit() == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("dockerd was not ready within " + READY_DEADLINE.toSeconds() + " s:\n" + tail(log()));
            }
            Thread.sleep(250);
        }
    }

    private void importImage() throws Exception {
        Path img = root.resolve("img");
        Files.createDirectories(img.resolve("bin"));
        Files.copy(bin.resolve("busybox"), img.resolve("bin/busybox"));
        img.resolve("bin/busybox").toFile().setExecutable(true, false);
        Files.createSymbolicLink(img.resolve("bin/sh"), Path.of("busybox"));
        Path tar = root.resolve("img.tar");
        run(Duration.ofMinutes(1), List.of("tar", "-C", img.toString(), "-cf", tar.toString(), ".")).ok();
        docker(Duration.ofMinutes(2), "import", tar.toString(), IMAGE).ok();
    }

    /** Runs the docker CLI of the unpacked package against this daemon. */
    Result docker(String... args) {
        return docker(Duration.ofMinutes(3), args);
    }

    Result docker(Duration deadline, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.resolve("docker").toString());
        cmd.addAll(List.of(args));
        return run(deadline, cmd);
    }

    private Result run(Duration deadline, List<String> cmd) {
        int n = commands.incrementAndGet();
        Path out = root.resolve("cmd-" + n + ".out");
        Path err = root.resolve("cmd-" + n + ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            environment(pb);
            Process p = pb.start();
            if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("did not finish within " + deadline.toSeconds() + " s: " + cmd);
            }
            Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Removes every container, stops the daemon by PID, cleans up everything it left. Idempotent. */
    @Override
    public void close() {
        List<Throwable> problems = new ArrayList<>();
        if (daemon != null && daemon.isAlive()) {
            try {
                Result ps = docker(Duration.ofSeconds(30), "ps", "-aq");
                List<String> ids = ps.out().lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
                if (!ids.isEmpty()) {
                    List<String> rm = new ArrayList<>(List.of("rm", "-f"));
                    rm.addAll(ids);
                    docker(Duration.ofMinutes(1), rm.toArray(String[]::new));
                }
            } catch (RuntimeException | AssertionError e) {
                problems.add(e);
            }
            stop(daemon.toHandle());
        }
        killLeftovers();
        unmountBelowRoot(problems);
        List<Path> still = mountsBelowRoot();
        if (still.isEmpty()) {
            deleteTree(root, problems);
        } else {
            problems.add(new AssertionError("not deleting " + root + ": still mounted below it: " + still));
        }
        for (Path p : createdOutside) {
            if (containsSocket(p)) {
                // someone else's plugin socket (or a daemon still running): not ours to delete
                problems.add(new AssertionError("not deleting " + p + ": it holds a socket"));
            } else {
                deleteTree(p, problems);
            }
        }
        if (!problems.isEmpty()) {
            System.err.println("DockerDaemon cleanup problems: " + problems);
        }
    }

    private static void stop(ProcessHandle p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy(); // SIGTERM to the daemon, by PID
        try {
            p.onExit().get(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
        }
        for (ProcessHandle c : children) {
            if (c.isAlive()) {
                try {
                    c.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    c.destroyForcibly();
                }
            }
        }
    }

    /** containerd shims outlive dockerd when it dies uncleanly; they name the private root on their command line. */
    private void killLeftovers() {
        String marker = root.toString() + "/";
        ProcessHandle.allProcesses()
                .filter(h -> h.pid() != ProcessHandle.current().pid())
                .filter(h -> cmdline(h.pid()).contains(marker))
                .forEach(DockerDaemon::stop);
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** Mount points at or below the private root, deepest first (from /proc/self/mountinfo). */
    List<Path> mountsBelowRoot() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            return lines.map(l -> l.split(" ")[4]).map(DockerDaemon::unescape).map(Path::of)
                    .filter(m -> m.startsWith(root)).distinct()
                    .sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void unmountBelowRoot(List<Throwable> problems) {
        for (Path m : mountsBelowRoot()) {
            if (run(Duration.ofSeconds(30), List.of("umount", m.toString())).exit() != 0) {
                Result lazy = run(Duration.ofSeconds(30), List.of("umount", "-l", m.toString()));
                if (lazy.exit() != 0) {
                    problems.add(new AssertionError("cannot unmount " + m + ": " + lazy.err()));
                }
            }
        }
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static void deleteTree(Path top, List<Throwable> problems) {
        try {
            FileTrees.deleteTree(top);
        } catch (IOException e) {
            problems.add(e);
        }
    }

    private static boolean containsSocket(Path top) {
        if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> all = Files.walk(top)) {
            return all.anyMatch(io.libstorage.docker.internal.SocketFiles::isSocket);
        } catch (IOException | UncheckedIOException e) {
            return true;
        }
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
