package io.libstorage.emulator.scaleio;

import java.time.Instant;

/**
 * One gateway call as the emulator saw it. Credentials and tokens are never recorded.
 *
 * @param seq       position in the log (starts at 1, keeps counting across {@code resetRequestLog})
 * @param at        when the call arrived
 * @param method    HTTP method
 * @param path      raw request path
 * @param endpoint  the path with ids and names replaced by placeholders, e.g. {@code GET /api/instances/Volume::{id}}
 * @param status    HTTP status sent, or 0 when the connection was dropped
 * @param errorCode the {@code errorCode} of an error body, or -1
 * @param body      the request body (at most 4 KiB), or empty
 * @param apiVersion the {@code version=} parameter of the Accept header (else of the Content-Type), e.g. {@code 2.0},
 *                  or empty when the client sent none
 */
public record RequestRecord(long seq, Instant at, String method, String path, String endpoint, int status, int errorCode,
                            String body, String apiVersion) {
}
