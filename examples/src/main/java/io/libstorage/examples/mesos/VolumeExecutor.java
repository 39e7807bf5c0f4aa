package io.libstorage.examples.mesos;

import io.libstorage.api.ByteSizes;
import io.libstorage.api.ConsumerId;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.MountOptions;
import io.libstorage.api.ReconcileReport;
import io.libstorage.api.StorageException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.api.VolumeStatus;
import io.libstorage.core.LibStorage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The volume part of a Mesos framework executor, written against the library's Java API (no dvdcli,
 * no Mesos dependency): the consumer of each mount is the Mesos task id, so that several tasks on one
 * agent can share a volume and the volume stays mounted until the last of them ends.
 *
 * <p>Where it plugs into a Mesos executor ({@code org.apache.mesos.Executor}):
 * <ul>
 *   <li>{@code registered}/{@code reregistered} (also after the executor restarted): {@link #recover(Set)}
 *       with the ids of the tasks the agent still runs, so holds of tasks that died meanwhile are released
 *       (and only those: dvdi#95);</li>
 *   <li>{@code launchTask}: {@link #launch(String, List)} before the task starts; the returned host paths are
 *       bind-mounted at the container paths; a {@link StorageException} becomes {@code TASK_FAILED} with its
 *       message, which names operation, volume, host and back end;</li>
 *   <li>when the task ends ({@code TASK_FINISHED}, {@code TASK_FAILED}, {@code killTask}): {@link #finish(String)}.</li>
 * </ul>
 *
 * <p>The executor keeps no state of its own: the library records each (volume, task id) hold durably
 * before it mounts, so a restarted executor finds the holds of the previous one. Thread-safe as the
 * library is; calls for one task are expected in order.
 */
public final class VolumeExecutor {
    private final LibStorage storage;

    public VolumeExecutor(LibStorage storage) {
        this.storage = storage;
    }

    /**
     * After a (re)start: keeps the holds of {@code liveTaskIds}, releases every other task's hold (volumes
     * left without holders are unmounted and detached) and repairs what an interrupted call left.
     */
    public ReconcileReport recover(Set<String> liveTaskIds) {
        Set<ConsumerId> live = liveTaskIds.stream().map(ConsumerId::of).collect(Collectors.toSet());
        return storage.reconcile(live);
    }

    /**
     * Mounts the task's volumes for it, in order, and returns container path → host path. If one fails, the
     * ones already mounted for this task are released again and the error is rethrown.
     */
    public Map<String, Path> launch(String taskId, List<TaskVolume> volumes) {
        ConsumerId task = ConsumerId.of(taskId);
        if (task.isAnonymous()) {
            throw new InvalidRequestException(storage.errorContext("launch task", null), "a task id is required");
        }
        Map<String, Path> paths = new LinkedHashMap<>();
        List<String> mounted = new ArrayList<>();
        try {
            for (TaskVolume v : volumes) {
                paths.put(v.containerPath(), storage.mount(v.name(), task, request(v)).path());
                mounted.add(v.name());
            }
            return paths;
        } catch (RuntimeException e) {
            for (String name : mounted) {
                try {
                    storage.unmount(name, task);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    /**
     * Releases every hold of the task, found in the library's records (so it works for tasks launched by a
     * previous executor instance too); the last holder out unmounts and detaches. Returns the volume names released.
     */
    public List<String> finish(String taskId) {
        ConsumerId task = ConsumerId.of(taskId);
        List<String> held = storage.list().stream()
                .filter(s -> s.consumers().contains(task))
                .map(VolumeStatus::volume).map(v -> v.name()).toList();
        for (String name : held) {
            storage.unmount(name, task);
        }
        return held;
    }

    private MountOptions request(TaskVolume v) {
        MountOptions.Builder r = MountOptions.builder().readOnly(v.readOnly());
        if (!v.options().isEmpty()) {
            VolumeSpec.Builder spec = storage.defaultSpec().toBuilder();
            ErrorContext ctx = storage.errorContext("launch task", v.name());
            v.options().forEach((k, value) -> {
                switch (k.toLowerCase(Locale.ROOT)) {
                    case "size" -> spec.sizeBytes(size(value, ctx));
                    case "fstype" -> spec.fsType(value.toLowerCase(Locale.ROOT));
                    default -> throw new InvalidRequestException(ctx, "unknown volume option '" + k + "' (size, fsType)");
                }
            });
            r.createSpec(spec.build());
        }
        return r.build();
    }

    /** The size grammar of every front end: a bare number is GiB, as in REX-Ray. */
    private static long size(String value, ErrorContext ctx) {
        try {
            return ByteSizes.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(ctx, "volume option 'size': " + e.getMessage());
        }
    }
}
