package io.libstorage.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExceptionsTest {
    private final ErrorContext ctx = ErrorContext.of("mount", "pgdata", "node-a", "scaleio");

    /** One instance of every permitted subclass of the sealed root. */
    private List<StorageException> everyKind() {
        HostId b = new HostId("node-b");
        OwnerEvidence ev = new OwnerEvidence(b, Liveness.CONNECTED, Instant.EPOCH, "scaleio:mdmConnectionState");
        return List.of(
                new VolumeNotFoundException(ctx),
                new VolumeAttachedToOtherHostException(ctx, List.of(b), PreemptionPolicy.NEVER),
                new VolumeSpecConflictException(ctx, "size 1 exists, 2 requested"),
                new AmbiguousVolumeException(ctx, List.of(new VolumeId("1"), new VolumeId("2"))),
                new InvalidRequestException(ctx, "size must be positive"),
                new DeviceNotFoundException(ctx, "tok", Duration.ofSeconds(30), List.of("/dev/disk/by-id/emc-vol-1-2")),
                new DeviceIOException(ctx, "read failed", null),
                new RefusedToFormatException(ctx, "/dev/loop3", "partition table dos"),
                new FilesystemMismatchException(ctx, "xfs", "ext4"),
                new VolumeInUseException(ctx, "attached"),
                new AuthenticationException(ctx, "401"),
                new BackendUnavailableException(ctx, "connection refused", true, null),
                new OperationTimeoutException(ctx, "mkfs", Duration.ofSeconds(5)),
                new OwnerStillAliveException(ctx, b, ev),
                new FencingUnavailableException(ctx, "unmap not confirmed", null),
                new UnsafeMultiMappingException(ctx, "mapped to two hosts"),
                new UnsupportedFeatureException(ctx, Feature.SNAPSHOTS),
                new InvalidConfigurationException(ctx, "scaleio.systemName", "required"),
                new OperationDisabledException(ctx, "libstorage.integration.volume.operations.remove.disable"),
                new OperationFailedException(ctx, "'mkfs.ext4' exited 1: bad", null));
    }

    @Test
    void everyKindIsCoveredAndNamesOperationVolumeHostAndBackend() {
        List<StorageException> all = everyKind();
        assertThat(all).extracting(e -> e.getClass()).doesNotHaveDuplicates()
                .hasSize(StorageException.class.getPermittedSubclasses().length);
        for (StorageException e : all) {
            assertThat(e.getMessage()).as(e.getClass().getSimpleName())
                    .contains("mount").contains("pgdata").contains("node-a").contains("scaleio");
            assertThat(e.detail()).isNotBlank();
            assertThat(e.code()).matches("[A-Z_]+");
        }
        assertThat(all).extracting(StorageException::code).doesNotHaveDuplicates();
    }

    /** The merged cases keep the codes the Docker plugin and the command line have always reported. */
    @Test
    void everyCodeIsDistinctIncludingTheMergedCases() {
        List<StorageException> all = new java.util.ArrayList<>(everyKind());
        all.add(InvalidRequestException.invalidVolumeName(ctx, "too long"));
        all.add(VolumeInUseException.busy(ctx, "/mnt/x", List.of(new ProcessHolder(42, "sleep"))));
        assertThat(all).extracting(StorageException::code).doesNotHaveDuplicates()
                .contains("INVALID_REQUEST", "INVALID_VOLUME_NAME", "VOLUME_IN_USE", "VOLUME_BUSY");
    }

    @Test
    void aBusyMountIsTheRetryableCaseOfAVolumeInUse() {
        VolumeInUseException busy = VolumeInUseException.busy(ctx, "the mount at /mnt/x", List.of(new ProcessHolder(42, "sleep")));
        assertThat(busy.isBusy()).isTrue();
        assertThat(busy.retryable()).isTrue();
        assertThat(busy.code()).isEqualTo("VOLUME_BUSY");
        assertThat(busy.holders()).containsExactly(new ProcessHolder(42, "sleep"));
        assertThat(busy.getMessage()).contains("the mount at /mnt/x is busy; held by [42:sleep]");

        VolumeInUseException refused = new VolumeInUseException(ctx, "attached to host 'node-b'");
        assertThat(refused.isBusy()).isFalse();
        assertThat(refused.retryable()).isFalse();
        assertThat(refused.code()).isEqualTo("VOLUME_IN_USE");
        assertThat(refused.holders()).isEmpty();
    }

    @Test
    void anInvalidNameIsACaseOfAnInvalidRequest() {
        InvalidRequestException name = InvalidRequestException.invalidVolumeName(ctx, "too long");
        assertThat(name.isInvalidVolumeName()).isTrue();
        assertThat(name.code()).isEqualTo("INVALID_VOLUME_NAME");
        assertThat(name.getMessage()).contains("invalid volume name: too long");
        assertThat(new InvalidRequestException(ctx, "size must be positive").isInvalidVolumeName()).isFalse();
        assertThat(new InvalidRequestException(ctx, "size must be positive").code()).isEqualTo("INVALID_REQUEST");
    }

    @Test
    void emptyDetailsAreRejected() {
        assertThatThrownBy(() -> new OperationFailedException(ctx, " ", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownContextPartsAreShownNotDropped() {
        assertThat(new VolumeNotFoundException(ErrorContext.of("list")).getMessage())
                .contains("volume=?").contains("host=?").contains("backend=?");
    }

    @Test
    void valuesFromRequestsAreEchoedEscapedAndCut() {
        String huge = "v".repeat(65_536);
        String message = new VolumeNotFoundException(ErrorContext.of("get", huge, "node-a\nFAKE log line", "docker")).getMessage();
        assertThat(message).hasSizeLessThan(1_000)
                .contains("volume=" + "v".repeat(64) + "...(65536 characters)")
                .contains("host=node-a\\x0aFAKE log line")
                .doesNotContain("\n");
        String longest = "n".repeat(VolumeNames.MAX_LENGTH);
        assertThat(new VolumeNotFoundException(ErrorContext.of("get", longest, null, null)).getMessage()).contains("volume=" + longest + " ");
    }

    @Test
    void theOwnerIsNamedWhenAVolumeIsAttachedElsewhere() {
        var e = new VolumeAttachedToOtherHostException(ctx, List.of(new HostId("node-b")), PreemptionPolicy.NEVER);
        assertThat(e.getMessage()).contains("node-b").contains("NEVER");
        assertThat(e.owners()).containsExactly(new HostId("node-b"));
        assertThat(e.evidence()).isEmpty();

        OwnerEvidence ev = new OwnerEvidence(new HostId("node-b"), Liveness.DISCONNECTED, Instant.EPOCH, "scaleio:mdmConnectionState");
        var explained = new VolumeAttachedToOtherHostException(ctx, List.of(ev), PreemptionPolicy.NEVER, "set X to take it", e);
        assertThat(explained.getMessage()).startsWith("mount failed: volume is attached to another host 'node-b' (scaleio:mdmConnectionState reports node-b DISCONNECTED since 1970-01-01T00:00:00Z)")
                .contains("policy NEVER does not allow taking it; set X to take it");
        assertThat(explained.owners()).containsExactly(new HostId("node-b"));
        assertThat(explained.evidence()).containsExactly(ev);
        assertThat(explained.getCause()).isSameAs(e);
    }
}
