package io.libstorage.core.internal.integration;

import io.libstorage.api.ErrorContext;
import io.libstorage.core.internal.state.HostStateStore;
import io.libstorage.core.internal.state.Intent;
import io.libstorage.core.internal.state.VolumeRecord;
import io.libstorage.spi.OSDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Set;

/**
 * Applies what a call that did not finish left in a volume's record (the caller holds the volume's
 * lock, so its writer is gone): an interrupted mount never committed its consumer; an interrupted
 * unmount's consumer had asked to leave. Consumers recorded under another boot are dropped: their
 * mounts no longer exist. Used by every changing call and by reconcile.
 */
final class RecordRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(RecordRecovery.class);

    private final HostStateStore store;
    private final OSDriver os;
    private final Clock clock;

    RecordRecovery(HostStateStore store, OSDriver os, Clock clock) {
        this.store = store;
        this.os = os;
        this.clock = clock;
    }

    /** The record with the interrupted call applied, saved when that changed it. */
    VolumeRecord recover(VolumeRecord rec, ErrorContext ctx) {
        VolumeRecord out = rec;
        String boot = os.bootId();
        if (rec.bootId() != null && !rec.bootId().equals(boot)) {
            LOG.info("volume '{}': dropping consumers {} recorded before a reboot", rec.name(), rec.consumers());
            out = out.withConsumers(Set.of()).withMount(null, null, null);
        }
        if (rec.intent() != null) {
            LOG.info("volume '{}': recovering an interrupted {} for consumer '{}' (process {})", rec.name(),
                    rec.intent().kind(), rec.intent().consumer(), rec.intent().pid());
            if (rec.intent().kind() == Intent.Kind.UNMOUNT) {
                out = out.withoutConsumer(rec.intent().consumer());
            }
            out = out.withIntent(null);
        }
        if (out != rec) {
            out = out.stamped(boot, clock.instant());
            store.save(out, ctx);
        }
        return out;
    }
}
