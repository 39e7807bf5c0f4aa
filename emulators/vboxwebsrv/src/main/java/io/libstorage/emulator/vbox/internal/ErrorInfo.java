package io.libstorage.emulator.vbox.internal;

/**
 * An {@code IVirtualBoxErrorInfo} object (a progress's {@code errorInfo}, or the one a {@code RuntimeFault} refers to).
 * Identity matters: each error is its own COM object with its own managed object reference.
 */
public final class ErrorInfo {
    private final int resultCode;
    private final String text;
    private final String component;
    private final String interfaceId;
    private final ErrorInfo next;

    public ErrorInfo(int resultCode, String text, String component, String interfaceId, ErrorInfo next) {
        this.resultCode = resultCode;
        this.text = text;
        this.component = component;
        this.interfaceId = interfaceId;
        this.next = next;
    }

    static ErrorInfo of(ComError e, String interfaceId) {
        return new ErrorInfo(e.resultCode(), e.text(), e.component(), interfaceId, null);
    }

    public int resultCode() {
        return resultCode;
    }

    public String text() {
        return text;
    }

    public String component() {
        return component;
    }

    public String interfaceId() {
        return interfaceId;
    }

    /** The next error in the chain, or null. */
    public ErrorInfo next() {
        return next;
    }
}
