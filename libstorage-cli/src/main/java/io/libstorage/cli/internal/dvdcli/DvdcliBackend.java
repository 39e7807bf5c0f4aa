package io.libstorage.cli.internal.dvdcli;

import io.libstorage.api.ErrorContext;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where a dvdcli command is carried out: the running plugin's socket, or the library in this process. */
interface DvdcliBackend extends AutoCloseable {
    /** Mounts for the anonymous consumer, creating the volume with {@code opts} when missing unless {@code explicitCreate}. */
    String mount(String name, Map<String, String> opts, boolean explicitCreate);

    /** Releases the anonymous consumer; a volume that is not mounted (or missing) is success. */
    void unmount(String name);

    /** The mount point; empty when the volume exists but is not mounted here. A missing volume is an error. */
    Optional<String> path(String name);

    void create(String name, Map<String, String> opts);

    /** Removes the volume; a missing one is success. */
    void remove(String name);

    /** Whether the volume exists. */
    boolean exists(String name);

    List<String> list();

    /** Where the calls go, for messages. */
    String describe();

    /** The context of an error of {@code operation} on volume {@code name}, naming where the calls go (and this host, in-process). */
    ErrorContext context(String operation, String name);

    @Override
    void close();
}
