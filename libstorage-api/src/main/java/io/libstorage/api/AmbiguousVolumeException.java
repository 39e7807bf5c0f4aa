package io.libstorage.api;

import java.util.List;

/** More than one back-end volume carries the requested name; the library refuses to pick one. */
public final class AmbiguousVolumeException extends StorageException {
    private final List<VolumeId> candidates;

    public AmbiguousVolumeException(ErrorContext context, List<VolumeId> candidates) {
        super(context, "name matches " + candidates.size() + " volumes " + candidates.stream().map(VolumeId::value).toList()
                + "; refusing to choose one", null);
        this.candidates = List.copyOf(candidates);
    }

    public List<VolumeId> candidates() {
        return candidates;
    }

    @Override
    public String code() {
        return "AMBIGUOUS_VOLUME";
    }
}
