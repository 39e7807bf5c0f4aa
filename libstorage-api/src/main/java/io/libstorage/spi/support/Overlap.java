package io.libstorage.spi.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs a step on a shared daemon thread while the caller does another, for steps whose order does not matter to
 * crash safety: a read beside a durable write, or the temporary file of a record written and synced while an earlier
 * rename is made durable (two fsyncs issued together, which a journalling file system commits together). Whatever
 * must come after both still waits for both ({@link Pending#join}); a caller never returns with its step running.
 * Stateless and thread-safe.
 */
public final class Overlap {
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "libstorage-overlap");
        t.setDaemon(true);
        return t;
    });

    private Overlap() {
    }

    /** A step that may fail with an {@link IOException}. */
    @FunctionalInterface
    public interface IoStep<T> {
        T run() throws IOException;
    }

    /** A step running beside the caller. */
    public static final class Pending<T> {
        private final CompletableFuture<T> future;

        private Pending(CompletableFuture<T> future) {
            this.future = future;
        }

        /**
         * Waits for the step and returns its result, or throws what it threw: an unchecked exception or an
         * {@link Error} as it was, an {@link IOException} as an {@link UncheckedIOException} (see {@link #joinIo}).
         */
        public T join() {
            try {
                return future.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }

        /** {@link #join}, throwing an {@link IOException} of the step as it was. */
        public T joinIo() throws IOException {
            try {
                return join();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }

    /** Starts {@code step} on a shared daemon thread. */
    public static <T> Pending<T> start(IoStep<T> step) {
        return new Pending<>(CompletableFuture.supplyAsync(() -> {
            try {
                return step.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, THREADS));
    }
}
