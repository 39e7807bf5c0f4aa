package io.libstorage.docker.internal;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class BlankHostConnectionFactoryTest {
    private static String fix(String data, int capacity) {
        ByteBuffer b = ByteBuffer.allocate(capacity);
        b.put(data.getBytes(StandardCharsets.US_ASCII));
        b.flip();
        int added = BlankHostConnectionFactory.fixBlankHost(b, 0);
        String out = StandardCharsets.US_ASCII.decode(b.duplicate()).toString();
        assertThat(out.length()).isEqualTo(data.length() + added);
        return out;
    }

    @Test
    void anEmptyHostBecomesLocalhost() {
        String req = "POST /Plugin.Activate HTTP/1.1\r\nHost: \r\nUser-Agent: Go-http-client/1.1\r\nContent-Length: 0\r\n\r\n";
        assertThat(fix(req, 1024)).isEqualTo(req.replace("Host: \r\n", "Host:localhost\r\n"));
        assertThat(fix("GET / HTTP/1.1\r\nhost:\r\n\r\n", 64)).isEqualTo("GET / HTTP/1.1\r\nhost:localhost\r\n\r\n");
        assertThat(fix("GET / HTTP/1.1\r\nHOST:  \t\r\n\r\n", 64)).isEqualTo("GET / HTTP/1.1\r\nHOST:localhost\r\n\r\n");
    }

    @Test
    void everyRequestOfAPipelinedBufferIsFixed() {
        String one = "POST /a HTTP/1.1\r\nHost: \r\nContent-Length: 2\r\n\r\n{}";
        assertThat(fix(one + one, 1024)).isEqualTo((one + one).replace("Host: \r\n", "Host:localhost\r\n"));
    }

    @Test
    void withoutRoomTheBlankBecomesX() {
        String req = "GET / HTTP/1.1\r\nHost: \r\n\r\n";
        assertThat(fix(req, req.length())).isEqualTo("GET / HTTP/1.1\r\nHost:x\r\n\r\n");
    }

    @Test
    void otherHeadersAndRealHostsAreUntouched() {
        for (String req : new String[] {"GET / HTTP/1.1\r\nHost: plugin.moby.localhost\r\n\r\n",
                "GET / HTTP/1.1\r\nX-Host: \r\n\r\n", "GET / HTTP/1.1\r\nHostname: \r\n\r\n",
                "GET / HTTP/1.1\r\nHost: \r"}) {
            assertThat(fix(req, 256)).isEqualTo(req);
        }
    }
}
