package io.libstorage.examples.mesos;

import java.util.Map;
import java.util.Objects;

/**
 * A volume a Mesos task asks for, as a framework would take it from its task description (Marathon's
 * {@code external} volume: name, container path, options such as {@code size}).
 *
 * @param name the volume name
 * @param containerPath where the task sees it (the executor bind-mounts the returned host path there)
 * @param options create options for a missing volume: {@code size} (a bare number is GiB) and {@code fsType}
 * @param readOnly mount read-only
 */
public record TaskVolume(String name, String containerPath, Map<String, String> options, boolean readOnly) {
    public TaskVolume {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(containerPath, "containerPath");
        options = Map.copyOf(options);
    }

    /** A read-write volume without create options. */
    public static TaskVolume of(String name, String containerPath) {
        return new TaskVolume(name, containerPath, Map.of(), false);
    }
}
