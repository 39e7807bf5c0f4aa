package io.libstorage.core.internal.integration;

import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/**
 * Undoing what a failed call did on the back end (a map, a create), retried while the back end reports itself
 * unavailable (a gateway that starts failing right after the map it acknowledged) until a deadline, because what is
 * left mapped to this host for nobody keeps other hosts out. Every undo step is idempotent, so a repeat is safe.
 */
final class Rollback {
    private static final Logger LOG = LoggerFactory.getLogger(Rollback.class);

    private Rollback() {
    }

    /**
     * Runs {@code undo} until it succeeds, fails for another reason than a retryable unavailable back end, or
     * {@code within} has passed.
     *
     * @param left what stays behind if the undo never succeeds, e.g. "volume 'a' stays mapped to this host"
     * @return empty when undone; else an error saying what is left, why, and what converges it
     */
    static Optional<StorageException> run(ErrorContext ctx, Duration within, String left, Runnable undo) {
        long deadline = System.nanoTime() + within.toNanos();
        long pause = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                undo.run();
                if (attempt > 1) {
                    LOG.info("rolled back after {} attempts [{}]", attempt, ctx.describe());
                }
                return Optional.empty();
            } catch (RuntimeException e) {
                boolean retryable = e instanceof BackendUnavailableException b && b.retryable();
                if (!retryable || System.nanoTime() + pause * 1_000_000 - deadline > 0 || Thread.currentThread().isInterrupted()) {
                    String why = e instanceof StorageException s ? s.detail() : e.toString();
                    return Optional.of(new OperationFailedException(ctx, "the rollback did not finish after " + attempt
                            + (attempt == 1 ? " attempt" : " attempts") + ": " + left + ", because " + why
                            + "; the next call on the volume, or a reconcile, converges it", e));
                }
                LOG.info("rolling back failed ({}); retrying in {} ms [{}]", e.getMessage(), pause, ctx.describe());
                sleep(pause);
                pause = Math.min(pause * 2, 2000);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the next failure ends the loop
        }
    }
}
