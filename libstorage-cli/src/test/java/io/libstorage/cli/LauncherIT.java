package io.libstorage.cli;

import io.libstorage.spi.support.FileTrees;
import io.libstorage.tck.LoopDeviceSweeper;
import io.libstorage.tck.Prerequisites;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged launchers: bin/libstorage and bin/dvdcli (also as a symlink), JAVA_HOME and JAVA_OPTS, real loop devices. */
class LauncherIT {
    private Launcher launcher;

    @BeforeEach
    void setUp() throws Exception {
        launcher = new Launcher();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (launcher != null) {
            launcher.close();
        }
    }

    @Test
    void bothLaunchersRunAndPassTheirNameToJava() throws Exception {
        Launcher.Run version = launcher.libstorage("version");
        assertThat(version.exit()).as(version.toString()).isZero();
        assertThat(version.out()).containsPattern("(?m)^version\\s+\\d+\\.\\d+\\.\\d+");
        assertThat(version.err()).isEmpty();

        // the version the launcher passes is the one in the jar (a blank property makes the command read the jar's)
        launcher.env.put("JAVA_OPTS", "-Dlibstorage.version=");
        assertThat(launcher.libstorage("version")).isEqualTo(version);
        launcher.env.remove("JAVA_OPTS");

        Launcher.Run dvdcli = launcher.dvdcli("version");
        assertThat(dvdcli.exit()).as(dvdcli.toString()).isZero();
        assertThat(dvdcli.out()).matches("libstorage \\S+ \\(dvdcli-compatible\\)\n");

        // installed the usual way: a symlink named dvdcli on PATH pointing at bin/libstorage
        Path link = Files.createSymbolicLink(launcher.dir.resolve("dvdcli"), launcher.bin("libstorage"));
        Launcher.Run viaLink = launcher.run(link, "version");
        assertThat(viaLink.out()).isEqualTo(dvdcli.out());
        Launcher.Run unknownFlag = launcher.run(link, "mount", "--volumedriver=libstorage", "--volumename=x", "--explicitCreat");
        assertThat(unknownFlag.exit()).isEqualTo(1);
        assertThat(unknownFlag.out()).isEmpty();

        Launcher.Run usage = launcher.libstorage("volume", "mount");
        assertThat(usage.exit()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void javaHomeAndJavaOptsAreHonoured() throws Exception {
        launcher.env.put("JAVA_OPTS", "-XX:+NoSuchOptionForThisTest");
        Launcher.Run badOpts = launcher.libstorage("version");
        assertThat(badOpts.exit()).isNotZero();
        assertThat(badOpts.err()).contains("NoSuchOptionForThisTest");

        launcher.env.put("JAVA_OPTS", "-Xmx64m");
        launcher.env.put("JAVA_HOME", launcher.dir.resolve("no-jdk-here").toString());
        Launcher.Run badHome = launcher.libstorage("version");
        assertThat(badHome.exit()).isNotZero();
        assertThat(badHome.err()).contains("no-jdk-here");
    }

    @Test
    void theServiceRunsWithItsOwnMemoryOptionsWhichJavaOptsOverride() throws Exception {
        launcher.env.put("JAVA_OPTS", "-XX:+PrintCommandLineFlags");
        Launcher.Run service = launcher.libstorage("service", "start", "--help");
        assertThat(service.exit()).as(service.toString()).isZero();
        assertThat(service.out()).contains("-XX:+UseSerialGC", "-XX:MaxHeapSize=67108864", "-XX:TieredStopAtLevel=1",
                "-XX:MaxMetaspaceSize=134217728", "-XX:ReservedCodeCacheSize=33554432", "-XX:ThreadStackSize=512");

        Launcher.Run version = launcher.libstorage("version");
        assertThat(version.exit()).as(version.toString()).isZero();
        assertThat(version.out()).contains("-XX:TieredStopAtLevel=1", "-XX:+UseG1GC")
                .doesNotContain("-XX:MaxHeapSize=67108864", "-XX:MaxMetaspaceSize=134217728");

        launcher.env.put("JAVA_OPTS", "-XX:+PrintCommandLineFlags -Xmx256m -XX:TieredStopAtLevel=4");
        Launcher.Run overridden = launcher.libstorage("service", "start", "--help");
        assertThat(overridden.exit()).as(overridden.toString()).isZero();
        assertThat(overridden.out()).contains("-XX:MaxHeapSize=268435456", "-XX:TieredStopAtLevel=4")
                .doesNotContain("-XX:MaxHeapSize=67108864", "-XX:TieredStopAtLevel=1 ");
    }

    @Test
    void theArchiveStepWritesAStaticArchiveThatShortCommandsMapAndThatChangesNoOutput() throws Exception {
        Path copy = launcher.dir.resolve("dist");
        FileTrees.copyTree(launcher.dist, copy, StandardCopyOption.COPY_ATTRIBUTES);
        Path archive = copy.resolve("lib/libstorage.jsa");
        Files.deleteIfExists(archive);
        Path bin = copy.resolve("bin/libstorage");

        // made through a relative path (as `cd /opt/libstorage && LIBSTORAGE_CDS=create bin/libstorage ...`), used below
        // through the absolute one from another directory
        launcher.env.put("LIBSTORAGE_CDS", "create");
        Launcher.Run create = launcher.runIn(copy, Path.of("bin/libstorage"), "cds-training");
        assertThat(create.exit()).as(create.toString()).isZero();
        assertThat(archive).isNotEmptyFile();
        try (var lib = Files.list(copy.resolve("lib"))) {
            assertThat(lib.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }

        // -Xshare:on fails the start unless the archive maps; the command's own classes come from it
        launcher.env.remove("LIBSTORAGE_CDS");
        Path loaded = launcher.dir.resolve("class-load.log");
        launcher.env.put("JAVA_OPTS", "-Xshare:on -Xlog:class+load=info:file=" + loaded);
        Launcher.Run shared = launcher.run(bin, "volume", "ls", "-o", "json");
        assertThat(shared.exit()).as(shared.toString()).isZero();
        assertThat(Files.readString(loaded)).contains("io.libstorage.cli.Main source: shared objects file",
                "io.libstorage.cli.internal.thin.ThinClient source: shared objects file",
                "com.fasterxml.jackson.databind.ObjectMapper source: shared objects file");

        launcher.env.remove("JAVA_OPTS");
        for (List<String> args : List.of(List.of("version"), List.of("volume", "ls", "-o", "json"), List.of("volume", "path", "none"))) {
            Launcher.Run withArchive = launcher.run(bin, args.toArray(String[]::new));
            launcher.env.put("LIBSTORAGE_CDS", "off");
            Launcher.Run without = launcher.run(bin, args.toArray(String[]::new));
            launcher.env.remove("LIBSTORAGE_CDS");
            assertThat(withArchive).as(args.toString()).isEqualTo(without);
        }
    }

    @Test
    void volumeVerbsAndDvdcliOnLocalfsWithRealLoopDevices() throws Exception {
        Prerequisites.requireLoopDevices();
        Prerequisites.requireCommands("mkfs.ext4", "mount", "umount", "blkid");

        Launcher.Run create = launcher.libstorage("volume", "create", "itvol", "--size", "64MiB");
        assertThat(create.exit()).as(create.toString()).isZero();

        Launcher.Run mount = launcher.dvdcli("mount", "--volumedriver=libstorage", "--volumename=itvol");
        assertThat(mount.exit()).as(mount.toString()).isZero();
        assertThat(mount.err()).isEmpty();
        assertThat(mount.out()).isEqualTo(launcher.dir.resolve("state/volumes/itvol/data") + "\n");
        Path data = Path.of(mount.out().strip());
        Files.writeString(data.resolve("hello.txt"), "kept\n");
        assertThat(LoopDeviceSweeper.devicesUnder(launcher.dir)).hasSize(1);

        Launcher.Run again = launcher.dvdcli("mount", "--volumedriver=libstorage", "--volumename=itvol");
        assertThat(again.out()).isEqualTo(mount.out());
        Launcher.Run ls = launcher.libstorage("volume", "ls");
        assertThat(ls.out()).containsPattern("(?m)^itvol\\s+\\S+\\s+64MiB\\s+ext4\\s+\\S+\\s+" + java.util.regex.Pattern.quote(data.toString())
                + "\\s+<anonymous>$");

        Launcher.Run unmount = launcher.dvdcli("unmount", "--volumedriver=libstorage", "--volumename=itvol");
        assertThat(unmount.exit()).as(unmount.toString()).isZero();
        assertThat(LoopDeviceSweeper.devicesUnder(launcher.dir)).as("one unmount released two mounts").isEmpty();

        Launcher.Run remount = launcher.libstorage("volume", "mount", "itvol", "--consumer", "task-1", "-o", "json");
        assertThat(remount.exit()).as(remount.toString()).isZero();
        assertThat(remount.out()).contains("\"formatted\" : false");
        assertThat(Files.readString(data.resolve("hello.txt"))).isEqualTo("kept\n");
        assertThat(launcher.libstorage("volume", "unmount", "itvol", "--consumer", "task-1").exit()).isZero();

        assertThat(launcher.libstorage("volume", "rm", "itvol").exit()).isZero();
        assertThat(launcher.libstorage("volume", "inspect", "itvol").exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(LoopDeviceSweeper.devicesUnder(launcher.dir)).isEmpty();
    }

    @Test
    void forcedRmAndDetachOfAMountAProcessUsesFailNamingItAndChangeNothing() throws Exception {
        Prerequisites.requireLoopDevices();
        Prerequisites.requireCommands("mkfs.ext4", "mount", "umount", "blkid", "sleep");

        Launcher.Run mount = launcher.libstorage("volume", "mount", "busyvol", "--size", "64MiB");
        assertThat(mount.exit()).as(mount.toString()).isZero();
        Path data = launcher.dir.resolve("state/volumes/busyvol/data");
        Files.writeString(data.resolve("open.log"), "written while held\n");
        Process holder = new ProcessBuilder("sleep", "600").directory(data.toFile()).start();
        try {
            for (String verb : java.util.List.of("rm", "detach")) {
                Launcher.Run forced = launcher.libstorage("volume", verb, "-f", "busyvol");
                assertThat(forced.exit()).as(forced.toString()).isEqualTo(ExitCode.FAILED);
                assertThat(forced.out()).isEmpty();
                assertThat(forced.err()).contains("is busy; held by [" + holder.pid() + ":sleep]", "(code VOLUME_BUSY)");
            }
            Launcher.Run ls = launcher.libstorage("volume", "ls", "busyvol");
            assertThat(ls.out()).as("still attached and mounted").containsPattern("(?m)^busyvol\\s+\\S+\\s+64MiB\\s+ext4\\s+\\S+\\s+"
                    + java.util.regex.Pattern.quote(data.toString()));
            assertThat(Files.readString(data.resolve("open.log"))).isEqualTo("written while held\n");
            assertThat(LoopDeviceSweeper.devicesUnder(launcher.dir)).hasSize(1);
        } finally {
            holder.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        Launcher.Run rm = launcher.libstorage("volume", "rm", "-f", "busyvol");
        assertThat(rm.exit()).as(rm.toString()).isZero();
        assertThat(rm.out()).isEqualTo("busyvol\n");
        assertThat(launcher.libstorage("volume", "inspect", "busyvol").exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(LoopDeviceSweeper.devicesUnder(launcher.dir)).isEmpty();
    }
}
