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
 * @param repaired leftovers of interrupted or damaged work that were finished or cleaned up, one line each:
 *                 temporary files of interrupted writes deleted, damaged state files moved aside and their
 *                 records rebuilt, what the storage driver repaired in its own files
 * @param problems things that could not be fixed or need a person, one line each (e.g. data without
 *                 a record, moved to a quarantine directory); empty when everything converged
 */
public record ReconcileReport(Map<String, Set<ConsumerId>> droppedConsumers, List<String> released,
                              List<StaleMount> staleMounts, List<String> repaired, List<String> problems) {
    public ReconcileReport {
        droppedConsumers = Map.copyOf(droppedConsumers);
        released = List.copyOf(released);
        staleMounts = List.copyOf(staleMounts);
        repaired = List.copyOf(repaired);
        problems = List.copyOf(problems);
    }

    /** A report with nothing repaired. */
    public ReconcileReport(Map<String, Set<ConsumerId>> droppedConsumers, List<String> released,
                           List<StaleMount> staleMounts, List<String> problems) {
        this(droppedConsumers, released, staleMounts, List.of(), problems);
    }
}
