package io.libstorage.api;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValuesTest {

    @Test
    void volumeNamesAreConfinedAndExact() {
        for (String ok : List.of("a", "vol-data-2", "A_b.c-1", "x".repeat(VolumeNames.MAX_LENGTH), "0abc")) {
            assertThat(VolumeNames.isValid(ok)).as(ok).isTrue();
        }
        for (String bad : List.of("", ".", "..", "../x", "a/b", "-a", "_a", ".hidden", "x\0y", "a b", "x".repeat(VolumeNames.MAX_LENGTH + 1), "x".repeat(255), "é")) {
            assertThat(VolumeNames.isValid(bad)).as(bad).isFalse();
            assertThatThrownBy(() -> VolumeNames.requireValid(bad, ErrorContext.of("create", bad, "h", "b")))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.code()).isEqualTo("INVALID_VOLUME_NAME"))
                    .hasMessageContaining("operation=create");
        }
    }

    @Test
    void theLongestNameLeavesRoomForEveryFileNameDerivedFromIt() {
        assertThat(VolumeNames.MAX_LENGTH).isEqualTo(VolumeNames.FILE_NAME_MAX - VolumeNames.DERIVED_NAME_BUDGET);
        // the longest derived name today: the temporary file of the atomic write of <name>.json
        assertThat(".json".length() + io.libstorage.spi.support.AtomicFiles.TEMPORARY_NAME_OVERHEAD)
                .isLessThanOrEqualTo(VolumeNames.DERIVED_NAME_BUDGET);
        assertThatThrownBy(() -> VolumeNames.requireValid("x".repeat(VolumeNames.MAX_LENGTH + 1), ErrorContext.of("create")))
                .hasMessageContaining("has " + (VolumeNames.MAX_LENGTH + 1) + " characters; at most " + VolumeNames.MAX_LENGTH);
    }

    @Test
    void invalidNameMessagesShowControlCharactersVisibly() {
        assertThatThrownBy(() -> VolumeNames.requireValid("a\nb", ErrorContext.of("create")))
                .hasMessageContaining("a\\x0ab");
    }

    @Test
    void secretsNeverShowTheirValue() {
        Secret s = Secret.of("hunter2");
        assertThat(s.toString()).doesNotContain("hunter2");
        assertThat(String.valueOf(List.of(s))).doesNotContain("hunter2");
        assertThat(s.reveal()).isEqualTo("hunter2");
        assertThat(s).isEqualTo(Secret.of("hunter2")).isNotEqualTo(Secret.of("other"));
    }

    @Test
    void createIfMissingIsAsConfiguredUnlessTheCallSays() {
        assertThat(MountOptions.DEFAULT.createIfMissing()).isEqualTo(CreateIfMissing.AS_CONFIGURED);
        assertThat(CreateIfMissing.AS_CONFIGURED.resolve(true)).isTrue();
        assertThat(CreateIfMissing.AS_CONFIGURED.resolve(false)).isFalse();
        assertThat(MountOptions.builder().createIfMissing(false).build().createIfMissing().resolve(true)).isFalse();
        assertThat(MountOptions.builder().createIfMissing(CreateIfMissing.YES).build().createIfMissing().resolve(false)).isTrue();
    }

    @Test
    void aFilesystemThatIsNotRecordedIsAnEmptyOptionalNotNull() {
        assertThat(VolumeSpec.builder().sizeBytes(1).build().fsType()).contains(VolumeSpec.DEFAULT_FS_TYPE);
        VolumeSpec unrecorded = VolumeSpec.builder().sizeBytes(1).fsType(java.util.Optional.empty()).build();
        assertThat(unrecorded.fsType()).isEmpty();
        assertThat(unrecorded.toBuilder().build()).isEqualTo(unrecorded);
        assertThatThrownBy(() -> VolumeSpec.builder().fsType((String) null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aNullConsumerIdIsAnErrorNotTheAnonymousConsumer() {
        assertThatThrownBy(() -> ConsumerId.of(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("ofNullable");
    }

    @Test
    void theAnonymousConsumerStandsForEveryCallerWithoutAnId() {
        assertThat(ConsumerId.ofNullable(null)).isEqualTo(ConsumerId.ANONYMOUS);
        assertThat(ConsumerId.anonymous()).isEqualTo(ConsumerId.ANONYMOUS);
        assertThat(ConsumerId.ofNullable(" task-1 ")).isEqualTo(new ConsumerId("task-1"));
        assertThat(ConsumerId.of("  ")).isEqualTo(ConsumerId.ANONYMOUS);
        assertThat(ConsumerId.of(" task-1 ")).isEqualTo(new ConsumerId("task-1"));
        assertThat(ConsumerId.ANONYMOUS.isAnonymous()).isTrue();
        assertThat(ConsumerId.ANONYMOUS.toString()).isNotEmpty();
    }

    @Test
    void identifiersMustNotBeBlank() {
        assertThatThrownBy(() -> new VolumeId(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostId("")).isInstanceOf(IllegalArgumentException.class);
    }
}
