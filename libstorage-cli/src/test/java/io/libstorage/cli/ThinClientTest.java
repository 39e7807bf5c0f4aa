package io.libstorage.cli;

import io.libstorage.cli.internal.thin.ThinClient;
import io.libstorage.core.LibStorage;
import io.libstorage.docker.DockerVolumePlugin;
import io.libstorage.docker.PluginOptions;
import io.libstorage.tck.InMemoryLibStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The thin client (no parser, no driver, no configuration, no Jackson) against the full command, on the same
 * running plugin and the same state: every dvdcli verb, its errors, and {@code version} print the same bytes
 * and exit with the same status; what the thin client cannot answer exactly falls back having done nothing.
 */
class ThinClientTest {
    private final TestCli cli = new TestCli();
    private LibStorage pluginStorage;
    private DockerVolumePlugin plugin;

    @BeforeEach
    void startPlugin() {
        pluginStorage = InMemoryLibStorage.onHost(cli.cluster(), "host-2");
        plugin = DockerVolumePlugin.start(pluginStorage,
                PluginOptions.builder().name("thin").socketDirectory(cli.dir.resolve("plugins")).reconcileOnStart(false).build());
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            plugin.close();
            pluginStorage.close();
        } finally {
            cli.close();
        }
    }

    /** The thin client's run; fails the test when it fell back. */
    private TestCli.Run thin(String program, String... args) {
        TestCli.Run r = thinOrFallBack(program, args);
        assertThat(r.exit()).as("the thin client answered " + String.join(" ", args)).isNotEqualTo(ThinClient.FALL_BACK);
        return r;
    }

    private TestCli.Run thinOrFallBack(String program, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnvironment env = new CliEnvironment(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), cli.env, false, program, a -> { });
        int exit = ThinClient.run(env, args);
        return new TestCli.Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The full command (parser, socket back end through the Docker plugin client). */
    private TestCli.Run full(String program, String... args) {
        cli.env.put(ThinClient.SWITCH_ENV, "off");
        try {
            return cli.invoke(program, args);
        } finally {
            cli.env.remove(ThinClient.SWITCH_ENV);
        }
    }

    /** Runs {@code args} thin, then full, and asserts the same output and status; returns the thin run. */
    private TestCli.Run same(String... args) {
        TestCli.Run thin = thin("dvdcli", args);
        TestCli.Run full = full("dvdcli", args);
        assertThat(thin).as(String.join(" ", args)).isEqualTo(full);
        return thin;
    }

    @Test
    void everyVerbPrintsWhatTheFullCommandPrintsWithTheSameStatus() {
        String d = "--volumedriver=thin";
        assertThat(same("list", d).out()).isEmpty();
        assertThat(same("create", d, "--volumename=a", "--volumeopts=size=2,newFsType=xfs").exit()).isZero();
        assertThat(same("get", d, "--volumename", "a").out()).isEqualTo("a\n");
        TestCli.Run mount = same("mount", d, "--volumename=a");
        assertThat(mount.exit()).isZero();
        assertThat(mount.out()).isEqualTo(pluginStorage.path("a").orElseThrow() + "\n");
        assertThat(same("path", d, "--volumename=a").out()).isEqualTo(mount.out());
        assertThat(same("mount", d, "--volumename=b", "--volumeopts=size=1", "--explicitcreate=false").exit()).isZero();
        assertThat(pluginStorage.inspect("b")).as("mount created the missing volume").isPresent();
        assertThat(same("list", d).out()).isEqualTo("a\nb\n");
        assertThat(same("unmount", d, "--volumename=a").exit()).isZero();
        assertThat(pluginStorage.path("a")).isEmpty();
        assertThat(same("path", d, "--volumename=a").out()).as("not mounted: nothing").isEmpty();
        assertThat(same("unmount", d, "--volumename=b").exit()).isZero();
        assertThat(same("remove", d, "--volumename=a").exit()).isZero();
        assertThat(same("remove", d, "--volumename=b").exit()).isZero();
        assertThat(pluginStorage.list()).isEmpty();
        assertThat(same("version").out()).startsWith("libstorage ").endsWith(" (dvdcli-compatible)\n");
    }

    @Test
    void errorsAreTheSameLineAndStatus() {
        String d = "--volumedriver=thin";
        List<String[]> failing = List.of(
                new String[] {"get", d, "--volumename=nothere"},
                new String[] {"path", d, "--volumename=nothere"},
                new String[] {"mount", d, "--volumename=nothere", "--explicitcreate"},
                new String[] {"mount", d, "--volumename=nothere", "--explicitCreate=true"},
                new String[] {"create", d, "--volumename=bad", "--volumeopts=size=lots"},
                new String[] {"mount", d, "--volumename=bad", "--volumeopts=overwriteFs=true"});
        for (String[] args : failing) {
            TestCli.Run r = same(args);
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.errLines()).hasSize(1);
            assertThat(r.err()).startsWith("dvdcli: ").contains("docker-plugin:" + cli.dir.resolve("plugins/thin.sock").toAbsolutePath());
        }
        assertThat(pluginStorage.list()).as("nothing was created").isEmpty();
    }

    /**
     * A deadline shorter than a millisecond is kept: the thin client used to wait on the worker with
     * {@code join(0)}, that is for ever, and answered where the full command times out.
     */
    @Test
    void aDeadlineUnderAMillisecondTimesOutAsTheFullCommandDoes() {
        String d = "--volumedriver=thin";
        assertThat(same("create", d, "--volumename=a").exit()).isZero();
        // (short enough that neither has had Activate answered: with a longer one, which of them had is a matter of
        // timing, and the message names the socket only then)
        TestCli.Run r = same("get", d, "--volumename=a", "--deadline=1us");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("dvdcli: get failed: ").contains("(code TIMEOUT)");
        cli.env.put("LIBSTORAGE_DVDCLI_DEADLINE", "500ns");
        assertThat(same("get", d, "--volumename=a").err()).contains("(code TIMEOUT)");
        cli.env.remove("LIBSTORAGE_DVDCLI_DEADLINE");
        assertThat(same("get", d, "--volumename=a").out()).isEqualTo("a\n");
    }

    @Test
    void libstorageVersionIsTheFullCommandsTable() {
        TestCli.Run thin = thin("libstorage", "version");
        assertThat(thin).isEqualTo(full("libstorage", "version"));
        assertThat(thin.out().lines().toList()).hasSize(3).first().asString().startsWith("version  ");
    }

    @Test
    void whatItCannotAnswerExactlyFallsBackHavingDoneNothing() {
        List<String[]> others = List.of(
                new String[] {"mount", "--volumedriver=thin", "--volumename=v", "--frobnicate"},
                new String[] {"mount", "--volumedriver=thin"},
                new String[] {"mount", "--volumedriver=thin", "--volumename=v", "--volumeopts=size=1,newfstype"},
                new String[] {"mount", "--volumedriver=thin", "--volumename=v", "--volumeopts=label.x=\"a,b\""},
                new String[] {"mount", "--volumedriver=thin", "--volumename=v", "--deadline=soon"},
                new String[] {"mount", "--volumedriver=thin", "--volumename=v", "--volumename=w"},
                new String[] {"--volumedriver=thin", "mount", "--volumename=v"},
                new String[] {"mount", "--help"},
                new String[] {"mount", "--volumedriver=nosocket", "--volumename=v"},
                new String[] {"mount", "--volumedriver=bad/name", "--volumename=v"},
                new String[] {"version", "--help"});
        for (String[] args : others) {
            assertThat(thinOrFallBack("dvdcli", args).exit()).as(String.join(" ", args)).isEqualTo(ThinClient.FALL_BACK);
        }
        assertThat(thinOrFallBack("libstorage", "version", "-o", "json").exit()).isEqualTo(ThinClient.FALL_BACK);
        assertThat(thinOrFallBack("libstorage", "volume", "ls").exit()).isEqualTo(ThinClient.FALL_BACK);
        cli.env.put("LIBSTORAGE_LOG_LEVEL", "debug");
        assertThat(thinOrFallBack("dvdcli", "list", "--volumedriver=thin").exit()).isEqualTo(ThinClient.FALL_BACK);
        cli.env.remove("LIBSTORAGE_LOG_LEVEL");
        cli.env.put(ThinClient.SWITCH_ENV, "off");
        assertThat(thinOrFallBack("dvdcli", "list", "--volumedriver=thin").exit()).isEqualTo(ThinClient.FALL_BACK);
        cli.env.remove(ThinClient.SWITCH_ENV);
        assertThat(pluginStorage.list()).isEmpty();
        // through Main, the full command answers them as before
        TestCli.Run unknown = cli.dvdcli("mount", "--volumedriver=thin", "--volumename=v", "--frobnicate");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("--frobnicate");
    }

    /** A plugin that accepts and never answers: both paths give up at the deadline, with the same error. */
    @Test
    void aPluginThatNeverAnswersTimesOutAtTheDeadline() throws Exception {
        Path socket = cli.dir.resolve("plugins").resolve("mute.sock");
        List<SocketChannel> held = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        SocketChannel c = server.accept();
                        synchronized (held) {
                            held.add(c);
                        }
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();
            TestCli.Run thin = thin("dvdcli", "get", "--volumedriver=mute", "--volumename=v", "--deadline=300ms");
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(thin.exit()).as(thin.toString()).isEqualTo(1);
            assertThat(tookMillis).as("it gave up at its deadline").isLessThan(5_000);
            assertThat(thin).isEqualTo(full("dvdcli", "get", "--volumedriver=mute", "--volumename=v", "--deadline=300ms"));
            assertThat(thin.err()).isEqualTo("dvdcli: get failed: dvdcli get (deadline set by --deadline or LIBSTORAGE_DVDCLI_DEADLINE)"
                    + " did not finish within 300 ms [operation=get volume=v host=? backend=mute] (code TIMEOUT)\n");
        } finally {
            synchronized (held) {
                for (SocketChannel c : held) {
                    c.close();
                }
            }
        }
    }

    @Test
    void aPluginThatClosesTheConnectionMidAnswer() throws Exception {
        Path plugins = cli.dir.resolve("plugins");
        // Activate and Get are answered; Create's answer is cut off after its header and a few bytes
        try (TruncatingPlugin fake = TruncatingPlugin.start(plugins.resolve("cut.sock"), "/VolumeDriver.Create")) {
            // a read that breaks changes nothing: the thin client falls back, the full command reports the failure
            fake.truncate("/VolumeDriver.Get");
            assertThat(thinOrFallBack("dvdcli", "path", "--volumedriver=cut", "--volumename=v").exit()).isEqualTo(ThinClient.FALL_BACK);
            TestCli.Run viaMain = cli.dvdcli("path", "--volumedriver=cut", "--volumename=v");
            assertThat(viaMain.exit()).as(viaMain.toString()).isEqualTo(1);
            assertThat(viaMain.errLines()).hasSize(1);
            assertThat(viaMain.err()).contains("cannot reach the plugin").contains("(code BACKEND_UNAVAILABLE)");

            // a create that was sent and then lost: a clear error, status 1, in both paths
            fake.truncate("/VolumeDriver.Create");
            TestCli.Run thin = thin("dvdcli", "mount", "--volumedriver=cut", "--volumename=v");
            TestCli.Run full = full("dvdcli", "mount", "--volumedriver=cut", "--volumename=v");
            for (TestCli.Run r : List.of(thin, full)) {
                assertThat(r.exit()).as(r.toString()).isEqualTo(1);
                assertThat(r.out()).isEmpty();
                assertThat(r.errLines()).hasSize(1);
                assertThat(r.err()).startsWith("dvdcli: create failed: cannot reach the plugin at " + plugins.resolve("cut.sock").toAbsolutePath())
                        .endsWith("(code BACKEND_UNAVAILABLE)\n");
            }
            assertThat(thin.err()).contains("closed after");
            assertThat(fake.requests()).contains("/VolumeDriver.Create");
        }
    }
}
