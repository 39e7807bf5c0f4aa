package io.libstorage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.libstorage.api.AttachOptions;
import io.libstorage.api.ByteSizes;
import io.libstorage.api.ProcessHolder;
import io.libstorage.core.LibStorage;
import io.libstorage.tck.InMemoryLibStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every volume verb over the in-memory drivers: output formats, exit statuses, errors on stderr. */
class VolumeCommandsTest {
    private final TestCli cli = new TestCli();

    @AfterEach
    void cleanUp() throws Exception {
        cli.close();
    }

    @Test
    void lsIsATableByDefaultAndJsonOrYamlOnRequest() {
        assertThat(cli.run("volume", "create", "beta", "--size", "1").exit()).isZero();
        assertThat(cli.run("volume", "create", "alpha", "--size", "512MiB").exit()).isZero();

        TestCli.Run table = cli.run("volume", "ls");
        assertThat(table.exit()).as(table.toString()).isZero();
        assertThat(table.err()).isEmpty();
        assertThat(table.out().lines().toList()).hasSize(3);
        assertThat(table.out().lines().findFirst().orElseThrow())
                .startsWith("NAME").contains("ID", "SIZE", "FSTYPE", "ATTACHED TO", "PATH", "CONSUMERS");
        assertThat(table.out()).containsPattern("(?m)^alpha\\s+\\S+\\s+512MiB\\s+ext4").containsPattern("(?m)^beta\\s+\\S+\\s+1GiB\\s+ext4");

        JsonNode json = cli.run("volume", "ls", "-o", "json").json();
        assertThat(json.isArray()).isTrue();
        assertThat(json).hasSize(2);
        assertThat(json.get(0).get("name").asText()).isEqualTo("alpha");
        assertThat(json.get(0).get("requestedSizeBytes").asLong()).isEqualTo(512 * ByteSizes.MIB);
        assertThat(json.get(0).get("backend").asText()).isEqualTo("memory");
        assertThat(json.get(0).get("mounted").asBoolean()).isFalse();

        JsonNode yaml = cli.run("volume", "ls", "--output=yaml").yaml();
        assertThat(yaml).hasSize(2);
        assertThat(yaml.get(1).get("name").asText()).isEqualTo("beta");
        assertThat(yaml.get(1).get("allocatedSize").asText()).isEqualTo("1GiB");

        // global options work before the verb too, and names filter
        JsonNode only = cli.run("-o", "JSON", "volume", "ls", "beta").json();
        assertThat(only).hasSize(1);
        // clustered short options hide the verb from the lazy command tree's scan: the full tree is built then
        TestCli.Run clustered = cli.run("-vo", "json", "volume", "ls", "alpha");
        assertThat(clustered.exit()).as(clustered.toString()).isZero();
        assertThat(clustered.json()).hasSize(1);
        TestCli.Run clusteredHelp = cli.run("-vo", "json", "volume", "--help");
        assertThat(clusteredHelp.exit()).isZero();
        assertThat(clusteredHelp.out()).contains("snapshot").contains("Volume verbs");
    }

    @Test
    void theVolumesOwnTakeoverPolicyIsACreateOptionAndShownByInspect() {
        TestCli.Run created = cli.run("volume", "create", "p", "--size", "1", "--preemption", "if_owner_unreachable");
        assertThat(created.exit()).as(created.toString()).isZero();
        JsonNode inspected = cli.run("volume", "inspect", "p", "-o", "json").json();
        assertThat(inspected.get(0).get("preemption").asText()).isEqualTo("IF_OWNER_UNREACHABLE");
        assertThat(inspected.get(0).get("unknownHere")).isEmpty();
        TestCli.Run bad = cli.run("volume", "create", "q", "--preemption", "sometimes");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("sometimes");
    }

    @Test
    void aFilesystemThisHostCannotMakeIsRefusedBeforeAnythingIsCreated() {
        for (String[] args : List.of(new String[]{"volume", "create", "v", "--fstype", "zfs"}, new String[]{"volume", "create", "v", "--fstype=-rf"},
                new String[]{"volume", "create", "v", "--fstype", ""}, new String[]{"volume", "mount", "v", "--fstype", "zfs"})) {
            TestCli.Run r = cli.run(args);
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.FAILED);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).as(r.toString()).startsWith("libstorage: " + args[1] + " failed: cannot create a volume with the filesystem '")
                    .contains("can make [btrfs, ext2, ext3, ext4, xfs]", "(code INVALID_REQUEST)");
        }
        assertThat(cli.run("volume", "ls", "-o", "json").json()).isEmpty();
    }

    @Test
    void forcedRemoveAndDetachOfABusyMountFailNamingTheHolderAndLeaveTheVolumeAsItWas() {
        TestCli.Run mount = cli.run("volume", "mount", "pg", "-o", "json");
        assertThat(mount.exit()).as(mount.toString()).isZero();
        Path mountPoint = Path.of(mount.json().get("mountPoint").asText());
        cli.cluster().faults().busy(mountPoint, List.of(new ProcessHolder(4242, "postgres")));

        for (String verb : List.of("rm", "detach")) {
            TestCli.Run r = cli.run("volume", verb, "-f", "pg");
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.FAILED);
            assertThat(r.out()).isEmpty();
            assertThat(r.errLines()).hasSize(1);
            assertThat(r.err()).contains("the mount at " + mountPoint + " is busy; held by [4242:postgres]", "(code VOLUME_BUSY)");
        }
        assertThat(cli.run("volume", "create", "spare", "--size", "1").exit()).isZero();
        TestCli.Run several = cli.run("volume", "rm", "-f", "spare", "pg");
        assertThat(several.exit()).as(several.toString()).isEqualTo(ExitCode.FAILED);
        assertThat(several.out()).as("the output names what was removed").isEqualTo("spare\n");
        assertThat(several.errLines()).hasSize(1);
        assertThat(several.err()).contains("remove failed: the mount at " + mountPoint + " is busy", "volume=pg");

        JsonNode still = cli.run("volume", "ls", "-o", "json").json();
        assertThat(still).hasSize(1);
        assertThat(still.get(0).get("mounted").asBoolean()).isTrue();
        assertThat(still.get(0).get("attachedTo").get(0).asText()).isEqualTo("host-1");

        cli.cluster().faults().notBusy(mountPoint);
        TestCli.Run detach = cli.run("volume", "detach", "-f", "pg");
        assertThat(detach.exit()).as(detach.toString()).isZero();
        JsonNode detached = cli.run("volume", "ls", "-o", "json").json();
        assertThat(detached.get(0).get("mounted").asBoolean()).isFalse();
        assertThat(detached.get(0).get("attachedTo")).isEmpty();
        assertThat(cli.run("volume", "rm", "pg").exit()).isZero();
        assertThat(cli.run("volume", "ls", "-o", "json").json()).isEmpty();
    }

    @Test
    void aDamagedStateFileIsNamedByLsAndRepairedByReconcile() throws Exception {
        assertThat(cli.run("volume", "mount", "good", "--consumer", "c1").exit()).isZero();
        assertThat(cli.run("volume", "mount", "hurt", "--consumer", "c2").exit()).isZero();
        Path file = cli.dir.resolve("state").resolve("volumes.d").resolve("hurt.json");
        Files.writeString(file, "");

        TestCli.Run ls = cli.run("volume", "ls");
        assertThat(ls.exit()).as(ls.toString()).isZero();
        assertThat(ls.out()).containsPattern("(?m)^good\\s").containsPattern("(?m)^hurt\\s");
        assertThat(ls.errLines()).singleElement().satisfies(line -> assertThat(line).startsWith("libstorage: volume 'hurt': ")
                .contains(file.toString()).contains("libstorage volume reconcile"));
        JsonNode hurt = cli.run("volume", "inspect", "hurt", "-o", "json").json().get(0);
        assertThat(hurt.get("problem").asText()).contains(file.toString());
        assertThat(cli.run("volume", "inspect", "good", "-o", "json").json().get(0).get("problem").isNull()).isTrue();

        TestCli.Run refused = cli.run("volume", "unmount", "hurt", "--consumer", "c2");
        assertThat(refused.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(refused.err()).contains(file.toString()).contains("libstorage volume reconcile");

        TestCli.Run repair = cli.run("volume", "reconcile", "-o", "json");
        assertThat(repair.exit()).as(repair.toString()).isZero();
        assertThat(repair.json().get("repaired").get(0).asText()).startsWith("hurt: the state file " + file).contains("rebuilt");
        assertThat(repair.json().get("problems")).isEmpty();
        assertThat(cli.run("volume", "ls").err()).isEmpty();
        TestCli.Run released = cli.run("volume", "unmount", "hurt", "-o", "json");
        assertThat(released.exit()).as(released.toString()).isZero();
        assertThat(released.json().get("mounted").asBoolean()).isFalse();
        try (var kept = Files.list(cli.dir.resolve("state").resolve("damaged"))) {
            assertThat(kept).hasSize(1);
        }
    }

    @Test
    void createTakesSizesLikeRexRayAndIsIdempotentWithACompatibleSpec() {
        TestCli.Run r = cli.run("volume", "create", "pg", "--size", "2", "--fstype", "XFS", "--label", "team=db",
                "--mount-options", "noatime", "-o", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode v = r.json();
        assertThat(v.get("requestedSizeBytes").asLong()).isEqualTo(2 * ByteSizes.GIB);
        assertThat(v.get("fsType").asText()).isEqualTo("xfs");
        assertThat(v.get("labels").get("team").asText()).isEqualTo("db");
        assertThat(v.get("mountOptions").get(0).asText()).isEqualTo("noatime");

        assertThat(cli.run("volume", "create", "pg", "--size", "2GiB", "--fstype", "xfs").exit()).isZero();

        TestCli.Run conflict = cli.run("volume", "create", "pg", "--size", "3");
        assertThat(conflict.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(conflict.out()).isEmpty();
        assertThat(conflict.errLines()).hasSize(1);
        assertThat(conflict.err()).startsWith("libstorage: create failed").contains("volume=pg", "backend=memory", "(code VOLUME_SPEC_CONFLICT)");
    }

    @Test
    void mountAndUnmountKeepASetOfConsumers() throws Exception {
        TestCli.Run first = cli.run("volume", "mount", "data", "--consumer", "task-1", "--size", "1", "-o", "json");
        assertThat(first.exit()).as(first.toString()).isZero();
        JsonNode m = first.json();
        String path = m.get("path").asText();
        assertThat(path).endsWith("/data/data");
        assertThat(m.get("formatted").asBoolean()).isTrue();
        assertThat(m.get("fsType").asText()).isEqualTo("ext4");

        TestCli.Run second = cli.run("volume", "mount", "data", "--consumer", "task-2");
        assertThat(second.exit()).isZero();
        assertThat(second.out()).containsPattern("(?m)^path\\s+" + java.util.regex.Pattern.quote(path) + "$")
                .containsPattern("(?m)^consumers\\s+task-1,task-2$").containsPattern("(?m)^formatted\\s+false$");

        TestCli.Run pathOut = cli.run("volume", "path", "data");
        assertThat(pathOut.out()).isEqualTo(path + System.lineSeparator());
        assertThat(Files.isDirectory(Path.of(path))).isTrue();

        TestCli.Run u1 = cli.run("volume", "unmount", "data", "--consumer", "task-1", "-o", "yaml");
        assertThat(u1.exit()).isZero();
        assertThat(u1.yaml().get("mounted").asBoolean()).isTrue();
        assertThat(u1.yaml().get("consumers").get(0).asText()).isEqualTo("task-2");

        assertThat(cli.run("volume", "unmount", "data", "--consumer", "task-2").exit()).isZero();
        assertThat(cli.run("volume", "path", "data").out()).isEmpty();
        assertThat(cli.run("volume", "path", "data", "-o", "json").json().get("mounted").asBoolean()).isFalse();
        assertThat(cli.cluster().mappingsOf("data")).isEmpty();
        // releasing a consumer that holds nothing is success
        assertThat(cli.run("volume", "unmount", "data", "--consumer", "task-9").exit()).isZero();
    }

    @Test
    void aMissingVolumeExitsWithStatus4AndOneLineNamingOperationVolumeHostAndBackEnd() {
        for (String verb : new String[] {"inspect", "path"}) {
            TestCli.Run r = cli.run("volume", verb, "nope");
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.NOT_FOUND);
            assertThat(r.out()).isEmpty();
            assertThat(r.errLines()).hasSize(1);
            assertThat(r.err()).startsWith("libstorage: " + verb + " failed:")
                    .contains("operation=" + verb, "volume=nope", "host=host-1", "backend=memory", "(code VOLUME_NOT_FOUND)");
        }
        TestCli.Run noCreate = cli.run("volume", "mount", "nope", "--no-create");
        assertThat(noCreate.exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(noCreate.err()).contains("mount failed").contains("VOLUME_NOT_FOUND");
        assertThat(cli.run("volume", "ls", "-o", "json").json()).isEmpty();
    }

    @Test
    void inspectShowsFieldsAndJsonIsAlwaysAList() {
        cli.run("volume", "create", "v1", "--size", "1", "--driver-opt", "pool=fast");
        TestCli.Run t = cli.run("volume", "inspect", "v1");
        assertThat(t.exit()).as(t.toString()).isZero();
        assertThat(t.out()).containsPattern("(?m)^name\\s+v1$").containsPattern("(?m)^backend\\s+memory$")
                .containsPattern("(?m)^requestedSize\\s+1GiB$").containsPattern("(?m)^mounted\\s+false$");
        JsonNode j = cli.run("volume", "inspect", "v1", "-o", "json").json();
        assertThat(j.isArray()).isTrue();
        assertThat(j.get(0).get("id").asText()).isNotBlank();
    }

    @Test
    void attachDetachSnapshotAndRemove() {
        cli.run("volume", "create", "v", "--size", "1");
        TestCli.Run a = cli.run("volume", "attach", "v", "-o", "json");
        assertThat(a.exit()).as(a.toString()).isZero();
        assertThat(a.json().get("host").asText()).isEqualTo("host-1");
        assertThat(a.json().get("state").asText()).isEqualTo("ATTACHED");
        assertThat(cli.cluster().mappingsOf("v")).extracting(Object::toString).containsExactly("host-1");

        TestCli.Run d = cli.run("volume", "detach", "v");
        assertThat(d.exit()).isZero();
        assertThat(d.out()).isEqualTo("v" + System.lineSeparator());
        assertThat(cli.cluster().mappingsOf("v")).isEmpty();

        TestCli.Run s = cli.run("volume", "snapshot", "v", "nightly", "-o", "yaml");
        assertThat(s.exit()).as(s.toString()).isZero();
        assertThat(s.yaml().get("name").asText()).isEqualTo("nightly");
        assertThat(s.yaml().get("sizeBytes").asLong()).isEqualTo(ByteSizes.GIB);

        TestCli.Run rm = cli.run("volume", "rm", "v", "-o", "json");
        assertThat(rm.exit()).isZero();
        assertThat(rm.json().get(0).asText()).isEqualTo("v");
        assertThat(cli.run("volume", "rm", "v").exit()).isZero();
        TestCli.Run strict = cli.run("volume", "rm", "--strict", "v");
        assertThat(strict.exit()).isEqualTo(ExitCode.NOT_FOUND);
    }

    @Test
    void growGrowsTheStorageThenTheFilesystemWhereTheVolumeIsOnThisHost() {
        assertThat(cli.run("volume", "mount", "g", "--size", "1").exit()).isZero();
        TestCli.Run mounted = cli.run("volume", "grow", "g", "2", "-o", "json");
        assertThat(mounted.exit()).as(mounted.toString()).isZero();
        assertThat(mounted.json().get("allocatedSizeBytes").asLong()).isEqualTo(2 * ByteSizes.GIB);
        assertThat(mounted.json().get("filesystem").asText()).isEqualTo("GROWN_MOUNTED");
        assertThat(cli.run("volume", "unmount", "g").exit()).isZero();
        TestCli.Run elsewhere = cli.run("volume", "extend", "g", "3GiB", "-o", "yaml");
        assertThat(elsewhere.exit()).as(elsewhere.toString()).isZero();
        assertThat(elsewhere.yaml().get("filesystem").asText()).isEqualTo("NOT_ATTACHED_HERE");
        assertThat(elsewhere.yaml().get("allocatedSize").asText()).isEqualTo("3GiB");
        assertThat(cli.run("volume", "grow", "nosuch", "2").exit()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(cli.run("volume", "grow", "g", "0").exit()).isNotZero();
    }

    @Test
    void aVolumeHeldByAnotherHostIsNamedAndPreemptAlwaysTakesIt() {
        cli.run("volume", "create", "shared", "--size", "1");
        LibStorage other = InMemoryLibStorage.onHost(cli.cluster(), "host-2");
        other.attach("shared", AttachOptions.DEFAULT);

        TestCli.Run refused = cli.run("volume", "mount", "shared");
        assertThat(refused.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(refused.errLines()).hasSize(1);
        assertThat(refused.err()).contains("host-2").contains("(code VOLUME_ATTACHED_TO_OTHER_HOST)");

        TestCli.Run busyRemove = cli.run("volume", "rm", "shared");
        assertThat(busyRemove.exit()).isEqualTo(ExitCode.FAILED);

        TestCli.Run taken = cli.run("volume", "mount", "shared", "--preempt", "always", "-o", "json");
        assertThat(taken.exit()).as(taken.toString()).isZero();
        assertThat(taken.json().get("preemption").get("from").asText()).isEqualTo("host-2");
        assertThat(cli.cluster().mappingsOf("shared")).extracting(Object::toString).containsExactly("host-1");
        cli.run("volume", "unmount", "shared");
    }

    @Test
    void aBackEndFailureIsExitStatus1WithTheLibrarysCode() {
        cli.cluster().faults().backendUnavailable(true);
        TestCli.Run r = cli.run("volume", "ls");
        assertThat(r.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("backend=memory").contains("(code BACKEND_UNAVAILABLE)");

        TestCli.Run verbose = cli.run("volume", "ls", "--verbose");
        assertThat(verbose.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(verbose.errLines().size()).isGreaterThan(1);
        assertThat(verbose.err()).contains("BackendUnavailableException").contains("\tat ");
    }

    @Test
    void usageErrorsExitWithStatus2AndNameTheProblem() {
        TestCli.Run unknown = cli.run("volume", "mount", "v", "--frobnicate");
        assertThat(unknown.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(unknown.out()).isEmpty();
        assertThat(unknown.errLines()).hasSize(1);
        assertThat(unknown.err()).contains("--frobnicate").contains("see 'libstorage volume mount --help'");

        TestCli.Run badSize = cli.run("volume", "create", "v", "--size", "lots");
        assertThat(badSize.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(badSize.err()).contains("--size").contains("'lots' is not a size");

        TestCli.Run badPolicy = cli.run("volume", "attach", "v", "--preempt", "sometimes");
        assertThat(badPolicy.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(badPolicy.err()).contains("IF_OWNER_UNREACHABLE");

        assertThat(cli.run("volume", "create").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.run("volume").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.run().exit()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.run("frobnicate").exit()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.run("-o", "xml", "volume", "ls").exit()).isEqualTo(ExitCode.USAGE);
        // nothing was created by any of them
        assertThat(cli.run("volume", "ls", "-o", "json").json()).isEmpty();

        TestCli.Run help = cli.run("volume", "mount", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--consumer").contains("--preempt");
    }

    @Test
    void aMissingConfigurationFileNamedExplicitlyIsExitStatus3() {
        TestCli.Run flag = cli.run("--config", cli.dir.resolve("absent.yml").toString(), "volume", "ls");
        assertThat(flag.exit()).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(flag.err()).contains("absent.yml").contains("does not exist").contains("(code INVALID_CONFIGURATION)");

        cli.env.put("LIBSTORAGE_CONFIG", cli.dir.resolve("also-absent.yml").toString());
        TestCli.Run env = cli.run("volume", "ls");
        assertThat(env.exit()).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(env.err()).contains("also-absent.yml");
    }

    @Test
    void theServiceOptionSelectsTheDriver() {
        TestCli.Run r = cli.run("--service", "nosuchdriver", "volume", "ls");
        assertThat(r.exit()).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(r.err()).contains("nosuchdriver").contains("memory");
    }

    @Test
    void longVerbsShowProgressOnATerminalOnly() {
        cli.run("volume", "create", "p", "--size", "1");
        TestCli.Run quiet = cli.run("volume", "mount", "p");
        assertThat(quiet.exit()).isZero();
        assertThat(quiet.err()).isEmpty();
        cli.run("volume", "unmount", "p");

        cli.interactive = true;
        TestCli.Run shown = cli.run("volume", "mount", "p");
        assertThat(shown.exit()).isZero();
        assertThat(shown.err()).startsWith("\r").contains("mount p: ").endsWith("\r\u001b[K");
        assertThat(shown.out()).contains("path");
        TestCli.Run ls = cli.run("volume", "ls");
        assertThat(ls.err()).as("quick read-only verbs show nothing").isEmpty();
        cli.run("volume", "unmount", "p");
    }

    @Test
    void everyVerbPrintsATableJsonAndYaml() {
        String[][] verbs = {
                {"volume", "create", "fmt", "--size", "1"}, {"volume", "ls"}, {"volume", "inspect", "fmt"},
                {"volume", "attach", "fmt"}, {"volume", "mount", "fmt"}, {"volume", "path", "fmt"},
                {"volume", "unmount", "fmt"}, {"volume", "snapshot", "fmt", "snap"}, {"volume", "detach", "fmt"},
                {"config", "check", "--no-drivers"}, {"version"}, {"volume", "rm", "fmt"}};
        for (String[] verb : verbs) {
            for (String format : new String[] {"table", "json", "yaml"}) {
                String[] args = java.util.Arrays.copyOf(verb, verb.length + 2);
                args[verb.length] = "-o";
                args[verb.length + 1] = format;
                TestCli.Run r = cli.run(args);
                assertThat(r.exit()).as(String.join(" ", args) + ": " + r).isZero();
                assertThat(r.err()).as(String.join(" ", args)).isEmpty();
                switch (format) {
                    case "json" -> assertThat(r.json().isContainerNode()).as(String.join(" ", args)).isTrue();
                    case "yaml" -> assertThat(r.yaml().isContainerNode()).as(String.join(" ", args)).isTrue();
                    default -> assertThat(r.out()).as(String.join(" ", args)).isNotBlank();
                }
            }
        }
    }
}
