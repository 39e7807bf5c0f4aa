package io.libstorage.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A soak of a running Docker volume plugin: N concurrent clients each repeat create, mount, write, unmount,
 * remove on volumes of their own, for a given number of seconds, over the plugin's unix socket (the JDK's
 * unix-domain {@link SocketChannel}, one HTTP/1.1 request per connection as dockerd's plugin client does
 * without keep-alive). Prints the calls per second and the p50/p99 of each verb, and the failures.
 *
 * <p>No dependency beyond the JDK, so {@code benchmarks/service-footprint.sh} runs it as a single source
 * file: {@code java PluginSoak.java SOCKET SECONDS CLIENTS PREFIX [SIZE]}. Each client removes the volume of an
 * interrupted cycle itself; at the end it lists what is left under its prefix and removes it. Writing into the
 * mount point needs the permissions of the plugin's mounts (root, as the plugin runs).
 */
public final class PluginSoak {
    private static final Pattern MOUNTPOINT = Pattern.compile("\"Mountpoint\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern ERR = Pattern.compile("\"Err\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern NAME = Pattern.compile("\"Name\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final List<String> VERBS = List.of("Create", "Mount", "Unmount", "Remove");

    private final Path socket;
    private final Map<String, List<long[]>> samples = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();
    private final List<String> firstFailures = new CopyOnWriteArrayList<>();

    private PluginSoak(Path socket) {
        this.socket = socket;
        for (String v : VERBS) {
            samples.put(v, new CopyOnWriteArrayList<>());
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: PluginSoak SOCKET SECONDS CLIENTS PREFIX [SIZE, default 16MiB]");
            System.exit(2);
        }
        Path socket = Path.of(args[0]);
        long seconds = Long.parseLong(args[1]);
        int clients = Integer.parseInt(args[2]);
        String prefix = args[3];
        String size = args.length > 4 ? args[4] : "16MiB";
        new PluginSoak(socket).run(seconds, clients, prefix, size);
    }

    private void run(long seconds, int clients, String prefix, String size) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        AtomicLong cycles = new AtomicLong();
        for (int c = 0; c < clients; c++) {
            String name = prefix + "-" + c;
            Thread t = new Thread(() -> {
                int i = 0;
                while (System.nanoTime() < end) {
                    if (cycle(name + "-" + i++, size)) {
                        cycles.incrementAndGet();
                    }
                }
            }, "soak-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long calls = samples.values().stream().mapToLong(List::size).sum();
        System.out.printf("soak: %d clients, %.1f s, %d cycles, %d calls, %.1f calls/s, %d failures%n",
                clients, elapsed, cycles.get(), calls, calls / elapsed, failures.get());
        for (String v : VERBS) {
            long[] ms = samples.get(v).stream().mapToLong(s -> s[0]).sorted().toArray();
            System.out.printf("verb %-8s n=%d p50=%.1f ms p99=%.1f ms max=%.1f ms%n", v, ms.length,
                    pct(ms, 0.50) / 1e6, pct(ms, 0.99) / 1e6, ms.length == 0 ? 0 : ms[ms.length - 1] / 1e6);
        }
        firstFailures.forEach(f -> System.out.println("failure: " + f));
        cleanUp(prefix);
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** One create, mount, write, unmount, remove; on a failure the volume is unmounted and removed, untimed. */
    private boolean cycle(String volume, String size) {
        String name = json(volume);
        boolean mounted = false;
        try {
            call("Create", "{\"Name\":" + name + ",\"Opts\":{\"size\":" + json(size) + "}}");
            String r = call("Mount", "{\"Name\":" + name + ",\"ID\":\"soak\"}");
            mounted = true;
            Matcher m = MOUNTPOINT.matcher(r);
            if (!m.find()) {
                throw new IllegalStateException("Mount of " + volume + " answered no Mountpoint: " + r);
            }
            write(Path.of(m.group(1).replace("\\/", "/")).resolve("soak.bin"));
            call("Unmount", "{\"Name\":" + name + ",\"ID\":\"soak\"}");
            mounted = false;
            call("Remove", "{\"Name\":" + name + "}");
            return true;
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            if (firstFailures.size() < 5) {
                firstFailures.add(volume + ": " + e);
            }
            undo(volume, mounted);
            return false;
        }
    }

    private void undo(String volume, boolean mounted) {
        try {
            if (mounted) {
                post("/VolumeDriver.Unmount", "{\"Name\":" + json(volume) + ",\"ID\":\"soak\"}");
            }
            post("/VolumeDriver.Remove", "{\"Name\":" + json(volume) + "}");
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot undo " + volume + ": " + e);
        }
    }

    private static void write(Path file) throws IOException {
        byte[] block = new byte[64 * 1024];
        Arrays.fill(block, (byte) 0x5a);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int i = 0; i < 16; i++) {
                ByteBuffer b = ByteBuffer.wrap(block);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
            ch.force(true);
        }
    }

    /** Removes every volume the plugin lists under {@code prefix} (left by a failed cycle). */
    private void cleanUp(String prefix) {
        try {
            String list = post("/VolumeDriver.List", "{}");
            Matcher m = NAME.matcher(list);
            while (m.find()) {
                String v = m.group(1);
                if (v.startsWith(prefix + "-")) {
                    System.out.println("removing left-over volume " + v);
                    undo(v, true);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot list the plugin's volumes: " + e);
        }
    }

    private String call(String verb, String body) throws IOException {
        long t0 = System.nanoTime();
        String r = post("/VolumeDriver." + verb, body);
        samples.get(verb).add(new long[]{System.nanoTime() - t0});
        Matcher err = ERR.matcher(r);
        if (err.find() && !err.group(1).isEmpty()) {
            throw new IllegalStateException(verb + ": " + err.group(1));
        }
        return r;
    }

    /** One request on a fresh connection; returns the body. */
    private String post(String path, String body) throws IOException {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: plugin\r\nAccept: application/vnd.docker.plugins.v1.2+json\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + payload.length + "\r\nConnection: close\r\n\r\n";
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.allocate(head.length() + payload.length);
            out.put(head.getBytes(StandardCharsets.US_ASCII)).put(payload).flip();
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                in.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            String response = in.toString(StandardCharsets.UTF_8);
            int split = response.indexOf("\r\n\r\n");
            if (!response.startsWith("HTTP/1.1 ") || split < 0) {
                throw new IOException(path + ": not an HTTP response: " + response);
            }
            String status = response.substring(9, Math.min(12, response.length()));
            String payloadIn = response.substring(split + 4);
            if (!status.equals("200") && !ERR.matcher(payloadIn).find()) {
                throw new IOException(path + ": HTTP " + status + ": " + payloadIn);
            }
            return payloadIn;
        }
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
