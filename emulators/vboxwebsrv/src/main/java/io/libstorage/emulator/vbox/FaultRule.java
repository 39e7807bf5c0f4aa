package io.libstorage.emulator.vbox;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A fault to inject into web-service calls whose operation name matches {@code operationPattern} (a regular
 * expression found in the local name, e.g. {@code IMachine_attachDevice} or {@code ^IMedium_}). Faults apply before
 * the call is carried out, so a faulted call changes nothing.
 *
 * @param kind             what happens
 * @param operationPattern regular expression searched in the operation name
 * @param times            how many matching calls it affects; -1 = until removed
 * @param resultCode       COM result code of a {@link Kind#RUNTIME_FAULT}
 * @param text             error text of a {@link Kind#RUNTIME_FAULT}, or body of an {@link Kind#HTTP_ERROR}
 * @param httpStatus       status of an {@link Kind#HTTP_ERROR}
 * @param latency          delay of a {@link Kind#LATENCY} fault
 */
public record FaultRule(Kind kind, String operationPattern, int times, int resultCode, @Nullable String text, int httpStatus,
                        @Nullable Duration latency) {

    /** The kinds of injected faults. */
    public enum Kind {
        /** A {@code RuntimeFault} with {@code resultCode} and {@code text}, exactly as VirtualBox errors are sent. */
        RUNTIME_FAULT,
        /** The {@code InvalidObjectFault} for the call's {@code _this}, as after a web-service restart. */
        INVALID_OBJECT,
        /** Delay the call, then carry it out. */
        LATENCY,
        /** Close the connection without an answer. */
        DROP_CONNECTION,
        /** A non-SOAP HTTP error (a proxy in between): {@code httpStatus} with {@code text} as plain text. */
        HTTP_ERROR,
        /**
         * The web service restarts just before this call arrives (every websession and reference invalid, their
         * session locks released); the call is then answered by the restarted service.
         */
        RESTART
    }

    public FaultRule {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(operationPattern, "operationPattern");
        Pattern.compile(operationPattern);
        if (times == 0 || times < -1) {
            throw new IllegalArgumentException("times must be positive or -1 (until removed): " + times);
        }
        if (kind == Kind.LATENCY && (latency == null || latency.isNegative())) {
            throw new IllegalArgumentException("a LATENCY fault needs a non-negative latency");
        }
    }

    /** The next matching call fails with a VirtualBox error. */
    public static FaultRule runtimeFault(String operationPattern, int resultCode, String text) {
        return new FaultRule(Kind.RUNTIME_FAULT, operationPattern, 1, resultCode, text, 0, null);
    }

    /** The next matching call answers "Invalid managed object reference" for its {@code _this}. */
    public static FaultRule invalidObject(String operationPattern) {
        return new FaultRule(Kind.INVALID_OBJECT, operationPattern, 1, 0, null, 0, null);
    }

    /** Every matching call is delayed by {@code latency} until the rule is removed. */
    public static FaultRule latency(String operationPattern, Duration latency) {
        return new FaultRule(Kind.LATENCY, operationPattern, -1, 0, null, 0, latency);
    }

    /** The next matching call's connection is closed without an answer. */
    public static FaultRule dropConnection(String operationPattern) {
        return new FaultRule(Kind.DROP_CONNECTION, operationPattern, 1, 0, null, 0, null);
    }

    /** The next matching call gets a plain HTTP error, as from a proxy. */
    public static FaultRule httpError(String operationPattern, int httpStatus, String text) {
        return new FaultRule(Kind.HTTP_ERROR, operationPattern, 1, 0, text, httpStatus, null);
    }

    /** The web service restarts just before the next matching call, which the restarted service then answers. */
    public static FaultRule restart(String operationPattern) {
        return new FaultRule(Kind.RESTART, operationPattern, 1, 0, null, 0, null);
    }

    /** The same rule for {@code n} matching calls (-1: until removed). */
    public FaultRule withTimes(int n) {
        return new FaultRule(kind, operationPattern, n, resultCode, text, httpStatus, latency);
    }
}
