package io.libstorage.virtualbox.internal;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidConfigurationException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultManagedHttpClientConnection;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.impl.io.SocketHolder;
import org.apache.hc.core5.http.io.HttpConnectionFactory;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP for the web service: a POST per call with {@code text/xml; charset=utf-8} and {@code SOAPAction: ""} (the
 * WSDL's), pooled keep-alive connections, connect and response deadlines, no automatic retries (createMedium and
 * friends are not idempotent), TLS verified unless {@code tls: true} (REX-Ray's meaning) says not to.
 *
 * <p>A logon carries the password in the request body, so HttpClient's wire log ({@code org.apache.hc.client5.http.wire},
 * which prints bodies when its level is DEBUG) is never attached to our connections, whatever the logging
 * configuration. The header log stays available: no header carries a secret (no HTTP authentication is sent).
 */
public final class SoapTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SoapTransport.class);
    private static final ContentType TEXT_XML = ContentType.create("text/xml", "utf-8");
    private static final AtomicLong CONNECTIONS = new AtomicLong();

    /** What came back: the HTTP status and the body. */
    public record Answer(int status, byte[] body) {
    }

    private final VirtualBoxSettings settings;
    private final CloseableHttpClient http;

    public SoapTransport(VirtualBoxSettings settings) {
        this.settings = settings;
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setConnectionFactory(new UnloggedConnections())
                        .setTlsSocketStrategy(tls(settings))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                                .setSocketTimeout(Timeout.of(settings.requestTimeout()))
                                .build())
                        .setMaxConnTotal(16)
                        .setMaxConnPerRoute(16)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(settings.requestTimeout()))
                        .setConnectionRequestTimeout(Timeout.of(settings.requestTimeout()))
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .build();
    }

    /** Sends one request body; an I/O failure is the caller's to turn into an error. */
    public Answer post(byte[] envelope) throws IOException {
        HttpPost post = new HttpPost(settings.endpoint());
        post.setHeader("SOAPAction", "\"\"");
        post.setEntity(new ByteArrayEntity(envelope, TEXT_XML));
        return http.execute(post, r -> new Answer(r.getCode(), r.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(r.getEntity())));
    }

    private static org.apache.hc.client5.http.ssl.TlsSocketStrategy tls(VirtualBoxSettings s) {
        try {
            ClientTlsStrategyBuilder b = ClientTlsStrategyBuilder.create();
            if (!s.skipTlsVerification()) {
                b.setSslContext(SSLContext.getDefault());
            } else {
                if (s.endpoint().getScheme().equals("https")) {
                    LOG.warn("virtualbox.tls is true (REX-Ray's meaning: skip verification): the certificate of {} is NOT verified;"
                            + " anyone on the path can read the logon password", s.endpoint());
                }
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {new TrustEverything()}, null);
                b.setSslContext(ctx).setHostnameVerifier(NoopHostnameVerifier.INSTANCE);
            }
            return b.buildClassic();
        } catch (GeneralSecurityException e) {
            throw new InvalidConfigurationException(ErrorContext.of("connect", null, null, VirtualBoxSettings.SECTION),
                    VirtualBoxSettings.SECTION + ".tls", "cannot set up TLS: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException e) {
            LOG.debug("closing the HTTP client", e);
        }
    }

    /** Connections that never wrap their socket in HttpClient's wire logger. */
    private static final class UnloggedConnections implements HttpConnectionFactory<ManagedHttpClientConnection> {
        @Override
        public ManagedHttpClientConnection createConnection(Socket socket) {
            return new UnloggedConnection("vbox-" + CONNECTIONS.incrementAndGet());
        }
    }

    private static final class UnloggedConnection extends DefaultManagedHttpClientConnection {
        UnloggedConnection(String id) {
            super(id);
        }

        @Override
        public void bind(Socket socket) throws IOException {
            bind(new SocketHolder(socket));
        }

        @Override
        public void bind(SSLSocket sslSocket, Socket socket) throws IOException {
            bind(new SocketHolder(sslSocket, socket));
        }
    }

    /** For {@code virtualbox.tls: true} only (REX-Ray's InsecureSkipVerify). */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
