package io.libstorage.api;

import java.util.Objects;

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

    /** A consumer for {@code id}, or {@link #ANONYMOUS} when {@code id} is null or blank. */
    public static ConsumerId of(String id) {
        return id == null || id.isBlank() ? ANONYMOUS : new ConsumerId(id.strip());
    }

    public boolean isAnonymous() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return isAnonymous() ? "<anonymous>" : value;
    }
}
