package io.libstorage.virtualbox.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * SOAP requests sent, per operation (logons, re-logons, probes and releases included): what a driver reports
 * beside REX-Ray's costs. Thread-safe.
 */
public final class SoapCallCounter {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    void record(String operation) {
        counts.computeIfAbsent(operation, k -> new LongAdder()).increment();
    }

    /** Requests per operation so far, sorted by operation. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long count(String operation) {
        LongAdder a = counts.get(operation);
        return a == null ? 0 : a.sum();
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Requests per operation since {@code before} (a {@link #snapshot()}), zero counts left out. */
    public Map<String, Long> since(Map<String, Long> before) {
        Map<String, Long> out = new TreeMap<>();
        snapshot().forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d != 0) {
                out.put(k, d);
            }
        });
        return out;
    }

    public void reset() {
        counts.clear();
    }

    @Override
    public String toString() {
        return "SoapCallCounter" + snapshot();
    }
}
