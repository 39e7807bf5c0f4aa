package io.libstorage.emulator.scaleio.internal;

import io.libstorage.emulator.scaleio.internal.Model.DomainRec;
import io.libstorage.emulator.scaleio.internal.Model.HostRec;
import io.libstorage.emulator.scaleio.internal.Model.PoolRec;
import io.libstorage.emulator.scaleio.internal.Model.SdcRec;
import io.libstorage.emulator.scaleio.internal.Model.SystemRec;
import io.libstorage.emulator.scaleio.internal.Model.VTreeRec;
import io.libstorage.emulator.scaleio.internal.Model.VolumeRec;
import io.libstorage.emulator.scaleio.internal.host.DataPath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The state of the emulated MDM: the objects of every system, under one read-write lock, and what every
 * endpoint group shares (lookups that answer the reference's "not found" errors, the removal of volumes,
 * possibly delayed, the data path). Reads take the read lock and return immutable snapshots (so large lists
 * are serialised outside the lock); writes take the write lock, including the data-path side effects they cause.
 */
final class MdmState {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    final Gateway.Options options;
    final Clock clock;
    final DataPath dataPath;
    final Ids ids = new Ids();

    final Map<String, SystemRec> systems = new LinkedHashMap<>();
    final Map<String, DomainRec> domains = new LinkedHashMap<>();
    final Map<String, PoolRec> pools = new LinkedHashMap<>();
    final Map<String, VTreeRec> vtrees = new LinkedHashMap<>();
    final Map<String, VolumeRec> volumes = new LinkedHashMap<>();
    /** systemId + "/" + name → volume id, for the system-wide unique volume names. */
    final Map<String, String> volumeNames = new HashMap<>();
    final Map<String, SdcRec> sdcs = new LinkedHashMap<>();
    final Map<String, HostRec> hosts = new LinkedHashMap<>();
    private volatile Instant nextRemoval;

    MdmState(Gateway.Options options, Clock clock, DataPath dataPath) {
        this.options = options;
        this.clock = clock;
        this.dataPath = dataPath;
    }

    <T> T read(Supplier<T> body) {
        finishDueRemovals();
        lock.readLock().lock();
        try {
            return body.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    <T> T write(Supplier<T> body) {
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

    SystemRec requireSystem(String id) {
        SystemRec s = systems.get(id);
        if (s == null) {
            throw GatewayException.mdm(0, "Could not find the System");
        }
        return s;
    }

    DomainRec requireDomain(String id) {
        DomainRec d = domains.get(id);
        if (d == null) {
            throw GatewayException.protectionDomainNotFound();
        }
        return d;
    }

    PoolRec requirePool(String id) {
        PoolRec p = pools.get(id);
        if (p == null) {
            throw GatewayException.storagePoolNotFound();
        }
        return p;
    }

    VolumeRec requireVolume(String id) {
        VolumeRec v = volumes.get(id);
        if (v == null) {
            throw GatewayException.volumeNotFound();
        }
        if (v.removing()) {
            throw GatewayException.removalInProgress();
        }
        return v;
    }

    GatewayException queryMiss() {
        return options.queryMissErrorCode() == 79 ? GatewayException.volumeNotFound() : GatewayException.notFound();
    }

    SdcRec findSdcByGuid(String systemId, String guid) {
        for (SdcRec s : sdcs.values()) {
            if (s.guid().equalsIgnoreCase(guid) && (systemId == null || s.systemId().equals(systemId))) {
                return s;
            }
        }
        return null;
    }

    /** Removes {@code targets} (none may be mapped) at once, or marks them for removal after the removal delay. */
    void removeOrSchedule(List<VolumeRec> targets) {
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

    void delete(VolumeRec v) {
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

    List<VolumeRec> descendantsOf(VolumeRec root) {
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

    void insert(VolumeRec v) {
        volumes.put(v.id(), v);
        if (v.name() != null) {
            volumeNames.put(v.systemId() + "/" + v.name(), v.id());
        }
    }

    interface DataPathAction {
        void run() throws IOException;
    }

    static void dataPathCall(String what, DataPathAction action) {
        try {
            action.run();
        } catch (IOException e) {
            LOG.warn("data path failure: {}: {}", what, e.getMessage());
            throw GatewayException.mdm(0, "Data path failure (" + what + "): " + e.getMessage());
        }
    }

    static <T> List<T> filter(Iterable<T> values, Predicate<T> keep) {
        List<T> out = new ArrayList<>();
        for (T v : values) {
            if (keep.test(v)) {
                out.add(v);
            }
        }
        return out;
    }

    /** Closes the data path (detaching what it attached) once no call is in progress. */
    void close() {
        lock.writeLock().lock();
        try {
            dataPath.close();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
