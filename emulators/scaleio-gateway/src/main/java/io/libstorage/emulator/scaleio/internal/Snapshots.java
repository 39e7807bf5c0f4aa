package io.libstorage.emulator.scaleio.internal;

import io.libstorage.emulator.scaleio.internal.Model.VolumeRec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Snapshots: {@code snapshotVolumes} (a consistency group per call, the per-VTree limit) and {@code removeConsistencyGroupSnapshots}. */
public final class Snapshots {
    private final MdmState state;

    Snapshots(MdmState state) {
        this.state = state;
    }

    /**
     * The result of {@code snapshotVolumes}.
     *
     * @param volumeIds       the new snapshots, in the order of the request
     * @param snapshotGroupId their consistency group
     */
    public record Result(List<String> volumeIds, String snapshotGroupId) {
    }

    /** {@code snapshotVolumes}; {@code systemRaw} is null for the id-less {@code /api/instances/System/action/...} form. */
    public Result snapshotVolumes(String systemRaw, Params p) {
        String systemId = systemRaw == null ? null : Ids.canonical(systemRaw);
        List<Params> defs = p.objects("snapshotDefs");
        if (defs == null || defs.isEmpty()) {
            throw GatewayException.missingParameters("snapshotDefs");
        }
        List<String> sourceIds = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Params d : defs) {
            sourceIds.add(Ids.canonical(d.required("volumeId")));
            String n = d.string("snapshotName");
            names.add(n == null || n.isEmpty() ? null : Names.validate(n));
        }
        return state.write(() -> {
            if (systemId != null && !state.systems.containsKey(systemId)) {
                throw GatewayException.mdm(0, "Could not find the System");
            }
            List<VolumeRec> sources = sourceIds.stream().map(state::requireVolume).toList();
            Map<String, Integer> perVTree = new HashMap<>();
            Set<String> newNames = new HashSet<>();
            for (int i = 0; i < sources.size(); i++) {
                VolumeRec src = sources.get(i);
                if (systemId != null && !src.systemId().equals(systemId)) {
                    throw GatewayException.volumeNotFound();
                }
                String n = names.get(i);
                if (n != null && (state.volumeNames.containsKey(src.systemId() + "/" + n) || !newNames.add(src.systemId() + "/" + n))) {
                    throw GatewayException.nameInUse();
                }
                int existing = (int) state.volumes.values().stream().filter(o -> o.vtreeId().equals(src.vtreeId()) && o.isSnapshot()).count();
                if (perVTree.merge(src.vtreeId(), 1, Integer::sum) + existing > state.options.snapshotsPerVTree()) {
                    throw GatewayException.tooManySnapshots();
                }
            }
            String groupId = state.ids.next();
            List<String> created = new ArrayList<>();
            for (int i = 0; i < sources.size(); i++) {
                VolumeRec src = sources.get(i);
                String id = state.ids.next();
                MdmState.dataPathCall("snapshot volume " + src.id(), () -> state.dataPath.copy(src.id(), id));
                state.insert(new VolumeRec(id, names.get(i), src.sizeKb(), src.poolId(), src.systemId(), "Snapshot", src.vtreeId(),
                        src.id(), groupId, state.clock.instant().getEpochSecond(), src.useRmcache(), false, List.of(), null));
                created.add(id);
            }
            return new Result(created, groupId);
        });
    }

    public void removeConsistencyGroupSnapshots(String systemRaw, Params p) {
        String systemId = systemRaw == null ? null : Ids.canonical(systemRaw);
        String groupId = Ids.canonical(p.required("snapGroupId"));
        state.write(() -> {
            if (systemId != null && !state.systems.containsKey(systemId)) {
                throw GatewayException.mdm(0, "Could not find the System");
            }
            List<VolumeRec> group = MdmState.filter(state.volumes.values(), v -> groupId.equals(v.groupId()) && !v.removing());
            if (group.isEmpty()) {
                throw GatewayException.mdm(0, "Could not find the Consistency Group");
            }
            state.removeOrSchedule(group);
            return null;
        });
    }
}
