package io.libstorage.emulator.scaleio.internal;

import io.libstorage.emulator.scaleio.SystemSpec;
import io.libstorage.emulator.scaleio.internal.Model.DomainRec;
import io.libstorage.emulator.scaleio.internal.Model.PoolRec;
import io.libstorage.emulator.scaleio.internal.Model.SystemRec;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Systems, protection domains and storage pools: seeding, reads and {@code queryIdByKey} on domains and pools. */
public final class Topology {
    private final MdmState state;

    Topology(MdmState state) {
        this.state = state;
    }

    public SystemRec addSystem(SystemSpec spec) {
        return state.write(() -> {
            String id = spec.id() == null ? state.ids.next() : Ids.canonical(spec.id());
            if (state.systems.containsKey(id)) {
                throw new IllegalArgumentException("duplicate system id " + id);
            }
            SystemRec sys = new SystemRec(id, spec.name(), state.ids.next(), state.options.mdmIps(), state.options.mdmPort());
            state.systems.put(id, sys);
            for (SystemSpec.ProtectionDomainSpec pd : spec.protectionDomains()) {
                DomainRec d = new DomainRec(state.ids.next(), Names.validate(pd.name()), id);
                state.domains.put(d.id(), d);
                Set<String> poolNames = new HashSet<>();
                for (String poolName : pd.storagePools()) {
                    if (!poolNames.add(poolName)) {
                        throw new IllegalArgumentException("duplicate storage pool " + poolName + " in protection domain " + pd.name());
                    }
                    PoolRec p = new PoolRec(state.ids.next(), Names.validate(poolName), d.id(), id, state.options.poolCapacityKb());
                    state.pools.put(p.id(), p);
                }
            }
            return sys;
        });
    }

    public List<SystemRec> systems() {
        return state.read(() -> List.copyOf(state.systems.values()));
    }

    public SystemRec system(String raw) {
        String id = Ids.canonical(raw);
        return state.read(() -> state.requireSystem(id));
    }

    public List<DomainRec> domains() {
        return state.read(() -> List.copyOf(state.domains.values()));
    }

    public DomainRec domain(String raw) {
        String id = Ids.canonical(raw);
        return state.read(() -> state.requireDomain(id));
    }

    /** The domains of a system, or null when the system is unknown. */
    public List<DomainRec> domainsOfSystem(String raw) {
        String id = Ids.canonical(raw);
        return state.read(() -> state.systems.containsKey(id) ? MdmState.filter(state.domains.values(), d -> d.systemId().equals(id)) : null);
    }

    public String domainIdByName(String name) {
        return state.read(() -> state.domains.values().stream().filter(d -> d.name().equals(name)).map(DomainRec::id)
                .findFirst().orElseThrow(state::queryMiss));
    }

    public List<PoolRec> pools() {
        return state.read(() -> List.copyOf(state.pools.values()));
    }

    public PoolRec pool(String raw) {
        String id = Ids.canonical(raw);
        return state.read(() -> state.requirePool(id));
    }

    public List<PoolRec> poolsOfDomain(String raw) {
        String id = Ids.canonical(raw);
        return state.read(() -> state.domains.containsKey(id) ? MdmState.filter(state.pools.values(), p -> p.domainId().equals(id)) : null);
    }

    /** {@code queryIdByKey} on StoragePool: {@code name} plus {@code protectionDomainName} or {@code protectionDomainId}. */
    public String poolIdByKey(String name, String domainName, String domainRawId) {
        String domainId = domainRawId == null ? null : Ids.canonical(domainRawId);
        return state.read(() -> state.pools.values().stream()
                .filter(p -> p.name().equals(name))
                .filter(p -> domainId == null || p.domainId().equals(domainId))
                .filter(p -> domainName == null || state.domains.get(p.domainId()).name().equals(domainName))
                .map(PoolRec::id).findFirst().orElseThrow(state::queryMiss));
    }
}
