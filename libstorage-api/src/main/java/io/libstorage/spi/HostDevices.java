package io.libstorage.spi;

import io.libstorage.api.ErrorContext;
import io.libstorage.api.MountEntry;
import io.libstorage.api.OperationFailedException;
import io.libstorage.api.ProcessHolder;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a storage driver may learn about how this host uses a block device, answered by the OS layer
 * (every {@link OSDriver} is one; Linux reads {@code /proc/self/mountinfo}, {@code stat} and
 * {@code /proc/<pid>/}). Handed to storage drivers in {@link DriverContext#host()} so that they can
 * refuse to pull a device from under a mounted filesystem or a process, without reading mount tables
 * themselves. Read-only; thread-safe.
 */
public interface HostDevices {

    /** Answers nothing: every call fails, naming the missing view. For contexts of drivers that do not ask. */
    HostDevices UNAVAILABLE = new HostDevices() {
        @Override
        public Optional<String> deviceNumber(ErrorContext context, Path device) {
            throw missing(context);
        }

        @Override
        public List<MountEntry> mountsOf(ErrorContext context, String deviceNumber) {
            throw missing(context);
        }

        @Override
        public List<ProcessHolder> holdersOf(ErrorContext context, String deviceNumber) {
            throw missing(context);
        }

        private OperationFailedException missing(ErrorContext context) {
            return new OperationFailedException(context, "the driver was created without a view of this host's devices"
                    + " (a DriverContext without an OS driver), so it cannot tell whether a device is in use", null);
        }

        @Override
        public String toString() {
            return "HostDevices.UNAVAILABLE";
        }
    };

    /**
     * The device number ({@code major:minor}) of a block device, to compare with
     * {@link MountEntry#deviceNumber()}; empty when the device does not exist or is not a block device.
     */
    Optional<String> deviceNumber(ErrorContext context, Path device);

    /** Where the block device {@code major:minor} is mounted on this host, in mount order; empty when nowhere. */
    List<MountEntry> mountsOf(ErrorContext context, String deviceNumber);

    /**
     * The processes that have the device {@code major:minor}, or a file on the filesystem it carries,
     * open. Possibly incomplete (other mount namespaces, kernel users): for naming holders in a
     * refusal, never for deciding that a device is free.
     */
    List<ProcessHolder> holdersOf(ErrorContext context, String deviceNumber);
}
