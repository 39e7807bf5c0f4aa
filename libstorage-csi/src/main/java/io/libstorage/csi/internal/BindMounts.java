package io.libstorage.csi.internal;

import java.nio.file.Path;

/**
 * Bind mounts of a staged volume onto CSI target paths. The kernel's mount table is the durable
 * state: every method re-reads it, so a call repeated after a crash does only what is missing.
 */
interface BindMounts {

    /** What a target holds with respect to a source. */
    enum State {
        /** Nothing is mounted at the target. */
        NOTHING,
        /** The source is bound there read-write. */
        SOURCE_READ_WRITE,
        /** The source is bound there read-only. */
        SOURCE_READ_ONLY,
        /** Something else is mounted there. */
        OTHER
    }

    State state(Path source, Path target);

    /** Whether anything is mounted at {@code target}. */
    boolean mounted(Path target);

    /** Binds {@code source} (a directory or a device node) onto the existing {@code target}; idempotent. */
    void bind(Path source, Path target, boolean readOnly, String volume);

    /** Removes every mount at {@code target}; nothing mounted is success. */
    void unbind(Path target, String volume);
}
