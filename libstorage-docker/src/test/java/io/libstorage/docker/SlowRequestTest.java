package io.libstorage.docker;

import io.libstorage.core.LibStorage;
import io.libstorage.tck.LibStorageExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that arrive too slowly (slow-loris): headers or a body trickled byte by byte get a bounded
 * answer, a 408 JSON error, instead of holding the connection for as long as the client keeps
 * trickling; an idle keep-alive connection between requests is left alone. The trickle lasts far
 * longer than the deadline, so the answer arriving before the trickle ends is what bounds it.
 */
@ExtendWith(LibStorageExtension.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SlowRequestTest {
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final int TRICKLE_STEPS = 100;
    private static final long TRICKLE_PAUSE_MS = 300;

    @TempDir
    Path dir;
    private DockerVolumePlugin plugin;

    @BeforeEach
    void start(LibStorage storage) {
        plugin = DockerVolumePlugin.start(storage, PluginOptions.builder().name("slow").socketDirectory(dir)
                .operationTimeout(DEADLINE).build());
    }

    @AfterEach
    void stop() {
        if (plugin != null) {
            plugin.close();
        }
    }

    @Test
    void aBodyTrickledByteByByteIsAnswered408BeforeItEnds() throws Exception {
        try (RawHttp http = new RawHttp(plugin.socketPath())) {
            http.write(("POST /VolumeDriver.Get HTTP/1.1\r\nHost: \r\nContent-Length: " + (TRICKLE_STEPS + 12) + "\r\n\r\n{\"Name\":\"v\"")
                    .getBytes(StandardCharsets.US_ASCII));
            Trickle trickle = new Trickle(http, " ", "}");
            RawHttp.Reply r = http.readReply();
            assertThat(trickle.sent()).as("answered before the body was complete").isLessThan(TRICKLE_STEPS);
            assertThat(r.status()).as(r.body()).isEqualTo(408);
            assertThat(r.code()).isEqualTo("REQUEST_TIMEOUT");
            assertThat(r.err()).isEqualTo("the request body did not arrive within 2000 ms (the deadline of /VolumeDriver.Get)");
            trickle.stop();
        }
        assertStillServes();
    }

    @Test
    void headersTrickledLineByLineAreAnswered408AndTheConnectionIsClosed() throws Exception {
        try (RawHttp http = new RawHttp(plugin.socketPath())) {
            http.write("POST /VolumeDriver.List HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            Trickle trickle = new Trickle(http, "X-Slow: y\r\n", "\r\n");
            RawHttp.Reply r = http.readReply();
            assertThat(trickle.sent()).as("answered before the headers were complete").isLessThan(TRICKLE_STEPS);
            assertThat(r.status()).as(r.body()).isEqualTo(408);
            assertThat(r.code()).isEqualTo("REQUEST_TIMEOUT");
            assertThat(r.err()).isEqualTo("the request headers did not arrive within 2000 ms of their first byte");
            assertThat(http.closedByPeer()).isTrue();
            trickle.stop();
        }
        assertStillServes();
    }

    @Test
    void anIdleKeepAliveConnectionIsNotClosedBetweenRequests() throws Exception {
        try (RawHttp http = new RawHttp(plugin.socketPath())) {
            assertThat(http.post("/VolumeDriver.List", "{}").status()).isEqualTo(200);
            Thread.sleep(DEADLINE.toMillis() * 2); // idle between requests, as dockerd's pooled connections are
            assertThat(http.post("/VolumeDriver.List", "{}").status()).isEqualTo(200);
        }
    }

    private void assertStillServes() {
        try (RawHttp http = new RawHttp(plugin.socketPath())) {
            assertThat(http.post("/VolumeDriver.Capabilities", "{}").status()).isEqualTo(200);
        }
    }

    /** Writes {@code piece} every 300 ms, {@value #TRICKLE_STEPS} times, then {@code last}; stops when the connection fails. */
    private static final class Trickle {
        private final AtomicInteger sent = new AtomicInteger();
        private final Thread thread;

        Trickle(RawHttp http, String piece, String last) {
            thread = new Thread(() -> {
                try {
                    for (int i = 0; i < TRICKLE_STEPS; i++) {
                        Thread.sleep(TRICKLE_PAUSE_MS);
                        http.write(piece.getBytes(StandardCharsets.US_ASCII));
                        sent.incrementAndGet();
                    }
                    http.write(last.getBytes(StandardCharsets.US_ASCII));
                } catch (IOException | InterruptedException e) {
                    // the plugin closed the connection, or the test is over
                }
            }, "trickle");
            thread.setDaemon(true);
            thread.start();
        }

        int sent() {
            return sent.get();
        }

        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join(10_000);
        }
    }
}
