package io.libstorage.spi;

import java.time.Clock;
import java.util.Objects;

/**
 * What the runtime hands a provider when it creates a driver.
 *
 * @param config the driver's validated configuration section
 * @param processes how to run external commands (replaceable, e.g. to count spawns)
 * @param clock the clock to use for timestamps and deadlines
 */
public record DriverContext(DriverConfig config, ProcessRunner processes, Clock clock) {
    public DriverContext {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(processes, "processes");
        Objects.requireNonNull(clock, "clock");
    }
}
