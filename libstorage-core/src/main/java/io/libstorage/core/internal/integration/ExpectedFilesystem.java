package io.libstorage.core.internal.integration;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.FilesystemMismatchException;

import java.util.Optional;

/**
 * The one rule for "the requested filesystem must match": a filesystem the caller names must be the
 * one recorded with the volume, and what a device holds (or a mount shows) must be the recorded one,
 * else the requested one. Nothing is formatted or mounted after a mismatch.
 */
final class ExpectedFilesystem {
    private ExpectedFilesystem() {
    }

    /**
     * Checks what is known at this point of a call.
     *
     * @param recorded the filesystem recorded with the volume, or {@code null} when none is
     * @param requested the filesystem the caller asked for, if any
     * @param found what the device holds or the mount shows, or {@code null} before it was looked at
     * @throws FilesystemMismatchException naming the expected and the found filesystem
     */
    static void require(ErrorContext ctx, String recorded, Optional<String> requested, String found) {
        if (recorded != null && requested.isPresent() && !recorded.equals(requested.get())) {
            throw new FilesystemMismatchException(ctx, requested.get(), recorded + " (recorded with the volume)");
        }
        String expected = recorded != null ? recorded : requested.orElse(null);
        if (found != null && expected != null && !expected.equals(found)) {
            throw new FilesystemMismatchException(ctx, expected, found);
        }
    }
}
