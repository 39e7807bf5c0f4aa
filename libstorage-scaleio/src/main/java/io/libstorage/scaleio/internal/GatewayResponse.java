package io.libstorage.scaleio.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.libstorage.scaleio.internal.GatewayModel.ErrorBody;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * One answer of the gateway. Errors are decoded from the {@code {"message","httpStatusCode","errorCode"}}
 * body when there is one, and from the text otherwise (never shown as bytes).
 */
record GatewayResponse(String method, String path, int status, byte[] body) {
    /** errorCodes and texts that mean "no such object" across gateway versions. */
    static final Set<Integer> NOT_FOUND_CODES = Set.of(3, 78, 79);

    boolean ok() {
        return status >= 200 && status < 300;
    }

    int errorCode() {
        ErrorBody e = error();
        return e == null || e.errorCode() == null ? -1 : e.errorCode();
    }

    String message() {
        ErrorBody e = error();
        if (e != null && e.message() != null) {
            return e.message();
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.startsWith("<")) {
            // an HTML page (a 4.x 401, a proxy's error page): its text, not its markup
            text = text.replaceAll("(?s)<(script|style)[^>]*>.*?</\\1>", " ").replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
        }
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    boolean notFound() {
        if (ok()) {
            return false;
        }
        String m = message();
        return NOT_FOUND_CODES.contains(errorCode()) || m.equals("Not found") || m.startsWith("Could not find the volume")
                || m.toLowerCase(java.util.Locale.ROOT).contains("not found");
    }

    boolean removalInProgress() {
        return errorCode() == 212 || message().startsWith("A volume removal operation is currently in progress");
    }

    /** {@code POST /api/...: HTTP 500 errorCode 99: Volume name already in use...}. */
    String describe() {
        return method + " " + path + ": HTTP " + status + (errorCode() >= 0 ? " errorCode " + errorCode() : "")
                + (message().isEmpty() ? "" : ": " + message());
    }

    private ErrorBody error() {
        if (body.length == 0 || body[0] != '{') {
            return null;
        }
        try {
            return Json.MAPPER.readValue(body, ErrorBody.class);
        } catch (IOException e) {
            return null;
        }
    }

    static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

        private Json() {
        }
    }
}
