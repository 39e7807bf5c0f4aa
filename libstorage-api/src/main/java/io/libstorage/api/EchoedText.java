package io.libstorage.api;

/**
 * How the library quotes a value it did not choose (a volume name, a host name from a request) in a
 * message: control characters escaped, so a value cannot forge a log line, and long values cut, so a
 * 64 KiB name cannot fill a response or a log.
 */
final class EchoedText {
    /** Values longer than this are cut to {@link #KEPT} characters and their length. */
    static final int LONGEST_SHOWN = VolumeNames.MAX_LENGTH;
    static final int KEPT = 64;

    private EchoedText() {
    }

    static String of(String value) {
        if (value.length() <= LONGEST_SHOWN) {
            return escaped(value);
        }
        return escaped(value.substring(0, KEPT)) + "...(" + value.length() + " characters)";
    }

    private static String escaped(String value) {
        StringBuilder b = new StringBuilder(value.length());
        value.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
