package io.libstorage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.libstorage.api.ByteSizes;
import io.libstorage.core.LibStorage;
import io.libstorage.docker.DockerVolumePlugin;
import io.libstorage.docker.PluginOptions;
import io.libstorage.tck.InMemoryLibStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dvdcli contract (mesos-and-dvdcli.md §3, §6.1): stdout is exactly the mount point and a newline,
 * exit status 1 with one stderr line on any failure, --volumeopts string-slice semantics, the
 * --explicitCreate alias, anonymous holder semantics, the deadline, and the plugin-socket path.
 */
class DvdcliContractTest {
    private final TestCli cli = new TestCli();

    @AfterEach
    void cleanUp() throws Exception {
        cli.close();
    }

    private TestCli.Run dvdcli(String verb, String... more) {
        String[] args = new String[more.length + 1];
        args[0] = verb;
        System.arraycopy(more, 0, args, 1, more.length);
        return cli.dvdcli(args);
    }

    @Test
    void mountPrintsOnlyTheMountPointAndANewline() {
        TestCli.Run r = dvdcli("mount", "--volumedriver=libstorage", "--volumename=mvol");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).matches("/\\S+/mvol/data\n");
        String mountPoint = r.out().strip();
        assertThat(Files.isDirectory(Path.of(mountPoint))).isTrue();

        TestCli.Run again = dvdcli("mount", "--volumedriver", "libstorage", "--volumename", "mvol");
        assertThat(again.out()).isEqualTo(r.out());
        TestCli.Run path = dvdcli("path", "--volumedriver=libstorage", "--volumename=mvol");
        assertThat(path.exit()).isZero();
        assertThat(path.out()).isEqualTo(mountPoint + "\n");
        assertThat(path.err()).isEmpty();
    }

    @Test
    void nAnonymousMountsAndOneUnmountReleaseTheVolume() {
        for (int i = 0; i < 3; i++) {
            assertThat(dvdcli("mount", "--volumedriver=libstorage", "--volumename=shared").exit()).isZero();
        }
        assertThat(cli.cluster().mappingsOf("shared")).hasSize(1);
        TestCli.Run u = dvdcli("unmount", "--volumedriver=libstorage", "--volumename=shared");
        assertThat(u.exit()).as(u.toString()).isZero();
        assertThat(u.out()).isEmpty();
        assertThat(u.err()).isEmpty();
        assertThat(cli.cluster().mappingsOf("shared")).isEmpty();
        TestCli.Run path = dvdcli("path", "--volumedriver=libstorage", "--volumename=shared");
        assertThat(path.exit()).isZero();
        assertThat(path.out()).isEmpty();
        // unmount of a volume that is not mounted, and of one that does not exist: success
        assertThat(dvdcli("unmount", "--volumedriver=libstorage", "--volumename=shared").exit()).isZero();
        assertThat(dvdcli("unmount", "--volumedriver=libstorage", "--volumename=never-was").exit()).isZero();
    }

    @Test
    void volumeoptsAreAStringSliceSplitAtCommasAndAtTheFirstEquals() {
        TestCli.Run r = dvdcli("create", "--volumedriver=libstorage", "--volumename=opts",
                "--volumeopts=size=2,newFsType=xfs", "--volumeopts", "label.note=a=b");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEmpty();
        JsonNode v = cli.run("volume", "inspect", "opts", "-o", "json").json().get(0);
        assertThat(v.get("requestedSizeBytes").asLong()).isEqualTo(2 * ByteSizes.GIB);
        assertThat(v.get("fsType").asText()).isEqualTo("xfs");
        assertThat(v.get("labels").get("note").asText()).isEqualTo("a=b");

        TestCli.Run m = dvdcli("mount", "--volumedriver=libstorage", "--volumename=implicit", "--volumeopts=size=3");
        assertThat(m.exit()).as(m.toString()).isZero();
        assertThat(cli.run("volume", "inspect", "implicit", "-o", "json").json().get(0).get("requestedSizeBytes").asLong())
                .isEqualTo(3 * ByteSizes.GIB);
        dvdcli("unmount", "--volumedriver=libstorage", "--volumename=implicit");
    }

    @Test
    void aVolumeoptsItemWithoutEqualsIsAUsageErrorNotACrash() {
        TestCli.Run r = dvdcli("mount", "--volumedriver=libstorage", "--volumename=bad", "--volumeopts=size=1,newfstype");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("dvdcli: --volumeopts item 'newfstype' is not key=value");
        assertThat(cli.run("volume", "ls", "-o", "json").json()).as("nothing was created").isEmpty();

        TestCli.Run unknownOpt = dvdcli("create", "--volumedriver=libstorage", "--volumename=bad", "--volumeopts=overwriteFs=true");
        assertThat(unknownOpt.exit()).isEqualTo(1);
        assertThat(unknownOpt.err()).contains("overwriteFs").contains("never reformats").contains("(code INVALID_REQUEST)");
    }

    @Test
    void explicitCreateInEitherSpellingRefusesToCreate() {
        for (String flag : new String[] {"--explicitcreate", "--explicitcreate=true", "--explicitCreate=true", "--explicitCreate"}) {
            TestCli.Run r = dvdcli("mount", "--volumedriver=libstorage", "--volumename=missing", flag);
            assertThat(r.exit()).as(flag + ": " + r).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.errLines()).hasSize(1);
            assertThat(r.err()).contains("mount failed").contains("volume=missing").contains("(code VOLUME_NOT_FOUND)");
        }
        assertThat(cli.run("volume", "ls", "-o", "json").json()).isEmpty();
        assertThat(dvdcli("mount", "--volumedriver=libstorage", "--volumename=missing", "--explicitcreate=false").exit()).isZero();
        assertThat(dvdcli("mount", "--volumedriver=libstorage", "--volumename=missing", "--explicitCreate=true").exit()).isZero();
        dvdcli("unmount", "--volumedriver=libstorage", "--volumename=missing");
    }

    @Test
    void unknownFlagsMissingFlagsAndBadDriverNamesExitNonZero() {
        TestCli.Run unknown = dvdcli("mount", "--volumedriver=libstorage", "--volumename=v", "--frobnicate");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.errLines()).hasSize(1);
        assertThat(unknown.err()).contains("--frobnicate");

        TestCli.Run wrongCase = dvdcli("mount", "--volumedriver=libstorage", "--VolumeName=v");
        assertThat(wrongCase.exit()).as("flag names are case-sensitive").isEqualTo(1);

        TestCli.Run noName = dvdcli("mount", "--volumedriver=libstorage");
        assertThat(noName.exit()).isEqualTo(1);
        assertThat(noName.err()).contains("--volumename is required");

        TestCli.Run noDriver = dvdcli("list");
        assertThat(noDriver.exit()).isEqualTo(1);
        assertThat(noDriver.err()).contains("--volumedriver is required");

        TestCli.Run traversal = dvdcli("mount", "--volumedriver=../../tmp/x", "--volumename=v");
        assertThat(traversal.exit()).isEqualTo(1);
        assertThat(traversal.err()).contains("is not a plugin name");

        TestCli.Run noVerb = cli.dvdcli();
        assertThat(noVerb.exit()).isEqualTo(1);
        assertThat(cli.run("volume", "ls", "-o", "json").json()).isEmpty();
    }

    @Test
    void aDriverThatIsNeitherASocketNorThisLibraryIsRefused() {
        TestCli.Run r = dvdcli("mount", "--volumedriver=ebs", "--volumename=v");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no plugin socket at " + cli.dir.resolve("plugins").resolve("ebs.sock"))
                .contains("'ebs' is not a driver this library serves in-process").contains("(code BACKEND_UNAVAILABLE)");
        // the configured storage driver's name is served in-process, as are libstorage and rexray
        assertThat(dvdcli("mount", "--volumedriver=memory", "--volumename=v").exit()).isZero();
        assertThat(dvdcli("unmount", "--volumedriver=rexray", "--volumename=v").exit()).isZero();
    }

    @Test
    void getListRemoveAndVersion() {
        dvdcli("create", "--volumedriver=libstorage", "--volumename=b");
        dvdcli("create", "--volumedriver=libstorage", "--volumename=a");
        TestCli.Run get = dvdcli("get", "--volumedriver=libstorage", "--volumename=a");
        assertThat(get.exit()).isZero();
        assertThat(get.out()).isEqualTo("a\n");
        TestCli.Run missing = dvdcli("get", "--volumedriver=libstorage", "--volumename=zz");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).contains("get failed").contains("(code VOLUME_NOT_FOUND)");
        TestCli.Run pathMissing = dvdcli("path", "--volumedriver=libstorage", "--volumename=zz");
        assertThat(pathMissing.exit()).isEqualTo(1);

        assertThat(dvdcli("list", "--volumedriver=libstorage").out()).isEqualTo("a\nb\n");
        assertThat(dvdcli("remove", "--volumedriver=libstorage", "--volumename=a").exit()).isZero();
        assertThat(dvdcli("remove", "--volumedriver=libstorage", "--volumename=a").exit()).isZero();
        assertThat(dvdcli("list", "--volumedriver=libstorage").out()).isEqualTo("b\n");

        TestCli.Run version = dvdcli("version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).matches("libstorage \\d+\\.\\d+\\.\\d+\\S* \\(dvdcli-compatible\\)\n");
    }

    @Test
    void libstorageDvdcliIsTheSameModeWithDvdclisExitStatuses() {
        TestCli.Run m = cli.run("dvdcli", "mount", "--volumedriver=libstorage", "--volumename=sub");
        assertThat(m.exit()).as(m.toString()).isZero();
        assertThat(m.out()).matches("/\\S+/sub/data\n");
        TestCli.Run unknown = cli.run("dvdcli", "mount", "--volumedriver=libstorage", "--volumename=sub", "--nope");
        assertThat(unknown.exit()).as("dvdcli's status 1, not the usage status 2").isEqualTo(1);
        TestCli.Run bad = cli.run("dvdcli", "mount", "--volumedriver=libstorage", "--volumename=sub", "--volumeopts=x");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).startsWith("libstorage: --volumeopts item 'x' is not key=value");
        assertThat(cli.run("dvdcli", "unmount", "--volumedriver=libstorage", "--volumename=sub").exit()).isZero();
    }

    @Test
    void aHangingBackEndFailsAtTheDeadlineWithAClearMessage() {
        cli.run("volume", "create", "slow", "--size", "1");
        Duration latency = Duration.ofMinutes(5);
        cli.cluster().faults().latency(latency);
        cli.env.put("LIBSTORAGE_DVDCLI_DEADLINE", "1s");
        long start = System.nanoTime();
        TestCli.Run r = dvdcli("mount", "--volumedriver=libstorage", "--volumename=slow");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).startsWith("dvdcli: mount failed: dvdcli mount (deadline set by --deadline or LIBSTORAGE_DVDCLI_DEADLINE)"
                        + " did not finish within 1000 ms")
                .contains("volume=slow", "host=host-1", "backend=memory", "(code TIMEOUT)");
        assertThat(took).as("it returned at its deadline, not after the back end's delay").isLessThan(latency);

        TestCli.Run flag = dvdcli("path", "--volumedriver=libstorage", "--volumename=slow", "--deadline=500ms");
        assertThat(flag.exit()).isEqualTo(1);
        assertThat(flag.err()).contains("did not finish within 500 ms");

        // what was given up at its deadline did not go on behind the caller's back
        cli.cluster().faults().reset();
        TestCli.Run path = cli.run("volume", "path", "slow");
        assertThat(path.exit()).as(path.toString()).isZero();
        assertThat(path.out()).isEmpty();
    }

    @Test
    void throughARunningPluginsSocketAsDvdcliDoes() throws Exception {
        Path plugins = cli.dir.resolve("plugins");
        // the plugin serves host-2 of the cluster: what it mounts is attached there, not to the CLI's host-1
        LibStorage pluginStorage = InMemoryLibStorage.onHost(cli.cluster(), "host-2");
        try (DockerVolumePlugin plugin = DockerVolumePlugin.start(pluginStorage,
                PluginOptions.builder().name("lsplug").socketDirectory(plugins).reconcileOnStart(false).build())) {
            TestCli.Run mount = dvdcli("mount", "--volumedriver=lsplug", "--volumename=viasock", "--volumeopts=size=2");
            assertThat(mount.exit()).as(mount.toString()).isZero();
            assertThat(mount.err()).isEmpty();
            assertThat(mount.out()).isEqualTo(pluginStorage.path("viasock").orElseThrow() + "\n");
            assertThat(cli.cluster().mappingsOf("viasock")).extracting(Object::toString).containsExactly("host-2");
            assertThat(pluginStorage.inspect("viasock").orElseThrow().volume().requestedSizeBytes()).isEqualTo(2 * ByteSizes.GIB);
            assertThat(dvdcli("mount", "--volumedriver=lsplug", "--volumename=viasock").out()).isEqualTo(mount.out());

            assertThat(dvdcli("path", "--volumedriver=lsplug", "--volumename=viasock").out()).isEqualTo(mount.out());
            assertThat(dvdcli("get", "--volumedriver=lsplug", "--volumename=viasock").out()).isEqualTo("viasock\n");
            assertThat(dvdcli("list", "--volumedriver=lsplug").out()).isEqualTo("viasock\n");

            TestCli.Run explicit = dvdcli("mount", "--volumedriver=lsplug", "--volumename=nothere", "--explicitCreate=true");
            assertThat(explicit.exit()).isEqualTo(1);
            assertThat(explicit.err()).contains("--explicitcreate forbids creating it").contains("docker-plugin:");
            assertThat(pluginStorage.inspect("nothere")).isEmpty();

            TestCli.Run badOpts = dvdcli("mount", "--volumedriver=lsplug", "--volumename=nothere", "--volumeopts=size=lots");
            assertThat(badOpts.exit()).isEqualTo(1);
            assertThat(badOpts.errLines()).hasSize(1);
            assertThat(badOpts.err()).contains("'lots' is not a size").contains("INVALID_REQUEST");

            assertThat(dvdcli("unmount", "--volumedriver=lsplug", "--volumename=viasock").exit()).isZero();
            assertThat(pluginStorage.path("viasock")).as("two mounts, one unmount: released").isEmpty();
            assertThat(cli.cluster().mappingsOf("viasock")).isEmpty();
            assertThat(dvdcli("remove", "--volumedriver=lsplug", "--volumename=viasock").exit()).isZero();
            assertThat(pluginStorage.inspect("viasock")).isEmpty();
        }
    }

    @Test
    void aSocketNobodyServesFallsBackToTheLibraryForItsOwnName() throws Exception {
        Path plugins = Files.createDirectories(cli.dir.resolve("plugins"));
        Path dead = plugins.resolve("libstorage.sock");
        try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(dead));
        }
        assertThat(dead).exists();
        TestCli.Run r = dvdcli("mount", "--volumedriver=libstorage", "--volumename=fallback");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).matches("/\\S+/fallback/data\n");
        assertThat(r.err()).contains("does not answer; using the library in this process");
        assertThat(dvdcli("unmount", "--volumedriver=libstorage", "--volumename=fallback").exit()).isZero();

        Path other = plugins.resolve("flocker.sock");
        try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(other));
        }
        TestCli.Run foreign = dvdcli("mount", "--volumedriver=flocker", "--volumename=x");
        assertThat(foreign.exit()).isEqualTo(1);
        assertThat(foreign.err()).contains("cannot reach the plugin").contains("(code BACKEND_UNAVAILABLE)");
    }
}
