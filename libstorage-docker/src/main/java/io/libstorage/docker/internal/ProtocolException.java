package io.libstorage.docker.internal;

/**
 * A request the plugin protocol layer rejects before any volume operation: malformed JSON, an
 * unknown endpoint, a wrong method, a body that is too large. Carries the HTTP status to answer with;
 * the message becomes the response's {@code Err}.
 */
public final class ProtocolException extends RuntimeException {
    private final int status;
    private final String code;

    public ProtocolException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    /** The HTTP status (400, 404, 405, 413). */
    public int status() {
        return status;
    }

    /** A stable upper-case code in the same style as the library's exception codes. */
    public String code() {
        return code;
    }
}
