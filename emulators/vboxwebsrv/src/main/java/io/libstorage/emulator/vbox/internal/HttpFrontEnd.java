package io.libstorage.emulator.vbox.internal;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The Jetty server: SOAP on every path (as gSOAP serves any path) except {@code /admin/}, which carries the
 * emulator's own control API.
 */
public final class HttpFrontEnd implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    public HttpFrontEnd(SoapService soap, AdminApi admin, String bindHost, int port) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("vboxwebsrv");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(bindHost);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new FrontHandler(soap, admin));
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
        private final SoapService soap;
        private final AdminApi admin;

        FrontHandler(SoapService soap, AdminApi admin) {
            super(InvocationType.BLOCKING);
            this.soap = soap;
            this.admin = admin;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String method = request.getMethod();
            String path = request.getHttpURI().getPath();
            String body = Content.Source.asString(request, StandardCharsets.UTF_8);
            SoapService.Reply reply = path.startsWith("/admin/")
                    ? admin.handle(method, path, request.getHttpURI().getQuery(), request.getHeaders().get(HttpHeader.AUTHORIZATION), body)
                    : soap.handle(method, body);
            if (reply.drop()) {
                request.getConnectionMetaData().getConnection().getEndPoint().close();
                callback.succeeded();
                return true;
            }
            response.setStatus(reply.status());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            response.write(true, ByteBuffer.wrap(bytes), callback);
            return true;
        }
    }
}
