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
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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

    /**
     * Java is given the command's jar alone: each element of {@code -cp} costs a URL at every start, while the jars its
     * manifest names are looked at only when a class or resource is not in the class-data archive. The manifest names
     * every other jar of lib/ (and nothing else), so the full command still finds all of them, a driver added through
     * LIBSTORAGE_CLASSPATH too.
     */
    @Test
    void javaIsGivenTheCommandsJarWhoseManifestNamesEveryOtherJarOfTheDistribution() throws Exception {
        Path lib = launcher.dist.resolve("lib");
        Path jar;
        Set<String> others;
        try (var files = Files.list(lib)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).toList();
            jar = jars.stream().filter(p -> p.getFileName().toString().startsWith("libstorage-cli-")).findFirst().orElseThrow();
            others = jars.stream().filter(p -> !p.equals(jar)).map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        String classPath;
        try (JarFile j = new JarFile(jar.toFile())) {
            classPath = j.getManifest().getMainAttributes().getValue("Class-Path");
        }
        List<String> named = List.of(classPath.trim().split(" +"));
        assertThat(named).doesNotHaveDuplicates();
        assertThat(Set.copyOf(named)).isEqualTo(others);

        launcher.env.put("JAVA_OPTS", "-XshowSettings:properties");
        Launcher.Run settings = launcher.libstorage("version");
        assertThat(settings.exit()).as(settings.toString()).isZero();
        assertThat(settings.err()).containsPattern("(?m)^ *java\\.class\\.path = \\S*/lib/" + Pattern.quote(jar.getFileName().toString())
                + "\n *java\\.class\\.version = ");

        // the full command loads its driver, picocli and Jackson through the manifest (no archive: from the jars)
        launcher.env.put("LIBSTORAGE_CDS", "off");
        launcher.env.put("JAVA_OPTS", "-Xlog:class+load=info");
        Launcher.Run full = launcher.libstorage("volume", "ls", "-o", "json");
        assertThat(full.exit()).as(full.toString()).isZero();
        Path realLib = lib.toRealPath();
        assertThat(full.out()).contains("picocli.CommandLine source: file:" + realLib.resolve("picocli-"),
                "io.libstorage.localfs.LocalFsDriver source: file:" + realLib.resolve("libstorage-localfs-"));
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
    void theArchiveStepWritesTheArchivesThatCommandsMapAndThatChangeNoOutput() throws Exception {
        Path copy = launcher.dir.resolve("dist");
        FileTrees.copyTree(launcher.dist, copy, StandardCopyOption.COPY_ATTRIBUTES);
        Path archive = copy.resolve("lib/libstorage.jsa");
        Path shortArchive = copy.resolve("lib/libstorage-short.jsa");
        Path topArchive = copy.resolve("lib/libstorage-short.top.jsa");
        for (Path a : List.of(archive, shortArchive, topArchive)) {
            Files.deleteIfExists(a);
        }
        Path bin = copy.resolve("bin/libstorage");

        // made through a relative path (as `cd /opt/libstorage && LIBSTORAGE_CDS=create bin/libstorage ...`), used below
        // through the absolute one from another directory
        launcher.env.put("LIBSTORAGE_CDS", "create");
        Launcher.Run create = launcher.runIn(copy, Path.of("bin/libstorage"), "cds-training");
        assertThat(create.exit()).as(create.toString()).isZero();
        assertThat(create.err()).as(create.toString()).doesNotContain("could not be written");
        assertThat(archive).isNotEmptyFile();
        assertThat(shortArchive).isNotEmptyFile();
        assertThat(topArchive).isNotEmptyFile();
        try (var lib = Files.list(copy.resolve("lib"))) {
            assertThat(lib.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        launcher.env.remove("LIBSTORAGE_CDS");

        // -Xshare:on fails the start unless the archives map; the command's own classes come from them. No service:
        // `volume ls` runs in full, over the full archive
        Path loaded = launcher.dir.resolve("class-load.log");
        launcher.env.put("JAVA_OPTS", "-Xshare:on -Xlog:cds=info -Xlog:class+load=info:file=" + loaded);
        Launcher.Run full = launcher.run(bin, "volume", "ls", "-o", "json");
        assertThat(full.exit()).as(full.toString()).isZero();
        assertThat(full.out()).contains(opened(archive)).doesNotContain("libstorage-short");
        assertThat(Files.readString(loaded)).contains("io.libstorage.cli.Main source: shared objects file",
                "io.libstorage.cli.internal.thin.ThinClient source: shared objects file",
                "com.fasterxml.jackson.databind.ObjectMapper source: shared objects file");

        // `version` over the short archive and its top layer, with nothing of the full command in the short one
        Launcher.Run version = launcher.run(bin, "version");
        assertThat(version.exit()).as(version.toString()).isZero();
        assertThat(version.out()).contains(opened(shortArchive), opened(topArchive)).doesNotContain(opened(archive));
        assertThat(Files.readString(loaded)).contains("io.libstorage.cli.Main source: shared objects file",
                "io.libstorage.cli.internal.thin.ThinClient source: shared objects file");

        // a dvdcli verb whose socket exists but answers nothing: the launcher picks the short archives, the command
        // runs in full after all, its classes from the top layer (but picocli's: Java 17 leaves classes of format 49
        // out of a dynamic archive, so they load from their jar here)
        Path plugins = Files.createDirectories(launcher.dir.resolve("dead-plugins"));
        Files.createFile(plugins.resolve("libstorage.sock"));
        launcher.env.put("LIBSTORAGE_PLUGIN_DIR", plugins.toString());
        Launcher.Run dead = launcher.run(copy.resolve("bin/dvdcli"), "path", "--volumedriver=libstorage", "--volumename=none");
        assertThat(dead.out()).contains(opened(shortArchive), opened(topArchive)).doesNotContain(opened(archive));
        assertThat(Files.readString(loaded)).contains("io.libstorage.cli.internal.dvdcli.DvdcliCli source: shared objects file (top)",
                "io.libstorage.core.LibStorage source: shared objects file (top)");

        launcher.env.remove("JAVA_OPTS");
        List<List<String>> commands = List.of(List.of("libstorage", "version"), List.of("dvdcli", "version"),
                List.of("libstorage", "volume", "ls", "-o", "json"), List.of("libstorage", "volume", "path", "none"),
                List.of("dvdcli", "path", "--volumedriver=libstorage", "--volumename=none"),
                List.of("dvdcli", "list", "--volumedriver=libstorage"));
        for (List<String> c : commands) {
            Path program = copy.resolve("bin").resolve(c.get(0));
            String[] args = c.subList(1, c.size()).toArray(String[]::new);
            Launcher.Run withArchive = launcher.run(program, args);
            launcher.env.put("LIBSTORAGE_CDS", "off");
            Launcher.Run without = launcher.run(program, args);
            launcher.env.remove("LIBSTORAGE_CDS");
            assertThat(withArchive).as(c.toString()).isEqualTo(without);
        }
    }

    /** What {@code -Xlog:cds=info} prints for an archive it maps (the launcher names it through {@code bin/../lib}). */
    private static String opened(Path archive) {
        return "Opened archive " + archive.getParent().getParent().resolve("bin/../lib").resolve(archive.getFileName()) + ".";
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
