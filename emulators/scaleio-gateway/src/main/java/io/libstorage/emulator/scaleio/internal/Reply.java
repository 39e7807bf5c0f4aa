package io.libstorage.emulator.scaleio.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An HTTP answer, written after the model lock is released (list bodies stream from an immutable snapshot).
 *
 * @param status      HTTP status
 * @param errorCode   the errorCode of an error body, -1 otherwise (for the request log)
 * @param contentType content type, or null for an empty body
 * @param headers     extra headers
 * @param body        writes the body, or null for none
 */
record Reply(int status, int errorCode, String contentType, Map<String, String> headers, Body body) {
    static final String JSON = "application/json;charset=UTF-8";
    private static final JsonFactory JSON_FACTORY = new JsonFactory();

    interface Body {
        void write(OutputStream out) throws IOException;
    }

    interface JsonBody {
        void write(JsonGenerator g) throws IOException;
    }

    static Reply json(JsonBody body) {
        return json(200, body);
    }

    static Reply json(int status, JsonBody body) {
        return new Reply(status, -1, JSON, Map.of(), out -> {
            try (JsonGenerator g = JSON_FACTORY.createGenerator(out)) {
                body.write(g);
            }
        });
    }

    /** A JSON string literal body, e.g. a token, a version or an id. */
    static Reply jsonString(String value) {
        return json(g -> g.writeString(value));
    }

    /** An action's success: 200 with an empty body. */
    static Reply empty() {
        return new Reply(200, -1, null, Map.of(), null);
    }

    /** 204, no body (a 4.x logout). */
    static Reply noContent() {
        return new Reply(204, -1, null, Map.of(), null);
    }

    static Reply error(GatewayException e) {
        return error(e.httpStatus(), e.errorCode(), e.getMessage());
    }

    static Reply error(int status, int errorCode, String message) {
        return new Reply(status, errorCode, JSON, Map.of(), out -> {
            try (JsonGenerator g = JSON_FACTORY.createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("message", message);
                g.writeNumberField("httpStatusCode", status);
                g.writeNumberField("errorCode", errorCode);
                g.writeEndObject();
            }
        });
    }

    /** The gateway's 401 (reference 1.2), or the non-JSON variant some 4.x gateways send. */
    static Reply unauthorized(boolean nonJson) {
        Map<String, String> headers = Map.of("WWW-Authenticate", "Basic realm=Restricted");
        if (nonJson) {
            return new Reply(401, 0, "text/html;charset=UTF-8", headers,
                    out -> out.write("<html><body><h1>401 Unauthorized</h1></body></html>".getBytes(StandardCharsets.UTF_8)));
        }
        Reply json = error(401, 0, "Unauthorized");
        return new Reply(401, 0, JSON, headers, json.body());
    }

    static Reply text(int status, String contentType, String text) {
        return new Reply(status, -1, contentType, Map.of(), out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
