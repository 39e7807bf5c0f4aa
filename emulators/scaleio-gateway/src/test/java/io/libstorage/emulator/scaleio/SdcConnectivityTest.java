package io.libstorage.emulator.scaleio;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** mdmConnectionState follows the agent's connection to the MDM port (in-process agents; the SIGKILL case is SdcAgentProcessIT). */
class SdcConnectivityTest {
    static final String GUID = "7E012974-3651-4DCB-9954-25975A3C3CDF";
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofMillis(1500);
    private ScaleIoGatewayEmulator gw;
    private GatewayClient client;

    /** Time from {@link System#nanoTime}, as the socket timeouts behind the heartbeat measure it: state changes can be timed exactly. */
    private static final class MonotonicClock extends Clock {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.EPOCH.plusNanos(System.nanoTime());
        }
    }

    @BeforeEach
    void start() throws Exception {
        gw = ScaleIoGatewayEmulator.builder().clock(new MonotonicClock()).heartbeatTimeout(HEARTBEAT_TIMEOUT)
                .sdc(SdcSpec.of(GUID, "10.0.0.5")).start();
        client = new GatewayClient(gw).login("admin", "Scaleio123");
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    /** The first status of the SDC that satisfies {@code condition} (one consistent snapshot). */
    private SdcStatus awaitStatus(Predicate<SdcStatus> condition, String what) throws InterruptedException {
        SdcStatus[] seen = new SdcStatus[1];
        await(() -> condition.test(seen[0] = gw.sdc(GUID)), what);
        return seen[0];
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    private String wireState() {
        return client.get("/api/instances/Sdc::" + gw.sdc(GUID).sdcId()).json().get("mdmConnectionState").asText();
    }

    @Test
    void connectedWhileTheAgentHoldsItsConnection() throws Exception {
        assertThat(wireState()).isEqualTo("Disconnected");
        Instant before = gw.sdc(GUID).changedAt();
        try (SdcAgent agent = SdcAgent.connect("127.0.0.1", gw.mdmPort(), GUID.toLowerCase())) {
            await(() -> gw.sdc(GUID).state() == SdcState.CONNECTED, "connected");
            assertThat(wireState()).isEqualTo("Connected");
            assertThat(agent.isConnected()).isTrue();
            assertThat(gw.sdc(GUID).connections()).isEqualTo(1);
        }
        await(() -> gw.sdc(GUID).state() == SdcState.DISCONNECTED, "disconnected");
        assertThat(wireState()).isEqualTo("Disconnected");
        assertThat(gw.sdc(GUID).changedAt()).isAfterOrEqualTo(before);
    }

    @Test
    void unknownGuidsAreRefused() {
        assertThatThrownBy(() -> SdcAgent.connect("127.0.0.1", gw.mdmPort(), "00000000-0000-0000-0000-000000000000"))
                .isInstanceOf(IOException.class).hasMessageContaining("Could not find the SDC");
    }

    @Test
    void aSilentHostIsDisconnectedAfterTheHeartbeatTimeout() throws Exception {
        try (SdcAgent agent = SdcAgent.connect("127.0.0.1", gw.mdmPort(), GUID, Duration.ofHours(1))) {
            SdcStatus connected = awaitStatus(s -> s.state() == SdcState.CONNECTED, "connected");
            SdcStatus disconnected = awaitStatus(s -> s.state() == SdcState.DISCONNECTED, "disconnected by heartbeat timeout");

            assertThat(Duration.between(connected.changedAt(), disconnected.changedAt()))
                    .as("connected from the hello until the heartbeat timeout, never dropped earlier")
                    .isGreaterThanOrEqualTo(HEARTBEAT_TIMEOUT);
            assertThat(disconnected.connections()).isZero();
            await(() -> !agent.isConnected(), "agent notices");
        }
    }

    @Test
    void overrideWinsOverTheConnection() throws Exception {
        try (SdcAgent agent = SdcAgent.connect("127.0.0.1", gw.mdmPort(), GUID)) {
            await(() -> gw.sdc(GUID).state() == SdcState.CONNECTED, "connected");
            gw.setSdcState(GUID, SdcState.DISCONNECTED);
            assertThat(wireState()).isEqualTo("Disconnected");
            assertThat(gw.sdc(GUID).override()).isEqualTo(SdcState.DISCONNECTED);
            gw.clearSdcStateOverride(GUID);
            assertThat(wireState()).isEqualTo("Connected");
            gw.dropSdcConnections();
            await(() -> gw.sdc(GUID).state() == SdcState.DISCONNECTED, "dropped");
            await(() -> !agent.isConnected(), "agent notices the drop");
        }
    }
}
