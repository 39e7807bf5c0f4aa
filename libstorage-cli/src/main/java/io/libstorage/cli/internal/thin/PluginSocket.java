package io.libstorage.cli.internal.thin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One HTTP/1.1 {@code POST} to a Docker volume plugin's unix socket, the way the Docker client sends it
 * ({@code Accept: application/vnd.docker.plugins.v1.2+json}, no {@code Content-Type}), on a connection of its
 * own closed after the answer. Only what the thin client needs: a status and a body (identity, fixed length or
 * chunked). Not thread-safe; a call either answers or fails with an {@link IOException} that says whether any
 * byte of the request was sent.
 */
final class PluginSocket {
    static final String MEDIA_TYPE = "application/vnd.docker.plugins.v1.2+json";
    private static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

    private final Path socket;

    PluginSocket(Path socket) {
        this.socket = socket;
    }

    /** The status and body of an answer. */
    record Response(int status, String body) {
    }

    /** Nothing of the request reached the socket (it does not exist, or nobody accepts): safe to do it another way. */
    static final class NotSent extends IOException {
        private static final long serialVersionUID = 1L;

        NotSent(IOException cause) {
            super(String.valueOf(cause.getMessage()), cause);
        }
    }

    /**
     * {@code POST path} with {@code body} (null: no body, as Activate is sent).
     *
     * @throws NotSent when no connection could be made
     * @throws IOException when the connection broke after the request was (partly) sent, or the answer is not HTTP
     */
    Response post(String path, String body) throws IOException {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new NotSent(e);
        }
        try (ch) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new NotSent(e);
            }
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + path + " HTTP/1.1\r\nHost: plugin.moby.localhost\r\nAccept: " + MEDIA_TYPE
                    + "\r\nContent-Length: " + content.length + "\r\nConnection: close\r\n\r\n";
            byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
            ByteBuffer out = ByteBuffer.allocate(h.length + content.length).put(h).put(content).flip();
            while (out.hasRemaining()) {
                ch.write(out);
            }
            return parse(readAll(ch));
        }
    }

    private static byte[] readAll(SocketChannel ch) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (ch.read(buf) >= 0) {
            all.write(buf.array(), 0, buf.position());
            buf.clear();
            if (all.size() > MAX_RESPONSE_BYTES) {
                throw new IOException("the answer exceeds " + MAX_RESPONSE_BYTES + " bytes");
            }
        }
        return all.toByteArray();
    }

    /** The response of the bytes read until the server closed the connection. */
    static Response parse(byte[] raw) throws IOException {
        int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
        if (end < 0) {
            throw new IOException(raw.length == 0 ? "the connection was closed without an answer"
                    : "the connection was closed in the middle of the answer's header");
        }
        String[] lines = lines(new String(raw, 0, end, StandardCharsets.ISO_8859_1));
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + lines[0]);
        }
        int status;
        try {
            status = Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + lines[0], e);
        }
        long length = -1;
        boolean chunked = false;
        for (int k = 1; k < lines.length; k++) {
            int colon = lines[k].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[k].substring(0, colon).trim();
            String value = lines[k].substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("a bad Content-Length: " + value, e);
                }
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        int start = end + 4;
        byte[] body;
        if (chunked) {
            body = dechunk(raw, start);
        } else if (length >= 0) {
            if (raw.length - start < length) {
                throw new IOException("the connection was closed after " + (raw.length - start) + " of the answer's "
                        + length + " bytes");
            }
            body = java.util.Arrays.copyOfRange(raw, start, start + (int) length);
        } else {
            body = java.util.Arrays.copyOfRange(raw, start, raw.length);
        }
        return new Response(status, new String(body, StandardCharsets.UTF_8));
    }

    /** The header's lines (split at CRLF without the regular expression engine). */
    private static String[] lines(String head) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int from = 0;
        for (int at = head.indexOf("\r\n"); at >= 0; at = head.indexOf("\r\n", from)) {
            out.add(head.substring(from, at));
            from = at + 2;
        }
        out.add(head.substring(from));
        return out.toArray(new String[0]);
    }

    private static byte[] dechunk(byte[] raw, int from) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = from;
        byte[] crlf = {'\r', '\n'};
        while (true) {
            int eol = indexOf(raw, crlf, at);
            if (eol < 0) {
                throw new IOException("the connection was closed in the middle of the answer");
            }
            String sizeText = new String(raw, at, eol - at, StandardCharsets.ISO_8859_1);
            int semicolon = sizeText.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semicolon < 0 ? sizeText : sizeText.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("a bad chunk size: " + sizeText, e);
            }
            at = eol + 2;
            if (size == 0) {
                return out.toByteArray();
            }
            if (raw.length - at < size + 2) {
                throw new IOException("the connection was closed in the middle of the answer");
            }
            out.write(raw, at, size);
            at += size + 2;
        }
    }

    private static int indexOf(byte[] data, byte[] what, int from) {
        outer:
        for (int k = from; k <= data.length - what.length; k++) {
            for (int j = 0; j < what.length; j++) {
                if (data[k + j] != what[j]) {
                    continue outer;
                }
            }
            return k;
        }
        return -1;
    }
}
