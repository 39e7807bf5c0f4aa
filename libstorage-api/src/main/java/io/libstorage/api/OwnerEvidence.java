package io.libstorage.api;

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Evidence about the liveness of a volume's owner, used to decide a pre-emption.
 *
 * @param owner the host the evidence is about
 * @param liveness what the source says
 * @param since since when that state holds, or {@code null} when unknown
 * @param source who says so, e.g. {@code "scaleio:mdmConnectionState"} or {@code "caller"}
 */
public record OwnerEvidence(HostId owner, Liveness liveness, @Nullable Instant since, String source) {
    public OwnerEvidence {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(liveness, "liveness");
        Objects.requireNonNull(source, "source");
    }

    /** The caller (an orchestrator) asserts that the owner is gone. */
    public static OwnerEvidence declaredByCaller(HostId owner, Instant now) {
        return new OwnerEvidence(owner, Liveness.DISCONNECTED, now, "caller");
    }

    public String describe() {
        return source + " reports " + owner.value() + " " + liveness + (since == null ? "" : " since " + since);
    }
}
