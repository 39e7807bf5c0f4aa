package io.libstorage.virtualbox.internal;

import java.util.Locale;
import java.util.Map;

/** COM result codes VirtualBox reports, with their names for messages. */
public final class ResultCodes {
    public static final int E_UNEXPECTED = 0x8000FFFF;
    public static final int E_FAIL = 0x80004005;
    public static final int E_ACCESSDENIED = 0x80070005;
    public static final int E_INVALIDARG = 0x80070057;
    public static final int VBOX_E_OBJECT_NOT_FOUND = 0x80BB0001;
    public static final int VBOX_E_INVALID_VM_STATE = 0x80BB0002;
    public static final int VBOX_E_VM_ERROR = 0x80BB0003;
    public static final int VBOX_E_FILE_ERROR = 0x80BB0004;
    public static final int VBOX_E_IPRT_ERROR = 0x80BB0005;
    public static final int VBOX_E_INVALID_OBJECT_STATE = 0x80BB0007;
    public static final int VBOX_E_NOT_SUPPORTED = 0x80BB0009;
    public static final int VBOX_E_INVALID_SESSION_STATE = 0x80BB000B;
    public static final int VBOX_E_OBJECT_IN_USE = 0x80BB000C;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(E_UNEXPECTED, "E_UNEXPECTED"), Map.entry(E_FAIL, "E_FAIL"), Map.entry(E_ACCESSDENIED, "E_ACCESSDENIED"),
            Map.entry(E_INVALIDARG, "E_INVALIDARG"), Map.entry(VBOX_E_OBJECT_NOT_FOUND, "VBOX_E_OBJECT_NOT_FOUND"),
            Map.entry(VBOX_E_INVALID_VM_STATE, "VBOX_E_INVALID_VM_STATE"), Map.entry(VBOX_E_VM_ERROR, "VBOX_E_VM_ERROR"),
            Map.entry(VBOX_E_FILE_ERROR, "VBOX_E_FILE_ERROR"), Map.entry(VBOX_E_IPRT_ERROR, "VBOX_E_IPRT_ERROR"),
            Map.entry(VBOX_E_INVALID_OBJECT_STATE, "VBOX_E_INVALID_OBJECT_STATE"), Map.entry(VBOX_E_NOT_SUPPORTED, "VBOX_E_NOT_SUPPORTED"),
            Map.entry(VBOX_E_INVALID_SESSION_STATE, "VBOX_E_INVALID_SESSION_STATE"), Map.entry(VBOX_E_OBJECT_IN_USE, "VBOX_E_OBJECT_IN_USE"));

    private ResultCodes() {
    }

    /** {@code 0x80bb0001 (VBOX_E_OBJECT_NOT_FOUND)}, or just the hex for codes without a known name. */
    public static String describe(int resultCode) {
        String hex = "0x" + Integer.toHexString(resultCode).toLowerCase(Locale.ROOT);
        String name = NAMES.get(resultCode);
        return name == null ? hex : hex + " (" + name + ")";
    }
}
