package io.libstorage.docker.internal;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Scheduler;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Reads a request body asynchronously (no thread waits for the client) up to a limit. Completes with
 * the bytes, with a {@link ProtocolException} (413) as soon as the limit is passed, with a
 * {@link ProtocolException} (408) when the deadline passes first, or with the transport's failure.
 */
final class BoundedBody implements Runnable {
    private final Content.Source source;
    private final int max;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private BoundedBody(Content.Source source, int max) {
        this.source = source;
        this.max = max;
    }

    /**
     * Reads {@code source}; {@code tooLate} is the failure when {@code deadline} passes before the body has
     * arrived (a client that trickles its body).
     */
    static CompletableFuture<byte[]> read(Content.Source source, int max, Scheduler scheduler, Duration deadline,
                                          Supplier<ProtocolException> tooLate) {
        BoundedBody b = new BoundedBody(source, max);
        Scheduler.Task timer = scheduler.schedule(() -> b.result.completeExceptionally(tooLate.get()),
                deadline.toMillis(), TimeUnit.MILLISECONDS);
        b.result.whenComplete((bytes, failure) -> timer.cancel());
        b.run();
        return b.result;
    }

    @Override
    public void run() {
        while (!result.isDone()) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                source.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                result.completeExceptionally(chunk.getFailure());
                return;
            }
            try {
                ByteBuffer buffer = chunk.getByteBuffer();
                if ((long) bytes.size() + buffer.remaining() > max) {
                    result.completeExceptionally(new ProtocolException(413, "REQUEST_TOO_LARGE",
                            "the request body (more than " + max + " bytes) exceeds the limit of " + max + " bytes"));
                    return;
                }
                byte[] part = new byte[buffer.remaining()];
                buffer.get(part);
                bytes.write(part, 0, part.length);
            } finally {
                chunk.release();
            }
            if (chunk.isLast()) {
                result.complete(bytes.toByteArray());
                return;
            }
        }
    }
}
