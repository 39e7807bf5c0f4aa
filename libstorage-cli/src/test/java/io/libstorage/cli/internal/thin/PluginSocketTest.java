package io.libstorage.cli.internal.thin;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The thin client's HTTP answer parsing and JSON, on the forms a plugin may send. */
class PluginSocketTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void fixedLengthChunkedAndUntilCloseBodies() throws IOException {
        assertThat(PluginSocket.parse(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")))
                .isEqualTo(new PluginSocket.Response(200, "{}"));
        assertThat(PluginSocket.parse(bytes("HTTP/1.1 500 Server Error\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"Er\r\n"
                + "7;x=y\r\nr\":\"x\"}\r\n0\r\n\r\n"))).isEqualTo(new PluginSocket.Response(500, "{\"Err\":\"x\"}"));
        assertThat(PluginSocket.parse(bytes("HTTP/1.0 200 OK\r\n\r\n{\"a\":1}"))).isEqualTo(new PluginSocket.Response(200, "{\"a\":1}"));
    }

    @Test
    void anAnswerCutShortIsAnError() {
        assertThatThrownBy(() -> PluginSocket.parse(bytes(""))).isInstanceOf(IOException.class).hasMessageContaining("without an answer");
        assertThatThrownBy(() -> PluginSocket.parse(bytes("HTTP/1.1 200 OK\r\nContent-Le")))
                .isInstanceOf(IOException.class).hasMessageContaining("header");
        assertThatThrownBy(() -> PluginSocket.parse(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"E")))
                .isInstanceOf(IOException.class).hasMessageContaining("closed after 3 of the answer's 10 bytes");
        assertThatThrownBy(() -> PluginSocket.parse(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"E")))
                .isInstanceOf(IOException.class).hasMessageContaining("middle of the answer");
        assertThatThrownBy(() -> PluginSocket.parse(bytes("SSH-2.0\r\n\r\n"))).isInstanceOf(IOException.class).hasMessageContaining("not an HTTP answer");
    }

    @Test
    void jsonReadsWhatPluginsSendAndWritesWhatTheDockerClientSends() {
        Object v = MiniJson.parse(" {\"Volumes\":[{\"Name\":\"a\\u00e9\\n\",\"Mountpoint\":\"\",\"Status\":{\"n\":-1.5e3,\"k\":12,"
                + "\"t\":true,\"z\":null}}],\"Err\":\"\"} ");
        Object vol = ((List<?>) MiniJson.field(v, "volumes")).get(0);
        assertThat(MiniJson.text(MiniJson.field(vol, "Name"))).isEqualTo("aé\n");
        Map<String, Object> status = new java.util.LinkedHashMap<>();
        status.put("n", -1500.0);
        status.put("k", 12L);
        status.put("t", true);
        status.put("z", null);
        assertThat(MiniJson.field(vol, "Status")).isEqualTo(status);
        assertThat(MiniJson.text(MiniJson.field(v, "Err"))).isEmpty();
        assertThatThrownBy(() -> MiniJson.parse("{\"a\":1} x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MiniJson.parse("{\"a\":")).isInstanceOf(IllegalArgumentException.class);
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("Name", "q\"\\\u0001");
        body.put("Opts", Map.of("size", "2"));
        assertThat(MiniJson.write(body)).isEqualTo("{\"Name\":\"q\\\"\\\\\\u0001\",\"Opts\":{\"size\":\"2\"}}");
        body.put("Opts", null);
        assertThat(MiniJson.write(body)).endsWith("\"Opts\":null}");
    }
}
