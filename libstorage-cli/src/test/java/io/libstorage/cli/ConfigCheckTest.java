package io.libstorage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code config check} on REX-Ray style files, and {@code version}. */
class ConfigCheckTest {
    private final TestCli cli = new TestCli();

    @AfterEach
    void cleanUp() throws Exception {
        cli.close();
    }

    /** A REX-Ray 0.11 config.yml for ScaleIO; the gateway is unreachable, which config check never notices. */
    private Path rexRayScaleIo(String extraScaleIoLine) throws Exception {
        Path f = cli.dir.resolve("rexray.yml");
        Files.writeString(f, """
                rexray:
                  logLevel: warn
                libstorage:
                  service: scaleio
                  stateRoot: %s
                  integration:
                    volume:
                      operations:
                        mount:
                          preempt: true
                        create:
                          default:
                            size: 16
                            fsType: xfs
                scaleio:
                  endpoint: https://127.0.0.1:1/api
                  insecure: true
                  userName: admin
                  password: Sup3rSecr3t
                  systemName: cluster1
                  protectionDomainName: pd1
                  storagePoolName: pool1
                  thinOrThick: ThinProvisioned
                %s
                """.formatted(cli.dir.resolve("state"), extraScaleIoLine));
        return f;
    }

    @Test
    void aRexRayScaleIoFileIsValidAndItsPasswordRedacted() throws Exception {
        Path f = rexRayScaleIo("");
        TestCli.Run table = cli.run("config", "check", "--config", f.toString());
        assertThat(table.exit()).as(table.toString()).isZero();
        assertThat(table.err()).isEmpty();
        assertThat(table.out()).contains(f.toString()).containsPattern("(?m)^status\\s+valid$")
                .containsPattern("(?m)^scaleio\\.password\\s+\\*{6}$")
                .containsPattern("(?m)^scaleio\\.endpoint\\s+https://127\\.0\\.0\\.1:1/api$")
                .containsPattern("(?m)^libstorage\\.integration\\.volume\\.operations\\.create\\.default\\.fsType\\s+xfs$")
                .doesNotContain("Sup3rSecr3t");
        // the drivers and their keys
        assertThat(table.out()).containsPattern("(?m)^storage\\s+scaleio\\s+password\\s+secret\\s+\\(required\\)")
                .containsPattern("(?m)^storage\\s+localfs\\s+root\\s+path\\s+<stateRoot>/localfs")
                .containsPattern("(?m)^storage\\s+memory\\s+host")
                .containsPattern("(?m)^os\\s+linux\\s+")
                .containsPattern("(?m)^core\\s+libstorage\\s+service\\s+");

        JsonNode json = cli.run("config", "check", "-c", f.toString(), "-o", "json").json();
        assertThat(json.get("valid").asBoolean()).isTrue();
        assertThat(json.get("settings").get("scaleio.password").asText()).isEqualTo("******");
        assertThat(json.get("settings").get("libstorage.service").asText()).isEqualTo("scaleio");
        assertThat(json.toString()).doesNotContain("Sup3rSecr3t");
        assertThat(json.get("drivers").findValuesAsText("name")).contains("scaleio", "localfs", "memory", "linux", "docker");

        JsonNode yaml = cli.run("config", "check", "-c", f.toString(), "-o", "yaml", "--no-drivers").yaml();
        assertThat(yaml.get("settings").get("scaleio.systemName").asText()).isEqualTo("cluster1");
        assertThat(yaml.has("drivers")).isFalse();
    }

    @Test
    void anUnknownKeyIsNamedWithExitStatus3() throws Exception {
        Path typo = rexRayScaleIo("  pasword: oops");
        TestCli.Run r = cli.run("config", "check", "-c", typo.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("scaleio.pasword").contains("unknown key").contains("(code INVALID_CONFIGURATION)")
                .doesNotContain("Sup3rSecr3t");

        // REX-Ray's classic mistake: volume.mount.preempt without .operations
        Path f = cli.dir.resolve("misplaced.yml");
        Files.writeString(f, "libstorage:\n  service: memory\n  integration:\n    volume:\n      mount:\n        preempt: true\n");
        TestCli.Run m = cli.run("config", "check", "-c", f.toString());
        assertThat(m.exit()).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(m.err()).contains("integration.volume.mount.preempt");

        Path section = cli.dir.resolve("section.yml");
        Files.writeString(section, "libstorage:\n  service: memory\nscaleoi:\n  endpoint: x\n");
        TestCli.Run s = cli.run("config", "check", "-c", section.toString());
        assertThat(s.exit()).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(s.err()).contains("scaleoi").contains("unknown section");
    }

    @Test
    void malformedYamlAndMissingServiceAreConfigurationErrors() throws Exception {
        Path bad = cli.dir.resolve("bad.yml");
        Files.writeString(bad, "libstorage:\n  service: [memory\n");
        TestCli.Run r = cli.run("config", "check", "-c", bad.toString());
        assertThat(r.exit()).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(r.err()).contains("bad.yml").contains("not valid YAML");

        Path empty = cli.dir.resolve("empty.yml");
        Files.writeString(empty, "");
        TestCli.Run none = cli.run("config", "check", "-c", empty.toString());
        assertThat(none.exit()).isEqualTo(ExitCode.CONFIGURATION);
        assertThat(none.err()).contains("libstorage.service").contains("no storage driver selected");

        TestCli.Run withService = cli.run("config", "check", "-c", empty.toString(), "--service", "memory", "-o", "json");
        assertThat(withService.exit()).as(withService.toString()).isZero();
        assertThat(withService.json().get("settings").get("libstorage.service").asText()).isEqualTo("memory");
    }

    @Test
    void versionReadsNoConfiguration() {
        cli.env.put("LIBSTORAGE_CONFIG", cli.dir.resolve("absent.yml").toString());
        TestCli.Run t = cli.run("version");
        assertThat(t.exit()).as(t.toString()).isZero();
        assertThat(t.out()).containsPattern("(?m)^version\\s+\\d+\\.\\d+\\.\\d+").containsPattern("(?m)^java\\s+17|^java\\s+\\d+");
        JsonNode j = cli.run("version", "-o", "json").json();
        assertThat(j.get("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(cli.run("version", "-o", "yaml").yaml().get("version").asText()).isEqualTo(j.get("version").asText());
        TestCli.Run flag = cli.run("--version");
        assertThat(flag.exit()).isZero();
        assertThat(flag.out()).isEqualTo("libstorage " + j.get("version").asText() + System.lineSeparator());
    }
}
