package io.libstorage.emulator.scaleio;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A fault to inject into gateway calls ({@code /api/...}) whose path matches {@code pathPattern} (a regular
 * expression searched in the raw request path) and, if set, whose method equals {@code method}. Faults
 * apply after authentication succeeded, so they model what the gateway or MDM does to a valid call.
 *
 * @param kind        what happens
 * @param method      HTTP method to match, or null for any
 * @param pathPattern regular expression found in the path ({@code removeMappedSdc}, {@code ^/api/types/Volume/instances$})
 * @param times       how many matching calls it affects; -1 = until removed
 * @param httpStatus  status of an {@link Kind#ERROR}
 * @param errorCode   errorCode of an {@link Kind#ERROR}
 * @param message     message of an {@link Kind#ERROR}
 * @param latency     added delay of a {@link Kind#LATENCY} fault
 */
public record FaultRule(Kind kind, @Nullable String method, String pathPattern, int times, int httpStatus, int errorCode,
                        @Nullable String message, @Nullable Duration latency) {

    /** The kinds of injected faults. */
    public enum Kind {
        /** Answer with a gateway error body {@code {"message","httpStatusCode","errorCode"}}. */
        ERROR,
        /** Delay the call, then handle it normally. */
        LATENCY,
        /** Close the connection without any response. */
        DROP_CONNECTION,
        /** Answer 200 with an empty body without doing anything (a "lost" action, e.g. an unmap that never happens). */
        LOSE,
        /** Answer 401 exactly as for an expired token. */
        UNAUTHORIZED
    }

    public FaultRule {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(pathPattern, "pathPattern");
        Pattern.compile(pathPattern);
        if (times == 0 || times < -1) {
            throw new IllegalArgumentException("times must be positive or -1 (until removed): " + times);
        }
        if (kind == Kind.LATENCY && (latency == null || latency.isNegative())) {
            throw new IllegalArgumentException("a LATENCY fault needs a non-negative latency");
        }
    }

    /** Fails the next matching call with {@code httpStatus}/{@code errorCode}/{@code message}. */
    public static FaultRule error(String pathPattern, int httpStatus, int errorCode, String message) {
        return new FaultRule(Kind.ERROR, null, pathPattern, 1, httpStatus, errorCode, message, null);
    }

    /** Delays every matching call by {@code latency} until removed. */
    public static FaultRule latency(String pathPattern, Duration latency) {
        return new FaultRule(Kind.LATENCY, null, pathPattern, -1, 0, 0, null, latency);
    }

    /** Drops the connection of the next matching call. */
    public static FaultRule dropConnection(String pathPattern) {
        return new FaultRule(Kind.DROP_CONNECTION, null, pathPattern, 1, 0, 0, null, null);
    }

    /** Answers the next matching call with 200 but does not carry it out. */
    public static FaultRule lose(String pathPattern) {
        return new FaultRule(Kind.LOSE, null, pathPattern, 1, 0, 0, null, null);
    }

    /** Answers the next matching call with the gateway's 401. */
    public static FaultRule unauthorized(String pathPattern) {
        return new FaultRule(Kind.UNAUTHORIZED, null, pathPattern, 1, 0, 0, null, null);
    }

    /** The same rule for {@code n} matching calls (-1: until removed). */
    public FaultRule withTimes(int n) {
        return new FaultRule(kind, method, pathPattern, n, httpStatus, errorCode, message, latency);
    }

    /** The same rule restricted to one HTTP method. */
    public FaultRule withMethod(String httpMethod) {
        return new FaultRule(kind, httpMethod, pathPattern, times, httpStatus, errorCode, message, latency);
    }
}
