package io.libstorage.spi;

import io.libstorage.api.Attachment;
import io.libstorage.api.Preemption;
import io.libstorage.api.Volume;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link StorageDriver#attach}.
 *
 * @param volume the volume after the attach
 * @param attachment the attachment to the requested host (its token resolves to a device on that host)
 * @param preemption the pre-emption performed, if another host was fenced
 * @param changed whether the call changed the back end (false when the volume was already attached there)
 */
public record AttachResult(Volume volume, Attachment attachment, Optional<Preemption> preemption, boolean changed) {
    public AttachResult {
        Objects.requireNonNull(volume, "volume");
        Objects.requireNonNull(attachment, "attachment");
        Objects.requireNonNull(preemption, "preemption");
    }
}
