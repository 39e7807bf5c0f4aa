package io.libstorage.scaleio.internal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.libstorage.api.ErrorContext;
import io.libstorage.scaleio.internal.GatewayModel.SdcObj;
import io.libstorage.spi.support.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the gateway tells about the system and rarely changes: the {@link SystemLayout} the configuration names and
 * the system's SDC table. Resolved at first need, never at start, and kept for {@link #LIFETIME} in
 * {@code <stateDir>/discovery.json} (written crash-safe), so that a command-line run makes no start-up calls and one
 * that this host's own state answers (a mount of a volume mounted here) none at all. A copy written for another
 * configuration (other endpoint, system, protection domain or pool) is ignored, as is one older than its lifetime;
 * an unreadable copy is a miss, never an error: the gateway answers again.
 */
final class Discovery {
    /** How long a resolved layout and SDC table are trusted without asking the gateway again. */
    static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(Discovery.class);

    /** The copy on disk; times in epoch milliseconds. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Saved(String key, Long layoutAt, SystemLayout layout, Long sdcsAt, List<SdcObj> sdcs) {
    }

    private final GatewayClient client;
    private final ScaleIoSettings settings;
    private final Clock clock;
    private final Path file;
    private final String key;
    private volatile SystemLayout layout;

    Discovery(GatewayClient client, ScaleIoSettings settings, Clock clock) {
        this.client = client;
        this.settings = settings;
        this.clock = clock;
        this.file = settings.stateDir().resolve("discovery.json");
        this.key = String.join("|", settings.endpoint().toString(), settings.systemId().orElse(""), settings.systemName().orElse(""),
                settings.protectionDomainId().orElse(""), settings.protectionDomainName().orElse(""),
                settings.storagePoolId().orElse(""), settings.storagePoolName().orElse(""));
    }

    /** The system, protection domain and pool: from memory, else from a fresh copy on disk, else from the gateway (4 calls). */
    SystemLayout layout(ErrorContext ctx) {
        SystemLayout known = layout;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (layout != null) {
                return layout;
            }
            Optional<Saved> saved = read();
            if (saved.isPresent() && saved.get().layout() != null && fresh(saved.get().layoutAt())) {
                layout = saved.get().layout();
                return layout;
            }
            SystemLayout resolved = SystemLayout.resolve(client, settings, ctx);
            write(new Saved(key, clock.millis(), resolved, saved.map(Saved::sdcsAt).orElse(null),
                    saved.map(Saved::sdcs).orElse(null)));
            LOG.info("scaleio: gateway {} API {}, system {} ({}), protection domain {}, pool {}", settings.endpoint(),
                    client.apiVersion(), resolved.systemName(), resolved.systemId(), resolved.protectionDomainName(),
                    resolved.storagePoolId());
            layout = resolved;
            return resolved;
        }
    }

    /** The system's SDCs as last read from the gateway, while that read is fresh. */
    Optional<List<SdcObj>> savedSdcs() {
        return read().filter(s -> s.sdcs() != null && fresh(s.sdcsAt())).map(Saved::sdcs);
    }

    /** Keeps the SDC table just read from the gateway. */
    synchronized void saveSdcs(List<SdcObj> sdcs) {
        Optional<Saved> saved = read();
        write(new Saved(key, saved.map(Saved::layoutAt).orElse(null), saved.map(Saved::layout).orElse(null), clock.millis(), sdcs));
    }

    private boolean fresh(Long at) {
        long now = clock.millis();
        return at != null && at <= now && now - at < LIFETIME.toMillis();
    }

    private Optional<Saved> read() {
        try {
            Saved s = GatewayResponse.Json.MAPPER.readValue(Files.readAllBytes(file), Saved.class);
            return key.equals(s.key()) ? Optional.of(s) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            LOG.debug("ignoring the unreadable {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    private void write(Saved s) {
        try {
            AtomicFiles.write(file, GatewayResponse.Json.MAPPER.writeValueAsBytes(s));
        } catch (IOException e) {
            LOG.warn("cannot keep what the gateway said about the system in {} (the next run asks again): {}", file, e.toString());
        }
    }

    Path file() {
        return file;
    }
}
