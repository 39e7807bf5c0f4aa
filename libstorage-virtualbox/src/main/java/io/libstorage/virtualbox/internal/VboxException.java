package io.libstorage.virtualbox.internal;

import java.util.OptionalInt;

/**
 * A VirtualBox error: a fault the web service answered, or a progress that completed unsuccessfully. Carries the
 * operation and, where VirtualBox gave one, the COM result code, so that a driver can tell "not found" from "in use"
 * without parsing text. Messages hold what the web service said and never a password.
 */
public abstract sealed class VboxException extends RuntimeException permits VboxFault, VboxProgressFailure {
    private static final long serialVersionUID = 1L;

    private final String operation;

    protected VboxException(String operation, String message) {
        super(message);
        this.operation = operation;
    }

    /** The web-service operation, e.g. {@code IMachine_attachDevice}. */
    public String operation() {
        return operation;
    }

    /** The COM result code, when there is one. */
    public abstract OptionalInt resultCode();

    /** VirtualBox's own text, without envelope decoration. */
    public abstract String text();

    /** Whether the result code is {@code code}. */
    public boolean is(int code) {
        OptionalInt rc = resultCode();
        return rc.isPresent() && rc.getAsInt() == code;
    }
}
