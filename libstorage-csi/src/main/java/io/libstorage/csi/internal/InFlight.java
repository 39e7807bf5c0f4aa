package io.libstorage.csi.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The volumes (and names) that have a call in progress in this process. The CSI specification lets
 * a plugin answer a second call for the same volume with ABORTED ("operation pending"); the
 * orchestrator retries it later. Across processes, the library's per-volume lock serialises.
 */
final class InFlight {
    private final Set<String> busy = ConcurrentHashMap.newKeySet();

    /** Claims {@code key} for the duration of the returned handle, or refuses with ABORTED. */
    Claim claim(String kind, String key) {
        String k = kind + "\u0000" + key;
        if (!busy.add(k)) {
            throw CsiError.aborted("an operation is already in progress for " + kind + " '" + key + "'; retry later");
        }
        return () -> busy.remove(k);
    }

    /** A claim; closing it releases the key. */
    interface Claim extends AutoCloseable {
        @Override
        void close();
    }
}
