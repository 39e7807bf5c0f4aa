package io.libstorage.spi;

import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How to format a device.
 *
 * @param fsType filesystem type ({@code ext4}, {@code xfs}, {@code btrfs})
 * @param options extra mkfs arguments
 * @param label filesystem label (shortened to the filesystem's limit), or {@code null}
 * @param overwrite format even a device that carries a signature. The integration layer sets it only
 *                  when the caller named the expected volume id and it matched
 */
public record FormatOptions(String fsType, List<String> options, @Nullable String label, boolean overwrite) {
    public FormatOptions {
        Objects.requireNonNull(fsType, "fsType");
        options = List.copyOf(options);
    }
}
