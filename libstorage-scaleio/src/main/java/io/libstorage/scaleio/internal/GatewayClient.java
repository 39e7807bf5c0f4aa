package io.libstorage.scaleio.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.libstorage.api.AuthenticationException;
import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidConfigurationException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gateway's HTTP protocol: TLS (certificate chain and host name verified; with {@code insecure}, neither, as
 * REX-Ray did; a certificate refused is not retried but reported as {@link TlsRejection} says), a login ({@link GatewayLogin}: Basic on ScaleIO 2.x/3.x, bearer
 * tokens on PowerFlex 4.x), then every call with the session's Authorization and {@code application/json;version=<v>}.
 * A 401 (or 403) causes exactly one renewal shared by every thread that saw the old session (single flight: a refresh
 * of a bearer session, else a new login), then the same request is replayed with its body; a second 401, or a 401 at
 * login, is an {@link AuthenticationException} at once (no loop). A bearer session whose lifetime the gateway told is
 * renewed before it expires. Requests that fail at the connection level, or with 502/503/504, are retried a bounded
 * number of times: every request this driver makes is idempotent by construction (creates and maps are checked by name
 * and by the "already" error codes). {@link #close()} logs the session out.
 *
 * <p>Neither the password nor a token ever reaches a logger, at any level: connections are
 * {@link UnloggedConnection}s, so HttpClient's header and wire loggers are never called.
 */
final class GatewayClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayClient.class);

    private final ScaleIoSettings settings;
    private final CloseableHttpClient http;
    private final Object loginLock = new Object();
    private volatile GatewaySession session;
    private final AtomicLong logins = new AtomicLong();
    private final Clock clock;
    private final GatewayLogin login;
    private final LateAnswers lateLogins = new LateAnswers();

    GatewayClient(ScaleIoSettings settings) {
        this(settings, Clock.systemUTC());
    }

    GatewayClient(ScaleIoSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.login = new GatewayLogin(this, settings, clock);
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setConnectionFactory(UnloggedConnection.FACTORY)
                .setTlsSocketStrategy(tls(settings))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                        .setSocketTimeout(Timeout.of(settings.requestTimeout()))
                        .build())
                .setMaxConnTotal(64)
                .setMaxConnPerRoute(64)
                .build();
        this.http = HttpClients.custom()
                .setConnectionManager(pool)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(settings.requestTimeout()))
                        .setConnectionRequestTimeout(Timeout.of(settings.requestTimeout()))
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .build();
    }

    private static org.apache.hc.client5.http.ssl.TlsSocketStrategy tls(ScaleIoSettings s) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ClientTlsStrategyBuilder b = ClientTlsStrategyBuilder.create();
            if (s.insecure()) {
                LOG.warn("scaleio.insecure is true: neither the certificate chain nor the host name of the gateway {} is verified",
                        s.endpoint());
                ctx.init(null, new TrustManager[] {new TrustEverything()}, null);
                // CLIENT: the JDK's own host name check (endpoint identification) is not requested, only this verifier runs
                b.setHostVerificationPolicy(HostnameVerificationPolicy.CLIENT).setHostnameVerifier(NoopHostnameVerifier.INSTANCE);
            } else {
                ctx.init(null, TlsRejection.recording(trustManagers(s)), null);
            }
            return b.setSslContext(ctx).buildClassic();
        } catch (GeneralSecurityException | IOException e) {
            throw new InvalidConfigurationException(ErrorContext.of("connect", null, null, ScaleIoSettings.SECTION),
                    "scaleio.caCertificate", "cannot set up TLS: " + e.getMessage());
        }
    }

    /** The JDK's trust anchors, plus the configured certificate(s) if any. */
    private static TrustManager[] trustManagers(ScaleIoSettings s) throws GeneralSecurityException, IOException {
        TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        defaults.init((KeyStore) null);
        if (s.caCertificate().isEmpty()) {
            return defaults.getTrustManagers();
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int i = 0;
        for (TrustManager tm : defaults.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                for (X509Certificate c : x.getAcceptedIssuers()) {
                    ks.setCertificateEntry("jdk-" + i++, c);
                }
            }
        }
        try (InputStream in = Files.newInputStream(s.caCertificate().get())) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("configured-" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        return tmf.getTrustManagers();
    }

    /** Logs in now (validating endpoint and credentials) unless a session exists. */
    void ensureSession(ErrorContext ctx) {
        if (session == null) {
            relogin(ctx, -1);
        }
    }

    /** The API version in use ({@code major.minor}). */
    String apiVersion() {
        GatewaySession s = session;
        return s == null ? "?" : s.version();
    }

    /** Logins performed so far (for diagnostics and tests). */
    long logins() {
        return logins.get();
    }

    GatewayResponse get(ErrorContext ctx, String path) {
        return call(ctx, "GET", path, null);
    }

    GatewayResponse post(ErrorContext ctx, String path, Object body) {
        return call(ctx, "POST", path, body);
    }

    <T> T read(ErrorContext ctx, GatewayResponse r, Class<T> type) {
        try {
            return GatewayResponse.Json.MAPPER.readValue(r.body(), type);
        } catch (IOException e) {
            throw new BackendUnavailableException(ctx, "the gateway answered " + r.method() + " " + r.path()
                    + " with a body that is not a " + type.getSimpleName() + ": " + e.getMessage(), false, e);
        }
    }

    <T> List<T> readList(ErrorContext ctx, GatewayResponse r, Class<T> type) {
        try {
            return GatewayResponse.Json.MAPPER.readValue(r.body(),
                    GatewayResponse.Json.MAPPER.getTypeFactory().constructCollectionType(List.class, type));
        } catch (IOException e) {
            throw new BackendUnavailableException(ctx, "the gateway answered " + r.method() + " " + r.path()
                    + " with a body that is not a list of " + type.getSimpleName() + ": " + e.getMessage(), false, e);
        }
    }

    /** A JSON string body such as {@code "a2b7cc6300000000"}, quotes optional. */
    static String unquote(GatewayResponse r) {
        String s = new String(r.body(), StandardCharsets.UTF_8).strip();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1);
        }
        return s;
    }

    private GatewayResponse call(ErrorContext ctx, String method, String path, Object body) {
        ensureSession(ctx);
        GatewaySession s = session;
        if (s.renewDue(clock.instant())) {
            s = replace(ctx, s.generation(), "the access token is about to expire");
        }
        GatewayResponse r = send(ctx, method, path, body, s.authorization(settings.userName()), s.version());
        if (r.status() == 401 || r.status() == 403) {
            LOG.info("gateway answered {} to {} {}; logging in again", r.status(), method, path);
            GatewaySession fresh = replace(ctx, s.generation(), "the gateway answered " + r.status());
            r = send(ctx, method, path, body, fresh.authorization(settings.userName()), fresh.version());
            if (r.status() == 401 || r.status() == 403) {
                throw new AuthenticationException(ctx, "the gateway rejected a fresh session for user '"
                        + settings.userName() + "': " + r.describe());
            }
        }
        return r;
    }

    /** Logs in unless another thread already did since {@code seenGeneration}. */
    private GatewaySession relogin(ErrorContext ctx, long seenGeneration) {
        return replace(ctx, seenGeneration, null);
    }

    /**
     * A session in place of the one of {@code seenGeneration}, unless another thread already replaced it (single
     * flight: one 401 storm, one renewal). A bearer session is renewed with its refresh token when the gateway allows
     * it (the gateway session stays the same); otherwise a new login, and a bearer session it replaces is logged out,
     * since its refresh token may still be valid there.
     */
    private GatewaySession replace(ErrorContext ctx, long seenGeneration, String why) {
        synchronized (loginLock) {
            GatewaySession current = session;
            if (current != null && current.generation() != seenGeneration) {
                return current;
            }
            long generation = current == null ? 1 : current.generation() + 1;
            GatewaySession fresh = current == null ? null : login.refresh(ctx, current, generation);
            if (fresh == null) {
                fresh = login.login(ctx, generation);
                logins.incrementAndGet();
                if (current != null && current.bearer()) {
                    login.logout(current, why == null ? "replaced by a new login" : why);
                }
            }
            session = fresh;
            return fresh;
        }
    }

    /** One request with the connection-level retries; {@code authorization} may be null (no header). */
    GatewayResponse send(ErrorContext ctx, String method, String path, Object body, String authorization, String version) {
        return sendWithRetries(ctx, method, path, body, authorization, version);
    }

    /**
     * A login request: each attempt waits {@link ScaleIoSettings#requestTimeout()} for its answer, as any request; an
     * answer that comes later (within as long again) is handed to {@code ifLate}, so that the session it opened can be
     * logged out instead of being left on the gateway.
     */
    GatewayResponse sendLogin(ErrorContext ctx, String method, String path, Object body, String authorization,
                              java.util.function.Consumer<GatewayResponse> ifLate) {
        byte[] json = body == null ? null : toJson(ctx, body);
        Timeout lateLimit = Timeout.of(settings.requestTimeout().multipliedBy(2));
        return sendWithRetries(ctx, method, path, () -> lateLogins.await(
                () -> sendOnce(method, path, json, authorization, null, lateLimit), settings.requestTimeout(), ifLate));
    }

    private GatewayResponse sendWithRetries(ErrorContext ctx, String method, String path, Object body, String authorization,
                                            String version) {
        byte[] json = body == null ? null : toJson(ctx, body);
        return sendWithRetries(ctx, method, path, () -> sendOnce(method, path, json, authorization, version, null));
    }

    private interface Exchange {
        GatewayResponse run() throws IOException;
    }

    private GatewayResponse sendWithRetries(ErrorContext ctx, String method, String path, Exchange exchange) {
        List<String> failures = new ArrayList<>();
        long pause = 100;
        for (int attempt = 1; ; attempt++) {
            try {
                GatewayResponse r = exchange.run();
                if ((r.status() == 502 || r.status() == 503 || r.status() == 504) && attempt < settings.attempts()) {
                    failures.add(r.describe());
                } else {
                    return r;
                }
            } catch (IOException e) {
                Optional<CertificateException> rejected = TlsRejection.of(e);
                if (rejected.isPresent()) {
                    throw TlsRejection.error(ctx, settings, rejected.get());
                }
                failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
                if (attempt >= settings.attempts()) {
                    throw new BackendUnavailableException(ctx, "the gateway " + settings.endpoint() + " did not answer "
                            + method + " " + path + " after " + attempt + " attempts: " + failures, true, e);
                }
            }
            LOG.info("retrying {} {} after: {}", method, path, failures.get(failures.size() - 1));
            sleep(pause);
            pause = Math.min(pause * 4, 2000);
        }
    }

    /** One attempt, no retry (a logout at close). */
    GatewayResponse sendOnce(String method, String path, Object body, String authorization, String version) throws IOException {
        return sendOnce(method, path, body == null ? null : toJson(ErrorContext.of("logout", null, null, ScaleIoSettings.SECTION), body),
                authorization, version, null);
    }

    private GatewayResponse sendOnce(String method, String path, byte[] json, String authorization, String version,
                                     Timeout responseTimeout) throws IOException {
        HttpUriRequestBase req = method.equals("GET")
                ? new HttpGet(settings.endpoint().resolve(path))
                : new HttpPost(settings.endpoint().resolve(path));
        if (responseTimeout != null) {
            req.setConfig(RequestConfig.custom().setResponseTimeout(responseTimeout)
                    .setConnectionRequestTimeout(Timeout.of(settings.requestTimeout())).build());
        }
        String mediaType = version == null ? "application/json" : "application/json;version=" + version;
        if (authorization != null) {
            req.setHeader("Authorization", authorization);
        }
        req.setHeader("Accept", mediaType);
        if (json != null) {
            req.setEntity(new ByteArrayEntity(json, ContentType.parse(mediaType)));
        }
        return http.execute(req, response -> new GatewayResponse(method, path, response.getCode(),
                response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity())));
    }

    private static byte[] toJson(ErrorContext ctx, Object body) {
        try {
            return GatewayResponse.Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a request body for " + ctx.operation(), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Logs the session out (a command-line run must not leave a live token on the gateway each time), after giving
     * logins still on their way a bounded time to arrive and be logged out too; then closes the connections.
     */
    @Override
    public void close() {
        lateLogins.drain(settings.connectTimeout());
        GatewaySession s;
        synchronized (loginLock) {
            s = session;
            session = null;
        }
        if (s != null) {
            login.logout(s, "closing");
        }
        lateLogins.close();
        try {
            http.close();
        } catch (IOException e) {
            LOG.debug("closing the HTTP client", e);
        }
    }

    /**
     * For {@code insecure: true} only. Extended, so that the JDK does not wrap it in a manager of its own that checks
     * the host name and algorithm constraints after all.
     */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
