package io.libstorage.emulator.scaleio.internal.host;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The emulated MDM's SDC port. A host agent connects, sends {@code SDC <GUID>} and then a {@code PING} line
 * every heartbeat interval; the server answers {@code OK} (or {@code ERR <reason>} and closes). The host
 * counts as connected until the socket ends (EOF or reset, as when the agent's process is killed) or no
 * line arrives within the heartbeat timeout (a hung or partitioned host).
 */
public final class MdmServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MdmServer.class);

    private final ServerSocket server;
    private final Duration heartbeatTimeout;
    private final Predicate<String> knownGuid;
    private final Consumer<String> onConnect;
    private final Consumer<String> onDisconnect;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    public MdmServer(InetAddress bind, int port, Duration heartbeatTimeout, Predicate<String> knownGuid,
                     Consumer<String> onConnect, Consumer<String> onDisconnect) throws IOException {
        this.server = new ServerSocket();
        this.server.setReuseAddress(true);
        this.server.bind(new InetSocketAddress(bind, port));
        this.heartbeatTimeout = heartbeatTimeout;
        this.knownGuid = knownGuid;
        this.onConnect = onConnect;
        this.onDisconnect = onDisconnect;
        this.acceptor = new Thread(this::acceptLoop, "mdm-accept-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "mdm-sdc-" + s.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("MDM port accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(Socket s) {
        sockets.add(s);
        String guid = null;
        try (s) {
            s.setSoTimeout((int) heartbeatTimeout.toMillis());
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = s.getOutputStream();
            String hello = in.readLine();
            if (hello == null || !hello.startsWith("SDC ")) {
                out.write("ERR expected: SDC <GUID>\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            String candidate = hello.substring(4).strip().toUpperCase(Locale.ROOT);
            if (!knownGuid.test(candidate)) {
                out.write("ERR Could not find the SDC\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            guid = candidate;
            onConnect.accept(guid);
            out.write("OK\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (in.readLine() != null) {
                // heartbeat; any line keeps the connection alive
            }
        } catch (SocketTimeoutException e) {
            LOG.info("SDC {} missed its heartbeats for {}; closing its MDM connection", guid, heartbeatTimeout);
        } catch (IOException e) {
            // reset by peer: the host process died
        } finally {
            sockets.remove(s);
            if (guid != null) {
                onDisconnect.accept(guid);
            }
        }
    }

    /** Closes every SDC connection (for "MDM restart" style tests); agents see their socket end. */
    public void dropAll() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        dropAll();
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
