package io.libstorage.emulator.vbox.internal;

import io.libstorage.emulator.vbox.FaultRule;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/** The active fault rules and their remaining uses. */
public final class Faults {
    private final Map<String, FaultRule> rules = new LinkedHashMap<>();
    private final Map<String, Pattern> patterns = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    public synchronized String add(FaultRule rule) {
        String id = "f" + ids.incrementAndGet();
        rules.put(id, rule);
        patterns.put(id, Pattern.compile(rule.operationPattern()));
        return id;
    }

    public synchronized boolean remove(String id) {
        patterns.remove(id);
        return rules.remove(id) != null;
    }

    public synchronized void clear() {
        rules.clear();
        patterns.clear();
    }

    public synchronized Map<String, FaultRule> list() {
        return new LinkedHashMap<>(rules);
    }

    /** The first rule matching {@code operation}, with one use taken off it; null when none matches. */
    synchronized FaultRule take(String operation) {
        for (Map.Entry<String, FaultRule> e : rules.entrySet()) {
            if (!patterns.get(e.getKey()).matcher(operation).find()) {
                continue;
            }
            FaultRule r = e.getValue();
            if (r.times() == 1) {
                remove(e.getKey());
            } else if (r.times() > 1) {
                rules.put(e.getKey(), r.withTimes(r.times() - 1));
            }
            return r;
        }
        return null;
    }
}
