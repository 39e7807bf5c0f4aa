package io.libstorage.scaleio.internal;

import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection;
import org.apache.hc.core5.http.impl.io.SocketHolder;
import org.apache.hc.core5.http.io.HttpConnectionFactory;
import org.apache.hc.core5.util.Timeout;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.Socket;

/**
 * The gateway client's HTTP/1.1 connection: HttpCore's, which logs nothing, instead of HttpClient's own.
 *
 * <p>HttpClient's connection class prints every request and response header to the logger
 * {@code org.apache.hc.client5.http.headers}, and every byte to {@code org.apache.hc.client5.http.wire}, as soon as
 * either is enabled at DEBUG: the {@code Authorization} header (Basic {@code user:password} at login, Basic
 * {@code user:token} afterwards) and the login answer (the token itself). An application that sets every logger to
 * DEBUG or TRACE would print the gateway's credentials. With this connection those loggers are never called, whatever
 * their level; the rest of HttpClient logs request lines, routes and connection ids, never headers or bodies.
 */
final class UnloggedConnection extends DefaultBHttpClientConnection implements ManagedHttpClientConnection {
    /** For {@code PoolingHttpClientConnectionManagerBuilder.setConnectionFactory}. */
    static final HttpConnectionFactory<ManagedHttpClientConnection> FACTORY = socket -> {
        UnloggedConnection c = new UnloggedConnection();
        if (socket != null) {
            c.bind(socket);
        }
        return c;
    };

    /** The timeout while in use; an idle (pooled) connection has none. */
    private volatile Timeout activeTimeout;

    private UnloggedConnection() {
        super(Http1Config.DEFAULT);
    }

    @Override
    public void bind(Socket socket) throws IOException {
        super.bind(socket);
        activeTimeout = Timeout.ofMilliseconds(socket.getSoTimeout());
    }

    @Override
    public void bind(SSLSocket sslSocket, Socket socket) throws IOException {
        super.bind(sslSocket, socket);
        activeTimeout = Timeout.ofMilliseconds(sslSocket.getSoTimeout());
    }

    @Override
    public Socket getSocket() {
        SocketHolder holder = getSocketHolder();
        return holder == null ? null : holder.getSocket();
    }

    @Override
    public void passivate() {
        setSocketTimeout(Timeout.ZERO_MILLISECONDS);
    }

    @Override
    public void activate() {
        setSocketTimeout(activeTimeout);
    }
}
