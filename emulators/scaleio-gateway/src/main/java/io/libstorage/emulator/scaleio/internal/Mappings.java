package io.libstorage.emulator.scaleio.internal;

import io.libstorage.emulator.scaleio.internal.Model.HostRec;
import io.libstorage.emulator.scaleio.internal.Model.MappingRec;
import io.libstorage.emulator.scaleio.internal.Model.SdcRec;
import io.libstorage.emulator.scaleio.internal.Model.VolumeRec;

import java.util.ArrayList;
import java.util.List;

/** Volume-to-SDC mappings: {@code addMappedSdc}, {@code removeMappedSdc}, {@code setMappedSdcLimits}, with their data-path side effects. */
public final class Mappings {
    private final MdmState state;

    Mappings(MdmState state) {
        this.state = state;
    }

    public void addMappedSdc(String raw, Params p) {
        String id = Ids.canonical(raw);
        boolean allowMultiple = p.bool("allowMultipleMappings", false);
        state.write(() -> {
            VolumeRec v = state.requireVolume(id);
            if (p.has("allSdcs")) {
                if (v.mappedToAll()) {
                    throw GatewayException.alreadyMappedToAllSdcs();
                }
                VolumeRec current = v;
                for (SdcRec s : MdmState.filter(state.sdcs.values(), s -> s.systemId().equals(v.systemId()))) {
                    if (current.mappingOf(s.id()) == null) {
                        current = map(current, s, true);
                    }
                }
                state.volumes.put(id, current.withMappings(current.mappings(), true));
                return null;
            }
            SdcRec sdc = selectSdc(v, p);
            if (state.options.restrictedSdcMode() && !sdc.approved()) {
                throw GatewayException.sdcNotApproved();
            }
            if (v.mappingOf(sdc.id()) != null) {
                throw GatewayException.alreadyMappedToThisSdc();
            }
            if (!v.mappings().isEmpty() && !allowMultiple) {
                throw GatewayException.mappedElsewhere(state.options.mappedElsewhereErrorCode());
            }
            state.volumes.put(id, map(v, sdc, allowMultiple));
            return null;
        });
    }

    private VolumeRec map(VolumeRec v, SdcRec sdc, boolean allowMultiple) {
        HostRec host = state.hosts.get(sdc.guid());
        MdmState.dataPathCall("map volume " + v.id() + " to SDC " + sdc.id(), () -> state.dataPath.map(v.systemId(), v.id(), sdc.id(), host.deviceDir()));
        return v.withMapping(new MappingRec(sdc.id(), sdc.ip(), allowMultiple, 0, 0));
    }

    public void removeMappedSdc(String raw, Params p) {
        String id = Ids.canonical(raw);
        state.write(() -> {
            VolumeRec v = state.requireVolume(id);
            List<MappingRec> targets;
            if (p.has("allSdcs")) {
                // presence-based: "" and "true" both unmap every SDC (reference 3.5)
                targets = v.mappings();
            } else {
                MappingRec m = v.mappingOf(selectSdc(v, p).id());
                targets = m == null ? List.of() : List.of(m);
            }
            if (targets.isEmpty()) {
                throw GatewayException.notMapped();
            }
            VolumeRec current = v;
            for (MappingRec m : targets) {
                MdmState.dataPathCall("unmap volume " + id + " from SDC " + m.sdcId(), () -> state.dataPath.unmap(v.systemId(), id, m.sdcId()));
                current = current.withoutMapping(m.sdcId());
                state.volumes.put(id, current);
            }
            if (p.has("allSdcs")) {
                state.volumes.put(id, current.withMappings(current.mappings(), false));
            }
            return null;
        });
    }

    public void setMappedSdcLimits(String raw, Params p) {
        String id = Ids.canonical(raw);
        Long bw = p.longValue("bandwidthLimitInKbps");
        Long iops = p.longValue("iopsLimit");
        if (bw == null && iops == null) {
            throw GatewayException.missingOneOf("bandwidthLimitInKbps, iopsLimit");
        }
        if (bw != null && (bw < 0 || bw % 1024 != 0)) {
            throw GatewayException.badRequest("bandwidthLimitInKbps must be a multiple of 1024, but its value is " + bw + ".");
        }
        if (iops != null && (iops < 0 || iops > 0 && iops <= 10 || iops > Integer.MAX_VALUE)) {
            throw GatewayException.badRequest("iopsLimit must be 0 (unlimited) or greater than 10, but its value is " + iops + ".");
        }
        state.write(() -> {
            VolumeRec v = state.requireVolume(id);
            SdcRec sdc = selectSdc(v, p);
            MappingRec m = v.mappingOf(sdc.id());
            if (m == null) {
                throw GatewayException.notMapped();
            }
            MappingRec updated = m.withLimits(iops == null ? m.limitIops() : iops.intValue(), bw == null ? m.limitBwKbps() : bw);
            List<MappingRec> list = new ArrayList<>(v.mappings());
            list.set(list.indexOf(m), updated);
            state.volumes.put(id, v.withMappings(list, v.mappedToAll()));
            return null;
        });
    }

    private SdcRec selectSdc(VolumeRec v, Params p) {
        String sdcRaw = p.string("sdcId");
        String guid = p.string("guid");
        if (sdcRaw != null && !sdcRaw.isEmpty()) {
            SdcRec s = state.sdcs.get(Ids.canonical(sdcRaw));
            if (s == null || !s.systemId().equals(v.systemId())) {
                throw GatewayException.sdcNotFound();
            }
            return s;
        }
        if (guid != null && !guid.isEmpty()) {
            SdcRec s = state.findSdcByGuid(v.systemId(), guid);
            if (s == null) {
                throw GatewayException.sdcNotFound();
            }
            return s;
        }
        throw GatewayException.missingOneOf("sdcId, guid, allSdcs");
    }
}
