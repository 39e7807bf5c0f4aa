package io.libstorage.emulator.vbox.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The table of web-service operations the emulator implements, by operation name. */
final class Operations {
    /** An operation's implementation; returns the {@code returnval} values (empty for void operations). */
    interface Handler {
        List<?> handle(Call call) throws InterruptedException;
    }

    private final Map<String, Handler> handlers = new HashMap<>();
    private final Set<String> blocking = new HashSet<>();

    /** An operation that runs under the model lock. */
    void add(String operation, Handler h) {
        if (handlers.put(operation, h) != null) {
            throw new IllegalStateException("operation registered twice: " + operation);
        }
    }

    /** An operation that may wait (progress waits) and therefore takes the model lock itself where needed. */
    void addBlocking(String operation, Handler h) {
        add(operation, h);
        blocking.add(operation);
    }

    Handler get(String operation) {
        return handlers.get(operation);
    }

    boolean isBlocking(String operation) {
        return blocking.contains(operation);
    }

    Set<String> names() {
        return Set.copyOf(handlers.keySet());
    }

    static List<String> one(Object value) {
        return List.of(String.valueOf(value));
    }

    static List<String> none() {
        return List.of();
    }
}
