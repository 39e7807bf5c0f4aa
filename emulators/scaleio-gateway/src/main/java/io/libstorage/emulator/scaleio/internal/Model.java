package io.libstorage.emulator.scaleio.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The immutable value objects of the emulated MDM. {@link MdmState} holds them; the endpoint groups of {@link Gateway} replace them under its lock. */
public final class Model {
    private Model() {
    }

    public record SystemRec(String id, String name, String installId, List<String> mdmIps, int mdmPort) {
    }

    public record DomainRec(String id, String name, String systemId) {
    }

    public record PoolRec(String id, String name, String domainId, String systemId, long capacityKb) {
    }

    public record VTreeRec(String id, String baseVolumeId, String poolId, String systemId) {
    }

    /** One SDC mapping of a volume. {@code allowMultiple} is stored but never echoed (it cannot be read back on a real gateway). */
    public record MappingRec(String sdcId, String sdcIp, boolean allowMultiple, int limitIops, long limitBwKbps) {
        MappingRec withLimits(int iops, long bwKbps) {
            return new MappingRec(sdcId, sdcIp, allowMultiple, iops, bwKbps);
        }
    }

    public record VolumeRec(String id, String name, long sizeKb, String poolId, String systemId, String volumeType,
                            String vtreeId, String ancestorId, String groupId, long creationTime, boolean useRmcache,
                            boolean mappedToAll, List<MappingRec> mappings, Instant removingUntil) {
        public VolumeRec {
            mappings = List.copyOf(mappings);
        }

        boolean isSnapshot() {
            return "Snapshot".equals(volumeType);
        }

        boolean removing() {
            return removingUntil != null;
        }

        MappingRec mappingOf(String sdcId) {
            for (MappingRec m : mappings) {
                if (m.sdcId().equals(sdcId)) {
                    return m;
                }
            }
            return null;
        }

        VolumeRec withName(String newName) {
            return new VolumeRec(id, newName, sizeKb, poolId, systemId, volumeType, vtreeId, ancestorId, groupId, creationTime,
                    useRmcache, mappedToAll, mappings, removingUntil);
        }

        VolumeRec withSize(long newSizeKb) {
            return new VolumeRec(id, name, newSizeKb, poolId, systemId, volumeType, vtreeId, ancestorId, groupId, creationTime,
                    useRmcache, mappedToAll, mappings, removingUntil);
        }

        VolumeRec withMappings(List<MappingRec> newMappings, boolean toAll) {
            return new VolumeRec(id, name, sizeKb, poolId, systemId, volumeType, vtreeId, ancestorId, groupId, creationTime,
                    useRmcache, toAll, newMappings, removingUntil);
        }

        VolumeRec withMapping(MappingRec m) {
            List<MappingRec> list = new ArrayList<>(mappings);
            list.add(m);
            return withMappings(list, mappedToAll);
        }

        VolumeRec withoutMapping(String sdcId) {
            List<MappingRec> list = new ArrayList<>(mappings);
            list.removeIf(m -> m.sdcId().equals(sdcId));
            return withMappings(list, list.isEmpty() ? false : mappedToAll);
        }

        VolumeRec removingUntil(Instant until) {
            return new VolumeRec(id, name, sizeKb, poolId, systemId, volumeType, vtreeId, ancestorId, groupId, creationTime,
                    useRmcache, mappedToAll, mappings, until);
        }
    }

    /** An SDC as one system knows it. The same host (GUID) has a different SDC id in each system. */
    public record SdcRec(String id, String guid, String ip, String name, String systemId, boolean approved) {
        SdcRec withName(String newName) {
            return new SdcRec(id, guid, ip, newName, systemId, approved);
        }

        SdcRec approve() {
            return new SdcRec(id, guid, ip, name, systemId, true);
        }
    }

    /** Where a simulated host sees its devices and finds its {@code drv_cfg}. */
    public record HostRec(String guid, Path deviceDir, Path drvCfg) {
    }
}
