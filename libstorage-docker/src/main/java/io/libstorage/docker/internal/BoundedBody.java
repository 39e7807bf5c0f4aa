package io.libstorage.docker.internal;

import org.eclipse.jetty.io.Content;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a request body asynchronously (no thread waits for the client) up to a limit. Completes with
 * the bytes, with a {@link ProtocolException} (413) as soon as the limit is passed, or with the
 * transport's failure.
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

    static CompletableFuture<byte[]> read(Content.Source source, int max) {
        BoundedBody b = new BoundedBody(source, max);
        b.run();
        return b.result;
    }

    @Override
    public void run() {
        while (true) {
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
