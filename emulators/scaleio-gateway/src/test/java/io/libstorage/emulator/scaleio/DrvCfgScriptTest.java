package io.libstorage.emulator.scaleio;

import io.libstorage.emulator.scaleio.internal.host.Commands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The fake drv_cfg answers in the reference section 8 formats (links here point at /dev/null; real devices in LoopDataPathIT). */
class DrvCfgScriptTest {
    static final String GUID = "9E56672F-2F4B-4A42-BFF4-88B6846FBFDA";
    @TempDir
    Path tmp;
    private ScaleIoGatewayEmulator gw;
    private Path deviceDir;

    @BeforeEach
    void start() throws Exception {
        // quotes, dollar signs and spaces in the path must stay literal in the script
        deviceDir = tmp.resolve("host a's $(touch pwned) dir").resolve("by-id");
        gw = ScaleIoGatewayEmulator.builder().system(SystemSpec.defaultSystem().withId("14dbbf5617523654"))
                .system(SystemSpec.named("other").withProtectionDomain("pd", "pool"))
                .sdc(SdcSpec.of(GUID, "10.0.0.5").withDeviceDir(deviceDir))
                .sdc(SdcSpec.of(GUID, "10.0.0.5").withDeviceDir(deviceDir).inSystem("other"))
                .start();
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    private String run(String arg) throws Exception {
        Commands.Result r = Commands.run(List.of(gw.sdc(GUID).drvCfg().toString(), arg), Duration.ofSeconds(10));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout();
    }

    @Test
    void queryGuidPrintsTheUpperCaseGuid() throws Exception {
        assertThat(run("--query_guid")).isEqualTo(GUID + "\n");
    }

    @Test
    void queryMdmsListsEverySystemWithTheSdcIdThere() throws Exception {
        String out = run("--query_mdms");
        assertThat(out).startsWith("Retrieved 2 mdm(s)\n");
        Matcher m = Pattern.compile("MDM-ID ([a-f0-9]+) SDC ID ([a-f0-9]+)").matcher(out); // goscaleio-dell's pattern
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isEqualTo("14dbbf5617523654");
        assertThat(m.group(2)).isEqualTo(gw.sdcs().get(0).sdcId());
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isEqualTo(gw.systemIds().get(1));
        // csi-powerflex's awk reads field 2 (system) and 10+ ([n]-ip)
        String line = out.lines().filter(l -> l.startsWith("MDM-ID")).findFirst().orElseThrow();
        String[] f = line.split(" ");
        assertThat(f[1]).isEqualTo("14dbbf5617523654");
        assertThat(f[5]).isEqualTo("INSTALLATION");
        assertThat(f[9]).isEqualTo("[0]-127.0.0.1");
        assertThat(run("--query_mdm")).isEqualTo(out);
    }

    @Test
    void queryVolsReadsTheHostsLinksAndIgnoresPartitions() throws Exception {
        assertThat(run("--query_vols")).isEqualTo("Retrieved 0 volume(s)\n");
        Files.createDirectories(deviceDir);
        Path fakeDevice = Files.createFile(tmp.resolve("scinia")); // a stand-in device inside the temp dir
        Files.createSymbolicLink(deviceDir.resolve("emc-vol-14dbbf5617523654-a2b7cc6300000000"), fakeDevice);
        Files.createSymbolicLink(deviceDir.resolve("emc-vol-14dbbf5617523654-a2b7cc6300000000-part1"), fakeDevice);
        Files.createSymbolicLink(deviceDir.resolve("emc-vol-14dbbf5617523654-a2b7cc6300000001"), fakeDevice);
        Files.createSymbolicLink(deviceDir.resolve("ata-SOME_DISK"), fakeDevice);
        assertThat(run("--query_vols")).isEqualTo("Retrieved 2 volume(s)\n"
                + "VOL-ID a2b7cc6300000000 MDM-ID 14dbbf5617523654\n"
                + "VOL-ID a2b7cc6300000001 MDM-ID 14dbbf5617523654\n");
        assertThat(tmp.resolve("pwned")).doesNotExist();
        assertThat(Path.of("pwned")).doesNotExist();
    }

    @Test
    void rescanSucceedsAndUnknownArgumentsFail() throws Exception {
        assertThat(run("--rescan")).isEmpty();
        Commands.Result r = Commands.run(List.of(gw.sdc(GUID).drvCfg().toString(), "--format_disk"), Duration.ofSeconds(10));
        assertThat(r.exitCode()).isEqualTo(1);
    }
}
