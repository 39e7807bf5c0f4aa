package io.libstorage.emulator.scaleio;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CliTest {
    @Test
    void flagsBuildAWorkingEmulator() throws Exception {
        ScaleIoGatewayEmulator.Builder b = ScaleIoGatewayMain.parse(new String[] {"--port", "0", "--mdm-port", "0", "--user", "root",
                "--system", "sys1=00000000000000a1", "--pool", "pdA/p1", "--pool", "pdA/p2", "--pool", "pdB/p1",
                "--sdc", "7E012974-3651-4DCB-9954-25975A3C3CDF,10.0.0.5,hostA", "--api-version", "3.0", "--idle-timeout", "90s"},
                new PrintStream(new ByteArrayOutputStream()));
        try (ScaleIoGatewayEmulator gw = b.start()) {
            GatewayClient c = new GatewayClient(gw).login("root", "Scaleio123");
            assertThat(c.get("/api/version").body()).isEqualTo("\"3.0\"");
            assertThat(gw.systemId()).isEqualTo("00000000000000a1");
            assertThat(c.get("/api/types/StoragePool/instances").json()).hasSize(3);
            assertThat(gw.sdc("7E012974-3651-4DCB-9954-25975A3C3CDF").name()).isEqualTo("hostA");
        }
    }

    @Test
    void hostRootGivesEachSdcItsOwnSimulatedHost(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        ScaleIoGatewayEmulator.Builder b = ScaleIoGatewayMain.parse(new String[] {"--port", "0", "--host-root", tmp.toString(),
                "--sdc", "7E012974-3651-4DCB-9954-25975A3C3CDF,10.0.0.5"}, new PrintStream(new ByteArrayOutputStream()));
        try (ScaleIoGatewayEmulator gw = b.start()) {
            SdcStatus s = gw.sdc("7E012974-3651-4DCB-9954-25975A3C3CDF");
            assertThat(s.deviceDir()).isEqualTo(tmp.resolve("7E012974-3651-4DCB-9954-25975A3C3CDF/dev/disk/by-id"));
            assertThat(s.drvCfg()).isEqualTo(tmp.resolve("7E012974-3651-4DCB-9954-25975A3C3CDF/opt/emc/scaleio/sdc/bin/drv_cfg"));
            assertThat(java.nio.file.Files.isExecutable(s.drvCfg())).isTrue();
        }
    }

    @Test
    void helpPrintsTheFlags() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ScaleIoGatewayMain.parse(new String[] {"--help"}, new PrintStream(out))).isNull();
        assertThat(out.toString()).contains("--data-path", "--mdm-port", "--password-env");
    }

    @Test
    void dataPathIsLoopUnlessFencedIsAsked() throws Exception {
        assertThat(parse("--data-path", "fenced", "--port", "0").toString()).contains("dataPath=FENCED");
        assertThat(parse("--data-path", "loop").toString()).contains("dataPath=LOOP");
        assertThat(parse("--data-path", "--port", "0").toString()).as("without a value, as before").contains("dataPath=LOOP");
        assertThat(parse("--data-path").toString()).contains("dataPath=LOOP");
        assertThat(parse("--port", "0").toString()).contains("dataPath=NONE");
        assertThatThrownBy(() -> parse("--data-path", "nbd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loop or fenced");
    }

    private static ScaleIoGatewayEmulator.Builder parse(String... args) throws Exception {
        return ScaleIoGatewayMain.parse(args, new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void badInputIsRejected() {
        assertThatThrownBy(() -> ScaleIoGatewayMain.parse(new String[] {"--frobnicate", "x"}, System.out))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScaleIoGatewayMain.parse(new String[] {"--sdc", "not-a-guid,1.2.3.4"}, System.out))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ScaleIoGatewayMain.duration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(ScaleIoGatewayMain.duration("8h")).isEqualTo(Duration.ofHours(8));
        assertThat(ScaleIoGatewayMain.duration("PT10M")).isEqualTo(Duration.ofMinutes(10));
        assertThatThrownBy(() -> ScaleIoGatewayMain.duration("ten")).isInstanceOf(IllegalArgumentException.class);
    }
}
