package io.libstorage.emulator.scaleio.internal;

import io.libstorage.emulator.scaleio.SdcSpec;
import io.libstorage.emulator.scaleio.internal.Model.HostRec;
import io.libstorage.emulator.scaleio.internal.Model.SdcRec;
import io.libstorage.emulator.scaleio.internal.Model.SystemRec;
import io.libstorage.emulator.scaleio.internal.host.DrvCfgScript;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * SDCs and their hosts: registration (which writes the host's {@code drv_cfg}), reads, {@code queryIdByKey} on
 * Sdc, {@code approveSdc} (restricted SDC mode) and {@code setSdcName}.
 */
public final class Sdcs {
    private final MdmState state;

    Sdcs(MdmState state) {
        this.state = state;
    }

    /** Registers an SDC (idempotent for the same GUID in the same system) and (re)writes its host's drv_cfg. */
    public SdcRec registerSdc(SdcSpec spec) {
        return state.write(() -> {
            SystemRec sys = spec.systemName() == null
                    ? state.systems.values().stream().findFirst().orElseThrow(() -> new IllegalArgumentException("no system to register the SDC in"))
                    : state.systems.values().stream().filter(s -> spec.systemName().equals(s.name()) || spec.systemName().equals(s.id()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown system " + spec.systemName()));
            for (SdcRec existing : state.sdcs.values()) {
                if (existing.systemId().equals(sys.id()) && existing.guid().equals(spec.guid())) {
                    return existing;
                }
            }
            HostRec host = state.hosts.get(spec.guid());
            if (host == null) {
                Path hostRoot = state.options.hostRoot() == null ? null : state.options.hostRoot().resolve(spec.guid());
                Path deviceDir = spec.deviceDir() != null ? spec.deviceDir()
                        : hostRoot != null ? hostRoot.resolve("dev/disk/by-id") : Path.of("/dev/disk/by-id");
                Path drvCfg = spec.drvCfg() != null ? spec.drvCfg()
                        : hostRoot != null ? hostRoot.resolve("opt/emc/scaleio/sdc/bin/drv_cfg")
                        : state.options.drvCfgRoot().resolve(spec.guid()).resolve("drv_cfg");
                host = new HostRec(spec.guid(), deviceDir.toAbsolutePath().normalize(), drvCfg.toAbsolutePath().normalize());
            } else if (spec.deviceDir() != null && !spec.deviceDir().toAbsolutePath().normalize().equals(host.deviceDir())) {
                throw new IllegalArgumentException("host " + spec.guid() + " already uses the device dir " + host.deviceDir());
            }
            SdcRec sdc = new SdcRec(state.ids.next(), spec.guid(), spec.ip(), spec.name() == null ? null : Names.validate(spec.name()),
                    sys.id(), !state.options.restrictedSdcMode());
            writeDrvCfg(host, sdc);
            state.hosts.put(host.guid(), host);
            state.sdcs.put(sdc.id(), sdc);
            return sdc;
        });
    }

    private void writeDrvCfg(HostRec host, SdcRec added) {
        List<DrvCfgScript.Membership> memberships = new ArrayList<>();
        List<SdcRec> all = new ArrayList<>(state.sdcs.values());
        all.add(added);
        for (SdcRec s : all) {
            if (s.guid().equals(host.guid())) {
                SystemRec sys = state.systems.get(s.systemId());
                memberships.add(new DrvCfgScript.Membership(sys.id(), s.id(), sys.installId(), sys.mdmIps()));
            }
        }
        try {
            DrvCfgScript.write(host.drvCfg(), host.guid(), host.deviceDir(), memberships);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write drv_cfg " + host.drvCfg() + ": " + e.getMessage(), e);
        }
    }

    public List<HostRec> hosts() {
        return state.read(() -> List.copyOf(state.hosts.values()));
    }

    public HostRec host(String guid) {
        return state.read(() -> state.hosts.get(guid.toUpperCase(Locale.ROOT)));
    }

    public boolean knowsGuid(String guid) {
        return state.read(() -> state.hosts.containsKey(guid));
    }

    public List<SdcRec> all() {
        return state.read(() -> List.copyOf(state.sdcs.values()));
    }

    public SdcRec sdc(String raw) {
        String id = Ids.canonical(raw);
        return state.read(() -> {
            SdcRec s = state.sdcs.get(id);
            if (s == null) {
                throw GatewayException.sdcNotFound();
            }
            return s;
        });
    }

    public List<SdcRec> sdcsOfSystem(String raw) {
        String id = Ids.canonical(raw);
        return state.read(() -> state.systems.containsKey(id) ? MdmState.filter(state.sdcs.values(), s -> s.systemId().equals(id)) : null);
    }

    public List<SdcRec> approvedSdcs() {
        return state.read(() -> MdmState.filter(state.sdcs.values(), SdcRec::approved));
    }

    /** {@code queryIdByKey} on Sdc: by {@code ip} (documented) or {@code name}. */
    public String sdcIdByKey(String ip, String name) {
        return state.read(() -> state.sdcs.values().stream()
                .filter(s -> ip == null || ip.equals(s.ip()))
                .filter(s -> name == null || name.equals(s.name()))
                .map(SdcRec::id).findFirst().orElseThrow(state::queryMiss));
    }

    public SdcRec sdcByGuid(String systemId, String guid) {
        return state.read(() -> state.findSdcByGuid(systemId, guid));
    }

    /** {@code approveSdc}: approves a known GUID or pre-registers an unknown one (restricted SDC mode). */
    public String approveSdc(String systemRaw, Params p) {
        String systemId = Ids.canonical(systemRaw);
        String guid = p.required("sdcGuid");
        if (!Ids.isGuid(guid)) {
            throw GatewayException.mdm(0, "The given GUID is invalid. Please specify GUID in the following format: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
        }
        SdcRec existing = sdcByGuid(systemId, guid);
        if (existing == null) {
            SystemRec sys = state.read(() -> state.requireSystem(systemId));
            SdcRec created = registerSdc(SdcSpec.of(guid, "0.0.0.0").inSystem(sys.id()));
            return state.write(() -> approve(created.id()));
        }
        return state.write(() -> approve(existing.id()));
    }

    private String approve(String sdcId) {
        state.sdcs.computeIfPresent(sdcId, (k, s) -> s.approve());
        return sdcId;
    }

    public void setSdcName(String raw, Params p) {
        String id = Ids.canonical(raw);
        String name = Names.validate(p.required("sdcName"));
        state.write(() -> {
            SdcRec s = state.sdcs.get(id);
            if (s == null) {
                throw GatewayException.sdcNotFound();
            }
            state.sdcs.put(id, s.withName(name));
            return null;
        });
    }
}
