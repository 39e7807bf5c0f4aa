package io.libstorage.cli;

import io.libstorage.spi.support.FileTrees;
import io.libstorage.tck.Prerequisites;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The managed plugin (Docker's plugin format v2) end to end: {@code packaging/docker-plugin/build.sh} builds the
 * plugin directory (config.json, a rootfs with a jlink JRE, this build's distribution and the host tools) from
 * this build's distribution, then {@code packaging/docker-plugin/scenario.sh} has a private dockerd create and
 * enable it from that directory, create {@code vol_dane} through it, write the story's file from one container
 * (on the plugin's loop device with ext4) and read it from a second one, remove the volume and disable and remove
 * the plugin. The script checks each step and exits 0 only when all passed and it left nothing behind; this test
 * looks again from outside: no work directory, no loop device of the run, no mount.
 */
class ManagedDockerPluginIT {
    private static final Duration BUILD_DEADLINE = Duration.ofMinutes(5);
    private static final Duration SCENARIO_DEADLINE = Duration.ofMinutes(5);

    @Test
    void aPrivateDockerdRunsTheStorysVolumeThroughThePluginBuiltFromTheDistribution() throws Exception {
        Prerequisites.requireLoopDevices();
        Prerequisites.requireCommands("unshare", "chroot", "ldd", "tar", "awk", "timeout");
        Path dist = Path.of(System.getProperty("libstorage.dist", ""));
        Prerequisites.require(Files.isExecutable(dist.resolve("bin/libstorage")), "the distribution is built by mvn package (-Dlibstorage.dist)");
        Path jdk = Path.of(System.getProperty("java.home"));
        Prerequisites.require(Files.isExecutable(jdk.resolve("bin/jlink")), "the plugin's JRE is made with the jlink of " + jdk);
        Path build = repositoryFile("packaging/docker-plugin/build.sh");
        Path scenario = build.resolveSibling("scenario.sh");

        Path dir = Files.createTempDirectory(Path.of("/tmp"), "lsplugin-it-");
        try {
            Path plugin = dir.resolve("plugin");
            String built = run(List.of("bash", build.toString(), dist.toString(), plugin.toString()), jdk, dir.resolve("build.log"), BUILD_DEADLINE);
            assertThat(built).as("build.sh names the directory it built").endsWith(plugin + "\n");
            assertThat(plugin.resolve("config.json")).content()
                    .contains("\"docker.volumedriver/1.0\"", "\"socket\": \"libstorage.sock\"", "\"propagatedMount\": \"/var/lib/libstorage\"",
                            "\"CAP_SYS_ADMIN\"");
            assertThat(plugin.resolve("rootfs/opt/java/bin/java")).isExecutable();
            assertThat(plugin.resolve("rootfs/opt/libstorage/lib")).isDirectoryContaining(p -> p.getFileName().toString().startsWith("libstorage-docker-"));

            String log = run(List.of("bash", scenario.toString(), plugin.toString()), jdk, dir.resolve("scenario.log"), SCENARIO_DEADLINE);
            System.out.println(log.lines().filter(l -> !l.startsWith("time=")).reduce("", (a, b) -> a + b + "\n"));
            assertThat(log).contains("MANAGED-PLUGIN PASSED")
                    .contains("ok: plugin created from " + plugin, "ok: plugin enabled: libstorage/plugin:test true")
                    .contains("ok: vol_dane created through libstorage/plugin:test")
                    .containsPattern("ok: a container wrote the file into vol_dane \\(/dev/loop[0-9]+ ext4 at /data\\)")
                    .contains("ok: a second container read 'WAZNE i KRYTYCZNE DANE' from vol_dane")
                    .contains("ok: vol_dane removed, no loop device of the run left", "ok: plugin disabled and removed")
                    .containsPattern("RESULT plugin enable [0-9.]+ s");
            assertNothingLeft(log);
        } finally {
            FileTrees.deleteTree(dir);
        }
    }

    /** The script's own leak checks ran in its trap; these look again from outside. */
    private static void assertNothingLeft(String log) throws Exception {
        Matcher work = Pattern.compile("work dir (/tmp/lsplugin-\\w+), run (lsplug\\d+)").matcher(log);
        assertThat(work.find()).as("the script names its work dir and run").isTrue();
        assertThat(Path.of(work.group(1))).doesNotExist();
        assertThat(command("losetup", "-a")).doesNotContain("/localfs-" + work.group(2) + "/");
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(work.group(1));
    }

    /** Runs a script with this JDK, its output (both streams) into {@code out}; its output when it exits 0. */
    private static String run(List<String> command, Path jdk, Path out, Duration deadline) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("LIBSTORAGE_PLUGIN_JDK", jdk.toString());
        env.put("PATH", jdk.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
        Process p = pb.start();
        if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroy(); // SIGTERM: the scenario's trap cleans up
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
            throw new AssertionError(command + " did not finish within " + deadline.toSeconds() + " s:\n" + Files.readString(out));
        }
        String output = Files.readString(out);
        assertThat(p.exitValue()).as(command + ":\n" + output).isZero();
        return output;
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
}
