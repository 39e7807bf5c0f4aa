package io.libstorage.emulator.scaleio.internal;

import io.libstorage.emulator.scaleio.internal.Model.DomainRec;
import io.libstorage.emulator.scaleio.internal.Model.PoolRec;
import io.libstorage.emulator.scaleio.internal.Model.SdcRec;
import io.libstorage.emulator.scaleio.internal.Model.SystemRec;
import io.libstorage.emulator.scaleio.internal.Model.VolumeRec;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code /relationships/Statistics} answers of pools, systems, domains, volumes and SDCs, computed from the state. */
public final class Statistics {
    private final MdmState state;

    Statistics(MdmState state) {
        this.state = state;
    }

    public Map<String, Object> poolStatistics(PoolRec pool) {
        return state.read(() -> {
            long thin = 0;
            long thick = 0;
            int vols = 0;
            int snaps = 0;
            for (VolumeRec v : state.volumes.values()) {
                if (v.poolId().equals(pool.id()) && !v.removing()) {
                    if (v.isSnapshot()) {
                        snaps++;
                    } else {
                        vols++;
                    }
                    if ("ThickProvisioned".equals(v.volumeType())) {
                        thick += v.sizeKb();
                    } else {
                        thin += v.sizeKb();
                    }
                }
            }
            long spare = pool.capacityKb() / 10;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("maxCapacityInKb", pool.capacityKb());
            m.put("capacityLimitInKb", pool.capacityKb());
            m.put("spareCapacityInKb", spare);
            m.put("thickCapacityInUseInKb", thick);
            m.put("thinCapacityAllocatedInKb", thin);
            m.put("capacityAvailableForVolumeAllocationInKb", Math.max(0, pool.capacityKb() - spare - thick));
            m.put("capacityInUseInKb", thick);
            m.put("numOfVolumes", vols);
            m.put("numOfSnapshots", snaps);
            m.put("numOfVtrees", (int) state.vtrees.values().stream().filter(t -> t.poolId().equals(pool.id())).count());
            return m;
        });
    }

    public Map<String, Object> systemStatistics(SystemRec sys) {
        return state.read(() -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("numOfProtectionDomains", (int) state.domains.values().stream().filter(d -> d.systemId().equals(sys.id())).count());
            m.put("numOfStoragePools", (int) state.pools.values().stream().filter(p -> p.systemId().equals(sys.id())).count());
            m.put("numOfVolumes", (int) state.volumes.values().stream().filter(v -> v.systemId().equals(sys.id()) && !v.isSnapshot()).count());
            m.put("numOfSnapshots", (int) state.volumes.values().stream().filter(v -> v.systemId().equals(sys.id()) && v.isSnapshot()).count());
            m.put("numOfVtrees", (int) state.vtrees.values().stream().filter(t -> t.systemId().equals(sys.id())).count());
            m.put("numOfSdc", (int) state.sdcs.values().stream().filter(s -> s.systemId().equals(sys.id())).count());
            m.put("numOfMappedToAllVolumes", (int) state.volumes.values().stream().filter(VolumeRec::mappedToAll).count());
            return m;
        });
    }

    public Map<String, Object> domainStatistics(DomainRec domain) {
        return state.read(() -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("numOfStoragePools", (int) state.pools.values().stream().filter(p -> p.domainId().equals(domain.id())).count());
            m.put("numOfSds", 0);
            return m;
        });
    }

    public Map<String, Object> volumeStatistics(VolumeRec v) {
        return state.read(() -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("numOfMappedSdcs", v.mappings().size());
            m.put("numOfChildVolumes", (int) state.volumes.values().stream().filter(c -> v.id().equals(c.ancestorId())).count());
            m.put("numOfDescendantVolumes", state.descendantsOf(v).size());
            return m;
        });
    }

    public Map<String, Object> sdcStatistics(SdcRec sdc) {
        return state.read(() -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("numOfMappedVolumes", (int) state.volumes.values().stream().filter(v -> v.mappingOf(sdc.id()) != null).count());
            return m;
        });
    }
}
