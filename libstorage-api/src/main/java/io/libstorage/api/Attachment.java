package io.libstorage.api;

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A volume mapped to a host.
 *
 * @param volumeId the volume
 * @param hostId the host it is mapped to
 * @param deviceToken what that host's side of the driver resolves to a local block device
 * @param state the attachment state
 * @param attachedAt when it was attached, or {@code null} when the back end does not say
 */
public record Attachment(VolumeId volumeId, HostId hostId, String deviceToken, AttachmentState state, @Nullable Instant attachedAt) {
    public Attachment {
        Objects.requireNonNull(volumeId, "volumeId");
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(deviceToken, "deviceToken");
        Objects.requireNonNull(state, "state");
    }
}
