package io.libstorage.emulator.scaleio.internal;

import io.libstorage.emulator.scaleio.internal.host.SelfSignedCertificate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/** The Jetty server: HTTPS (or plain HTTP) carrying the gateway API under {@code /api/} and the admin API under {@code /admin/}. */
public final class HttpFrontEnd implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    public HttpFrontEnd(EmulatorCore core, String bindHost, int port, SelfSignedCertificate tls, String adminToken,
                        Supplier<Map<String, Object>> status) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("scaleio-gateway");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        // legacy getByName:: lookups carry names URL-encoded twice (%25xx), which Tomcat on a real gateway accepts
        http.setUriCompliance(UriCompliance.DEFAULT.with("scaleio-gateway", UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        if (tls != null) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(tls.keyStore());
            ssl.setKeyStorePassword(new String(tls.password()));
            ssl.setCertAlias(SelfSignedCertificate.ALIAS);
            ssl.setSniRequired(false);
            // clients connect by IP or by any name they like; Tomcat on a real gateway does not check SNI either
            SecureRequestCustomizer secure = new SecureRequestCustomizer(false, false, -1, false);
            http.addCustomizer(secure);
            connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        connector.setHost(bindHost);
        connector.setPort(port);
        server.addConnector(connector);
        AdminApi admin = new AdminApi(core, adminToken, status, () -> tls == null ? null : tls.pem());
        server.setHandler(new FrontHandler(core, admin));
        server.start();
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private static final class FrontHandler extends Handler.Abstract {
        private final EmulatorCore core;
        private final AdminApi admin;

        FrontHandler(EmulatorCore core, AdminApi admin) {
            super(InvocationType.BLOCKING);
            this.core = core;
            this.admin = admin;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String method = request.getMethod();
            String path = request.getHttpURI().getPath();
            String body = Content.Source.asString(request, StandardCharsets.UTF_8);
            String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            Reply reply;
            if (path.startsWith("/admin/")) {
                reply = admin.handle(method, path, request.getHttpURI().getQuery(), authorization, body);
            } else {
                reply = core.handle(new EmulatorCore.Call(method, path, authorization, request.getHeaders().get(HttpHeader.ACCEPT),
                        request.getHeaders().get(HttpHeader.CONTENT_TYPE), body == null ? "" : body));
            }
            if (reply == EmulatorCore.DROP) {
                EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
                endPoint.close();
                callback.succeeded(); // nothing can be written any more; the client sees the connection end
                return true;
            }
            response.setStatus(reply.status());
            reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
            if (reply.body() == null) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
                response.write(true, null, callback);
                return true;
            }
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                reply.body().write(out);
            } catch (IOException e) {
                callback.failed(e);
                return true;
            }
            callback.succeeded();
            return true;
        }
    }
}
