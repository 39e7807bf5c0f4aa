package io.libstorage.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake volume plugin on a unix socket that answers Activate (VolumeDriver), Get (no such volume) and any
 * other call with an empty {@code Err}, except the one path it is told to cut: that answer's header promises
 * more bytes than are sent before the connection is closed (a service dying mid-answer). Keeps connections
 * alive unless the request says {@code Connection: close}. Records the paths it was asked.
 */
final class TruncatingPlugin implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Path socket;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile String truncated;
    private final Thread acceptor;

    private TruncatingPlugin(ServerSocketChannel server, Path socket, String truncated) {
        this.server = server;
        this.socket = socket;
        this.truncated = truncated;
        this.acceptor = new Thread(this::accept, "truncating-plugin");
        acceptor.setDaemon(true);
    }

    static TruncatingPlugin start(Path socket, String truncatedPath) throws IOException {
        Files.createDirectories(socket.getParent());
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(socket));
        TruncatingPlugin p = new TruncatingPlugin(s, socket, truncatedPath);
        p.acceptor.start();
        return p;
    }

    void truncate(String path) {
        truncated = path;
    }

    List<String> requests() {
        return List.copyOf(requests);
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                Thread t = new Thread(() -> serve(c), "truncating-plugin-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel c) {
        try (c) {
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (true) {
                String head;
                byte[] data;
                int end;
                while ((end = indexOf(data = pending.toByteArray(), "\r\n\r\n")) < 0) {
                    buf.clear();
                    if (c.read(buf) < 0) {
                        return;
                    }
                    pending.write(buf.array(), 0, buf.position());
                }
                head = new String(data, 0, end, StandardCharsets.ISO_8859_1);
                int length = 0;
                boolean close = false;
                for (String line : head.split("\r\n")) {
                    String l = line.toLowerCase(Locale.ROOT);
                    if (l.startsWith("content-length:")) {
                        length = Integer.parseInt(l.substring(15).trim());
                    } else if (l.startsWith("connection:") && l.contains("close")) {
                        close = true;
                    }
                }
                while (data.length < end + 4 + length) {
                    buf.clear();
                    if (c.read(buf) < 0) {
                        return;
                    }
                    pending.write(buf.array(), 0, buf.position());
                    data = pending.toByteArray();
                }
                pending.reset();
                pending.write(data, end + 4 + length, data.length - end - 4 - length);
                String path = head.split(" ")[1];
                requests.add(path);
                if (path.equals(truncated)) {
                    write(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"Er");
                    return;
                }
                String body = path.equals("/Plugin.Activate") ? "{\"Implements\":[\"VolumeDriver\"]}" : "{\"Err\":\"\"}";
                write(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
                if (close) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client went away: nothing to answer
        }
    }

    private static void write(SocketChannel c, String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    private static int indexOf(byte[] data, String what) {
        return new String(data, StandardCharsets.ISO_8859_1).indexOf(what);
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
