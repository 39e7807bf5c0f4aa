package io.libstorage.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted plugin on a unix socket that records every request exactly as received (to check what
 * {@link DockerPluginClient} sends) and answers with canned status and body per path.
 */
final class FakePlugin implements AutoCloseable {
    record Seen(String method, String path, Map<String, String> headers, String body) {
    }

    private final Path socket;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, String[]> answers = new ConcurrentHashMap<>();
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();

    FakePlugin(Path socket) {
        this.socket = socket;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::accept, "fake-plugin");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Answer {@code path} with {@code status} and {@code body}; unscripted paths get 200 {@code {"Err":""}}. */
    FakePlugin answer(String path, int status, String body) {
        answers.put(path, new String[] {String.valueOf(status), body});
        return this;
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                open.add(ch);
                Thread t = new Thread(() -> serve(ch), "fake-plugin-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            ByteBuffer in = ByteBuffer.allocate(1 << 16);
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            while (true) {
                String all = pending.toString(StandardCharsets.ISO_8859_1);
                int end = all.indexOf("\r\n\r\n");
                if (end >= 0) {
                    String head = all.substring(0, end);
                    String[] lines = head.split("\r\n");
                    Map<String, String> headers = new java.util.LinkedHashMap<>();
                    for (int i = 1; i < lines.length; i++) {
                        int c = lines[i].indexOf(':');
                        headers.put(lines[i].substring(0, c).strip().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).strip());
                    }
                    int len = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                    if (all.length() - end - 4 >= len) {
                        String body = all.substring(end + 4, end + 4 + len);
                        String[] req = lines[0].split(" ");
                        seen.add(new Seen(req[0], req[1], headers, body));
                        String[] a = answers.getOrDefault(req[1], new String[] {"200", "{\"Err\":\"\"}"});
                        byte[] b = a[1].getBytes(StandardCharsets.UTF_8);
                        String resp = "HTTP/1.1 " + a[0] + " X\r\nContent-Length: " + b.length + "\r\n\r\n" + a[1];
                        ch.write(ByteBuffer.wrap(resp.getBytes(StandardCharsets.UTF_8)));
                        byte[] rest = all.substring(end + 4 + len).getBytes(StandardCharsets.ISO_8859_1);
                        pending.reset();
                        pending.write(rest);
                        continue;
                    }
                }
                in.clear();
                if (ch.read(in) < 0) {
                    return;
                }
                in.flip();
                pending.write(in.array(), 0, in.limit());
            }
        } catch (IOException e) {
            // connection ended
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            for (SocketChannel c : open) {
                c.close();
            }
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
