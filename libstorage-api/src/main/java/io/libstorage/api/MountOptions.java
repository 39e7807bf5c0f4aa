package io.libstorage.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Per-call choices for a mount. Empty optionals and {@link CreateIfMissing#AS_CONFIGURED} mean "the configured default".
 *
 * @param createIfMissing whether to create the volume when no volume has the name
 * @param createSpec the spec for such a create (unset fields come from the configured defaults)
 * @param preemption the pre-emption policy for the attach
 * @param declaredDeadOwners hosts the caller asserts are gone (evidence for {@link PreemptionPolicy#IF_OWNER_UNREACHABLE})
 * @param fsType the filesystem the caller expects; a different one on the device is a {@link FilesystemMismatchException}
 * @param allowFormat whether a provably blank device may be formatted
 * @param overwriteVolumeId format even a device that carries a signature, but only if the volume is this one
 * @param readOnly mount read-only
 * @param mountOptions extra mount options for this call, after the volume's own
 */
public record MountOptions(CreateIfMissing createIfMissing, Optional<VolumeSpec> createSpec,
                           Optional<PreemptionPolicy> preemption, Set<HostId> declaredDeadOwners,
                           Optional<String> fsType, boolean allowFormat, Optional<VolumeId> overwriteVolumeId,
                           boolean readOnly, List<String> mountOptions) {

    /** Everything as configured. */
    public static final MountOptions DEFAULT = builder().build();

    public MountOptions {
        Objects.requireNonNull(createIfMissing, "createIfMissing");
        Objects.requireNonNull(createSpec, "createSpec");
        Objects.requireNonNull(preemption, "preemption");
        declaredDeadOwners = Set.copyOf(declaredDeadOwners);
        Objects.requireNonNull(fsType, "fsType");
        Objects.requireNonNull(overwriteVolumeId, "overwriteVolumeId");
        mountOptions = List.copyOf(mountOptions);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with every field at "as configured". */
    public static final class Builder {
        private CreateIfMissing createIfMissing = CreateIfMissing.AS_CONFIGURED;
        private VolumeSpec createSpec;
        private PreemptionPolicy preemption;
        private final Set<HostId> declaredDeadOwners = new LinkedHashSet<>();
        private String fsType;
        private boolean allowFormat = true;
        private VolumeId overwriteVolumeId;
        private boolean readOnly;
        private final List<String> mountOptions = new ArrayList<>();

        private Builder() {
        }

        public Builder createIfMissing(CreateIfMissing create) {
            this.createIfMissing = Objects.requireNonNull(create, "create");
            return this;
        }

        /** {@link CreateIfMissing#YES} or {@link CreateIfMissing#NO}. */
        public Builder createIfMissing(boolean create) {
            return createIfMissing(CreateIfMissing.of(create));
        }

        public Builder createSpec(VolumeSpec spec) {
            this.createSpec = spec;
            return this;
        }

        public Builder preemption(PreemptionPolicy policy) {
            this.preemption = policy;
            return this;
        }

        public Builder declareOwnerDead(HostId host) {
            declaredDeadOwners.add(host);
            return this;
        }

        public Builder fsType(String type) {
            this.fsType = type;
            return this;
        }

        public Builder allowFormat(boolean allow) {
            this.allowFormat = allow;
            return this;
        }

        /** Allow formatting over an existing signature, but only when the volume being mounted has this id. */
        public Builder overwrite(VolumeId expected) {
            this.overwriteVolumeId = expected;
            return this;
        }

        public Builder readOnly(boolean ro) {
            this.readOnly = ro;
            return this;
        }

        public Builder mountOption(String option) {
            mountOptions.add(option);
            return this;
        }

        public MountOptions build() {
            return new MountOptions(createIfMissing, Optional.ofNullable(createSpec),
                    Optional.ofNullable(preemption), declaredDeadOwners, Optional.ofNullable(fsType), allowFormat,
                    Optional.ofNullable(overwriteVolumeId), readOnly, mountOptions);
        }
    }
}
