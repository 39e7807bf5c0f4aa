package io.libstorage.cli.internal;

import io.libstorage.api.StorageException;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs work on its own thread and gives up after a deadline: the caller gets the timeout error and the
 * work is interrupted and abandoned (the library's durable records let the next call or a reconcile
 * finish or roll back whatever it was doing; in the command, the process then exits).
 */
public final class Deadline {
    /** Worker threads are named with this prefix (tests wait for abandoned ones). */
    public static final String THREAD_PREFIX = "libstorage-deadline-";
    private static final AtomicInteger THREADS = new AtomicInteger();

    private Deadline() {
    }

    /**
     * The result of {@code work}, or the exception {@code onTimeout} builds when it has not finished
     * within {@code limit}. Exceptions of the work are rethrown unchanged (unchecked ones as they are).
     */
    public static <T> T run(Duration limit, Callable<T> work, Supplier<? extends StorageException> onTimeout) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, THREAD_PREFIX + THREADS.incrementAndGet());
        worker.setDaemon(true);
        worker.start();
        try {
            return result.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            throw onTimeout.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw (Error) cause;
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw e;
        }
    }
}
