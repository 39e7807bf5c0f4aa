package io.libstorage.spi;

import java.util.List;

/**
 * What {@link StorageDriver#reconcile()} found and did in the driver's own files and state.
 *
 * @param repaired interrupted work finished or cleaned up, one line each
 * @param problems what the driver will not fix on its own and a person should look at, one line each
 */
public record BackendReconcile(List<String> repaired, List<String> problems) {
    /** Nothing found. */
    public static final BackendReconcile NOTHING = new BackendReconcile(List.of(), List.of());

    public BackendReconcile {
        repaired = List.copyOf(repaired);
        problems = List.copyOf(problems);
    }
}
