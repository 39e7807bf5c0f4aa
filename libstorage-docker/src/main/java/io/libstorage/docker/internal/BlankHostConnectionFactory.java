package io.libstorage.docker.internal;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ProxyConnectionFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP/1.1 for dockerd 20.10's plugin client, which sends an empty {@code Host} header on unix
 * sockets (Go's {@code cleanHost} cuts the socket path at its first '/', leaving {@code "Host: \r\n"};
 * later engines send {@code plugin.moby.localhost}). RFC 7230 §5.4 allows an empty Host when the
 * target has no authority, but Jetty 12 rejects it unconditionally ("400 Blank Host"; a missing Host
 * is "400 No Host"), with no compliance setting to relax it. This factory hands Jetty's HTTP
 * connection an end point that, as bytes arrive, fills an empty {@code Host} value of a header line
 * with {@code localhost}. Nothing else is changed; requests with a Host value pass through untouched.
 *
 * <p>With a head deadline, the end point is also a {@link HeadDeadlineEndPoint}: headers that take longer
 * than that from their first byte are answered 408 and the connection is closed.
 */
public final class BlankHostConnectionFactory extends HttpConnectionFactory {
    private static final byte[] HOST = "host:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VALUE = "localhost".getBytes(StandardCharsets.US_ASCII);

    private final Duration headDeadline;

    /** Without a head deadline (only the connector's idle timeout bounds a slow client). */
    public BlankHostConnectionFactory(HttpConfiguration config) {
        this(config, null);
    }

    /** With {@code headDeadline} for the head of every request, counted from its first byte. */
    public BlankHostConnectionFactory(HttpConfiguration config, Duration headDeadline) {
        super(config);
        this.headDeadline = headDeadline;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        EndPoint fixed = new BlankHostEndPoint(endPoint);
        return super.newConnection(connector, headDeadline == null ? fixed
                : new HeadDeadlineEndPoint(fixed, connector.getScheduler(), headDeadline));
    }

    /** The connector's end point with {@link #fill} fixing empty Host values. */
    static final class BlankHostEndPoint extends ProxyConnectionFactory.ProxyEndPoint {
        BlankHostEndPoint(EndPoint endPoint) {
            super(endPoint, endPoint.getLocalSocketAddress(), endPoint.getRemoteSocketAddress());
        }

        @Override
        public int fill(ByteBuffer buffer) throws IOException {
            int n = super.fill(buffer);
            if (n > 0) {
                // the delegate may compact the buffer first: the new bytes are the last n before the limit
                n += fixBlankHost(buffer, buffer.limit() - n);
            }
            return n;
        }
    }

    /**
     * Fills empty {@code Host:} values in the bytes {@code [from, limit)} of a buffer in flush mode
     * (position = first unread byte, limit = end of data). A header line qualifies when it starts at
     * {@code from} or after a '\n', its name is {@code Host} (any case) and its value is only blanks up
     * to "\r\n". The value becomes {@code localhost} when the buffer has room for it, else the first
     * blank becomes {@code x}.
     *
     * @return how many bytes were inserted
     */
    static int fixBlankHost(ByteBuffer buffer, int from) {
        int added = 0;
        int limit = buffer.limit();
        for (int i = from; i + HOST.length + 1 < limit; i++) {
            if (i > from && buffer.get(i - 1) != '\n') {
                continue;
            }
            if (!startsWithIgnoreCase(buffer, i, HOST)) {
                continue;
            }
            int valueStart = i + HOST.length;
            int j = valueStart;
            while (j < limit && (buffer.get(j) == ' ' || buffer.get(j) == '\t')) {
                j++;
            }
            if (j + 1 >= limit || buffer.get(j) != '\r' || buffer.get(j + 1) != '\n') {
                continue;
            }
            int blanks = j - valueStart;
            int extra = VALUE.length - blanks;
            if (extra <= buffer.capacity() - limit) {
                // shift [j, limit) right by extra (or left, when there were more blanks), then write the value
                buffer.limit(limit + Math.max(0, extra));
                if (extra > 0) {
                    for (int k = limit - 1; k >= j; k--) {
                        buffer.put(k + extra, buffer.get(k));
                    }
                } else {
                    for (int k = j; k < limit; k++) {
                        buffer.put(k + extra, buffer.get(k));
                    }
                }
                for (int k = 0; k < VALUE.length; k++) {
                    buffer.put(valueStart + k, VALUE[k]);
                }
                limit += extra;
                buffer.limit(limit);
                added += extra;
            } else if (blanks > 0) {
                buffer.put(valueStart, (byte) 'x');
            }
        }
        return added;
    }

    private static boolean startsWithIgnoreCase(ByteBuffer buffer, int at, byte[] lowerCase) {
        if (at + lowerCase.length > buffer.limit()) {
            return false;
        }
        for (int k = 0; k < lowerCase.length; k++) {
            int b = buffer.get(at + k);
            if (b >= 'A' && b <= 'Z') {
                b += 'a' - 'A';
            }
            if (b != lowerCase[k]) {
                return false;
            }
        }
        return true;
    }
}
