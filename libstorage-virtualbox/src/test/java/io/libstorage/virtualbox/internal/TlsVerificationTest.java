package io.libstorage.virtualbox.internal;

import io.libstorage.api.BackendUnavailableException;
import io.libstorage.api.ErrorContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code tls} keeps REX-Ray's meaning (Go's InsecureSkipVerify): unset or false verifies an https endpoint's
 * certificate, so a self-signed web service is refused; only {@code tls: true} skips the check. Never insecure by default.
 */
class TlsVerificationTest {
    private static final ErrorContext CTX = ErrorContext.of("test", null, null, "virtualbox");
    private static final String LOGON = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><SOAP-ENV:Envelope "
            + "xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:vbox=\"http://www.virtualbox.org/\"><SOAP-ENV:Body>"
            + "<vbox:IWebsessionManager_logonResponse><returnval>634f0d8fd6ef0e49-0000000000000001</returnval>"
            + "</vbox:IWebsessionManager_logonResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>";

    @TempDir
    Path tmp;
    private SSLServerSocket server;
    private Thread acceptor;

    @BeforeEach
    void selfSignedWebService() throws Exception {
        Path ks = tmp.resolve("ws.p12");
        char[] pass = "throwaway".toCharArray();
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "ws", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "throwaway"))
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(ks)) {
            store.load(in, pass);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, pass);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::serve, "tls-test-web-service");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A minimal HTTPS answer to every request: the logon response; a refused handshake just ends that connection. */
    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                int length = 0;
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).strip());
                    }
                }
                in.skip(length);
                byte[] body = LOGON.getBytes(StandardCharsets.UTF_8);
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // a client that refused our certificate, or the server closing
            }
        }
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private VboxWebService client(Map<String, Object> extra) {
        Map<String, Object> raw = new java.util.HashMap<>(extra);
        raw.put("endpoint", "https://127.0.0.1:" + server.getLocalPort() + "/");
        return new VboxWebService(EmulatedVbox.settings(raw));
    }

    @Test
    void anUntrustedCertificateIsRefusedUnlessTlsTrueSaysToSkipTheCheckAsInRexRay() {
        for (Map<String, Object> verifying : List.of(Map.<String, Object>of(), Map.<String, Object>of("tls", false))) {
            try (VboxWebService ws = client(verifying)) {
                assertThatThrownBy(() -> ws.logon(CTX)).as("%s", verifying).isInstanceOf(BackendUnavailableException.class)
                        .hasMessageContaining("IWebsessionManager_logon");
            }
        }
        try (VboxWebService ws = client(Map.of("tls", true))) {
            ws.logon(CTX);
            assertThat(ws.logons()).isEqualTo(1);
        }
    }
}
