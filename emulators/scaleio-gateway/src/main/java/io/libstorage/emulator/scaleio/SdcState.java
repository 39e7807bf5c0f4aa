package io.libstorage.emulator.scaleio;

/** The {@code mdmConnectionState} of an SDC: whether its host currently holds a connection to the MDM. */
public enum SdcState {
    CONNECTED("Connected"),
    DISCONNECTED("Disconnected");

    private final String wireName;

    SdcState(String wireName) {
        this.wireName = wireName;
    }

    /** The value the gateway puts into {@code mdmConnectionState}. */
    public String wireName() {
        return wireName;
    }

    /** Parses {@code Connected}/{@code Disconnected} (any case) or the enum name. */
    public static SdcState parse(String s) {
        for (SdcState v : values()) {
            if (v.wireName.equalsIgnoreCase(s) || v.name().equalsIgnoreCase(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown SDC state '" + s + "' (expected Connected or Disconnected)");
    }
}
