package io.libstorage.virtualbox.internal;

import io.libstorage.emulator.vbox.MachineSpec;
import io.libstorage.emulator.vbox.MachineState;
import io.libstorage.emulator.vbox.RequestRecord;
import io.libstorage.emulator.vbox.VboxWebServiceEmulator;
import io.libstorage.spi.DriverConfig;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An emulator with two hosts and a client configured for it as REX-Ray would be. Closes both. */
final class EmulatedVbox implements AutoCloseable {
    final VboxWebServiceEmulator emulator;
    final VboxWebService service;

    EmulatedVbox(Path tmp, VboxWebServiceEmulator.Builder builder, Map<String, Object> extraConfig) throws Exception {
        this.emulator = builder
                .machine(MachineSpec.named("host-a").withMacs("080027000001"))
                .machine(MachineSpec.named("host-b").withMacs("080027000002").withState(MachineState.PoweredOff))
                .start();
        Map<String, Object> raw = new HashMap<>();
        raw.put("endpoint", emulator.endpoint().toString());
        raw.put("volumePath", tmp.resolve("vols").toString());
        raw.putAll(extraConfig);
        this.service = new VboxWebService(settings(raw));
    }

    EmulatedVbox(Path tmp) throws Exception {
        this(tmp, VboxWebServiceEmulator.builder(), Map.of());
    }

    static VirtualBoxSettings settings(Map<String, ?> raw) {
        return VirtualBoxSettings.from(DriverConfig.parse(VirtualBoxSettings.SECTION, VirtualBoxSettings.keys(), raw));
    }

    /** The body of the last request of {@code operation} the emulator received. */
    String lastBody(String operation) {
        List<RequestRecord> all = emulator.requests();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).operation().equals(operation)) {
                return all.get(i).body();
            }
        }
        throw new AssertionError("no " + operation + " request in " + emulator.requestCounts());
    }

    @Override
    public void close() {
        service.close();
        emulator.close();
    }
}
