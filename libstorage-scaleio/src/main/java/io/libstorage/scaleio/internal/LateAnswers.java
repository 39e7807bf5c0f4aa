package io.libstorage.scaleio.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Requests whose answer must not be lost when we stop waiting for it. A login the gateway answers after our
 * deadline has still opened a session there; the answer is handed to a callback (which logs that session out)
 * instead of being dropped with the connection. {@link #drain} gives answers still on their way a bounded time
 * before the client closes.
 */
final class LateAnswers implements AutoCloseable {
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "scaleio-login");
        t.setDaemon(true);
        return t;
    });
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

    /**
     * The answer of {@code exchange} if it comes within {@code patience}; otherwise a {@link SocketTimeoutException}
     * (a transient failure the caller may retry), and {@code ifLate} receives the answer when it comes.
     */
    GatewayResponse await(Callable<GatewayResponse> exchange, Duration patience, Consumer<GatewayResponse> ifLate) throws IOException {
        CompletableFuture<GatewayResponse> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return exchange.call();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, executor);
        try {
            return answer.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            handOff(answer, ifLate);
            throw new SocketTimeoutException("no answer within " + patience.toMillis() + " ms");
        } catch (InterruptedException e) {
            handOff(answer, ifLate);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the gateway");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        }
    }

    private void handOff(CompletableFuture<GatewayResponse> answer, Consumer<GatewayResponse> ifLate) {
        CompletableFuture<Void> late = answer.thenAccept(ifLate);
        pending.add(late);
        late.whenComplete((r, t) -> pending.remove(late));
    }

    /** Answers still expected (for tests and diagnostics). */
    int pending() {
        return pending.size();
    }

    /** Waits up to {@code patience} for the answers still expected (their callbacks run), then gives up on the rest. */
    void drain(Duration patience) {
        List<CompletableFuture<?>> waiting = List.copyOf(pending);
        if (waiting.isEmpty()) {
            return;
        }
        try {
            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // a late answer that failed, or did not come: nothing to log out
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
