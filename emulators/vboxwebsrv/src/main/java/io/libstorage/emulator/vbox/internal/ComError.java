package io.libstorage.emulator.vbox.internal;

/**
 * A failed VirtualBox API call: the COM result code and the error info text that vboxwebsrv turns into a
 * {@code RuntimeFault} ("VirtualBox error: rc=0x80bb0001 &lt;text&gt; (0x80bb0001)").
 */
public final class ComError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final int E_UNEXPECTED = 0x8000FFFF;
    public static final int E_FAIL = 0x80004005;
    public static final int E_ACCESSDENIED = 0x80070005;
    public static final int E_INVALIDARG = 0x80070057;
    public static final int VBOX_E_OBJECT_NOT_FOUND = 0x80BB0001;
    public static final int VBOX_E_INVALID_VM_STATE = 0x80BB0002;
    public static final int VBOX_E_FILE_ERROR = 0x80BB0004;
    public static final int VBOX_E_INVALID_OBJECT_STATE = 0x80BB0007;
    public static final int VBOX_E_NOT_SUPPORTED = 0x80BB0009;
    public static final int VBOX_E_INVALID_SESSION_STATE = 0x80BB000B;
    public static final int VBOX_E_OBJECT_IN_USE = 0x80BB000C;

    private final int resultCode;
    private final String component;

    public ComError(int resultCode, String component, String text) {
        super(text);
        this.resultCode = resultCode;
        this.component = component;
    }

    public int resultCode() {
        return resultCode;
    }

    /** The COM component that raised it, e.g. {@code MachineWrap}. */
    public String component() {
        return component;
    }

    public String text() {
        return getMessage();
    }

    /** {@code 0x80bb0001}: lower-case hex as vboxwebsrv prints result codes. */
    public static String hex(int resultCode) {
        return "0x" + Integer.toHexString(resultCode);
    }
}
