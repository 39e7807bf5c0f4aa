package io.libstorage.docker.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs the plugin's operations off the HTTP threads, one after the other per volume name, each
 * answered exactly once within its deadline.
 *
 * <ul>
 *   <li>Operations on one volume form a chain: the next starts when the previous has finished, so
 *       a waiting operation occupies no thread (the pool cannot be exhausted by callers queueing on
 *       one busy volume, and nothing ever waits for a pool thread while holding one: no deadlock).
 *       Operations on different volumes run in parallel, up to the pool size.</li>
 *   <li>Reads (no volume key) run on a separate pool, so they are served while mutations are busy.</li>
 *   <li>When the deadline passes first, the caller is answered with the timeout error; an operation
 *       that had not started yet is then skipped, one that was running is left to finish and its
 *       result is handed to an "abandoned" hook (the Mount hook undoes the mount, because Docker
 *       will never Unmount a mount it was told failed).</li>
 * </ul>
 * Thread-safe.
 */
public final class OperationRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperationRunner.class);

    /** How long a thread of the runner's pools outlives its last operation. */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(30);

    private final OnDemandThreadPool mutations;
    private final OnDemandThreadPool reads;
    private final ScheduledThreadPoolExecutor timers;
    private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();

    /** Where an operation's outcome goes: exactly one of result or failure is non-null. */
    public interface Reply<T> {
        void answer(T result, Throwable failure);
    }

    /** Builds the timeout error; {@code started} says whether the operation had begun. */
    public interface TimeoutError {
        RuntimeException create(boolean started, Duration deadline);
    }

    public OperationRunner(String name, int maxConcurrentMutations) {
        // threads are started as concurrent operations need them and end 30 s after their last one: an idle
        // plugin has none, a plugin serving four callers about four (at most maxConcurrentMutations)
        this.mutations = new OnDemandThreadPool(name + "-op", maxConcurrentMutations, KEEP_ALIVE);
        this.reads = new OnDemandThreadPool(name + "-read", Math.max(2, maxConcurrentMutations / 2), KEEP_ALIVE);
        this.timers = new ScheduledThreadPoolExecutor(1, threads(name + "-timer"));
        this.timers.setRemoveOnCancelPolicy(true);
        // the timer thread ends too once no deadline is pending (a pending one keeps it: the last thread of a
        // pool with queued work never times out)
        this.timers.setKeepAliveTime(KEEP_ALIVE.toNanos(), TimeUnit.NANOSECONDS);
        this.timers.allowCoreThreadTimeOut(true);
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Runs {@code body} after the earlier operations on {@code volume} ({@code null}: a read, not
     * serialised) and answers {@code reply} once: with its outcome, or with {@code timeoutError} when
     * {@code deadline} passes first. {@code abandoned} (may be null) receives a successful result that
     * arrived after the timeout answer.
     */
    public <T> void submit(String volume, Duration deadline, Supplier<T> body, Consumer<T> abandoned,
                           TimeoutError timeoutError, Reply<T> reply) {
        AtomicBoolean answered = new AtomicBoolean();
        AtomicBoolean started = new AtomicBoolean();
        ScheduledFuture<?> timer;
        try {
            timer = timers.schedule(() -> {
                if (answered.compareAndSet(false, true)) {
                    reply.answer(null, timeoutError.create(started.get(), deadline));
                }
            }, deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            reply.answer(null, e);
            return;
        }
        Runnable task = () -> {
            if (answered.get()) {
                LOG.debug("skipping an operation on '{}' whose caller was already answered (timed out while queued)", volume);
                return;
            }
            started.set(true);
            T result = null;
            Throwable failure = null;
            try {
                result = body.get();
            } catch (Throwable t) {
                failure = t;
            }
            timer.cancel(false);
            if (answered.compareAndSet(false, true)) {
                reply.answer(result, failure);
            } else if (failure == null) {
                if (abandoned != null) {
                    try {
                        abandoned.accept(result);
                    } catch (RuntimeException e) {
                        LOG.warn("undoing an abandoned operation on '{}' failed; a later call or reconcile converges it", volume, e);
                    }
                }
            } else {
                LOG.warn("an operation on '{}' that had already been answered as timed out failed: {}", volume, failure.toString());
            }
        };
        try {
            if (volume == null) {
                reads.execute(task);
            } else {
                chain(volume, task);
            }
        } catch (RejectedExecutionException e) {
            timer.cancel(false);
            if (answered.compareAndSet(false, true)) {
                reply.answer(null, e);
            }
        }
    }

    private void chain(String volume, Runnable task) {
        synchronized (tails) {
            if (mutations.isShutdown()) {
                throw new RejectedExecutionException("the plugin is stopping");
            }
            CompletableFuture<Void> previous = tails.get(volume);
            CompletableFuture<Void> next = previous == null
                    ? CompletableFuture.runAsync(task, mutations)
                    : previous.exceptionally(e -> null).thenRunAsync(task, mutations);
            tails.put(volume, next);
            next.whenComplete((v, e) -> {
                synchronized (tails) {
                    tails.remove(volume, next);
                }
            });
        }
    }

    /** Operations queued or running on {@code volume} (for tests and diagnostics). */
    public boolean busy(String volume) {
        synchronized (tails) {
            return tails.containsKey(volume);
        }
    }

    /**
     * Stops accepting operations and waits up to {@code grace} for running ones (whose results are
     * durable in the library either way); then interrupts what is left. Idempotent.
     */
    public void shutdown(Duration grace) {
        synchronized (tails) {
            mutations.shutdown();
        }
        reads.shutdown();
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            mutations.awaitTermination(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            reads.awaitTermination(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        mutations.shutdownNow();
        reads.shutdownNow();
        timers.shutdownNow();
    }

    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }
}
