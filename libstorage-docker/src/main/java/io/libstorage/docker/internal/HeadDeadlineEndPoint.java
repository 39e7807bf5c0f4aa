package io.libstorage.docker.internal;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ProxyConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An end point that bounds how long the head of a request (request line and headers) may take from
 * its first byte. Jetty's idle timeout restarts with every byte, so a client that trickles its headers
 * (slow-loris) would hold the connection as long as it likes; here it is answered 408 with the plugin's
 * JSON error and the connection is closed. Between requests nothing is timed: dockerd keeps pooled
 * connections open, and only the connector's idle timeout applies to them.
 *
 * <p>The handler reports where a request stands: {@link #track} at the start of handling (the head is
 * complete) wraps the response callback so that the end of the request is reported too. Thread-safe.
 */
final class HeadDeadlineEndPoint extends ProxyConnectionFactory.ProxyEndPoint {
    private static final Logger LOG = LoggerFactory.getLogger(HeadDeadlineEndPoint.class);

    private final Scheduler scheduler;
    private final Duration deadline;
    private boolean handling; // guarded by this
    private Scheduler.Task timer; // guarded by this; set while a head is arriving

    HeadDeadlineEndPoint(EndPoint endPoint, Scheduler scheduler, Duration deadline) {
        super(endPoint, endPoint.getLocalSocketAddress(), endPoint.getRemoteSocketAddress());
        this.scheduler = scheduler;
        this.deadline = deadline;
    }

    /**
     * Marks the head of {@code request} as complete and returns {@code callback} wrapped so that the end of
     * the request is marked too; requests on other end points are returned unchanged.
     */
    static Callback track(Request request, Callback callback) {
        if (request.getConnectionMetaData().getConnection().getEndPoint() instanceof HeadDeadlineEndPoint ep) {
            ep.headComplete();
            return new Callback.Nested(callback) {
                @Override
                public void succeeded() {
                    ep.requestDone(); // before the next pipelined request may start
                    super.succeeded();
                }

                @Override
                public void failed(Throwable x) {
                    ep.requestDone();
                    super.failed(x);
                }
            };
        }
        return callback;
    }

    @Override
    public int fill(ByteBuffer buffer) throws IOException {
        int n = super.fill(buffer);
        if (n > 0) {
            bytesArrived();
        }
        return n;
    }

    private synchronized void bytesArrived() {
        if (!handling && timer == null) {
            timer = scheduler.schedule(this::expire, deadline.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void headComplete() {
        handling = true;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private synchronized void requestDone() {
        handling = false;
    }

    private void expire() {
        synchronized (this) {
            if (timer == null || handling) {
                return;
            }
            timer = null;
        }
        if (!isOpen()) {
            return;
        }
        String message = "the request headers did not arrive within " + deadline.toMillis() + " ms of their first byte";
        LOG.debug("closing a connection: {}", message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Err", message);
        body.put("Code", "REQUEST_TIMEOUT");
        byte[] json = ProtocolJson.write(body);
        byte[] head = ("HTTP/1.1 408 Request Timeout\r\nContent-Type: " + ProtocolJson.MEDIA_TYPE + "\r\nContent-Length: "
                + json.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        write(Callback.from(this::close, x -> close(x)), ByteBuffer.wrap(head), ByteBuffer.wrap(json));
    }
}
