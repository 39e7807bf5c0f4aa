package io.libstorage.scaleio.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.libstorage.api.HostId;
import io.libstorage.spi.support.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * When this host first saw another host's SDC Disconnected, kept under {@code <stateDir>/sightings} (one small file
 * per host, written crash-safe), so that the owner grace period runs from the first sighting and a restart of this
 * process does not start it again. A sighting proves continuity only while sightings follow each other within one
 * grace period: after a longer silence nobody watched, so the next Disconnected state starts a new grace period.
 * Seeing the host Connected (or in any other state) ends the sighting.
 */
final class OwnerSightings {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerSightings.class);

    /** First and last time a host was seen Disconnected, epoch milliseconds. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Sighting(long firstMillis, long lastMillis) {
    }

    private final Path dir;

    OwnerSightings(Path stateDir) {
        this.dir = stateDir.resolve("sightings");
    }

    /**
     * Records that {@code host} is Disconnected at {@code now}.
     *
     * @return since when it has been seen Disconnected without a gap longer than {@code grace}
     */
    Instant disconnected(HostId host, Instant now, Duration grace) {
        Path f = file(host);
        long first = now.toEpochMilli();
        try {
            Sighting s = GatewayResponse.Json.MAPPER.readValue(Files.readAllBytes(f), Sighting.class);
            boolean continuous = s.lastMillis() <= now.toEpochMilli() && now.toEpochMilli() - s.lastMillis() <= grace.toMillis();
            if (continuous && s.firstMillis() <= s.lastMillis()) {
                first = s.firstMillis();
            }
        } catch (NoSuchFileException e) {
            // the first sighting
        } catch (IOException | RuntimeException e) {
            LOG.debug("ignoring the unreadable {}: {}", f, e.toString());
        }
        try {
            AtomicFiles.write(f, GatewayResponse.Json.MAPPER.writeValueAsBytes(new Sighting(first, now.toEpochMilli())));
        } catch (IOException e) {
            LOG.warn("cannot keep when {} was first seen disconnected in {} (a restart starts its grace period again): {}",
                    host.value(), f, e.toString());
        }
        return Instant.ofEpochMilli(first);
    }

    /** {@code host} was seen in another state than Disconnected: a later disconnection starts a new grace period. */
    void ended(HostId host) {
        Path f = file(host);
        if (!Files.exists(f)) {
            return;
        }
        try {
            AtomicFiles.delete(f);
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", f, e.toString());
        }
    }

    private Path file(HostId host) {
        return dir.resolve(host.value().replaceAll("[^A-Za-z0-9:_-]", "_") + ".json");
    }

    Path directory() {
        return dir;
    }
}
