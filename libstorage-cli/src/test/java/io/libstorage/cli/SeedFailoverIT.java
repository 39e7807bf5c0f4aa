package io.libstorage.cli;

import io.libstorage.tck.Prerequisites;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed story end to end ({@code examples/seed-failover/run.sh}, with this build's distribution and gateway
 * emulator): three Docker hosts in namespaces, a Swarm, {@code vol_dane} through a drain, a stopped dockerd, a
 * refused takeover, a hard kill with fencing (the killed host's writes fail, the new owner does not see them) and
 * the killed host's return, with exactly one mapping at every check. The script checks each step and exits 0 only
 * when all passed; this test also checks that it left no namespace, loop device or work directory behind.
 */
class SeedFailoverIT {
    private static final long DEADLINE_MINUTES = 8;

    @Test
    void theVolumeFollowsTheServiceThroughAHardHostFailureWithFencing() throws Exception {
        Prerequisites.requireLoopDevices();
        Prerequisites.require(Files.exists(Path.of("/dev/fuse")), "the fenced data path needs /dev/fuse (.ci/setup-fuse.sh)");
        Prerequisites.requireCommands("ip", "nsenter", "unshare", "curl", "jq", "awk", "tar");
        Path script = repositoryFile("examples/seed-failover/run.sh");
        Path dist = Path.of(System.getProperty("libstorage.dist", ""));
        Prerequisites.require(Files.isExecutable(dist.resolve("bin/libstorage")), "the distribution is built by mvn package (-Dlibstorage.dist)");
        Path emulator = emulatorJar(script.getParent().getParent().getParent());

        Path out = Files.createTempFile("seed-failover", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", script.toString())
                    .redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("SEED_LIBSTORAGE_DIST", dist.toString());
            pb.environment().put("SEED_EMULATOR_JAR", emulator.toString());
            Path javaHome = Path.of(System.getProperty("java.home")); // this JDK for the emulator, the SDCs and the plugins
            pb.environment().put("JAVA_HOME", javaHome.toString());
            pb.environment().put("PATH", javaHome.resolve("bin") + ":" + pb.environment().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
            Process p = pb.start();
            if (!p.waitFor(DEADLINE_MINUTES, TimeUnit.MINUTES)) {
                p.destroy(); // SIGTERM: the script's trap cleans up
                if (!p.waitFor(2, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                }
                throw new AssertionError("run.sh did not finish within " + DEADLINE_MINUTES + " minutes:\n" + Files.readString(out));
            }
            String log = Files.readString(out);
            System.out.println(log.lines().filter(l -> !l.startsWith("time=")).reduce("", (a, b) -> a + b + "\n"));
            assertThat(p.exitValue()).as(log).isZero();
            assertThat(log).contains("SEED-FAILOVER PASSED")
                    .contains("ok: served by", "after the drain of", "after dockerd stopped on")
                    .contains("ok: refused, naming the owner")
                    .contains("is Disconnected", "stale mount fails (fenced)", "does not see zombie.txt")
                    .contains("reconcile removed its stale mount")
                    .containsPattern("RESULT kill->first read [0-9.]+ s");
            assertThat(log.lines().filter(l -> l.contains("ok: exactly one mapping of vol_dane")).count())
                    .as("a mapping check after every step").isGreaterThanOrEqualTo(6);
            assertNothingLeft(log);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The script's own leak checks ran in its trap; these look again from outside. */
    private static void assertNothingLeft(String log) throws Exception {
        Matcher work = Pattern.compile("work dir (/tmp/seed-failover-\\w+), namespaces (lsf\\d+)-").matcher(log);
        assertThat(work.find()).as("the script names its work dir and namespaces").isTrue();
        assertThat(Path.of(work.group(1))).doesNotExist();
        assertThat(command("ip", "netns", "list")).doesNotContain(work.group(2) + "-");
        assertThat(command("losetup", "-a")).doesNotContain(work.group(1) + "/");
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(work.group(1));
    }

    private static String command(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static Path repositoryFile(String relative) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(relative))) {
                return d.resolve(relative);
            }
        }
        throw new AssertionError(relative + " not found above " + Path.of("").toAbsolutePath());
    }

    private static Path emulatorJar(Path repository) throws IOException {
        Path target = repository.resolve("emulators/scaleio-gateway/target");
        Optional<Path> jar;
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            jar = files.filter(f -> f.getFileName().toString().matches("scaleio-gateway-emulator-.*-all\\.jar")).findFirst();
        }
        Prerequisites.require(jar.isPresent(), "the emulator's -all jar is built by mvn package in " + target);
        return jar.orElseThrow();
    }
}
