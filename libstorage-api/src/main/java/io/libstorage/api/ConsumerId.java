package io.libstorage.api;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Who holds a mounted volume: a Docker mount-session id, a Mesos task id, an application name. A
 * volume stays mounted while its set of consumers is non-empty. Callers that send no id (dvdcli,
 * old Docker) share the single {@link #ANONYMOUS} consumer: N anonymous mounts and one anonymous
 * unmount release the volume.
 *
 * @param value the id; the empty string is the anonymous consumer
 */
public record ConsumerId(String value) {
    /** The one consumer that stands for every caller without an id. */
    public static final ConsumerId ANONYMOUS = new ConsumerId("");

    public ConsumerId {
        Objects.requireNonNull(value, "value");
        if (!value.equals(value.strip())) {
            throw new IllegalArgumentException("consumer id must not have surrounding white space");
        }
    }

    /**
     * A consumer for {@code id} with surrounding white space removed, or {@link #ANONYMOUS} when {@code id} is blank.
     *
     * @throws NullPointerException when {@code id} is null, as {@link Objects#requireNonNull} does: a caller whose
     *                              transport may send no id says so with {@link #ofNullable} or {@link #anonymous()}
     */
    public static ConsumerId of(String id) {
        Objects.requireNonNull(id, "id (use ConsumerId.ofNullable or ConsumerId.anonymous() for a caller without an id)");
        return id.isBlank() ? ANONYMOUS : new ConsumerId(id.strip());
    }

    /** {@link #of} for an id that a transport may leave out (a Docker request without {@code ID}): {@link #ANONYMOUS} when it is null. */
    public static ConsumerId ofNullable(@Nullable String id) {
        return id == null ? ANONYMOUS : of(id);
    }

    /** The anonymous consumer, {@link #ANONYMOUS}. */
    public static ConsumerId anonymous() {
        return ANONYMOUS;
    }

    public boolean isAnonymous() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return isAnonymous() ? "<anonymous>" : value;
    }
}
