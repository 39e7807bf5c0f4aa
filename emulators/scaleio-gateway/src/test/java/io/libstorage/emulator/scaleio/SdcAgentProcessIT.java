package io.libstorage.emulator.scaleio;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.libstorage.emulator.scaleio.SdcConnectivityTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/** A host process holding the SDC's MDM connection dies by SIGKILL: the SDC becomes Disconnected. */
class SdcAgentProcessIT {
    static final String GUID = "7E012974-3651-4DCB-9954-25975A3C3CDF";
    private ScaleIoGatewayEmulator gw;
    private Process agent;

    @BeforeEach
    void start() throws Exception {
        // far longer than the waits below: only the end of the killed agent's connection can disconnect it in time
        gw = ScaleIoGatewayEmulator.builder().heartbeatTimeout(Duration.ofHours(1)).sdc(SdcSpec.of(GUID, "10.0.0.5")).start();
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null && agent.isAlive()) {
            agent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        gw.close();
    }

    @Test
    void sigkillOfTheHostProcessDisconnectsTheSdc() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        agent = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), SdcAgent.class.getName(),
                "--port", Integer.toString(gw.mdmPort()), "--guid", GUID)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("CONNECTED " + GUID);
        await(() -> gw.sdc(GUID).state() == SdcState.CONNECTED, "connected");
        GatewayClient client = new GatewayClient(gw).login("admin", "Scaleio123");
        String sdcId = gw.sdc(GUID).sdcId();
        assertThat(client.get("/api/instances/Sdc::" + sdcId).json().get("mdmConnectionState").asText()).isEqualTo("Connected");

        Instant killedAt = Instant.now();
        agent.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no goodbye
        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).isEqualTo(137);
        await(() -> gw.sdc(GUID).state() == SdcState.DISCONNECTED, "disconnected after SIGKILL");
        assertThat(client.get("/api/instances/Sdc::" + sdcId).json().get("mdmConnectionState").asText()).isEqualTo("Disconnected");
        assertThat(gw.sdc(GUID).changedAt()).isAfterOrEqualTo(killedAt.minusSeconds(1));
    }
}
