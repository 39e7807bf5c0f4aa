package io.libstorage.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately dumb HTTP/1.1 client over a unix socket that sends exactly the bytes a test gives
 * it (to reproduce dockerd's and dvdcli's requests byte for byte) and reads Content-Length framed
 * responses. One instance is one connection, so keep-alive is observable.
 */
final class RawHttp implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    record Reply(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String err() {
            return json().path("Err").asText();
        }

        String code() {
            return json().path("Code").asText();
        }
    }

    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(1 << 20);

    RawHttp(Path socket) {
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        in.flip();
    }

    /**
     * The request dockerd 20.10.24 sends, byte for byte as captured on the wire: POST, an empty
     * {@code Host} (Go cuts the socket path at its first '/'), Go's User-Agent, Content-Length framing,
     * Accept v1.2, no Content-Type, and a body written by Go's json.Encoder (with a trailing newline).
     */
    static String docker(String path, String body) {
        String b = body == null ? "" : body + "\n";
        return "POST " + path + " HTTP/1.1\r\n"
                + "Host: \r\n"
                + "User-Agent: Go-http-client/1.1\r\n"
                + "Content-Length: " + b.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + "Accept: application/vnd.docker.plugins.v1.2+json\r\n"
                + "\r\n"
                + b;
    }

    Reply post(String path, String body) {
        return send(docker(path, body));
    }

    /** {@code POST path} with exactly {@code body} (no trailing newline) and, when not null, a Content-Type. */
    Reply post(String path, byte[] body, String contentType) {
        String head = "POST " + path + " HTTP/1.1\r\n"
                + "Host: \r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: " + body.length + "\r\n"
                + "Accept: application/vnd.docker.plugins.v1.2+json\r\n"
                + "\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return send(all);
    }

    Reply send(String raw) {
        return send(raw.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends {@code raw} and reads the answer. When the plugin stops reading early (it answers a body that
     * is too large from the headers and closes), the answer it sent is still read.
     */
    Reply send(byte[] raw) {
        IOException writeFailure = null;
        try {
            ByteBuffer out = ByteBuffer.wrap(raw);
            while (out.hasRemaining()) {
                channel.write(out);
            }
        } catch (IOException e) {
            writeFailure = e;
        }
        try {
            return read();
        } catch (IOException e) {
            if (writeFailure != null) {
                e.addSuppressed(writeFailure);
            }
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code raw} without reading (for requests trickled by another thread). */
    void write(byte[] raw) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(raw);
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    /** Reads the next answer on this connection. */
    Reply readReply() {
        try {
            return read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the plugin closed this connection (reads end of stream; waits for it). */
    boolean closedByPeer() {
        try {
            if (in.hasRemaining()) {
                return false;
            }
            in.compact();
            int n = channel.read(in);
            in.flip();
            return n < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private Reply read() throws IOException {
        String head = readHead();
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, c).strip().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).strip());
        }
        String len = headers.get("content-length");
        if (len == null) {
            throw new AssertionError("response without Content-Length: " + head);
        }
        byte[] body = new byte[Integer.parseInt(len)];
        int got = 0;
        while (got < body.length) {
            if (!in.hasRemaining()) {
                fill();
            }
            int n = Math.min(in.remaining(), body.length - got);
            in.get(body, got, n);
            got += n;
        }
        return new Reply(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            if (!in.hasRemaining()) {
                fill();
            }
            byte b = in.get();
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1).strip();
    }

    private void fill() throws IOException {
        in.compact();
        int n = channel.read(in);
        in.flip();
        if (n < 0) {
            throw new IOException("connection closed by the plugin");
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // test helper
        }
    }
}
