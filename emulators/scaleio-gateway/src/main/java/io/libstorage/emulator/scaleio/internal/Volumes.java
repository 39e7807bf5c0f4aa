package io.libstorage.emulator.scaleio.internal;

import io.libstorage.emulator.scaleio.internal.Model.PoolRec;
import io.libstorage.emulator.scaleio.internal.Model.VTreeRec;
import io.libstorage.emulator.scaleio.internal.Model.VolumeRec;

import java.util.ArrayList;
import java.util.List;

/** Volumes and VTrees: reads, {@code queryIdByKey} on Volume, and the volume actions (create, remove, size, name). */
public final class Volumes {
    private static final String REMOVE_MODES = "ONLY_ME, INCLUDING_DESCENDANTS, DESCENDANTS_ONLY, WHOLE_VTREE";
    private final MdmState state;

    Volumes(MdmState state) {
        this.state = state;
    }

    public List<VolumeRec> all() {
        return state.read(() -> MdmState.filter(state.volumes.values(), v -> !v.removing()));
    }

    public VolumeRec volume(String raw) {
        String id = Ids.canonical(raw);
        return state.read(() -> state.requireVolume(id));
    }

    public List<VolumeRec> volumesOfPool(String raw) {
        String id = Ids.canonical(raw);
        return state.read(() -> state.pools.containsKey(id) ? MdmState.filter(state.volumes.values(), v -> !v.removing() && v.poolId().equals(id)) : null);
    }

    public List<VolumeRec> volumesOfVTree(String raw) {
        String id = Ids.canonical(raw);
        return state.read(() -> state.vtrees.containsKey(id) ? MdmState.filter(state.volumes.values(), v -> !v.removing() && v.vtreeId().equals(id)) : null);
    }

    public List<VolumeRec> volumesOfSdc(String raw) {
        String id = Ids.canonical(raw);
        return state.read(() -> state.sdcs.containsKey(id) ? MdmState.filter(state.volumes.values(), v -> !v.removing() && v.mappingOf(id) != null) : null);
    }

    public List<VolumeRec> volumesByIds(List<String> rawIds) {
        List<String> idList = rawIds.stream().map(Ids::canonical).toList();
        return state.read(() -> idList.stream().map(state::requireVolume).toList());
    }

    public String volumeIdByName(String name) {
        return state.read(() -> {
            for (String systemId : state.systems.keySet()) {
                String id = state.volumeNames.get(systemId + "/" + name);
                if (id != null && !state.volumes.get(id).removing()) {
                    return id;
                }
            }
            throw state.queryMiss();
        });
    }

    public VTreeRec vtree(String raw) {
        String id = Ids.canonical(raw);
        return state.read(() -> {
            VTreeRec t = state.vtrees.get(id);
            if (t == null) {
                throw GatewayException.mdm(0, "Could not find the VTree");
            }
            return t;
        });
    }

    public List<VTreeRec> vtreesOfPool(String raw) {
        String id = Ids.canonical(raw);
        return state.read(() -> state.pools.containsKey(id) ? MdmState.filter(state.vtrees.values(), t -> t.poolId().equals(id)) : null);
    }

    public String createVolume(Params p) {
        List<String> missing = new ArrayList<>();
        if (!p.has("volumeSizeInKb") && !p.has("volumeSizeInGb")) {
            missing.add("volumeSizeInKb");
        }
        if (p.string("storagePoolId") == null) {
            missing.add("storagePoolId");
        }
        if (!missing.isEmpty()) {
            throw GatewayException.missingParameters(String.join(", ", missing));
        }
        String rawName = p.string("name");
        String name = rawName == null || rawName.isEmpty() ? null : Names.validate(rawName);
        String poolId = Ids.canonical(p.string("storagePoolId"));
        String domainRaw = p.string("protectionDomainId");
        String domainId = domainRaw == null || domainRaw.isEmpty() ? null : Ids.canonical(domainRaw);
        long requestedKb = requestedSizeKb(p);
        String type = volumeType(p.string("volumeType"));
        boolean rmcache = p.bool("useRmcache", false);
        return state.write(() -> {
            PoolRec pool = state.requirePool(poolId);
            if (domainId != null) {
                state.requireDomain(domainId);
                if (!pool.domainId().equals(domainId)) {
                    throw GatewayException.poolNotInDomain();
                }
            }
            long sizeKb = Sizes.roundUpKb(requestedKb);
            if (sizeKb > state.options.maxVolumeSizeKb()) {
                throw GatewayException.sizeTooLarge();
            }
            if (name != null && state.volumeNames.containsKey(pool.systemId() + "/" + name)) {
                throw GatewayException.nameInUse();
            }
            String id = state.ids.next();
            String vtreeId = state.ids.next();
            MdmState.dataPathCall("create volume " + id, () -> state.dataPath.create(id, sizeKb * 1024));
            VolumeRec v = new VolumeRec(id, name, sizeKb, pool.id(), pool.systemId(), type, vtreeId, null, null,
                    state.clock.instant().getEpochSecond(), rmcache, false, List.of(), null);
            state.vtrees.put(vtreeId, new VTreeRec(vtreeId, id, pool.id(), pool.systemId()));
            state.insert(v);
            return id;
        });
    }

    private static long requestedSizeKb(Params p) {
        Long kb = p.longValue("volumeSizeInKb");
        if (kb == null) {
            Long gb = p.longValue("volumeSizeInGb");
            if (gb == null) {
                throw GatewayException.missingParameters("volumeSizeInKb");
            }
            if (gb > Long.MAX_VALUE / Sizes.GIB_IN_KB) {
                throw GatewayException.sizeTooLarge();
            }
            kb = gb * Sizes.GIB_IN_KB;
        }
        if (kb <= 0) {
            throw GatewayException.sizeIllegal();
        }
        if (kb > Long.MAX_VALUE - Sizes.GRANULE_KB) {
            throw GatewayException.sizeTooLarge();
        }
        return kb;
    }

    private static String volumeType(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "ThickProvisioned"; // per a cinder comment; every client sends it explicitly
        }
        for (String t : List.of("ThickProvisioned", "ThinProvisioned")) {
            if (t.equalsIgnoreCase(raw)) {
                return t;
            }
        }
        throw GatewayException.badEnum("volumeType", "ThickProvisioned, ThinProvisioned", raw);
    }

    public void removeVolume(String raw, Params p) {
        String id = Ids.canonical(raw);
        String mode = p.string("removeMode");
        if (mode == null) {
            throw GatewayException.missingParameters("removeMode");
        }
        if (!List.of(REMOVE_MODES.split(", ")).contains(mode)) {
            throw GatewayException.badEnum("removeMode", REMOVE_MODES, mode);
        }
        state.write(() -> {
            VolumeRec v = state.requireVolume(id);
            List<VolumeRec> targets = switch (mode) {
                case "ONLY_ME" -> List.of(v);
                case "INCLUDING_DESCENDANTS" -> {
                    List<VolumeRec> all = new ArrayList<>();
                    all.add(v);
                    all.addAll(state.descendantsOf(v));
                    yield all;
                }
                case "DESCENDANTS_ONLY" -> state.descendantsOf(v);
                default -> MdmState.filter(state.volumes.values(), o -> o.vtreeId().equals(v.vtreeId()) && !o.removing());
            };
            state.removeOrSchedule(targets);
            return null;
        });
    }

    public void setVolumeSize(String raw, Params p) {
        String id = Ids.canonical(raw);
        Long gb = p.longValue("sizeInGB");
        if (gb == null) {
            throw GatewayException.missingParameters("sizeInGB");
        }
        if (gb <= 0 || gb % 8 != 0) {
            // gateway-side check: a real gateway answered 400 for 6 and 10 (pyscaleio); it does not round
            throw GatewayException.badRequest("The specified volume size is illegal. Volume size must be in 8 GB blocks");
        }
        if (gb > state.options.maxVolumeSizeKb() / Sizes.GIB_IN_KB) {
            throw GatewayException.sizeTooLarge();
        }
        long newKb = gb * Sizes.GIB_IN_KB;
        state.write(() -> {
            VolumeRec v = state.requireVolume(id);
            if (newKb < v.sizeKb()) {
                throw GatewayException.decreaseNotSupported();
            }
            if (newKb > v.sizeKb()) {
                MdmState.dataPathCall("resize volume " + id, () -> state.dataPath.resize(id, newKb * 1024));
                state.volumes.put(id, v.withSize(newKb));
            }
            return null;
        });
    }

    public void setVolumeName(String raw, Params p) {
        String id = Ids.canonical(raw);
        String newName = Names.validate(p.required("newName"));
        state.write(() -> {
            VolumeRec v = state.requireVolume(id);
            if (newName.equals(v.name())) {
                return null;
            }
            if (state.volumeNames.containsKey(v.systemId() + "/" + newName)) {
                throw GatewayException.nameInUse();
            }
            if (v.name() != null) {
                state.volumeNames.remove(v.systemId() + "/" + v.name());
            }
            state.volumes.put(id, v.withName(newName));
            state.volumeNames.put(v.systemId() + "/" + newName, id);
            return null;
        });
    }
}
