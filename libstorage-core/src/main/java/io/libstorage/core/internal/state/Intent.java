package io.libstorage.core.internal.state;

import java.time.Instant;
import java.util.Objects;

/**
 * A call in progress, written before it changes anything. Found by a later call (which holds the
 * volume lock, so the writer is gone), it says what to undo or finish: an interrupted mount never
 * committed its consumer; an interrupted unmount had already been asked to release its consumer.
 *
 * @param kind {@code MOUNT} or {@code UNMOUNT}
 * @param consumer the consumer id ("" for the anonymous consumer)
 * @param startedAt when the call began
 * @param pid the process that wrote it
 */
public record Intent(Kind kind, String consumer, Instant startedAt, long pid) {
    public enum Kind { MOUNT, UNMOUNT }

    public Intent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(startedAt, "startedAt");
    }
}
