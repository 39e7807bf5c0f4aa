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

    /**
     * The field in which a driver without {@link Feature#KEEPS_SPEC} lists, comma separated, the facts it reports
     * with a placeholder because this host does not know them: {@value VolumeStatus#NAME} (the back end's own name
     * is shown), {@value VolumeStatus#REQUESTED_SIZE} (the allocated size is shown), {@value VolumeStatus#FS_TYPE}
     * ({@code null} is shown). The integration layer fills in what its own record of the volume knows and reports
     * the rest in {@link VolumeStatus#unknownHere()}.
     */
    public static final String UNKNOWN_FIELD = "unknown";

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

    /** The facts listed in {@link #UNKNOWN_FIELD}. */
    public java.util.Set<String> unknownFacts() {
        String listed = fields.get(UNKNOWN_FIELD);
        if (listed == null || listed.isBlank()) {
            return java.util.Set.of();
        }
        return java.util.Set.copyOf(java.util.Arrays.stream(listed.split(",")).map(String::trim).filter(f -> !f.isEmpty()).toList());
    }

    /** A copy with another name, spec and fields (what the integration layer's record of the volume knows). */
    public Volume withFacts(String newName, VolumeSpec newSpec, Map<String, String> newFields) {
        return new Volume(id, newName, newSpec, allocatedSizeBytes, attachments, newFields, createdAt, backend);
    }

    /** A copy with other attachments. */
    public Volume withAttachments(List<Attachment> newAttachments) {
        return new Volume(id, name, spec, allocatedSizeBytes, newAttachments, fields, createdAt, backend);
    }
}
