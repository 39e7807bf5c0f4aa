package io.libstorage.spi;

import java.time.Clock;
import java.util.Objects;

/**
 * What the runtime hands a provider when it creates a driver.
 *
 * @param config the driver's validated configuration section
 * @param processes how to run external commands (replaceable, e.g. to count spawns)
 * @param clock the clock to use for timestamps and deadlines
 * @param host how this host uses its block devices (the OS driver answers), for a storage driver's
 *             in-use checks; {@link HostDevices#UNAVAILABLE} for drivers that do not ask (OS drivers)
 */
public record DriverContext(DriverConfig config, ProcessRunner processes, Clock clock, HostDevices host) {
    public DriverContext {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(processes, "processes");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(host, "host");
    }

    /** A context without a view of the host's devices (for OS drivers, and storage drivers that never ask). */
    public DriverContext(DriverConfig config, ProcessRunner processes, Clock clock) {
        this(config, processes, clock, HostDevices.UNAVAILABLE);
    }
}
