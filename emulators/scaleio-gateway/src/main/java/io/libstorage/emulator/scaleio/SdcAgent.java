package io.libstorage.emulator.scaleio;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The host side of an SDC's link to the MDM: while an agent's connection to the emulator's MDM port is open,
 * the SDC with its GUID reports {@code mdmConnectionState: "Connected"}; when the connection ends (the
 * agent is closed, or its process dies, e.g. by SIGKILL) it becomes {@code "Disconnected"}. The agent sends
 * a heartbeat line every interval, so a hung host (stopped process, partition) is disconnected after the
 * emulator's heartbeat timeout.
 *
 * <p>Embedded: {@code try (SdcAgent a = SdcAgent.connect("127.0.0.1", mdmPort, guid)) { ... }}. As a process, one
 * per host, started with the host's other processes so that it dies with them:
 * {@code java -jar scaleio-gateway-emulator-all.jar sdc --mdm 127.0.0.1:<mdmPort> --guid <GUID>}
 * prints {@code CONNECTED <GUID>} and runs until killed (exit 2 if the emulator closes the connection).
 */
public final class SdcAgent implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final String guid;
    private final Thread heartbeat;
    private final Thread reader;
    private volatile boolean connected = true;

    private SdcAgent(Socket socket, String guid, BufferedReader in, Duration interval) {
        this.socket = socket;
        this.guid = guid;
        this.heartbeat = new Thread(() -> beat(interval), "sdc-agent-heartbeat-" + guid);
        this.heartbeat.setDaemon(true);
        this.reader = new Thread(() -> watch(in), "sdc-agent-reader-" + guid);
        this.reader.setDaemon(true);
        this.heartbeat.start();
        this.reader.start();
    }

    /** Connects with a one-second heartbeat. */
    public static SdcAgent connect(String host, int port, String guid) throws IOException {
        return connect(host, port, guid, Duration.ofSeconds(1));
    }

    /**
     * Connects to the MDM port and identifies as the SDC with {@code guid}.
     *
     * @throws IOException when the emulator cannot be reached or does not know the GUID
     */
    public static SdcAgent connect(String host, int port, String guid, Duration heartbeat) throws IOException {
        String g = guid.toUpperCase(Locale.ROOT);
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
            s.setSoTimeout((int) CONNECT_TIMEOUT.toMillis());
            s.getOutputStream().write(("SDC " + g + "\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            String answer = in.readLine();
            if (!"OK".equals(answer)) {
                throw new IOException("MDM at " + host + ":" + port + " refused SDC " + g + ": " + answer);
            }
            s.setSoTimeout(0);
            return new SdcAgent(s, g, in, heartbeat);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    public String guid() {
        return guid;
    }

    /** False once the connection ended (closed here or by the emulator). */
    public boolean isConnected() {
        return connected && !socket.isClosed();
    }

    private void beat(Duration interval) {
        try {
            OutputStream out = socket.getOutputStream();
            while (connected) {
                Thread.sleep(interval.toMillis());
                out.write("PING\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException e) {
            connected = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void watch(BufferedReader in) {
        try {
            while (in.readLine() != null) {
                // the MDM sends nothing after OK; EOF means it closed the connection
            }
        } catch (IOException e) {
            // reset or closed locally
        }
        connected = false;
    }

    /** Waits until the emulator ends the connection. */
    public void awaitDisconnect() throws InterruptedException {
        reader.join();
    }

    @Override
    public void close() {
        connected = false;
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        heartbeat.interrupt();
    }

    @Override
    public String toString() {
        return "SdcAgent[" + guid + (isConnected() ? ", connected" : ", disconnected") + "]";
    }

    static final String USAGE = "usage: sdc --mdm <host>:<mdmPort> --guid <GUID> [--heartbeat-millis 1000]\n"
            + "   or: sdc --port <mdmPort> --guid <GUID> [--host 127.0.0.1] [--heartbeat-millis 1000]";

    /**
     * The host's SDC as a process, until killed: {@code --mdm <host>:<port> --guid <GUID>} (or {@code --host}/{@code --port};
     * {@code [--heartbeat-millis 1000]}). Prints {@code CONNECTED <GUID>}; exits 2 when the emulator ends the
     * connection, 1 when it cannot connect, 64 on a usage error. Also {@code java -jar <emulator-all.jar> sdc ...}.
     */
    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = -1;
        String guid = null;
        long heartbeatMillis = 1000;
        try {
            for (int i = 0; i < args.length; i++) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value of " + args[i]);
                }
                String value = args[i + 1];
                switch (args[i]) {
                    case "--host" -> host = value;
                    case "--port" -> port = Integer.parseInt(value);
                    case "--mdm" -> {
                        int colon = value.lastIndexOf(':');
                        if (colon <= 0) {
                            throw new IllegalArgumentException("--mdm takes HOST:PORT: " + value);
                        }
                        host = value.substring(0, colon).replace("[", "").replace("]", "");
                        port = Integer.parseInt(value.substring(colon + 1));
                    }
                    case "--guid" -> guid = value;
                    case "--heartbeat-millis" -> heartbeatMillis = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("unknown flag " + args[i]);
                }
                i++;
            }
            if (port < 0 || guid == null) {
                throw new IllegalArgumentException("--guid and the MDM port are required");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(64);
            return;
        }
        SdcAgent agent;
        try {
            agent = connect(host, port, guid, Duration.ofMillis(heartbeatMillis));
        } catch (IOException e) {
            System.err.println("cannot connect: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println("CONNECTED " + agent.guid());
        System.out.flush();
        agent.awaitDisconnect();
        System.err.println("the MDM closed the connection");
        System.exit(2);
    }
}
