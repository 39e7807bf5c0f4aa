package io.libstorage.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A volume as the storage back end reports it.
 *
 * @param id the back-end id
 * @param name the user's name (exact; never truncated)
 * @param spec what was requested (size in bytes as requested, filesystem, options, access mode, labels)
 * @param allocatedSizeBytes what the back end allocated after its rounding (never less than requested)
 * @param attachments the hosts it is mapped to, as the back end reports them (all of them, not only this host)
 * @param fields back-end specific facts (e.g. the gateway's name for the volume, pool id)
 * @param createdAt creation time, or {@code null} when the back end does not say
 * @param backend the name of the driver that reported it
 */
public record Volume(VolumeId id, String name, VolumeSpec spec, long allocatedSizeBytes, List<Attachment> attachments,
                     Map<String, String> fields, @Nullable Instant createdAt, String backend) {

    public Volume {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spec, "spec");
        attachments = List.copyOf(Objects.requireNonNull(attachments, "attachments"));
        fields = Map.copyOf(Objects.requireNonNull(fields, "fields"));
        Objects.requireNonNull(backend, "backend");
    }

    /** The size the user asked for, in bytes. */
    public long requestedSizeBytes() {
        return spec.sizeBytes();
    }

    /** The attachment to {@code host}, if the volume is mapped there. */
    public Optional<Attachment> attachmentTo(HostId host) {
        return attachments.stream().filter(a -> a.hostId().equals(host)).findFirst();
    }

    /** The hosts other than {@code host} that the volume is mapped to. */
    public List<HostId> otherOwners(HostId host) {
        return attachments.stream().map(Attachment::hostId).filter(h -> !h.equals(host)).distinct().toList();
    }

    /** A copy with other attachments. */
    public Volume withAttachments(List<Attachment> newAttachments) {
        return new Volume(id, name, spec, allocatedSizeBytes, newAttachments, fields, createdAt, backend);
    }
}
