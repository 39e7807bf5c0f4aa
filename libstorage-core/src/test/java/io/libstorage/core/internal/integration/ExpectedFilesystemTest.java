package io.libstorage.core.internal.integration;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.FilesystemMismatchException;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one "requested filesystem must match" rule the mount pipeline applies at every step. */
class ExpectedFilesystemTest {
    private static final ErrorContext CTX = ErrorContext.of("mount", "v", "h", "memory");

    @Test
    void aRequestedFilesystemMustBeTheRecordedOne() {
        assertThatThrownBy(() -> ExpectedFilesystem.require(CTX, "ext4", Optional.of("xfs"), null))
                .isInstanceOfSatisfying(FilesystemMismatchException.class, e -> {
                    org.assertj.core.api.Assertions.assertThat(e.expected()).isEqualTo("xfs");
                    org.assertj.core.api.Assertions.assertThat(e.found()).isEqualTo("ext4 (recorded with the volume)");
                });
        assertThatCode(() -> ExpectedFilesystem.require(CTX, "ext4", Optional.of("ext4"), null)).doesNotThrowAnyException();
        assertThatCode(() -> ExpectedFilesystem.require(CTX, null, Optional.of("xfs"), null)).doesNotThrowAnyException();
    }

    @Test
    void whatTheDeviceHoldsMustBeTheRecordedElseTheRequestedFilesystem() {
        assertThatThrownBy(() -> ExpectedFilesystem.require(CTX, "ext4", Optional.empty(), "xfs"))
                .isInstanceOf(FilesystemMismatchException.class).hasMessageContaining("expected ext4 but the device holds xfs");
        assertThatThrownBy(() -> ExpectedFilesystem.require(CTX, null, Optional.of("btrfs"), "ext4"))
                .isInstanceOf(FilesystemMismatchException.class).hasMessageContaining("expected btrfs but the device holds ext4");
        assertThatCode(() -> ExpectedFilesystem.require(CTX, null, Optional.empty(), "ext4")).doesNotThrowAnyException();
        assertThatCode(() -> ExpectedFilesystem.require(CTX, "xfs", Optional.of("xfs"), "xfs")).doesNotThrowAnyException();
    }
}
