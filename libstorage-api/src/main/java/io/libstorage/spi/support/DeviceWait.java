package io.libstorage.spi.support;

import io.libstorage.api.Attachment;
import io.libstorage.api.DeviceNotFoundException;
import io.libstorage.api.ErrorContext;
import io.libstorage.spi.HostSide;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounded polling for an attached device: checks at once, then with a back-off from 5 ms up to
 * 500 ms, asks the host side to rescan once after a second, and gives up at the timeout with an
 * error that says the attach succeeded and names what was searched.
 */
public final class DeviceWait {
    private static final long FIRST_PAUSE_NANOS = Duration.ofMillis(5).toNanos();
    private static final long MAX_PAUSE_NANOS = Duration.ofMillis(500).toNanos();
    private static final long RESCAN_AFTER_NANOS = Duration.ofSeconds(1).toNanos();

    private DeviceWait() {
    }

    public static Path await(HostSide host, Attachment attachment, Duration timeout, ErrorContext context) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        boolean rescanned = false;
        while (true) {
            Optional<Path> device = host.findDevice(attachment);
            if (device.isPresent()) {
                return device.get();
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw new DeviceNotFoundException(context.withHost(attachment.hostId().value()),
                        attachment.deviceToken(), timeout, host.searchedLocations(attachment));
            }
            if (!rescanned && now - start >= RESCAN_AFTER_NANOS) {
                host.rescan();
                rescanned = true;
            }
            LockSupport.parkNanos(Math.min(pause, deadline - now));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new DeviceNotFoundException(context, attachment.deviceToken(),
                        Duration.ofNanos(System.nanoTime() - start), host.searchedLocations(attachment));
            }
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }
}
