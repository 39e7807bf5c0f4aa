package io.libstorage.api;

/**
 * A request that is malformed before any back-end call is made: a size of zero bytes, a filesystem this host cannot
 * make, options that contradict each other, or a volume name that the library or the back end does not accept
 * ({@link #invalidVolumeName}). The caller must change the request; repeating it fails the same way.
 *
 * <p>{@link #code()} is {@code INVALID_VOLUME_NAME} for a refused name and {@code INVALID_REQUEST} for everything
 * else, as the Docker plugin and the command line have always reported them. A mistake in the configuration rather
 * than in one call is an {@link InvalidConfigurationException}; a null or malformed argument to a value type's
 * constructor is the JDK's {@link NullPointerException} or {@link IllegalArgumentException}.
 */
public final class InvalidRequestException extends StorageException {
    private static final String INVALID_REQUEST = "INVALID_REQUEST";
    private static final String INVALID_VOLUME_NAME = "INVALID_VOLUME_NAME";

    private final String code;

    public InvalidRequestException(ErrorContext context, String reason) {
        this(context, reason, INVALID_REQUEST);
    }

    private InvalidRequestException(ErrorContext context, String detail, String code) {
        super(context, detail, null);
        this.code = code;
    }

    /** A volume name that the library or the back end does not accept; {@code reason} names the rule. */
    public static InvalidRequestException invalidVolumeName(ErrorContext context, String reason) {
        return new InvalidRequestException(context, "invalid volume name: " + reason, INVALID_VOLUME_NAME);
    }

    /** Whether what was refused is the volume's name ({@link #invalidVolumeName}). */
    public boolean isInvalidVolumeName() {
        return INVALID_VOLUME_NAME.equals(code);
    }

    /** {@code INVALID_VOLUME_NAME} for a refused name, else {@code INVALID_REQUEST}. */
    @Override
    public String code() {
        return code;
    }
}
