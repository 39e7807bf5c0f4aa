package io.libstorage.emulator.scaleio.internal;

import io.libstorage.emulator.scaleio.SdcSpec;
import io.libstorage.emulator.scaleio.SystemSpec;
import io.libstorage.emulator.scaleio.internal.Model.DomainRec;
import io.libstorage.emulator.scaleio.internal.Model.HostRec;
import io.libstorage.emulator.scaleio.internal.Model.MappingRec;
import io.libstorage.emulator.scaleio.internal.Model.PoolRec;
import io.libstorage.emulator.scaleio.internal.Model.SdcRec;
import io.libstorage.emulator.scaleio.internal.Model.SystemRec;
import io.libstorage.emulator.scaleio.internal.Model.VTreeRec;
import io.libstorage.emulator.scaleio.internal.Model.VolumeRec;
import io.libstorage.emulator.scaleio.internal.host.DataPath;
import io.libstorage.emulator.scaleio.internal.host.DrvCfgScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The emulated MDM: systems, protection domains, storage pools, VTrees, volumes, snapshots, SDCs and
 * mappings, with the validation rules and error codes of the reference. Thread-safe: reads take a
 * read lock and return immutable snapshots (so large lists are serialised outside the lock), writes
 * take the write lock, including the data-path side effects they cause.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final String REMOVE_MODES = "ONLY_ME, INCLUDING_DESCENDANTS, DESCENDANTS_ONLY, WHOLE_VTREE";

    /**
     * Behaviour switches for the reference's open points.
     *
     * @param queryMissErrorCode       errorCode of a {@code queryIdByKey} miss: 3 ({@code Not found}, 2.x) or 79
     * @param mappedElsewhereErrorCode 297 or 315 for a second mapping without {@code allowMultipleMappings}
     * @param snapshotsPerVTree        snapshot limit per VTree (31 on 2.x, 126 on 3.x), then errorCode 182
     * @param removalDelay             how long a removed volume answers 212 before it is gone (zero: synchronous)
     * @param restrictedSdcMode        whether unapproved SDCs may not be mapped (errorCode 322)
     * @param maxVolumeSizeKb          larger sizes give errorCode 190
     * @param poolCapacityKb           the capacity each storage pool reports
     * @param mdmIps                   the MDM IPs reported by {@code drv_cfg --query_mdms}
     * @param mdmPort                  the MDM port (for the System object)
     * @param drvCfgRoot               where hosts' {@code drv_cfg} scripts go unless an SDC names its own path
     * @param hostRoot                 if set, each host without explicit paths is simulated under {@code <hostRoot>/<GUID>/}
     *                                 ({@code dev/disk/by-id}, {@code opt/emc/scaleio/sdc/bin/drv_cfg}); null: real {@code /dev/disk/by-id}
     */
    public record Options(int queryMissErrorCode, int mappedElsewhereErrorCode, int snapshotsPerVTree, Duration removalDelay,
                          boolean restrictedSdcMode, long maxVolumeSizeKb, long poolCapacityKb, List<String> mdmIps,
                          int mdmPort, Path drvCfgRoot, Path hostRoot) {
    }

    /**
     * The result of {@code snapshotVolumes}.
     *
     * @param volumeIds       the new snapshots, in the order of the request
     * @param snapshotGroupId their consistency group
     */
    public record SnapshotResult(List<String> volumeIds, String snapshotGroupId) {
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Options options;
    private final Clock clock;
    private final DataPath dataPath;
    private final Connectivity connectivity;
    private final Ids ids = new Ids();

    private final Map<String, SystemRec> systems = new LinkedHashMap<>();
    private final Map<String, DomainRec> domains = new LinkedHashMap<>();
    private final Map<String, PoolRec> pools = new LinkedHashMap<>();
    private final Map<String, VTreeRec> vtrees = new LinkedHashMap<>();
    private final Map<String, VolumeRec> volumes = new LinkedHashMap<>();
    /** systemId + "/" + name → volume id, for the system-wide unique volume names. */
    private final Map<String, String> volumeNames = new HashMap<>();
    private final Map<String, SdcRec> sdcs = new LinkedHashMap<>();
    private final Map<String, HostRec> hosts = new LinkedHashMap<>();
    private volatile Instant nextRemoval;

    public Gateway(Options options, Clock clock, DataPath dataPath, Connectivity connectivity) {
        this.options = options;
        this.clock = clock;
        this.dataPath = dataPath;
        this.connectivity = connectivity;
    }

    public Connectivity connectivity() {
        return connectivity;
    }

    public Options options() {
        return options;
    }

    // ------------------------------------------------------------------ locking

    private <T> T read(Supplier<T> body) {
        finishDueRemovals();
        lock.readLock().lock();
        try {
            return body.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private <T> T write(Supplier<T> body) {
        lock.writeLock().lock();
        try {
            purgeDueRemovals();
            return body.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void finishDueRemovals() {
        Instant due = nextRemoval;
        if (due != null && !clock.instant().isBefore(due)) {
            write(() -> null);
        }
    }

    // ------------------------------------------------------------------ seeding

    public SystemRec addSystem(SystemSpec spec) {
        return write(() -> {
            String id = spec.id() == null ? ids.next() : Ids.canonical(spec.id());
            if (systems.containsKey(id)) {
                throw new IllegalArgumentException("duplicate system id " + id);
            }
            SystemRec sys = new SystemRec(id, spec.name(), ids.next(), options.mdmIps(), options.mdmPort());
            systems.put(id, sys);
            for (SystemSpec.ProtectionDomainSpec pd : spec.protectionDomains()) {
                DomainRec d = new DomainRec(ids.next(), Names.validate(pd.name()), id);
                domains.put(d.id(), d);
                Set<String> poolNames = new HashSet<>();
                for (String poolName : pd.storagePools()) {
                    if (!poolNames.add(poolName)) {
                        throw new IllegalArgumentException("duplicate storage pool " + poolName + " in protection domain " + pd.name());
                    }
                    PoolRec p = new PoolRec(ids.next(), Names.validate(poolName), d.id(), id, options.poolCapacityKb());
                    pools.put(p.id(), p);
                }
            }
            return sys;
        });
    }

    /** Registers an SDC (idempotent for the same GUID in the same system) and (re)writes its host's drv_cfg. */
    public SdcRec registerSdc(SdcSpec spec) {
        return write(() -> {
            SystemRec sys = spec.systemName() == null
                    ? systems.values().stream().findFirst().orElseThrow(() -> new IllegalArgumentException("no system to register the SDC in"))
                    : systems.values().stream().filter(s -> spec.systemName().equals(s.name()) || spec.systemName().equals(s.id()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown system " + spec.systemName()));
            for (SdcRec existing : sdcs.values()) {
                if (existing.systemId().equals(sys.id()) && existing.guid().equals(spec.guid())) {
                    return existing;
                }
            }
            HostRec host = hosts.get(spec.guid());
            if (host == null) {
                Path hostRoot = options.hostRoot() == null ? null : options.hostRoot().resolve(spec.guid());
                Path deviceDir = spec.deviceDir() != null ? spec.deviceDir()
                        : hostRoot != null ? hostRoot.resolve("dev/disk/by-id") : Path.of("/dev/disk/by-id");
                Path drvCfg = spec.drvCfg() != null ? spec.drvCfg()
                        : hostRoot != null ? hostRoot.resolve("opt/emc/scaleio/sdc/bin/drv_cfg")
                        : options.drvCfgRoot().resolve(spec.guid()).resolve("drv_cfg");
                host = new HostRec(spec.guid(), deviceDir.toAbsolutePath().normalize(), drvCfg.toAbsolutePath().normalize());
            } else if (spec.deviceDir() != null && !spec.deviceDir().toAbsolutePath().normalize().equals(host.deviceDir())) {
                throw new IllegalArgumentException("host " + spec.guid() + " already uses the device dir " + host.deviceDir());
            }
            SdcRec sdc = new SdcRec(ids.next(), spec.guid(), spec.ip(), spec.name() == null ? null : Names.validate(spec.name()),
                    sys.id(), !options.restrictedSdcMode());
            writeDrvCfg(host, sdc);
            hosts.put(host.guid(), host);
            sdcs.put(sdc.id(), sdc);
            return sdc;
        });
    }

    private void writeDrvCfg(HostRec host, SdcRec added) {
        List<DrvCfgScript.Membership> memberships = new ArrayList<>();
        List<SdcRec> all = new ArrayList<>(sdcs.values());
        all.add(added);
        for (SdcRec s : all) {
            if (s.guid().equals(host.guid())) {
                SystemRec sys = systems.get(s.systemId());
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
        return read(() -> List.copyOf(hosts.values()));
    }

    public HostRec host(String guid) {
        return read(() -> hosts.get(guid.toUpperCase(Locale.ROOT)));
    }

    public boolean knowsGuid(String guid) {
        return read(() -> hosts.containsKey(guid));
    }

    // ------------------------------------------------------------------ systems, domains, pools

    public List<SystemRec> systems() {
        return read(() -> List.copyOf(systems.values()));
    }

    public SystemRec system(String raw) {
        String id = Ids.canonical(raw);
        return read(() -> {
            SystemRec s = systems.get(id);
            if (s == null) {
                throw GatewayException.mdm(0, "Could not find the System");
            }
            return s;
        });
    }

    public List<DomainRec> domains() {
        return read(() -> List.copyOf(domains.values()));
    }

    public DomainRec domain(String raw) {
        String id = Ids.canonical(raw);
        return read(() -> requireDomain(id));
    }

    private DomainRec requireDomain(String id) {
        DomainRec d = domains.get(id);
        if (d == null) {
            throw GatewayException.protectionDomainNotFound();
        }
        return d;
    }

    /** The domains of a system, or null when the system is unknown. */
    public List<DomainRec> domainsOfSystem(String raw) {
        String id = Ids.canonical(raw);
        return read(() -> systems.containsKey(id) ? filter(domains.values(), d -> d.systemId().equals(id)) : null);
    }

    public String domainIdByName(String name) {
        return read(() -> domains.values().stream().filter(d -> d.name().equals(name)).map(DomainRec::id)
                .findFirst().orElseThrow(this::queryMiss));
    }

    public List<PoolRec> pools() {
        return read(() -> List.copyOf(pools.values()));
    }

    public PoolRec pool(String raw) {
        String id = Ids.canonical(raw);
        return read(() -> requirePool(id));
    }

    private PoolRec requirePool(String id) {
        PoolRec p = pools.get(id);
        if (p == null) {
            throw GatewayException.storagePoolNotFound();
        }
        return p;
    }

    public List<PoolRec> poolsOfDomain(String raw) {
        String id = Ids.canonical(raw);
        return read(() -> domains.containsKey(id) ? filter(pools.values(), p -> p.domainId().equals(id)) : null);
    }

    /** {@code queryIdByKey} on StoragePool: {@code name} plus {@code protectionDomainName} or {@code protectionDomainId}. */
    public String poolIdByKey(String name, String domainName, String domainRawId) {
        String domainId = domainRawId == null ? null : Ids.canonical(domainRawId);
        return read(() -> pools.values().stream()
                .filter(p -> p.name().equals(name))
                .filter(p -> domainId == null || p.domainId().equals(domainId))
                .filter(p -> domainName == null || domains.get(p.domainId()).name().equals(domainName))
                .map(PoolRec::id).findFirst().orElseThrow(this::queryMiss));
    }

    // ------------------------------------------------------------------ volumes (reads)

    public List<VolumeRec> volumes() {
        return read(() -> filter(volumes.values(), v -> !v.removing()));
    }

    public VolumeRec volume(String raw) {
        String id = Ids.canonical(raw);
        return read(() -> requireVolume(id));
    }

    private VolumeRec requireVolume(String id) {
        VolumeRec v = volumes.get(id);
        if (v == null) {
            throw GatewayException.volumeNotFound();
        }
        if (v.removing()) {
            throw GatewayException.removalInProgress();
        }
        return v;
    }

    public List<VolumeRec> volumesOfPool(String raw) {
        String id = Ids.canonical(raw);
        return read(() -> pools.containsKey(id) ? filter(volumes.values(), v -> !v.removing() && v.poolId().equals(id)) : null);
    }

    public List<VolumeRec> volumesOfVTree(String raw) {
        String id = Ids.canonical(raw);
        return read(() -> vtrees.containsKey(id) ? filter(volumes.values(), v -> !v.removing() && v.vtreeId().equals(id)) : null);
    }

    public List<VolumeRec> volumesOfSdc(String raw) {
        String id = Ids.canonical(raw);
        return read(() -> sdcs.containsKey(id) ? filter(volumes.values(), v -> !v.removing() && v.mappingOf(id) != null) : null);
    }

    public List<VolumeRec> volumesByIds(List<String> rawIds) {
        List<String> idList = rawIds.stream().map(Ids::canonical).toList();
        return read(() -> idList.stream().map(this::requireVolume).toList());
    }

    public String volumeIdByName(String name) {
        return read(() -> {
            for (String systemId : systems.keySet()) {
                String id = volumeNames.get(systemId + "/" + name);
                if (id != null && !volumes.get(id).removing()) {
                    return id;
                }
            }
            throw queryMiss();
        });
    }

    public VTreeRec vtree(String raw) {
        String id = Ids.canonical(raw);
        return read(() -> {
            VTreeRec t = vtrees.get(id);
            if (t == null) {
                throw GatewayException.mdm(0, "Could not find the VTree");
            }
            return t;
        });
    }

    public List<VTreeRec> vtreesOfPool(String raw) {
        String id = Ids.canonical(raw);
        return read(() -> pools.containsKey(id) ? filter(vtrees.values(), t -> t.poolId().equals(id)) : null);
    }

    private GatewayException queryMiss() {
        return options.queryMissErrorCode() == 79 ? GatewayException.volumeNotFound() : GatewayException.notFound();
    }

    // ------------------------------------------------------------------ SDCs (reads)

    public List<SdcRec> sdcs() {
        return read(() -> List.copyOf(sdcs.values()));
    }

    public SdcRec sdc(String raw) {
        String id = Ids.canonical(raw);
        return read(() -> {
            SdcRec s = sdcs.get(id);
            if (s == null) {
                throw GatewayException.sdcNotFound();
            }
            return s;
        });
    }

    public List<SdcRec> sdcsOfSystem(String raw) {
        String id = Ids.canonical(raw);
        return read(() -> systems.containsKey(id) ? filter(sdcs.values(), s -> s.systemId().equals(id)) : null);
    }

    public List<SdcRec> approvedSdcs() {
        return read(() -> filter(sdcs.values(), SdcRec::approved));
    }

    /** {@code queryIdByKey} on Sdc: by {@code ip} (documented) or {@code name}. */
    public String sdcIdByKey(String ip, String name) {
        return read(() -> sdcs.values().stream()
                .filter(s -> ip == null || ip.equals(s.ip()))
                .filter(s -> name == null || name.equals(s.name()))
                .map(SdcRec::id).findFirst().orElseThrow(this::queryMiss));
    }

    public SdcRec sdcByGuid(String systemId, String guid) {
        return read(() -> findSdcByGuid(systemId, guid));
    }

    private SdcRec findSdcByGuid(String systemId, String guid) {
        for (SdcRec s : sdcs.values()) {
            if (s.guid().equalsIgnoreCase(guid) && (systemId == null || s.systemId().equals(systemId))) {
                return s;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ statistics

    public Map<String, Object> poolStatistics(PoolRec pool) {
        return read(() -> {
            long thin = 0;
            long thick = 0;
            int vols = 0;
            int snaps = 0;
            for (VolumeRec v : volumes.values()) {
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
            m.put("numOfVtrees", (int) vtrees.values().stream().filter(t -> t.poolId().equals(pool.id())).count());
            return m;
        });
    }

    public Map<String, Object> systemStatistics(SystemRec sys) {
        return read(() -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("numOfProtectionDomains", (int) domains.values().stream().filter(d -> d.systemId().equals(sys.id())).count());
            m.put("numOfStoragePools", (int) pools.values().stream().filter(p -> p.systemId().equals(sys.id())).count());
            m.put("numOfVolumes", (int) volumes.values().stream().filter(v -> v.systemId().equals(sys.id()) && !v.isSnapshot()).count());
            m.put("numOfSnapshots", (int) volumes.values().stream().filter(v -> v.systemId().equals(sys.id()) && v.isSnapshot()).count());
            m.put("numOfVtrees", (int) vtrees.values().stream().filter(t -> t.systemId().equals(sys.id())).count());
            m.put("numOfSdc", (int) sdcs.values().stream().filter(s -> s.systemId().equals(sys.id())).count());
            m.put("numOfMappedToAllVolumes", (int) volumes.values().stream().filter(VolumeRec::mappedToAll).count());
            return m;
        });
    }

    public Map<String, Object> domainStatistics(DomainRec domain) {
        return read(() -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("numOfStoragePools", (int) pools.values().stream().filter(p -> p.domainId().equals(domain.id())).count());
            m.put("numOfSds", 0);
            return m;
        });
    }

    public Map<String, Object> volumeStatistics(VolumeRec v) {
        return read(() -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("numOfMappedSdcs", v.mappings().size());
            m.put("numOfChildVolumes", (int) volumes.values().stream().filter(c -> v.id().equals(c.ancestorId())).count());
            m.put("numOfDescendantVolumes", descendantsOf(v).size());
            return m;
        });
    }

    public Map<String, Object> sdcStatistics(SdcRec sdc) {
        return read(() -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("numOfMappedVolumes", (int) volumes.values().stream().filter(v -> v.mappingOf(sdc.id()) != null).count());
            return m;
        });
    }

    // ------------------------------------------------------------------ volume actions

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
        return write(() -> {
            PoolRec pool = requirePool(poolId);
            if (domainId != null) {
                requireDomain(domainId);
                if (!pool.domainId().equals(domainId)) {
                    throw GatewayException.poolNotInDomain();
                }
            }
            long sizeKb = Sizes.roundUpKb(requestedKb);
            if (sizeKb > options.maxVolumeSizeKb()) {
                throw GatewayException.sizeTooLarge();
            }
            if (name != null && volumeNames.containsKey(pool.systemId() + "/" + name)) {
                throw GatewayException.nameInUse();
            }
            String id = ids.next();
            String vtreeId = ids.next();
            dataPathCall("create volume " + id, () -> dataPath.create(id, sizeKb * 1024));
            VolumeRec v = new VolumeRec(id, name, sizeKb, pool.id(), pool.systemId(), type, vtreeId, null, null,
                    clock.instant().getEpochSecond(), rmcache, false, List.of(), null);
            vtrees.put(vtreeId, new VTreeRec(vtreeId, id, pool.id(), pool.systemId()));
            insert(v);
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
        write(() -> {
            VolumeRec v = requireVolume(id);
            List<VolumeRec> targets = switch (mode) {
                case "ONLY_ME" -> List.of(v);
                case "INCLUDING_DESCENDANTS" -> {
                    List<VolumeRec> all = new ArrayList<>();
                    all.add(v);
                    all.addAll(descendantsOf(v));
                    yield all;
                }
                case "DESCENDANTS_ONLY" -> descendantsOf(v);
                default -> filter(volumes.values(), o -> o.vtreeId().equals(v.vtreeId()) && !o.removing());
            };
            remove(targets);
            return null;
        });
    }

    private void remove(List<VolumeRec> targets) {
        for (VolumeRec t : targets) {
            if (!t.mappings().isEmpty()) {
                throw GatewayException.volumeMapped();
            }
        }
        if (options.removalDelay().isZero()) {
            for (VolumeRec t : targets) {
                delete(t);
            }
            return;
        }
        Instant until = clock.instant().plus(options.removalDelay());
        for (VolumeRec t : targets) {
            volumes.put(t.id(), t.removingUntil(until));
        }
        if (nextRemoval == null || until.isBefore(nextRemoval)) {
            nextRemoval = until;
        }
    }

    private void purgeDueRemovals() {
        Instant due = nextRemoval;
        if (due == null) {
            return;
        }
        Instant now = clock.instant();
        if (now.isBefore(due)) {
            return;
        }
        Instant next = null;
        for (VolumeRec v : List.copyOf(volumes.values())) {
            if (v.removing()) {
                if (!now.isBefore(v.removingUntil())) {
                    delete(v);
                } else if (next == null || v.removingUntil().isBefore(next)) {
                    next = v.removingUntil();
                }
            }
        }
        nextRemoval = next;
    }

    private void delete(VolumeRec v) {
        volumes.remove(v.id());
        if (v.name() != null) {
            volumeNames.remove(v.systemId() + "/" + v.name());
        }
        if (volumes.values().stream().noneMatch(o -> o.vtreeId().equals(v.vtreeId()))) {
            vtrees.remove(v.vtreeId());
        }
        try {
            dataPath.delete(v.id());
        } catch (IOException e) {
            LOG.warn("could not delete the data of volume {}: {}", v.id(), e.getMessage());
        }
    }

    private List<VolumeRec> descendantsOf(VolumeRec root) {
        List<VolumeRec> out = new ArrayList<>();
        Deque<String> queue = new ArrayDeque<>(List.of(root.id()));
        Set<String> seen = new LinkedHashSet<>();
        while (!queue.isEmpty()) {
            String parent = queue.poll();
            for (VolumeRec v : volumes.values()) {
                if (parent.equals(v.ancestorId()) && !v.removing() && seen.add(v.id())) {
                    out.add(v);
                    queue.add(v.id());
                }
            }
        }
        return out;
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
        if (gb > options.maxVolumeSizeKb() / Sizes.GIB_IN_KB) {
            throw GatewayException.sizeTooLarge();
        }
        long newKb = gb * Sizes.GIB_IN_KB;
        write(() -> {
            VolumeRec v = requireVolume(id);
            if (newKb < v.sizeKb()) {
                throw GatewayException.decreaseNotSupported();
            }
            if (newKb > v.sizeKb()) {
                dataPathCall("resize volume " + id, () -> dataPath.resize(id, newKb * 1024));
                volumes.put(id, v.withSize(newKb));
            }
            return null;
        });
    }

    public void setVolumeName(String raw, Params p) {
        String id = Ids.canonical(raw);
        String newName = Names.validate(p.required("newName"));
        write(() -> {
            VolumeRec v = requireVolume(id);
            if (newName.equals(v.name())) {
                return null;
            }
            if (volumeNames.containsKey(v.systemId() + "/" + newName)) {
                throw GatewayException.nameInUse();
            }
            if (v.name() != null) {
                volumeNames.remove(v.systemId() + "/" + v.name());
            }
            volumes.put(id, v.withName(newName));
            volumeNames.put(v.systemId() + "/" + newName, id);
            return null;
        });
    }

    public void addMappedSdc(String raw, Params p) {
        String id = Ids.canonical(raw);
        boolean allowMultiple = p.bool("allowMultipleMappings", false);
        write(() -> {
            VolumeRec v = requireVolume(id);
            if (p.has("allSdcs")) {
                if (v.mappedToAll()) {
                    throw GatewayException.alreadyMappedToAllSdcs();
                }
                VolumeRec current = v;
                for (SdcRec s : filter(sdcs.values(), s -> s.systemId().equals(v.systemId()))) {
                    if (current.mappingOf(s.id()) == null) {
                        current = map(current, s, true);
                    }
                }
                volumes.put(id, current.withMappings(current.mappings(), true));
                return null;
            }
            SdcRec sdc = selectSdc(v, p);
            if (options.restrictedSdcMode() && !sdc.approved()) {
                throw GatewayException.sdcNotApproved();
            }
            if (v.mappingOf(sdc.id()) != null) {
                throw GatewayException.alreadyMappedToThisSdc();
            }
            if (!v.mappings().isEmpty() && !allowMultiple) {
                throw GatewayException.mappedElsewhere(options.mappedElsewhereErrorCode());
            }
            volumes.put(id, map(v, sdc, allowMultiple));
            return null;
        });
    }

    private VolumeRec map(VolumeRec v, SdcRec sdc, boolean allowMultiple) {
        HostRec host = hosts.get(sdc.guid());
        dataPathCall("map volume " + v.id() + " to SDC " + sdc.id(), () -> dataPath.map(v.systemId(), v.id(), sdc.id(), host.deviceDir()));
        return v.withMapping(new MappingRec(sdc.id(), sdc.ip(), allowMultiple, 0, 0));
    }

    public void removeMappedSdc(String raw, Params p) {
        String id = Ids.canonical(raw);
        write(() -> {
            VolumeRec v = requireVolume(id);
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
                dataPathCall("unmap volume " + id + " from SDC " + m.sdcId(), () -> dataPath.unmap(v.systemId(), id, m.sdcId()));
                current = current.withoutMapping(m.sdcId());
                volumes.put(id, current);
            }
            if (p.has("allSdcs")) {
                volumes.put(id, current.withMappings(current.mappings(), false));
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
        write(() -> {
            VolumeRec v = requireVolume(id);
            SdcRec sdc = selectSdc(v, p);
            MappingRec m = v.mappingOf(sdc.id());
            if (m == null) {
                throw GatewayException.notMapped();
            }
            MappingRec updated = m.withLimits(iops == null ? m.limitIops() : iops.intValue(), bw == null ? m.limitBwKbps() : bw);
            List<MappingRec> list = new ArrayList<>(v.mappings());
            list.set(list.indexOf(m), updated);
            volumes.put(id, v.withMappings(list, v.mappedToAll()));
            return null;
        });
    }

    private SdcRec selectSdc(VolumeRec v, Params p) {
        String sdcRaw = p.string("sdcId");
        String guid = p.string("guid");
        if (sdcRaw != null && !sdcRaw.isEmpty()) {
            SdcRec s = sdcs.get(Ids.canonical(sdcRaw));
            if (s == null || !s.systemId().equals(v.systemId())) {
                throw GatewayException.sdcNotFound();
            }
            return s;
        }
        if (guid != null && !guid.isEmpty()) {
            SdcRec s = findSdcByGuid(v.systemId(), guid);
            if (s == null) {
                throw GatewayException.sdcNotFound();
            }
            return s;
        }
        throw GatewayException.missingOneOf("sdcId, guid, allSdcs");
    }

    // ------------------------------------------------------------------ snapshots

    /** {@code snapshotVolumes}; {@code systemRaw} is null for the id-less {@code /api/instances/System/action/...} form. */
    public SnapshotResult snapshotVolumes(String systemRaw, Params p) {
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
        return write(() -> {
            if (systemId != null && !systems.containsKey(systemId)) {
                throw GatewayException.mdm(0, "Could not find the System");
            }
            List<VolumeRec> sources = sourceIds.stream().map(this::requireVolume).toList();
            Map<String, Integer> perVTree = new HashMap<>();
            Set<String> newNames = new HashSet<>();
            for (int i = 0; i < sources.size(); i++) {
                VolumeRec src = sources.get(i);
                if (systemId != null && !src.systemId().equals(systemId)) {
                    throw GatewayException.volumeNotFound();
                }
                String n = names.get(i);
                if (n != null && (volumeNames.containsKey(src.systemId() + "/" + n) || !newNames.add(src.systemId() + "/" + n))) {
                    throw GatewayException.nameInUse();
                }
                int existing = (int) volumes.values().stream().filter(o -> o.vtreeId().equals(src.vtreeId()) && o.isSnapshot()).count();
                if (perVTree.merge(src.vtreeId(), 1, Integer::sum) + existing > options.snapshotsPerVTree()) {
                    throw GatewayException.tooManySnapshots();
                }
            }
            String groupId = ids.next();
            List<String> created = new ArrayList<>();
            for (int i = 0; i < sources.size(); i++) {
                VolumeRec src = sources.get(i);
                String id = ids.next();
                dataPathCall("snapshot volume " + src.id(), () -> dataPath.copy(src.id(), id));
                insert(new VolumeRec(id, names.get(i), src.sizeKb(), src.poolId(), src.systemId(), "Snapshot", src.vtreeId(),
                        src.id(), groupId, clock.instant().getEpochSecond(), src.useRmcache(), false, List.of(), null));
                created.add(id);
            }
            return new SnapshotResult(created, groupId);
        });
    }

    public void removeConsistencyGroupSnapshots(String systemRaw, Params p) {
        String systemId = systemRaw == null ? null : Ids.canonical(systemRaw);
        String groupId = Ids.canonical(p.required("snapGroupId"));
        write(() -> {
            if (systemId != null && !systems.containsKey(systemId)) {
                throw GatewayException.mdm(0, "Could not find the System");
            }
            List<VolumeRec> group = filter(volumes.values(), v -> groupId.equals(v.groupId()) && !v.removing());
            if (group.isEmpty()) {
                throw GatewayException.mdm(0, "Could not find the Consistency Group");
            }
            remove(group);
            return null;
        });
    }

    // ------------------------------------------------------------------ SDC actions

    /** {@code approveSdc}: approves a known GUID or pre-registers an unknown one (restricted SDC mode). */
    public String approveSdc(String systemRaw, Params p) {
        String systemId = Ids.canonical(systemRaw);
        String guid = p.required("sdcGuid");
        if (!Ids.isGuid(guid)) {
            throw GatewayException.mdm(0, "The given GUID is invalid. Please specify GUID in the following format: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
        }
        SdcRec existing = sdcByGuid(systemId, guid);
        if (existing == null) {
            SystemRec sys = system(systemId);
            SdcRec created = registerSdc(SdcSpec.of(guid, "0.0.0.0").inSystem(sys.id()));
            return write(() -> approve(created.id()));
        }
        return write(() -> approve(existing.id()));
    }

    private String approve(String sdcId) {
        sdcs.computeIfPresent(sdcId, (k, s) -> s.approve());
        return sdcId;
    }

    public void setSdcName(String raw, Params p) {
        String id = Ids.canonical(raw);
        String name = Names.validate(p.required("sdcName"));
        write(() -> {
            SdcRec s = sdcs.get(id);
            if (s == null) {
                throw GatewayException.sdcNotFound();
            }
            sdcs.put(id, s.withName(name));
            return null;
        });
    }

    // ------------------------------------------------------------------ helpers

    private void insert(VolumeRec v) {
        volumes.put(v.id(), v);
        if (v.name() != null) {
            volumeNames.put(v.systemId() + "/" + v.name(), v.id());
        }
    }

    /** The device a volume is attached as on an SDC's host (data path on), or null. */
    public Path device(String volumeId, String sdcId) {
        return read(() -> dataPath.device(volumeId, sdcId));
    }

    private interface DataPathAction {
        void run() throws IOException;
    }

    private static void dataPathCall(String what, DataPathAction action) {
        try {
            action.run();
        } catch (IOException e) {
            LOG.warn("data path failure: {}: {}", what, e.getMessage());
            throw GatewayException.mdm(0, "Data path failure (" + what + "): " + e.getMessage());
        }
    }

    private static <T> List<T> filter(Iterable<T> values, Predicate<T> keep) {
        List<T> out = new ArrayList<>();
        for (T v : values) {
            if (keep.test(v)) {
                out.add(v);
            }
        }
        return out;
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            dataPath.close();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
