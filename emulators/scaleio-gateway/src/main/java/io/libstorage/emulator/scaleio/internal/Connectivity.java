package io.libstorage.emulator.scaleio.internal;

import io.libstorage.emulator.scaleio.SdcState;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The MDM-side view of each host (by SDC GUID): Connected while its agent holds at least one connection
 * to the MDM port, unless an admin override forces a state. Records when the effective state changed.
 */
public final class Connectivity {
    private final Clock clock;
    private final Instant startedAt;
    private final Map<String, HostState> hosts = new HashMap<>();

    public Connectivity(Clock clock) {
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** A snapshot of one host's connection state. */
    public record View(SdcState state, SdcState override, int connections, Instant changedAt) {
    }

    private static final class HostState {
        int connections;
        SdcState override;
        SdcState effective = SdcState.DISCONNECTED;
        Instant changedAt;
    }

    public synchronized View view(String guid) {
        HostState h = hosts.get(guid);
        if (h == null) {
            return new View(SdcState.DISCONNECTED, null, 0, startedAt);
        }
        return new View(h.effective, h.override, h.connections, h.changedAt);
    }

    public synchronized void connected(String guid) {
        state(guid).connections++;
        recompute(guid);
    }

    public synchronized void disconnected(String guid) {
        HostState h = state(guid);
        h.connections = Math.max(0, h.connections - 1);
        recompute(guid);
    }

    /** Forces a state, or with null returns the decision to the agent connections. */
    public synchronized void override(String guid, SdcState forced) {
        state(guid).override = forced;
        recompute(guid);
    }

    private HostState state(String guid) {
        return hosts.computeIfAbsent(guid, g -> {
            HostState h = new HostState();
            h.changedAt = startedAt;
            return h;
        });
    }

    private void recompute(String guid) {
        HostState h = hosts.get(guid);
        SdcState next = h.override != null ? h.override
                : h.connections > 0 ? SdcState.CONNECTED : SdcState.DISCONNECTED;
        if (next != h.effective) {
            h.effective = next;
            h.changedAt = clock.instant();
        }
    }
}
