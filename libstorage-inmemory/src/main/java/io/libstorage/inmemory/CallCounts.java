package io.libstorage.inmemory;

import io.libstorage.api.HostId;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts of calls made to the in-memory back end and OS, per host and operation, plus the number
 * of real changes ("mutations") the back end applied: a repeated idempotent call adds calls but no
 * mutations. Thread-safe.
 */
public final class CallCounts {
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final AtomicLong mutations = new AtomicLong();

    void record(HostId host, Enum<?> op) {
        counts.computeIfAbsent(key(host, op), k -> new AtomicLong()).incrementAndGet();
        counts.computeIfAbsent(key(null, op), k -> new AtomicLong()).incrementAndGet();
    }

    void mutation() {
        mutations.incrementAndGet();
    }

    /** Calls of {@code op} from every host. */
    public long count(Enum<?> op) {
        return get(key(null, op));
    }

    /** Calls of {@code op} from one host. */
    public long count(HostId host, Enum<?> op) {
        return get(key(host, op));
    }

    /** Back-end state changes applied so far (creates, maps, unmaps, removes, snapshots, resizes). */
    public long mutations() {
        return mutations.get();
    }

    public void reset() {
        counts.clear();
        mutations.set(0);
    }

    private long get(String key) {
        AtomicLong v = counts.get(key);
        return v == null ? 0 : v.get();
    }

    private static String key(HostId host, Enum<?> op) {
        return (host == null ? "*" : host.value()) + "/" + op.getDeclaringClass().getSimpleName() + "." + op.name();
    }

    @Override
    public String toString() {
        return "CallCounts" + new java.util.TreeMap<>(counts) + " mutations=" + mutations;
    }
}
