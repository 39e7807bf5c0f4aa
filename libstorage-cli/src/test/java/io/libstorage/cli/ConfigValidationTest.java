package io.libstorage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code config check} runs exactly the validation that start-up and every verb run: a file is
 * rejected by both with the same message and exit status, or accepted by both.
 */
class ConfigValidationTest {
    private final TestCli cli = new TestCli();

    @AfterEach
    void cleanUp() throws Exception {
        cli.close();
    }

    private Path file(String name, String yaml) throws Exception {
        Path f = cli.dir.resolve(name);
        Files.writeString(f, yaml.replace("STATE", cli.dir.resolve("state").toString()));
        return f;
    }

    private static final String MEMORY = """
            libstorage:
              service: memory
              stateRoot: STATE
              os:
                driver: memory
            memory:
              host: host-1
            """;

    /** {@code config check} and {@code volume ls} answer the same: exit 3 and the same line naming the key. */
    private void bothReject(Path f, String key) {
        TestCli.Run check = cli.run("config", "check", "-c", f.toString());
        TestCli.Run verb = cli.run("volume", "ls", "-c", f.toString());
        assertThat(verb.exit()).as(verb.toString()).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(check.exit()).as(check.toString()).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(check.out()).isEmpty();
        assertThat(check.err()).isEqualTo(verb.err()).contains(key).contains("(code INVALID_CONFIGURATION)");
    }

    @Test
    void theFourFilesOfTheReportFailInCheckAndVerbAlike() throws Exception {
        bothReject(file("granularity.yml", """
                libstorage:
                  service: localfs
                  stateRoot: STATE
                localfs:
                  sizeGranularity: 1000
                """), "localfs.sizeGranularity");
        bothReject(file("negative.yml", MEMORY.replace("  os:\n", """
                  integration:
                    volume:
                      operations:
                        create:
                          default:
                            size: -5
                  os:
                """)), "libstorage.integration.volume.operations.create.default.size");
        bothReject(file("preempt.yml", MEMORY.replace("  os:\n", """
                  integration:
                    volume:
                      operations:
                        mount:
                          preempt: true
                          preemptionPolicy: NEVER
                  os:
                """)), "preemptionPolicy");
        String incompleteScaleIo = """
                scaleio:
                  endpoint: https://127.0.0.1:1/api
                  userName: admin
                  password: Sup3rSecr3t
                  systemName: cluster1
                """;
        bothReject(file("scaleio.yml", """
                libstorage:
                  service: scaleio
                  stateRoot: STATE
                """ + incompleteScaleIo), "scaleio.protectionDomainName");
        // a section of a driver that is not selected is checked the same way
        bothReject(file("unselected.yml", MEMORY + incompleteScaleIo), "scaleio.protectionDomainName");
    }

    /** From a real 2017 REX-Ray deployment; {@code service} is indented one level too deep. */
    private static final String REXRAY_2017 = """
            rexray:
              logLevel: error
            libstorage:
              logging:
                level: error
                service: scaleio
            scaleio:
              insecure: true
              thinOrThick: ThinProvisioned
              endpoint: https://gateway.example/api
              password: XXXXXX
              userName: admin
              protectionDomainName: default
              storagePoolName: default
              apiVersion: 2.0
            """;

    @Test
    void aMisplacedKeyIsNamedWithWhereItBelongs() throws Exception {
        Path f = file("rexray2017.yml", REXRAY_2017);
        TestCli.Run r = cli.run("config", "check", "-c", f.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(r.err()).contains("'libstorage.logging.service'").contains("did you mean 'libstorage.service'?")
                .doesNotContain("XXXXXX");
        assertThat(cli.run("volume", "ls", "-c", f.toString()).err()).isEqualTo(r.err());
    }

    @Test
    void theRexRay2017FileValidatesOnceServiceIsInItsPlace() throws Exception {
        // exactly the 2017 file (no systemName: REX-Ray did not require it) with service in its place
        Path f = file("rexray2017-fixed.yml", REXRAY_2017.replace("    level: error\n    service: scaleio\n",
                "    level: error\n  service: scaleio\n  stateRoot: STATE\n"));
        TestCli.Run r = cli.run("config", "check", "-c", f.toString(), "-o", "json", "--no-drivers");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode settings = r.json().get("settings");
        assertThat(settings.get("scaleio.apiVersion").asText()).isEqualTo("2.0");
        assertThat(settings.get("scaleio.password").asText()).isEqualTo("******");
        assertThat(settings.get("libstorage.logging.level").asText()).isEqualTo("error");
    }

    @Test
    void everyUnknownKeyIsReportedAtOnce() throws Exception {
        Path f = file("typos.yml", MEMORY.replace("  os:\n", "  servce: memory\n  integration:\n    volume:\n      mount:\n        preempt: true\n  os:\n")
                + "  hots: host-1\nscaleoi:\n  endpoint: x\n");
        TestCli.Run r = cli.run("config", "check", "-c", f.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("'libstorage.servce'").contains("did you mean 'libstorage.service'?")
                .contains("'libstorage.integration.volume.mount.preempt'")
                .contains("did you mean 'libstorage.integration.volume.operations.mount.preempt'?")
                .contains("'memory.hots'").contains("did you mean 'memory.host'?")
                .contains("'scaleoi'").contains("did you mean 'scaleio'?");
    }

    @Test
    void aBogusLogLevelIsRejectedWhereverItIsGiven() throws Exception {
        cli.env.put("LIBSTORAGE_LOG_LEVEL", "bogus");
        for (String[] args : List.of(new String[] {"volume", "ls"}, new String[] {"config", "check"},
                new String[] {"-v", "volume", "ls"})) {
            TestCli.Run r = cli.run(args);
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCode.CONFIGURATION);
            assertThat(r.err()).contains("LIBSTORAGE_LOG_LEVEL").contains("'bogus'")
                    .contains("trace, debug, info, warn, error, off");
        }
        cli.env.remove("LIBSTORAGE_LOG_LEVEL");

        for (String yaml : List.of(MEMORY.replace("  os:\n", "  logging:\n    level: bogus\n  os:\n"),
                "rexray:\n  logLevel: bogus\n" + MEMORY)) {
            Path f = file("level.yml", yaml);
            TestCli.Run check = cli.run("config", "check", "-c", f.toString());
            TestCli.Run verb = cli.run("volume", "ls", "-c", f.toString());
            assertThat(check.exit()).as(check.toString()).isEqualTo(ExitCode.CONFIGURATION);
            assertThat(verb.exit()).as(verb.toString()).isEqualTo(ExitCode.CONFIGURATION);
            assertThat(check.err()).isEqualTo(verb.err()).contains("'bogus'").contains("trace, debug, info, warn, error, off");
        }
        // REX-Ray's (logrus) names keep working
        Path rexray = file("rexray-level.yml", "rexray:\n  logLevel: warning\n" + MEMORY);
        assertThat(cli.run("volume", "ls", "-c", rexray.toString()).exit()).isZero();
    }

    @Test
    void settingsAreSortedInEveryFormat() throws Exception {
        Path f = file("sorted.yml", MEMORY);
        TestCli.Run table = cli.run("config", "check", "-c", f.toString(), "--no-drivers");
        assertThat(table.exit()).as(table.toString()).isZero();
        List<String> rows = table.out().lines().dropWhile(l -> !l.startsWith("SETTING")).skip(1)
                .takeWhile(l -> !l.isBlank()).map(l -> l.split("\\s+")[0]).toList();
        assertThat(rows).hasSizeGreaterThan(10).isSorted();
        for (String format : List.of("json", "yaml")) {
            TestCli.Run r = cli.run("config", "check", "-c", f.toString(), "--no-drivers", "-o", format);
            JsonNode settings = (format.equals("json") ? r.json() : r.yaml()).get("settings");
            List<String> names = new ArrayList<>();
            settings.fieldNames().forEachRemaining(names::add);
            assertThat(names).as(format).containsExactlyElementsOf(rows);
        }
    }

    @Test
    void directoriesDriversWriteDefaultUnderTheStateRoot() throws Exception {
        Path f = file("state.yml", """
                libstorage:
                  service: localfs
                  stateRoot: STATE
                scaleio:
                  endpoint: https://127.0.0.1:1/api
                  userName: admin
                  password: x
                  systemName: s
                  protectionDomainName: pd
                  storagePoolName: sp
                """);
        TestCli.Run r = cli.run("config", "check", "-c", f.toString(), "-o", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        Path state = cli.dir.resolve("state");
        JsonNode settings = r.json().get("settings");
        assertThat(settings.get("localfs.root").asText()).isEqualTo(state.resolve("localfs").toString());
        assertThat(settings.get("libstorage.integration.volume.operations.mount.path").asText())
                .isEqualTo(state.resolve("volumes").toString());
        // the keys list their default relative to the state root
        assertThat(r.json().get("drivers").toString()).contains("<stateRoot>/localfs").contains("<stateRoot>/scaleio");
    }

    @Test
    void sizesOnTheCommandLineUseTheOneGrammar() {
        TestCli.Run huge = cli.run("volume", "create", "big", "--size", "1PiB");
        assertThat(huge.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(huge.err()).contains("'1PiB'").contains("too large");
        TestCli.Run negative = cli.run("volume", "create", "neg", "--size=-5");
        assertThat(negative.exit()).isEqualTo(ExitCode.USAGE);
        assertThat(negative.err()).contains("'-5'").contains("positive").contains("16 is 16GiB").doesNotContain("1073741824");
        TestCli.Run unit = cli.run("volume", "create", "odd", "--size", "3parsecs");
        assertThat(unit.err()).contains("'parsecs'").contains("KiB, MiB, GiB, TiB");
        TestCli.Run half = cli.run("volume", "create", "half", "--size", "1.5", "-o", "json");
        assertThat(half.exit()).as(half.toString()).isZero();
        assertThat(half.json().get("requestedSizeBytes").asLong()).isEqualTo(3L << 29);
    }
}
