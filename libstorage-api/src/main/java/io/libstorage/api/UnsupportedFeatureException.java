package io.libstorage.api;

/** The driver does not implement the requested feature. Nothing was faked and nothing changed. */
public final class UnsupportedFeatureException extends StorageException {
    private final Feature feature;

    public UnsupportedFeatureException(ErrorContext context, Feature feature) {
        super(context, "the back end does not support " + feature, null);
        this.feature = feature;
    }

    public Feature feature() {
        return feature;
    }

    @Override
    public String code() {
        return "UNSUPPORTED_FEATURE";
    }
}
