package io.libstorage.emulator.scaleio.internal;

/** Object name rules (reference 6): at most 31 characters, printable ASCII without spaces. */
final class Names {
    static final int MAX_LENGTH = 31;

    private Names() {
    }

    /** Validates a name; {@code null} (unnamed) is allowed. The length check comes first, as LONG_NAME is what clients see for long names. */
    static String validate(String name) {
        if (name == null) {
            return null;
        }
        if (name.length() > MAX_LENGTH) {
            throw GatewayException.longName();
        }
        if (name.isEmpty()) {
            throw GatewayException.invalidName();
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw GatewayException.invalidName();
            }
        }
        return name;
    }
}
