package io.libstorage.cli;

import io.libstorage.cli.internal.thin.ThinClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code libstorage volume ls|inspect|path} through a running {@code service start} (in this JVM, over the
 * in-memory drivers, the same configuration file) against the embedded command on the same state: the same
 * stdout, stderr and exit status in every output form, errors included; another configuration, a changed one,
 * other options or no service fall back to the embedded command.
 */
class ThinVolumeTest {
    private final TestCli cli = new TestCli();
    private CompletableFuture<TestCli.Run> service;

    @BeforeEach
    void startService() throws Exception {
        Path plugins = cli.dir.resolve("plugins");
        service = CompletableFuture.supplyAsync(() -> cli.run("service", "start", "--socket-dir", plugins.toString(), "--no-reconcile"));
        Path ready = cli.dir.resolve("state/service/libstorage.ready");
        for (int i = 0; i < 600 && !Files.exists(ready); i++) {
            assertThat(service).as("the service stopped: %s", service.isDone() ? service.join() : "").isNotDone();
            Thread.sleep(50);
        }
        assertThat(ready).exists();
        assertThat(cli.run("volume", "create", "a", "--size", "1GiB").exit()).isZero();
        assertThat(cli.run("volume", "create", "b", "--size", "2GiB").exit()).isZero();
        assertThat(cli.run("volume", "mount", "a").exit()).isZero();
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            cli.terminate();
            TestCli.Run r = service.get(60, TimeUnit.SECONDS);
            assertThat(r.exit()).as(r.toString()).isZero();
        } finally {
            cli.close();
        }
    }

    private TestCli.Run thinOrFallBack(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnvironment env = new CliEnvironment(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), cli.env, false, "libstorage", a -> { });
        int exit = ThinClient.run(env, args);
        return new TestCli.Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private TestCli.Run full(String... args) {
        cli.env.put(ThinClient.SWITCH_ENV, "off");
        try {
            return cli.run(args);
        } finally {
            cli.env.remove(ThinClient.SWITCH_ENV);
        }
    }

    private TestCli.Run same(String... args) {
        TestCli.Run thin = thinOrFallBack(args);
        assertThat(thin.exit()).as("the service answered " + String.join(" ", args)).isNotEqualTo(ThinClient.FALL_BACK);
        assertThat(thin).as(String.join(" ", args)).isEqualTo(full(args));
        return thin;
    }

    @Test
    void lsInspectAndPathPrintWhatTheEmbeddedCommandPrints() {
        assertThat(same("volume", "ls").out()).contains("a").contains("b");
        assertThat(same("volume", "ls", "-o", "json").json()).hasSize(2);
        same("volume", "ls", "--output=yaml");
        same("volumes", "list", "b", "-o", "JSON");
        same("volume", "get", "nothere");
        same("volume", "inspect", "a", "b");
        same("volume", "inspect", "a", "-o", "json");
        same("volume", "inspect", "a", "--config", cli.config.toString(), "-o", "yaml");
        assertThat(same("volume", "path", "a").out()).endsWith("\n").isNotBlank();
        assertThat(same("volume", "path", "b").out()).isEmpty();
        assertThat(same("volume", "path", "a", "-o", "json").json().get("mounted").asBoolean()).isTrue();
    }

    @Test
    void errorsAndUsageErrorsAreTheSame() {
        TestCli.Run missing = same("volume", "inspect", "a", "nothere");
        assertThat(missing.exit()).isEqualTo(4);
        assertThat(missing.errLines()).hasSize(1);
        assertThat(missing.err()).startsWith("libstorage: inspect failed: no volume has this name").contains("(code VOLUME_NOT_FOUND)");
        assertThat(same("volume", "path", "nothere").exit()).isEqualTo(4);
        assertThat(same("volume", "path").exit()).isEqualTo(2);
        assertThat(same("volume", "inspect").exit()).isEqualTo(2);
    }

    @Test
    void aServiceThatDiesMidAnswerLeavesTheVerbToTheEmbeddedCommandWithTheSameResult() throws Exception {
        Path elsewhere = cli.dir.resolve("dying");
        try (TruncatingPlugin dying = TruncatingPlugin.start(elsewhere.resolve("libstorage.sock"), "/LibStorage.Cli")) {
            cli.env.put("LIBSTORAGE_PLUGIN_DIR", elsewhere.toString());
            for (String[] args : List.of(new String[] {"volume", "ls", "-o", "json"}, new String[] {"volume", "inspect", "a"},
                    new String[] {"volume", "path", "nothere"})) {
                assertThat(thinOrFallBack(args).exit()).as(String.join(" ", args)).isEqualTo(ThinClient.FALL_BACK);
                assertThat(cli.run(args)).as(String.join(" ", args)).isEqualTo(full(args));
            }
            assertThat(dying.requests()).contains("/LibStorage.Cli");
        }
    }

    @Test
    void anotherOrAChangedConfigurationOtherOptionsOrNoServiceFallBack() throws Exception {
        Path copy = Files.copy(cli.config, cli.dir.resolve("other.yml"));
        for (String[] args : List.of(new String[] {"volume", "ls", "-c", copy.toString()}, new String[] {"volume", "ls", "-v"},
                new String[] {"volume", "ls", "-s", "memory"}, new String[] {"volume", "ls", "-o", "xml"},
                new String[] {"volume", "rm", "a"}, new String[] {"-o", "json", "volume", "ls"},
                new String[] {"volume", "ls", "-c", cli.dir.resolve("missing.yml").toString()})) {
            assertThat(thinOrFallBack(args).exit()).as(String.join(" ", args)).isEqualTo(ThinClient.FALL_BACK);
        }
        Files.setLastModifiedTime(cli.config, FileTime.fromMillis(Files.getLastModifiedTime(cli.config).toMillis() - 60_000));
        assertThat(thinOrFallBack("volume", "ls").exit()).as("the file changed since the service read it").isEqualTo(ThinClient.FALL_BACK);
        cli.env.put("LIBSTORAGE_PLUGIN_DIR", cli.dir.resolve("elsewhere").toString());
        assertThat(thinOrFallBack("volume", "ls").exit()).as("no socket").isEqualTo(ThinClient.FALL_BACK);
        TestCli.Run viaMain = cli.run("volume", "ls", "-o", "json");
        assertThat(viaMain.exit()).isZero();
        assertThat(viaMain.json()).hasSize(2);
    }
}
