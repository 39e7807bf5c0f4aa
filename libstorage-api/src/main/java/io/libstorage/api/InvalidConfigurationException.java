package io.libstorage.api;

/** A configuration key is unknown, missing, malformed or contradicts another. Names the key. */
public final class InvalidConfigurationException extends StorageException {
    private final String key;

    public InvalidConfigurationException(ErrorContext context, String key, String problem) {
        super(context, "configuration key '" + key + "': " + problem, null);
        this.key = key;
    }

    public String key() {
        return key;
    }

    @Override
    public String code() {
        return "INVALID_CONFIGURATION";
    }
}
