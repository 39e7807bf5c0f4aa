package io.libstorage.api;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a reconcile found and did.
 *
 * @param droppedConsumers per volume name, the consumers that were dropped (not live, or left over from an interrupted call)
 * @param released volumes that lost their last consumer and were unmounted and detached
 * @param staleMounts mounts found stale and lazily unmounted (never remounted)
 * @param problems things that could not be fixed, one line each; empty when everything converged
 */
public record ReconcileReport(Map<String, Set<ConsumerId>> droppedConsumers, List<String> released,
                              List<StaleMount> staleMounts, List<String> problems) {
    public ReconcileReport {
        droppedConsumers = Map.copyOf(droppedConsumers);
        released = List.copyOf(released);
        staleMounts = List.copyOf(staleMounts);
        problems = List.copyOf(problems);
    }
}
