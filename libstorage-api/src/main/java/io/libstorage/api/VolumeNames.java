package io.libstorage.api;

import java.util.regex.Pattern;

/**
 * The library's rule for volume names. Names are keys: compared exactly and case-sensitively,
 * never truncated. A valid name is 1 to {@value #MAX_LENGTH} characters from {@code [A-Za-z0-9_.-]}
 * starting with a letter or digit, so it can never be {@code .} or {@code ..}, contain {@code /} or
 * NUL, or escape the directory it is joined to. Back ends with stricter limits map such names to
 * their own (see each driver) and keep the user's name.
 *
 * <p><b>Why {@value #MAX_LENGTH}.</b> Names become parts of file names, and a file name holds at most
 * {@value #FILE_NAME_MAX} bytes (Linux {@code NAME_MAX}; names are ASCII, so a byte is a character).
 * {@value #DERIVED_NAME_BUDGET} of them are kept for what the library adds to a name in the files
 * it derives from it, so that every one of them fits:
 * <ul>
 *   <li>the mount point {@code <mount root>/<name>} (nothing added);</li>
 *   <li>the state file {@code volumes.d/<name>.json} and the cached profile {@code profiles/<name>.json} (5; locks are
 *       byte ranges of one file, {@code volumes.lock}, and add no file per name);</li>
 *   <li>the temporary file of an atomic write of the state file, {@code .<name>.json.<16 hex digits>.tmp}
 *       (27: one dot, {@code .json}, and the fixed-length temporary suffix of
 *       {@link io.libstorage.spi.support.AtomicFiles}).</li>
 * </ul>
 * Storage drivers name their own files by volume id (localfs images, metadata and snapshots), by
 * gateway names of at most 31 characters (the scaleio name registry), or by the name itself with nothing
 * added (a VirtualBox volume is the medium {@code <volumePath>/<name>}).
 * A new file derived from a volume name must add no more than {@value #DERIVED_NAME_BUDGET} characters.
 */
public final class VolumeNames {
    /** The longest file name the file systems the library writes to accept (Linux {@code NAME_MAX}), in bytes. */
    public static final int FILE_NAME_MAX = 255;
    /** What the library may add to a volume name in a file name it derives from it (see the class description). */
    public static final int DERIVED_NAME_BUDGET = 32;
    /** The longest valid name: {@link #FILE_NAME_MAX} less {@link #DERIVED_NAME_BUDGET}. */
    public static final int MAX_LENGTH = FILE_NAME_MAX - DERIVED_NAME_BUDGET;
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
     * @throws InvalidRequestException naming the rule that was broken
     */
    public static String requireValid(String name, ErrorContext context) {
        if (name == null || name.isEmpty()) {
            throw InvalidRequestException.invalidVolumeName(context, "the name is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw InvalidRequestException.invalidVolumeName(context, "the name has " + name.length() + " characters; at most "
                    + MAX_LENGTH + " are allowed (a file name holds " + FILE_NAME_MAX + ", and the files derived from a volume name add up to "
                    + DERIVED_NAME_BUDGET + ")");
        }
        if (!VALID.matcher(name).matches()) {
            throw InvalidRequestException.invalidVolumeName(context, "'" + EchoedText.of(name)
                    + "' must start with a letter or digit and contain only letters, digits, '_', '.' and '-'");
        }
        return name;
    }
}
