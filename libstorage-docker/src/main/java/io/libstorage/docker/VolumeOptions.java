package io.libstorage.docker;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.InvalidRequestException;
import io.libstorage.api.VolumeSpec;
import io.libstorage.docker.internal.CreateOptions;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The create options of the Docker volume plugin ({@code docker volume create -o k=v}, dvdcli
 * {@code --volumeopts}) as a public function, so that front ends which run the library in-process
 * (the CLI's dvdcli mode without a running plugin) map options exactly as the plugin does. Keys and
 * values are described in the module README; stateless and thread-safe.
 */
public final class VolumeOptions {
    private VolumeOptions() {
    }

    /**
     * The spec for a create with {@code opts}, starting from {@code defaults} ({@code null} or empty
     * options: the defaults unchanged).
     *
     * @throws InvalidRequestException for unknown, repeated or malformed options, naming them
     */
    public static VolumeSpec toSpec(VolumeSpec defaults, @Nullable Map<String, String> opts, ErrorContext ctx) {
        return CreateOptions.toSpec(defaults, opts, ctx);
    }

    /** Every accepted key as documented (prefix keys are written {@code label.<key>}). */
    public static List<String> accepted() {
        return CreateOptions.ACCEPTED;
    }
}
