package io.libstorage.api;

import java.util.regex.Pattern;

/**
 * The library's rule for volume names. Names are keys: compared exactly and case-sensitively,
 * never truncated. A valid name is 1 to 255 characters from {@code [A-Za-z0-9_.-]} starting with a
 * letter or digit, so it can never be {@code .} or {@code ..}, contain {@code /} or NUL, or escape
 * the directory it is joined to. Back ends with stricter limits map such names to their own
 * (see each driver) and keep the user's name.
 */
public final class VolumeNames {
    public static final int MAX_LENGTH = 255;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private VolumeNames() {
    }

    /** Whether {@code name} is valid. */
    public static boolean isValid(String name) {
        return name != null && !name.isEmpty() && name.length() <= MAX_LENGTH && VALID.matcher(name).matches();
    }

    /**
     * Returns {@code name} if valid.
     *
     * @throws InvalidVolumeNameException naming the rule that was broken
     */
    public static String requireValid(String name, ErrorContext context) {
        if (name == null || name.isEmpty()) {
            throw new InvalidVolumeNameException(context, "the name is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw new InvalidVolumeNameException(context, "the name has " + name.length()
                    + " characters; at most " + MAX_LENGTH + " are allowed");
        }
        if (!VALID.matcher(name).matches()) {
            throw new InvalidVolumeNameException(context, "'" + printable(name)
                    + "' must start with a letter or digit and contain only letters, digits, '_', '.' and '-'");
        }
        return name;
    }

    private static String printable(String name) {
        StringBuilder b = new StringBuilder();
        name.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
