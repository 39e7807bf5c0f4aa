package io.libstorage.emulator.scaleio.internal;

import io.libstorage.emulator.scaleio.FaultRule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/** The active fault rules, first match wins; a counted rule disappears after its last use. */
public final class Faults {
    private final Map<String, Active> rules = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    private static final class Active {
        final FaultRule rule;
        final Pattern pattern;
        int remaining;

        Active(FaultRule rule) {
            this.rule = rule;
            this.pattern = Pattern.compile(rule.pathPattern());
            this.remaining = rule.times();
        }
    }

    /** Adds a rule and returns its id. */
    public synchronized String add(FaultRule rule) {
        String id = "f" + ids.incrementAndGet();
        rules.put(id, new Active(rule));
        return id;
    }

    public synchronized boolean remove(String id) {
        return rules.remove(id) != null;
    }

    public synchronized void clear() {
        rules.clear();
    }

    /** The rules with their remaining counts (times = remaining uses, -1 unlimited). */
    public synchronized Map<String, FaultRule> list() {
        Map<String, FaultRule> out = new LinkedHashMap<>();
        rules.forEach((id, a) -> out.put(id, a.rule.withTimes(a.remaining)));
        return out;
    }

    /** The first rule matching the call, consuming one use of it; null when none matches. */
    public synchronized FaultRule take(String method, String path) {
        List<String> exhausted = new ArrayList<>();
        FaultRule hit = null;
        for (Map.Entry<String, Active> e : rules.entrySet()) {
            Active a = e.getValue();
            if ((a.rule.method() == null || a.rule.method().equalsIgnoreCase(method)) && a.pattern.matcher(path).find()) {
                hit = a.rule;
                if (a.remaining > 0 && --a.remaining == 0) {
                    exhausted.add(e.getKey());
                }
                break;
            }
        }
        exhausted.forEach(rules::remove);
        return hit;
    }
}
